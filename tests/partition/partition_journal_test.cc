#include "actors/partition_journal.h"

#include <limits>
#include <set>

#include <catch2/catch.hpp>

#include "cluster/partitioner.h"
#include "learning/online_step.h"
#include "tests/learning/synthetic_events.h"
#include "tests/storage/store_fixtures.h"

using namespace driftline;
using driftline::storage::testing::MemoryStore;
using driftline::storage::testing::RocksStore;

namespace {

OnlineOptions Online() {
  OnlineOptions o;
  o.pending_ttl_ms = 50;
  return o;
}

// Inputs as a router would send them to one partition: labelled events with
// upstream parts, some predictions and their outcomes, some duplicates.
std::vector<PartitionInput> Inputs(size_t n, uint64_t seed) {
  std::vector<PartitionInput> out;
  for (const Event& e : testing::SyntheticEvents(n, seed)) {
    out.push_back(EventInput{e, 0.2, -0.1});
    if (out.size() % 7 == 0) {
      PredictionInput p;
      p.prediction.prediction_id = "p" + e.event_id;
      p.prediction.user = e.user;
      p.prediction.chosen = e.item;
      p.prediction.ts_ms = e.ts_ms;
      p.prediction.base_logit = 0.3;
      out.push_back(p);
      Event outcome;
      outcome.ts_ms = e.ts_ms + 5;
      outcome.user = e.user;
      outcome.label = 1;
      outcome.event_id = "o" + e.event_id;
      outcome.prediction_id = "p" + e.event_id;
      out.push_back(EventInput{outcome, 0, 0});
    }
  }
  return out;
}

template <class Store>
std::unique_ptr<PartitionJournal> Open(Store& s, const JournalOptions& options) {
  auto journal = PartitionJournal::Recover(2, Online(), 7, s.store().events(),
                                           s.store().checkpoints(), options);
  REQUIRE(journal.ok());
  return std::move(*journal);
}

// Every unconfirmed arm update, destination by destination, in order.
std::vector<ArmUpdateInput> Unconfirmed(const PartitionJournal& journal) {
  std::vector<ArmUpdateInput> out;
  for (auto& [destination, updates] : journal.Unconfirmed()) {
    out.insert(out.end(), updates.begin(), updates.end());
  }
  return out;
}

template <class Store>
void LogInBatches(PartitionJournal& journal, const std::vector<PartitionInput>& inputs,
                  size_t from, size_t to) {
  for (size_t i = from; i < to; i += 25) {
    std::vector<PartitionInput> batch(inputs.begin() + i, inputs.begin() + std::min(to, i + 25));
    REQUIRE(journal.LogAndApply(batch).ok());
  }
}

}  // namespace

TEMPLATE_TEST_CASE("recovery from the log alone equals the state that wrote it", "", MemoryStore,
                   RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 0;  // no checkpoints: everything comes back from the log
  auto inputs = Inputs(600, 3);
  PartitionSnapshot before;
  {
    auto journal = Open(s, options);
    LogInBatches<TestType>(*journal, inputs, 0, inputs.size());
    before = journal->Snapshot();
    REQUIRE(journal->learner().counters().outcomes_joined > 0);
  }  // "crash": nothing flushed beyond what LogAndApply made durable
  auto recovered = Open(s, options);
  REQUIRE(recovered->Snapshot() == before);
  REQUIRE(recovered->outbox_size() == recovered->learner().counters().learned);
}

TEMPLATE_TEST_CASE("checkpoint plus log suffix equals a run that never stopped", "", MemoryStore,
                   RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 100;  // several automatic checkpoints along the way
  auto inputs = Inputs(800, 5);
  PartitionSnapshot straight;
  {
    MemoryStore other;
    auto journal = Open(other, options);
    LogInBatches<MemoryStore>(*journal, inputs, 0, inputs.size());
    straight = journal->learner().Snapshot(1, 0);
  }
  {
    auto journal = Open(s, options);
    LogInBatches<TestType>(*journal, inputs, 0, 500);
    REQUIRE(journal->last_checkpoint_error().ok());
  }
  auto resumed = Open(s, options);
  LogInBatches<TestType>(*resumed, inputs, 500, inputs.size());
  REQUIRE(resumed->learner().Snapshot(1, 0) == straight);
  SECTION("the log before the latest checkpoint is truncated") {
    auto latest = s.store().checkpoints().Latest(2);
    REQUIRE(latest.ok());
    auto early = s.store().events().Read(2, 1, 10);
    REQUIRE(early.status().code() == Status::Code::kFailedPrecondition);
  }
}

