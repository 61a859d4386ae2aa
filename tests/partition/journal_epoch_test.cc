// The owner epoch in a partition's log records and checkpoints
// (actors/partition_journal.h, JournalOptions::epoch): a restarted owner
// knows the epoch it wrote at, and never resumes below it.
#include <catch2/catch.hpp>

#include "actors/partition_journal.h"
#include "protocol/codec.h"
#include "tests/learning/synthetic_events.h"
#include "tests/storage/store_fixtures.h"

using namespace driftline;
using driftline::storage::testing::MemoryStore;
using driftline::storage::testing::RocksStore;

namespace {

constexpr uint32_t kPartition = 3;

JournalOptions AtEpoch(uint64_t epoch) {
  JournalOptions o;
  o.epoch = epoch;
  o.checkpoint_every = 0;  // checkpoints only when a test asks
  return o;
}

template <class Store>
Result<std::unique_ptr<PartitionJournal>> Open(Store& s, uint64_t epoch) {
  return PartitionJournal::Recover(kPartition, OnlineOptions{}, 11, s.store().events(),
                                   s.store().checkpoints(), AtEpoch(epoch));
}

std::vector<PartitionInput> Inputs(size_t n, uint64_t seed) {
  std::vector<PartitionInput> out;
  for (const Event& e : testing::SyntheticEvents(n, seed)) out.push_back(EventInput{e, 0.1, 0.0});
  return out;
}

template <class Store>
std::vector<uint64_t> LoggedEpochs(Store& s) {
  std::vector<uint64_t> epochs;
  auto records = s.store().events().Read(kPartition, 1, 1000);
  REQUIRE(records.ok());
  for (const auto& r : *records) epochs.push_back(DecodeLogRecord(r.bytes)->epoch);
  return epochs;
}

}  // namespace

TEMPLATE_TEST_CASE("every log record and checkpoint carries the owner's epoch, and a restart reads it back",
                   "", MemoryStore, RocksStore) {
  TestType store;
  {
    auto journal = Open(store, 4);
    REQUIRE(journal.ok());
    REQUIRE((*journal)->logged_epoch() == 0);
    REQUIRE((*journal)->LogAndApply(Inputs(20, 1)).ok());
  }
  REQUIRE(LoggedEpochs(store) == std::vector<uint64_t>(20, 4));
  {
    auto journal = Open(store, 4);
    REQUIRE(journal.ok());
    REQUIRE((*journal)->logged_epoch() == 4);  // from the log alone
    REQUIRE((*journal)->Checkpoint().ok());
  }
  auto latest = store.store().checkpoints().Latest(kPartition);
  REQUIRE(latest.ok());
  REQUIRE(DecodeCheckpoint(latest->bytes)->epoch == 4);
  auto journal = Open(store, 4);
  REQUIRE(journal.ok());
  REQUIRE((*journal)->logged_epoch() == 4);  // from the checkpoint
}

TEMPLATE_TEST_CASE("an owner below the epoch its log was written at is refused, naming both epochs",
                   "", MemoryStore, RocksStore) {
  TestType store;
  PartitionSnapshot before;
  {
    auto journal = Open(store, 5);
    REQUIRE(journal.ok());
    REQUIRE((*journal)->LogAndApply(Inputs(10, 2)).ok());
    before = (*journal)->Snapshot();
  }
  auto zombie = Open(store, 4);
  REQUIRE(zombie.status().code() == Status::Code::kFailedPrecondition);
  REQUIRE(zombie.status().message() ==
          "partition 3's checkpoint or log was written at epoch 5, newer than this owner's epoch 4: "
          "a newer owner took the partition over (epochs never go back)");
  // Nothing changed: the rightful owner recovers the same state.
  auto owner = Open(store, 5);
  REQUIRE(owner.ok());
  REQUIRE(EncodeCheckpoint((*owner)->Snapshot()) == EncodeCheckpoint(before));
}

TEMPLATE_TEST_CASE("an owner at a newer epoch resumes the partition and writes at its own epoch", "",
                   MemoryStore, RocksStore) {
  TestType store;
  {
    auto journal = Open(store, 1);
    REQUIRE(journal.ok());
    REQUIRE((*journal)->LogAndApply(Inputs(5, 3)).ok());
  }
  auto journal = Open(store, 2);
  REQUIRE(journal.ok());
  REQUIRE((*journal)->logged_epoch() == 1);
  const auto more = Inputs(12, 4);
  REQUIRE((*journal)->LogAndApply({more.begin() + 5, more.end()}).ok());
  REQUIRE(LoggedEpochs(store) == std::vector<uint64_t>{1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2});
}
