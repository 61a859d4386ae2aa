// Bounded online state at the journal (issue 6 item 7): eviction survives
// checkpoint + replay bit for bit, a forget is logged before it is applied
// (and replayed from the log), and the arm-update outbox is bounded without
// losing or double-applying an update. Against the in-memory twin and RocksDB.
#include <algorithm>

#include <catch2/catch.hpp>

#include "actors/partition_journal.h"
#include "learning/online_options_fingerprint.h"
#include "protocol/codec.h"
#include "tests/learning/synthetic_events.h"
#include "tests/storage/store_fixtures.h"

using namespace driftline;
using driftline::storage::testing::MemoryStore;
using driftline::storage::testing::RocksStore;

namespace {

constexpr uint32_t kPartition = 2;

OnlineOptions Online(int64_t state_ttl_ms = 0) {
  OnlineOptions o;
  o.pending_ttl_ms = 50;
  o.state_ttl_ms = state_ttl_ms;
  return o;
}

template <class Store>
std::unique_ptr<PartitionJournal> Open(Store& s, const OnlineOptions& online,
                                       const JournalOptions& options) {
  auto journal = PartitionJournal::Recover(kPartition, online, 7, s.store().events(),
                                           s.store().checkpoints(), options);
  REQUIRE(journal.ok());
  return std::move(*journal);
}

// Labelled events (with upstream parts) and a prediction after every 9th
// event id (by id, so leaving a user's events out keeps the others').
std::vector<PartitionInput> Inputs(const std::vector<Event>& events) {
  std::vector<PartitionInput> out;
  for (const Event& e : events) {
    out.push_back(EventInput{e, 0.2, -0.1});
    if (std::stoi(e.event_id.substr(1)) % 9 == 0) {
      PredictionInput p;
      p.prediction.prediction_id = "p" + e.event_id;
      p.prediction.user = e.user;
      p.prediction.chosen = e.item;
      p.prediction.ts_ms = e.ts_ms;
      p.prediction.base_logit = 0.3;
      out.push_back(p);
    }
  }
  return out;
}

void LogInBatches(PartitionJournal& journal, const std::vector<PartitionInput>& inputs,
                  size_t from, size_t to) {
  for (size_t i = from; i < to; i += 25) {
    std::vector<PartitionInput> batch(inputs.begin() + i, inputs.begin() + std::min(to, i + 25));
    REQUIRE(journal.LogAndApply(batch).ok());
  }
}

std::vector<Event> WithoutUser(std::vector<Event> events, const std::string& user) {
  events.erase(std::remove_if(events.begin(), events.end(),
                              [&](const Event& e) { return e.user == user; }),
               events.end());
  return events;
}

}  // namespace

TEMPLATE_TEST_CASE("eviction by event time: checkpoint plus log suffix equals a run that never stopped, byte for byte",
                   "", MemoryStore, RocksStore) {
  TestType s;
  const OnlineOptions online = Online(400);  // users idle for 40 events go
  JournalOptions options;
  options.checkpoint_every = 70;
  const auto inputs = Inputs(testing::SyntheticEvents(900, 5, 60, 40));
  std::string straight;
  {
    MemoryStore other;
    auto journal = Open(other, online, options);
    LogInBatches(*journal, inputs, 0, inputs.size());
    REQUIRE(journal->learner().counters().evicted_users > 0);
    straight = EncodeCheckpoint(journal->Snapshot());
  }
  {
    auto journal = Open(s, online, options);
    LogInBatches(*journal, inputs, 0, 533);
  }  // "crash" after the last durable append
  auto resumed = Open(s, online, options);
  LogInBatches(*resumed, inputs, 533, inputs.size());
  REQUIRE(EncodeCheckpoint(resumed->Snapshot()) == straight);
}

TEMPLATE_TEST_CASE("a forget is logged, applied and checkpointed; U's deltas and pending equal a run that never saw U",
                   "", MemoryStore, RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 0;  // only the forget checkpoints
  const auto events = testing::SyntheticEvents(400, 9, 20, 30);
  const std::string user = events[0].user;
  const auto inputs = Inputs(events);
  PartitionSnapshot never_saw_user;
  {
    MemoryStore other;
    auto journal = Open(other, Online(), options);
    const auto without = Inputs(WithoutUser(events, user));
    LogInBatches(*journal, without, 0, without.size());
    never_saw_user = journal->Snapshot();
  }
  PartitionSnapshot after;
  {
    auto journal = Open(s, Online(), options);
    LogInBatches(*journal, inputs, 0, inputs.size());
    auto forgot = journal->LogAndApply({ForgetInput{user}});
    REQUIRE(forgot.ok());
    REQUIRE(forgot->accepted == 1);
    REQUIRE(forgot->applied.at(0).forgotten.delta);
    REQUIRE(journal->last_checkpoint_error().ok());
    after = journal->Snapshot();
    // The checkpoint holds the forget: the log is empty behind it.
    auto latest = s.store().checkpoints().Latest(kPartition);
    REQUIRE(latest.ok());
    REQUIRE(latest->sequence == journal->applied_sequence());
    auto truncated = s.store().events().Read(kPartition, 1, 1'000'000);
    REQUIRE(truncated.status().code() == Status::Code::kFailedPrecondition);
    auto rest = s.store().events().Read(kPartition, latest->sequence + 1, 1'000'000);
    REQUIRE(rest.ok());
    REQUIRE(rest->empty());
  }
  REQUIRE(after.users == never_saw_user.users);
  REQUIRE(after.pending == never_saw_user.pending);
  for (const auto& u : after.users) REQUIRE(u.user != user);
  auto recovered = Open(s, Online(), options);
  REQUIRE(recovered->Snapshot() == after);
}