TEMPLATE_TEST_CASE("duplicates are dropped before they reach the log", "", MemoryStore, RocksStore) {
  TestType s;
  auto journal = Open(s, JournalOptions{});
  auto inputs = Inputs(20, 9);
  auto first = journal->LogAndApply(inputs);
  REQUIRE(first.ok());
  const uint64_t logged = s.store().events().LastSequence(2);
  auto again = journal->LogAndApply(inputs);
  REQUIRE(again.ok());
  REQUIRE(again->accepted == 0);
  REQUIRE(again->duplicates == inputs.size());
  REQUIRE(s.store().events().LastSequence(2) == logged + 0);

  SECTION("a repeat inside one batch counts once") {
    Event e = testing::SyntheticEvents(1, 42)[0];
    e.event_id = "fresh";
    auto r = journal->LogAndApply({EventInput{e, 0, 0}, EventInput{e, 0, 0}});
    REQUIRE(r.ok());
    REQUIRE(r->accepted == 1);
    REQUIRE(r->duplicates == 1);
  }
}

TEMPLATE_TEST_CASE("a record that does not decode stops recovery with a corruption error", "",
                   MemoryStore, RocksStore) {
  TestType s;
  REQUIRE(s.store().events().Append(2, {"not a partition input"}).ok());
  auto journal = PartitionJournal::Recover(2, Online(), 7, s.store().events(),
                                           s.store().checkpoints(), JournalOptions{});
  REQUIRE(journal.status().code() == Status::Code::kCorruption);
  REQUIRE(journal.status().message().find("log record 1") != std::string::npos);
}

TEMPLATE_TEST_CASE("an invalid input is refused, never logged, and the rest of the batch goes on",
                   "", MemoryStore, RocksStore) {
  TestType s;
  auto journal = Open(s, JournalOptions{});
  Event good = testing::SyntheticEvents(1, 3)[0];
  EventInput bad{good, std::numeric_limits<double>::infinity(), 0};
  bad.event.event_id = "bad";
  auto r = journal->LogAndApply({bad, EventInput{good, 0, 0}});
  REQUIRE(r.ok());
  REQUIRE(r->rejected == 1);
  REQUIRE(r->accepted == 1);
  REQUIRE(r->first_rejection.find("base_logit") != std::string::npos);
  REQUIRE(s.store().events().LastSequence(2) == 1);
}

TEMPLATE_TEST_CASE("arm updates redelivered after a crash apply once, with or without an event id",
                   "", MemoryStore, RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 0;
  auto open = [&](uint32_t partition) {
    auto journal = PartitionJournal::Recover(partition, Online(), 7, s.store().events(),
                                             s.store().checkpoints(), options);
    REQUIRE(journal.ok());
    return std::move(*journal);
  };
  std::vector<PartitionInput> events;
  for (const std::string id : {"", "with-id", ""}) {
    Event e;
    e.ts_ms = 1000;
    e.user = "u";
    e.item = "arm";
    e.label = 1;
    e.event_id = id;
    events.push_back(EventInput{e, 0.1, 0.0});
  }
  {
    auto user = open(0);
    auto arm = open(1);
    auto logged = user->LogAndApply(events);
    REQUIRE(logged.ok());
    REQUIRE(logged->arm_updates.size() == 3);
    std::vector<PartitionInput> updates(logged->arm_updates.begin(), logged->arm_updates.end());
    REQUIRE(arm->LogAndApply(updates)->accepted == 3);
  }
  // Killed before any checkpoint: both partitions recover from their logs and
  // the node redelivers every arm update the user's replay produced.
  auto user = open(0);
  auto arm = open(1);
  std::vector<ArmUpdateInput> redeliver = Unconfirmed(*user);
  REQUIRE(redeliver.size() == 3);
  std::vector<PartitionInput> again(redeliver.begin(), redeliver.end());
  auto result = arm->LogAndApply(again);
  REQUIRE(result.ok());
  CHECK(result->accepted == 0);
  CHECK(result->duplicates == 3);
  REQUIRE(arm->learner().state().FindArm("arm") != nullptr);
  CHECK(arm->learner().state().FindArm("arm")->successes == 3.0);
}

