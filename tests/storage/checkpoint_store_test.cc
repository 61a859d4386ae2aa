// CheckpointStore and NodeMeta behaviour, run against the in-memory twin and
// RocksDB alike.
#include "store_fixtures.h"

namespace driftline::storage::testing {
namespace {

TEMPLATE_TEST_CASE("a partition without checkpoints reports NotFound", "[storage][checkpoints]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  CheckpointStore& checkpoints = fixture.store().checkpoints();
  CHECK(checkpoints.Latest(0).status().code() == Status::Code::kNotFound);
  CHECK(checkpoints.Previous(0).status().code() == Status::Code::kNotFound);
}

TEMPLATE_TEST_CASE("latest is the newest checkpoint and previous the one before", "[storage][checkpoints]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  CheckpointStore& checkpoints = fixture.store().checkpoints();
  REQUIRE_OK(checkpoints.Put(2, 10, "state@10"));
  Result<Checkpoint> latest = checkpoints.Latest(2);
  REQUIRE_OK(latest);
  CHECK(latest->partition == 2);
  CHECK(latest->sequence == 10);
  CHECK(latest->bytes == "state@10");
  CHECK(checkpoints.Previous(2).status().code() == Status::Code::kNotFound);

  REQUIRE_OK(checkpoints.Put(2, 20, "state@20"));
  REQUIRE_OK(checkpoints.Put(2, 30, "state@30"));
  latest = checkpoints.Latest(2);
  REQUIRE_OK(latest);
  CHECK(latest->sequence == 30);
  CHECK(latest->bytes == "state@30");
  Result<Checkpoint> previous = checkpoints.Previous(2);
  REQUIRE_OK(previous);
  CHECK(previous->sequence == 20);
  CHECK(previous->bytes == "state@20");
}

TEMPLATE_TEST_CASE("a checkpoint older than the latest is refused and the same sequence replaces it",
                   "[storage][checkpoints]", MemoryStore, RocksStore) {
  TestType fixture;
  CheckpointStore& checkpoints = fixture.store().checkpoints();
  REQUIRE_OK(checkpoints.Put(0, 5, "five"));
  REQUIRE_OK(checkpoints.Put(0, 9, "nine"));
  CHECK(checkpoints.Put(0, 7, "seven").code() == Status::Code::kFailedPrecondition);
  REQUIRE_OK(checkpoints.Put(0, 9, "nine, again"));
  Result<Checkpoint> latest = checkpoints.Latest(0);
  REQUIRE_OK(latest);
  CHECK(latest->bytes == "nine, again");
  Result<Checkpoint> previous = checkpoints.Previous(0);
  REQUIRE_OK(previous);
  CHECK(previous->sequence == 5);
}

TEMPLATE_TEST_CASE("checkpoints of different partitions are independent", "[storage][checkpoints]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  CheckpointStore& checkpoints = fixture.store().checkpoints();
  REQUIRE_OK(checkpoints.Put(1, 100, "p1"));
  REQUIRE_OK(checkpoints.Put(2, 3, std::string("p2\0bin", 6)));
  Result<Checkpoint> one = checkpoints.Latest(1);
  Result<Checkpoint> two = checkpoints.Latest(2);
  REQUIRE_OK(one);
  REQUIRE_OK(two);
  CHECK(one->sequence == 100);
  CHECK(two->sequence == 3);
  CHECK(two->bytes == std::string("p2\0bin", 6));
  CHECK(checkpoints.Latest(3).status().code() == Status::Code::kNotFound);
}

TEMPLATE_TEST_CASE("node meta stores small facts by key", "[storage][meta]", MemoryStore, RocksStore) {
  TestType fixture;
  NodeMeta& meta = fixture.store().meta();
  CHECK(meta.Get("partition_count").status().code() == Status::Code::kNotFound);
  REQUIRE_OK(meta.Put("partition_count", "64"));
  REQUIRE_OK(meta.Put("node_id", "n1"));
  REQUIRE_OK(meta.Put("node_id", "n2"));
  Result<std::string> count = meta.Get("partition_count");
  REQUIRE_OK(count);
  CHECK(*count == "64");
  CHECK(*meta.Get("node_id") == "n2");
  CHECK(meta.Put("", "x").code() == Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace driftline::storage::testing
