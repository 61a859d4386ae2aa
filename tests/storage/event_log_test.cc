// EventLog behaviour, run against the in-memory twin and RocksDB alike.
#include <thread>

#include "store_fixtures.h"

namespace driftline::storage::testing {
namespace {

std::vector<std::string> Records(const std::string& tag, size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(tag + "-" + std::to_string(i));
  return out;
}

std::vector<LogRecord> ReadAll(EventLog& log, uint32_t partition, uint64_t from = 1) {
  Result<std::vector<LogRecord>> read = log.Read(partition, from, 1 << 20);
  REQUIRE_OK(read);
  return *read;
}

TEMPLATE_TEST_CASE("appended batches get consecutive sequences starting at 1", "[storage][events]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  EventLog& log = fixture.store().events();
  CHECK(log.LastSequence(0) == 0);
  Result<SequenceRange> first = log.Append(0, Records("a", 3));
  REQUIRE_OK(first);
  CHECK(first->first == 1);
  CHECK(first->last == 3);
  Result<SequenceRange> second = log.Append(0, Records("b", 2));
  REQUIRE_OK(second);
  CHECK(second->first == 4);
  CHECK(second->last == 5);
  CHECK(log.LastSequence(0) == 5);

  std::vector<LogRecord> all = ReadAll(log, 0);
  REQUIRE(all.size() == 5);
  CHECK(all[0].sequence == 1);
  CHECK(all[0].bytes == "a-0");
  CHECK(all[4].sequence == 5);
  CHECK(all[4].bytes == "b-1");
}

TEMPLATE_TEST_CASE("read starts at a sequence and returns at most max_records", "[storage][events]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  EventLog& log = fixture.store().events();
  REQUIRE_OK(log.Append(7, Records("r", 10)));
  Result<std::vector<LogRecord>> page = log.Read(7, 4, 3);
  REQUIRE_OK(page);
  REQUIRE(page->size() == 3);
  CHECK((*page)[0].sequence == 4);
  CHECK((*page)[0].bytes == "r-3");
  CHECK((*page)[2].sequence == 6);
  CHECK(ReadAll(log, 7, 10).size() == 1);
  CHECK(ReadAll(log, 7, 11).empty());
  CHECK(ReadAll(log, 7, 1000).empty());
  Result<std::vector<LogRecord>> none = log.Read(7, 1, 0);
  REQUIRE_OK(none);
  CHECK(none->empty());
}

TEMPLATE_TEST_CASE("partitions have independent logs", "[storage][events]", MemoryStore, RocksStore) {
  TestType fixture;
  EventLog& log = fixture.store().events();
  REQUIRE_OK(log.Append(1, Records("one", 2)));
  REQUIRE_OK(log.Append(256, Records("big", 5)));
  Result<SequenceRange> again = log.Append(1, Records("one-again", 1));
  REQUIRE_OK(again);
  CHECK(again->first == 3);
  CHECK(log.LastSequence(1) == 3);
  CHECK(log.LastSequence(256) == 5);
  CHECK(log.LastSequence(2) == 0);
  CHECK(ReadAll(log, 2).empty());
  REQUIRE_OK(log.TruncateThrough(256, 5));
  CHECK(ReadAll(log, 1).size() == 3);
  std::vector<LogRecord> big = ReadAll(log, 256, 6);
  CHECK(big.empty());
}

TEMPLATE_TEST_CASE("truncation drops a prefix and keeps the last sequence", "[storage][events]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  EventLog& log = fixture.store().events();
  REQUIRE_OK(log.Append(3, Records("x", 10)));
  REQUIRE_OK(log.TruncateThrough(3, 4));
  CHECK(log.LastSequence(3) == 10);
  std::vector<LogRecord> rest = ReadAll(log, 3, 5);
  REQUIRE(rest.size() == 6);
  CHECK(rest.front().sequence == 5);
  CHECK(log.Read(3, 4, 10).status().code() == Status::Code::kFailedPrecondition);
  CHECK(log.Read(3, 1, 10).status().code() == Status::Code::kFailedPrecondition);

  REQUIRE_OK(log.TruncateThrough(3, 2));   // already truncated: no-op
  REQUIRE_OK(log.TruncateThrough(3, 10));  // everything
  CHECK(log.LastSequence(3) == 10);
  CHECK(ReadAll(log, 3, 11).empty());
  Result<SequenceRange> next = log.Append(3, Records("y", 1));
  REQUIRE_OK(next);
  CHECK(next->first == 11);
  std::vector<LogRecord> after = ReadAll(log, 3, 11);
  REQUIRE(after.size() == 1);
  CHECK(after[0].bytes == "y-0");
}

TEMPLATE_TEST_CASE("bad event log input is refused and changes nothing", "[storage][events]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  EventLog& log = fixture.store().events();
  CHECK(log.Append(0, {}).status().code() == Status::Code::kInvalidArgument);
  CHECK(log.LastSequence(0) == 0);
  REQUIRE_OK(log.Append(0, Records("z", 2)));
  CHECK(log.TruncateThrough(0, 3).code() == Status::Code::kInvalidArgument);
  CHECK(log.TruncateThrough(9, 1).code() == Status::Code::kInvalidArgument);
  CHECK(log.Read(0, 0, 10).status().code() == Status::Code::kInvalidArgument);
  CHECK(ReadAll(log, 0).size() == 2);
  REQUIRE_OK(log.TruncateThrough(0, 0));  // nothing to drop
}

TEMPLATE_TEST_CASE("records are opaque bytes, including NULs, empty and large ones", "[storage][events]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  EventLog& log = fixture.store().events();
  std::vector<std::string> records = {std::string("a\0b\xff", 4), "", std::string(1 << 20, 'q')};
  REQUIRE_OK(log.Append(0, records));
  std::vector<LogRecord> read = ReadAll(log, 0);
  REQUIRE(read.size() == 3);
  for (size_t i = 0; i < 3; ++i) CHECK(read[i].bytes == records[i]);
}

TEMPLATE_TEST_CASE("concurrent appends to one partition get disjoint contiguous ranges", "[storage][events]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  EventLog& log = fixture.store().events();
  constexpr int kThreads = 4;
  constexpr int kBatches = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<SequenceRange>> ranges(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        Result<SequenceRange> r = log.Append(5, Records(std::to_string(t) + "/" + std::to_string(b), 3));
        if (r.ok()) ranges[t].push_back(*r);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<LogRecord> all = ReadAll(log, 5);
  REQUIRE(all.size() == kThreads * kBatches * 3);
  CHECK(log.LastSequence(5) == all.size());
  for (int t = 0; t < kThreads; ++t) {
    REQUIRE(ranges[t].size() == kBatches);
    for (int b = 0; b < kBatches; ++b) {
      const SequenceRange& range = ranges[t][b];
      REQUIRE(range.last == range.first + 2);
      for (uint64_t s = range.first; s <= range.last; ++s) {
        CHECK(all[s - 1].bytes == std::to_string(t) + "/" + std::to_string(b) + "-" + std::to_string(s - range.first));
      }
    }
  }
}

}  // namespace
}  // namespace driftline::storage::testing
