#include "actors/partition_journal.h"

#include <limits>

#include <catch2/catch.hpp>

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
std::unique_ptr<PartitionJournal> Open(Store& s, const JournalOptions& options,
                                       std::vector<ArmUpdateInput>* redeliver = nullptr) {
  auto journal = PartitionJournal::Recover(2, Online(), 7, s.store().events(),
                                           s.store().checkpoints(), options, redeliver);
  REQUIRE(journal.ok());
  return std::move(*journal);
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
    before = journal->learner().Snapshot(1, journal->applied_sequence());
    REQUIRE(journal->learner().counters().outcomes_joined > 0);
  }  // "crash": nothing flushed beyond what LogAndApply made durable
  std::vector<ArmUpdateInput> redeliver;
  auto recovered = Open(s, options, &redeliver);
  REQUIRE(recovered->learner().Snapshot(1, recovered->applied_sequence()) == before);
  REQUIRE(redeliver.size() == recovered->learner().counters().learned);
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
                                           s.store().checkpoints(), JournalOptions{}, nullptr);
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
  auto open = [&](uint32_t partition, std::vector<ArmUpdateInput>* redeliver) {
    auto journal = PartitionJournal::Recover(partition, Online(), 7, s.store().events(),
                                             s.store().checkpoints(), options, redeliver);
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
    auto user = open(0, nullptr);
    auto arm = open(1, nullptr);
    auto logged = user->LogAndApply(events);
    REQUIRE(logged.ok());
    REQUIRE(logged->arm_updates.size() == 3);
    std::vector<PartitionInput> updates(logged->arm_updates.begin(), logged->arm_updates.end());
    REQUIRE(arm->LogAndApply(updates)->accepted == 3);
  }
  // Killed before any checkpoint: both partitions recover from their logs and
  // the node redelivers every arm update the user's replay produced.
  std::vector<ArmUpdateInput> redeliver;
  auto user = open(0, &redeliver);
  auto arm = open(1, nullptr);
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
  std::string update_id;
  {
    auto journal = Open(s, options);
    auto r = journal->LogAndApply({EventInput{e, 0.1, 0.0}});
    REQUIRE(r.ok());
    REQUIRE(r->arm_updates.size() == 1);
    update_id = r->arm_updates[0].update_id;
    REQUIRE(journal->outbox_size() == 1);
  }  // crash: the arm's partition never logged the update
  std::vector<ArmUpdateInput> redeliver;
  auto recovered = Open(s, options, &redeliver);
  REQUIRE(redeliver.size() == 1);
  REQUIRE(redeliver[0].update_id == update_id);

  recovered->Confirm({update_id});
  REQUIRE(recovered->outbox_size() == 0);
  REQUIRE(recovered->Checkpoint().ok());
  std::vector<ArmUpdateInput> again;
  Open(s, options, &again);
  REQUIRE(again.empty());
}
