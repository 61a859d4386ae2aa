// RocksNodeStore on a really full disk (a small tmpfs): appends are refused
// with a "no space" error, nothing unacknowledged is stored, the process never
// aborts (RocksDB's own info-log writer asserted here), and appends resume by
// themselves when space returns, on the same open store.
#include <cstdio>
#include <limits>

#include "crash_record.h"
#include "store_fixtures.h"
#include "tmpfs_mount.h"

namespace driftline::storage::testing {
namespace {

constexpr uint64_t kPerBatch = 50;
constexpr size_t kTmpfsBytes = size_t{8} << 20;

std::vector<std::string> CrashBatch(uint64_t batch) {
  std::vector<std::string> records;
  for (uint64_t i = 0; i < kPerBatch; ++i) records.push_back(EncodeCrashRecord(batch, i));
  return records;
}

bool SaysNoSpace(const Status& s) {
  return s.code() == Status::Code::kResourceExhausted && s.message().find("no space left") != std::string::npos;
}

// Partition 0 holds exactly batches 0..batches-1, whole, intact, contiguous.
void CheckExactly(EventLog& log, uint64_t batches) {
  REQUIRE(log.LastSequence(0) == batches * kPerBatch);
  auto records = log.Read(0, 1, std::numeric_limits<size_t>::max());
  REQUIRE_OK(records);
  REQUIRE(records->size() == batches * kPerBatch);
  for (uint64_t i = 0; i < records->size(); ++i) {
    uint64_t batch = 0, index = 0;
    INFO("sequence " << i + 1);
    REQUIRE((*records)[i].sequence == i + 1);
    REQUIRE(DecodeCrashRecord((*records)[i].bytes, &batch, &index));
    REQUIRE(batch == i / kPerBatch);
    REQUIRE(index == i % kPerBatch);
  }
}

// Appends batch after batch until one is refused; returns how many were acked.
uint64_t AppendUntilRefused(EventLog& log, uint64_t next_batch, Status* refusal) {
  for (uint64_t b = next_batch; b < next_batch + 100'000; ++b) {
    auto range = log.Append(0, CrashBatch(b));
    if (!range.ok()) {
      *refusal = range.status();
      return b - next_batch;
    }
    REQUIRE(range->first == b * kPerBatch + 1);
  }
  FAIL("the disk never filled up");
  return 0;
}

TEST_CASE("on a full disk appends are refused with a no-space error and resume by themselves when space "
          "returns, without reopening; only acknowledged batches are stored",
          "[storage][disk-full]") {
  TempDir dir;
  TmpfsMount disk(dir.Sub("mnt"), kTmpfsBytes);
  if (!disk.mounted()) {
    WARN(disk.why_not());
    return;
  }
  const std::string db = disk.path() + "/db";
  uint64_t acked = 0;
  {
    auto opened = RocksNodeStore::Open(db, StorageOptions());
    REQUIRE_OK(opened);
    RocksNodeStore& store = **opened;
    EventLog& log = store.events();
    REQUIRE_OK(log.Append(0, CrashBatch(0)));
    acked = 1;

    REQUIRE(disk.Fill("filler") > 0);
    Status refusal;
    acked += AppendUntilRefused(log, acked, &refusal);
    INFO(refusal.ToString());
    CHECK(SaysNoSpace(refusal));
    // Still full: refused again (the store tried to resume and could not).
    Status again = log.Append(0, CrashBatch(acked)).status();
    INFO(again.ToString());
    CHECK(SaysNoSpace(again));
    CHECK(SaysNoSpace(store.meta().Put("k", "v")));
    CHECK(log.LastSequence(0) == acked * kPerBatch);
    CheckExactly(log, acked);  // reads still work
    StorageCounters full = store.counters();
    CHECK(full.no_space_errors >= 3);
    CHECK(full.write_errors >= full.no_space_errors);
    CHECK(full.resumes == 0);

    // Space returns: the very next append is taken, with the next sequence.
    REQUIRE(std::remove((disk.path() + "/filler").c_str()) == 0);
    for (int i = 0; i < 3; ++i, ++acked) {
      auto range = log.Append(0, CrashBatch(acked));
      REQUIRE_OK(range);
      CHECK(range->first == acked * kPerBatch + 1);
    }
    REQUIRE_OK(store.meta().Put("k", "v"));
    CHECK(store.counters().resumes == 1);
    CheckExactly(log, acked);
  }
  // Durable: a reopened store holds exactly the acknowledged batches.
  auto reopened = RocksNodeStore::Open(db, StorageOptions());
  REQUIRE_OK(reopened);
  CheckExactly((*reopened)->events(), acked);
  std::printf("disk full test: %llu batches acked before and after the disk was full\n",
              static_cast<unsigned long long>(acked));
}

TEST_CASE("a store closed and reopened while the disk is full fails with a clear error or opens, never "
          "aborts, and holds every acknowledged batch once space returns",
          "[storage][disk-full]") {
  TempDir dir;
  TmpfsMount disk(dir.Sub("mnt"), kTmpfsBytes);
  if (!disk.mounted()) {
    WARN(disk.why_not());
    return;
  }
  const std::string db = disk.path() + "/db";
  uint64_t acked = 0;
  {
    auto opened = RocksNodeStore::Open(db, StorageOptions());
    REQUIRE_OK(opened);
    REQUIRE_OK((*opened)->events().Append(0, CrashBatch(0)));
    acked = 1;
    REQUIRE(disk.Fill("filler") > 0);
    Status refusal;
    acked += AppendUntilRefused((*opened)->events(), acked, &refusal);
    CHECK(SaysNoSpace(refusal));
  }  // closed while full
  {
    auto while_full = RocksNodeStore::Open(db, StorageOptions());
    if (while_full.ok()) {
      CheckExactly((*while_full)->events(), acked);
    } else {
      INFO(while_full.status().ToString());
      CHECK(SaysNoSpace(while_full.status()));
    }
  }
  REQUIRE(std::remove((disk.path() + "/filler").c_str()) == 0);
  auto reopened = RocksNodeStore::Open(db, StorageOptions());
  REQUIRE_OK(reopened);
  CheckExactly((*reopened)->events(), acked);
  REQUIRE_OK((*reopened)->events().Append(0, CrashBatch(acked)));
}

}  // namespace
}  // namespace driftline::storage::testing