TEMPLATE_TEST_CASE("a forget record in the log is replayed at its place: recovery forgets again", "",
                   MemoryStore, RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 0;
  const auto events = testing::SyntheticEvents(200, 11, 10, 20);
  const std::string user = events[0].user;
  const auto inputs = Inputs(events);
  PartitionSnapshot uncrashed;
  {
    MemoryStore other;
    auto journal = Open(other, Online(), options);
    LogInBatches(*journal, inputs, 0, 100);
    REQUIRE(journal->LogAndApply({ForgetInput{user}}).ok());
    LogInBatches(*journal, inputs, 100, inputs.size());
    uncrashed = journal->Snapshot();
  }
  {
    auto journal = Open(s, Online(), options);
    LogInBatches(*journal, inputs, 0, 100);
  }
  // The forget reached the log, and the process died before applying it.
  REQUIRE(s.store().events().Append(kPartition, {EncodePartitionInput(ForgetInput{user})}).ok());
  auto journal = Open(s, Online(), options);
  REQUIRE(journal->learner().counters().forgotten_users == 1);
  LogInBatches(*journal, inputs, 100, inputs.size());
  REQUIRE(journal->Snapshot() == uncrashed);  // outbox and sequences included
}

TEMPLATE_TEST_CASE("a forget with an invalid user id is refused and never logged", "", MemoryStore,
                   RocksStore) {
  TestType s;
  auto journal = Open(s, Online(), JournalOptions{});
  for (const std::string& bad : {std::string(), std::string(1025, 'u'), std::string("\xff\xfe")}) {
    auto r = journal->LogAndApply({ForgetInput{bad}});
    REQUIRE(r.ok());
    REQUIRE(r->accepted == 0);
    REQUIRE(r->rejected == 1);
    REQUIRE(r->first_rejection.find("user") != std::string::npos);
  }
  REQUIRE(s.store().events().LastSequence(kPartition) == 0);
}

TEMPLATE_TEST_CASE("a full arm-update outbox refuses labelled events whole until confirmations drain it; nothing is lost or applied twice",
                   "", MemoryStore, RocksStore) {
  TestType s;
  JournalOptions options;
  options.checkpoint_every = 0;
  options.partitions = 1;  // every arm's partition is this one
  options.max_arm_outbox = 3;
  auto journal = Open(s, Online(), options);
  const auto events = testing::SyntheticEvents(6, 2);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(journal->LogAndApply({EventInput{events[i], 0, 0}}).ok());
  }
  REQUIRE(journal->outbox_size() == 3);
  const uint64_t logged = s.store().events().LastSequence(kPartition);
  const std::string before = EncodeCheckpoint(journal->Snapshot());

  auto refused = journal->LogAndApply({EventInput{events[3], 0, 0}});
  REQUIRE(refused.status().code() == Status::Code::kUnavailable);
  REQUIRE(refused.status().message().find("outbox is full") != std::string::npos);
  REQUIRE(s.store().events().LastSequence(kPartition) == logged);
  REQUIRE(EncodeCheckpoint(journal->Snapshot()) == before);

  SECTION("the arm updates themselves are still taken, and their confirmation reopens the door") {
    std::vector<PartitionInput> updates;
    for (auto& [destination, list] : journal->Unconfirmed()) {
      for (auto& u : list) updates.push_back(u);
    }
    auto applied = journal->LogAndApply(updates);
    REQUIRE(applied.ok());
    REQUIRE(applied->accepted == 3);
    journal->Confirm(0, journal->ArmHighWater(kPartition));
    REQUIRE(journal->outbox_size() == 0);
    REQUIRE(journal->learner().counters().arm_updates == 3);
    auto again = journal->LogAndApply({EventInput{events[3], 0, 0}});
    REQUIRE(again.ok());
    REQUIRE(again->accepted == 1);
    // Redelivering the confirmed ones applies nothing twice.
    auto redelivered = journal->LogAndApply(updates);
    REQUIRE(redelivered.ok());
    REQUIRE(redelivered->duplicates == 3);
    REQUIRE(journal->learner().counters().arm_updates == 3);
  }
}

TEST_CASE("state_ttl_ms is in the options fingerprint, and the default keeps older data dirs' fingerprint") {
  const std::string default_fingerprint = OnlineOptionsFingerprint(OnlineOptions{});
  REQUIRE(default_fingerprint.find("state_ttl_ms") == std::string::npos);
  OnlineOptions ttl;
  ttl.state_ttl_ms = 86'400'000;
  const std::string with_ttl = OnlineOptionsFingerprint(ttl);
  REQUIRE(with_ttl.find("state_ttl_ms=86400000\n") != std::string::npos);
  const Status refused = CheckOnlineOptionsFingerprint(default_fingerprint, with_ttl, "the data dir");
  REQUIRE(refused.code() == Status::Code::kFailedPrecondition);
  REQUIRE(refused.message().find("state_ttl_ms was absent in the data dir, now 86400000") !=
          std::string::npos);
}