TEMPLATE_TEST_CASE("an arm update survives its source's checkpoint until the arm's partition confirms it",
                   "", MemoryStore, RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 1;  // the source checkpoints (and truncates) right after the event
  Event e = testing::SyntheticEvents(1, 8)[0];
  ArmUpdateInput sent;
  {
    auto journal = Open(s, options);
    auto r = journal->LogAndApply({EventInput{e, 0.1, 0.0}});
    REQUIRE(r.ok());
    REQUIRE(r->arm_updates.size() == 1);
    sent = r->arm_updates[0];
    REQUIRE(journal->outbox_size() == 1);
  }  // crash: the arm's partition never logged the update
  auto recovered = Open(s, options);
  std::vector<ArmUpdateInput> redeliver = Unconfirmed(*recovered);
  REQUIRE(redeliver.size() == 1);
  REQUIRE(redeliver[0] == sent);

  recovered->Confirm(PartitionOf(sent.arm, JournalOptions{}.partitions), sent.ordinal);
  REQUIRE(recovered->outbox_size() == 0);
  REQUIRE(recovered->Checkpoint().ok());
  REQUIRE(Unconfirmed(*Open(s, options)).empty());
}

namespace {

// The real log, with appends of chosen partitions failing on demand.
class FailingEventLog : public storage::EventLog {
 public:
  explicit FailingEventLog(storage::EventLog& real) : real_(real) {}
  std::set<uint32_t> failing;
  Result<storage::SequenceRange> Append(uint32_t p, const std::vector<std::string>& r) override {
    if (failing.count(p)) return Status::IoError("injected append failure");
    return real_.Append(p, r);
  }
  Result<std::vector<storage::LogRecord>> Read(uint32_t p, uint64_t from, size_t n) override {
    return real_.Read(p, from, n);
  }
  Status TruncateThrough(uint32_t p, uint64_t s) override { return real_.TruncateThrough(p, s); }
  uint64_t LastSequence(uint32_t p) override { return real_.LastSequence(p); }
  Status Sync() override { return real_.Sync(); }

 private:
  storage::EventLog& real_;
};

Event HotEvent(const std::string& id, int64_t ts) {
  Event e;
  e.ts_ms = ts;
  e.user = "u";
  e.item = "hot";
  e.label = 1;
  e.event_id = id;
  return e;
}

}  // namespace

TEMPLATE_TEST_CASE("an arm update whose predecessor failed to log is refused until both arrive in order",
                   "", MemoryStore, RocksStore) {
  TestType s;
  FailingEventLog log(s.store().events());
  JournalOptions options;
  options.checkpoint_every = 0;
  auto open = [&](uint32_t partition) {
    auto journal = PartitionJournal::Recover(partition, Online(), 7, log, s.store().checkpoints(), options);
    REQUIRE(journal.ok());
    return std::move(*journal);
  };
  auto source = open(0);
  auto arm = open(1);
  auto first = source->LogAndApply({EventInput{HotEvent("e1", 1000), 0.1, 0}});
  REQUIRE(first.ok());
  log.failing = {1};  // the arm's partition cannot log the first update
  std::vector<PartitionInput> u1(first->arm_updates.begin(), first->arm_updates.end());
  REQUIRE(arm->LogAndApply(u1).status().code() == Status::Code::kIoError);
  log.failing.clear();
  auto second = source->LogAndApply({EventInput{HotEvent("e2", 1001), 0.1, 0}});
  REQUIRE(second.ok());
  std::vector<PartitionInput> u2(second->arm_updates.begin(), second->arm_updates.end());
  auto refused = arm->LogAndApply(u2);
  REQUIRE(refused.ok());
  REQUIRE(refused->accepted == 0);
  REQUIRE(refused->arm_gaps == 1);  // logging it would let the high-water mark skip the first
  REQUIRE(arm->learner().state().FindArm("hot") == nullptr);

  // The source resends its unconfirmed chain in order: both apply, once.
  std::vector<ArmUpdateInput> chain = Unconfirmed(*source);
  REQUIRE(chain.size() == 2);
  std::vector<PartitionInput> resend(chain.begin(), chain.end());
  auto applied = arm->LogAndApply(resend);
  REQUIRE(applied.ok());
  REQUIRE(applied->accepted == 2);
  source->Confirm(PartitionOf("hot", options.partitions), arm->ArmHighWater(0));
  REQUIRE(source->outbox_size() == 0);
  REQUIRE(arm->learner().state().FindArm("hot")->successes == 2.0);
  auto again = arm->LogAndApply(resend);
  REQUIRE(again->duplicates == 2);
  REQUIRE(arm->learner().state().FindArm("hot")->successes == 2.0);
}

