// EpochFence (cluster/epoch_fence.h) and the static partition map
// (cluster/partition_owners.h).
#include <catch2/catch.hpp>

#include "cluster/epoch_fence.h"
#include "cluster/partition_owners.h"

namespace driftline::cluster {
namespace {

TEST_CASE("a fence admits its own epoch and refuses an older one naming got and current") {
  EpochFence fence;
  REQUIRE(fence.Own(7, 3).ok());
  REQUIRE(fence.Admit(7, 3).ok());
  REQUIRE_FALSE(fence.Check(7, 3).has_value());
  auto stale = fence.Check(7, 2);
  REQUIRE(stale.has_value());
  REQUIRE(stale->partition == 7);
  REQUIRE(stale->got == 2);
  REQUIRE(stale->current == 3);
  REQUIRE(stale->message == "partition 7: stale epoch 2 (this owner is at epoch 3)");
  Status admit = fence.Admit(7, 2);
  REQUIRE(admit.code() == Status::Code::kFailedPrecondition);
  REQUIRE(admit.message() == stale->message);
}

TEST_CASE("a fence refuses a newer epoch: this node is the stale owner") {
  EpochFence fence;
  REQUIRE(fence.Own(1, 3).ok());
  auto newer = fence.Check(1, 4);
  REQUIRE(newer.has_value());
  REQUIRE(newer->current == 3);
  REQUIRE(newer->message == "partition 1: epoch 4 is newer than this owner's epoch 3: this node no longer owns it");
}

TEST_CASE("a partition not owned, or released, is refused at any epoch") {
  EpochFence fence;
  auto never = fence.Check(2, 1);
  REQUIRE(never.has_value());
  REQUIRE(never->current == 0);
  REQUIRE(never->message == "partition 2 is not owned here (epoch 1 asked)");
  REQUIRE(fence.Own(2, 5).ok());
  fence.Release(2);
  REQUIRE_FALSE(fence.OwnedEpoch(2).has_value());
  REQUIRE(fence.Check(2, 5)->message == "partition 2 is not owned here (epoch 5 asked; this node owned it until epoch 5)");
}

TEST_CASE("epochs never go back, also after a release") {
  EpochFence fence;
  REQUIRE(fence.Own(4, 0).code() == Status::Code::kInvalidArgument);
  REQUIRE(fence.Own(4, 6).ok());
  REQUIRE(fence.Own(4, 6).ok());  // again at the same epoch: no-op
  REQUIRE(fence.Own(4, 5).code() == Status::Code::kFailedPrecondition);
  fence.Release(4);
  REQUIRE(fence.Own(4, 5).code() == Status::Code::kFailedPrecondition);
  REQUIRE(fence.Own(4, 7).ok());
  REQUIRE(*fence.OwnedEpoch(4) == 7);
  REQUIRE(fence.Check(4, 6)->message == "partition 4: stale epoch 6 (this owner is at epoch 7)");
}

TEST_CASE("the round-robin static map gives every partition one owner at the epoch") {
  auto owners = StaticPartitionOwners::RoundRobin({"tcp://a:1", "tcp://b:2", "tcp://c:3"}, 8, 2);
  REQUIRE(owners.ok());
  REQUIRE(owners->partitions() == 8);
  REQUIRE(owners->OwnerOf(0) == PartitionOwner{"tcp://a:1", 2});
  REQUIRE(owners->OwnerOf(4) == PartitionOwner{"tcp://b:2", 2});
  REQUIRE(owners->PartitionsOf("tcp://c:3") == std::vector<uint32_t>{2, 5});
  REQUIRE(StaticPartitionOwners::RoundRobin({}, 8).status().code() == Status::Code::kInvalidArgument);
  REQUIRE(StaticPartitionOwners::RoundRobin({"tcp://a:1", "tcp://a:1"}, 8).status().message() ==
          "shard tcp://a:1 is listed twice");
}

TEST_CASE("a shard-map file lists every partition once, and names a bad line") {
  auto owners = StaticPartitionOwners::Parse("# partition endpoint epoch\n0 tcp://a:1 1\n\n1 tcp://b:2 3\n", 2);
  REQUIRE(owners.ok());
  REQUIRE(owners->OwnerOf(1) == PartitionOwner{"tcp://b:2", 3});
  REQUIRE(StaticPartitionOwners::Parse("0 tcp://a:1 1\n", 2).status().message() ==
          "shard map: partition 1 has no owner");
  REQUIRE(StaticPartitionOwners::Parse("0 tcp://a:1 1\n0 tcp://b:1 1\n", 2).status().message() ==
          "shard map line 2: partition 0 is listed twice");
  REQUIRE(StaticPartitionOwners::Parse("0 tcp://a:1 0\n", 1).status().message() ==
          "shard map line 1: epoch '0' is not a number >= 1");
  REQUIRE(StaticPartitionOwners::Parse("5 tcp://a:1 1\n", 2).status().message() ==
          "shard map line 1: partition '5' is not within [0, 2)");
  REQUIRE(StaticPartitionOwners::Parse("0 tcp://a:1\n", 1).status().message() ==
          "shard map line 1: expected 'PARTITION ENDPOINT EPOCH', got '0 tcp://a:1'");
}

}  // namespace
}  // namespace driftline::cluster