TEMPLATE_TEST_CASE("an arm update without a source ordinal is refused and never logged", "",
                   MemoryStore, RocksStore) {
  TestType s;
  auto journal = Open(s, JournalOptions{});
  ArmUpdateInput u;
  u.arm = "hot";
  u.user = "u";
  u.label = 1;
  auto r = journal->LogAndApply({u});
  REQUIRE(r.ok());
  REQUIRE(r->rejected == 1);
  REQUIRE(r->first_rejection.find("source ordinal") != std::string::npos);
  REQUIRE(s.store().events().LastSequence(2) == 0);
}

TEMPLATE_TEST_CASE("an event far ahead of the partition's clock is refused, naming it, and nothing changes",
                   "", MemoryStore, RocksStore) {
  TestType s;
  auto journal = Open(s, JournalOptions{});
  REQUIRE(journal->LogAndApply({EventInput{HotEvent("now", 1'000'000), 0, 0}})->accepted == 1);
  PredictionInput waiting;
  waiting.prediction.prediction_id = "waiting";
  waiting.prediction.user = "u";
  waiting.prediction.chosen = "hot";
  waiting.prediction.ts_ms = 1'000'000;
  REQUIRE(journal->LogAndApply({waiting})->accepted == 1);
  const PartitionSnapshot before = journal->Snapshot();
  const int64_t skew = Online().max_event_skew_ms;

  Event future = HotEvent("from-the-future", 1'000'000 + skew + 1);
  PredictionInput far_prediction = waiting;
  far_prediction.prediction.prediction_id = "far";
  far_prediction.prediction.ts_ms = 253'402'300'799'000;  // year 9999
  auto r = journal->LogAndApply({EventInput{future, 0, 0}, far_prediction});
  REQUIRE(r.ok());
  REQUIRE(r->rejected == 2);
  REQUIRE(r->accepted == 0);
  REQUIRE(r->first_rejection.find("event from-the-future") != std::string::npos);
  REQUIRE(r->first_rejection.find("max_event_skew_ms") != std::string::npos);
  REQUIRE(journal->Snapshot() == before);  // the pending prediction did not expire
  REQUIRE(s.store().events().LastSequence(2) == 2);

  SECTION("up to the skew ahead is accepted, and the clock moves with the batch") {
    Event edge = HotEvent("edge", 1'000'000 + skew);
    Event next = HotEvent("next", 1'000'000 + 2 * skew);
    auto ok = journal->LogAndApply({EventInput{edge, 0, 0}, EventInput{next, 0, 0}});
    REQUIRE(ok->accepted == 2);
  }
}

TEMPLATE_TEST_CASE("a checkpoint written with other online options is refused, naming the option",
                   "", MemoryStore, RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 1;
  {
    auto journal = Open(s, options);
    REQUIRE(journal->LogAndApply({EventInput{HotEvent("e", 1000), 0, 0}}).ok());
  }
  OnlineOptions changed = Online();
  changed.user_ftrl.alpha = 0.2;
  auto journal = PartitionJournal::Recover(2, changed, 7, s.store().events(),
                                           s.store().checkpoints(), options);
  REQUIRE(journal.status().code() == Status::Code::kFailedPrecondition);
  REQUIRE(journal.status().message().find("user_ftrl.alpha was 0.10000000000000001") !=
          std::string::npos);
  REQUIRE(journal.status().message().find("now 0.20000000000000001") != std::string::npos);
  REQUIRE(PartitionJournal::Recover(2, Online(), 7, s.store().events(), s.store().checkpoints(),
                                    options).ok());
}

TEMPLATE_TEST_CASE("a reset leaves a fresh state that takes the same events again", "", MemoryStore,
                   RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 0;
  auto inputs = Inputs(50, 4);
  PartitionSnapshot fresh_then_all;
  {
    MemoryStore other;
    auto journal = Open(other, options);
    LogInBatches<MemoryStore>(*journal, inputs, 0, inputs.size());
    fresh_then_all = journal->learner().Snapshot(1, 0);
  }
  {
    auto journal = Open(s, options);
    LogInBatches<TestType>(*journal, inputs, 0, inputs.size());
  }
  OnlineOptions changed = Online();
  REQUIRE(PartitionJournal::Reset(2, changed, 7, s.store().events(), s.store().checkpoints(),
                                  options).ok());
  auto journal = Open(s, options);
  REQUIRE(journal->learner().state().user_count() == 0);
  REQUIRE(journal->outbox_size() == 0);
  REQUIRE(journal->applied_sequence() == s.store().events().LastSequence(2));
  LogInBatches<TestType>(*journal, inputs, 0, inputs.size());  // nothing is a duplicate now
  REQUIRE(journal->learner().Snapshot(1, 0) == fresh_then_all);
}
