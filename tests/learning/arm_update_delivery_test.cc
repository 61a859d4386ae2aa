// The arm-update delivery protocol (learning/arm_update_delivery.h) on its
// own: stamping, the destination's verdicts, cumulative confirmation and
// periodic redelivery.
#include "learning/arm_update_delivery.h"

#include <catch2/catch.hpp>

using namespace driftline;

namespace {

// Arms "a*" belong to partition 1, every other arm to partition 2.
uint32_t DestinationOf(const std::string& arm) { return arm[0] == 'a' ? 1 : 2; }

ArmUpdateInput Update(const std::string& arm) {
  ArmUpdateInput u;
  u.arm = arm;
  u.user = "u";
  u.label = 1;
  return u;
}

}  // namespace

TEST_CASE("stamping gives each update its source ordinal and chains it per destination") {
  ArmUpdateOutbox outbox(5, DestinationOf);
  std::vector<ArmUpdateInput> first{Update("a1"), Update("b1"), Update("a2")};
  outbox.Stamp(10, first);
  std::vector<ArmUpdateInput> second{Update("a3")};
  outbox.Stamp(12, second);
  REQUIRE(first[0].source_partition == 5);
  REQUIRE(first[0].ordinal == ArmOrdinal{10, 0});
  REQUIRE(first[0].previous.none());
  REQUIRE(first[1].previous.none());  // first to partition 2
  REQUIRE(first[2].previous == ArmOrdinal{10, 0});
  REQUIRE(second[0].previous == ArmOrdinal{10, 2});
  REQUIRE(outbox.size() == 4);
}

TEST_CASE("the destination applies the next of the chain, drops what it has, refuses a gap") {
  ArmUpdateInput u = Update("a");
  u.ordinal = {9, 0};
  u.previous = {3, 1};
  REQUIRE(JudgeArmUpdate(u, ArmOrdinal{3, 1}) == ArmVerdict::kApply);
  REQUIRE(JudgeArmUpdate(u, ArmOrdinal{9, 0}) == ArmVerdict::kDuplicate);
  REQUIRE(JudgeArmUpdate(u, ArmOrdinal{10, 0}) == ArmVerdict::kDuplicate);
  REQUIRE(JudgeArmUpdate(u, ArmOrdinal{2, 0}) == ArmVerdict::kGap);  // 3:1 was never logged
  REQUIRE(JudgeArmUpdate(Update("a"), ArmOrdinal{}) == ArmVerdict::kUnstamped);
}

TEST_CASE("ordinals order numerically: 3:10 comes after 3:9") {
  REQUIRE(ArmOrdinal{9, 0} < ArmOrdinal{10, 0});
  REQUIRE(ArmOrdinal{10, 1} < ArmOrdinal{10, 2});
  ArmUpdateOutbox outbox(3, DestinationOf);
  for (uint64_t s = 1; s <= 12; ++s) {
    std::vector<ArmUpdateInput> one{Update("a")};
    outbox.Stamp(s, one);
  }
  auto pending = outbox.Unconfirmed();
  REQUIRE(pending[1].size() == 12);
  for (size_t i = 0; i < 12; ++i) REQUIRE(pending[1][i].ordinal.sequence == i + 1);
}

TEST_CASE("a confirmation drops everything up to the destination's mark, and only there") {
  ArmUpdateOutbox outbox(0, DestinationOf);
  std::vector<ArmUpdateInput> updates{Update("a1"), Update("b1"), Update("a2"), Update("a3")};
  outbox.Stamp(4, updates);
  outbox.Confirm(1, ArmOrdinal{4, 2});
  auto pending = outbox.Unconfirmed();
  REQUIRE(pending[1].size() == 1);
  REQUIRE(pending[1][0].arm == "a3");
  REQUIRE(pending[2].size() == 1);
  outbox.Confirm(1, ArmOrdinal{1, 0});  // stale: nothing more
  REQUIRE(outbox.size() == 2);
}

TEST_CASE("a tick resends, from the oldest, what stayed unconfirmed for a whole period") {
  ArmUpdateOutbox outbox(0, DestinationOf);
  std::vector<ArmUpdateInput> early{Update("a1")};
  outbox.Stamp(1, early);
  REQUIRE(outbox.Tick().empty());  // just sent: give it a period
  std::vector<ArmUpdateInput> late{Update("a2")};
  outbox.Stamp(2, late);
  auto again = outbox.Tick();
  REQUIRE(again[1].size() == 1);  // a1 only: a2 is younger than a period
  REQUIRE(again[1][0].arm == "a1");
  outbox.Confirm(1, ArmOrdinal{2, 0});
  REQUIRE(outbox.Tick().empty());
}

TEST_CASE("the outbox survives a checkpoint exactly, chain included") {
  ArmUpdateOutbox outbox(2, DestinationOf);
  std::vector<ArmUpdateInput> updates{Update("a1"), Update("b1")};
  outbox.Stamp(7, updates);
  outbox.Confirm(2, ArmOrdinal{7, 1});
  PartitionSnapshot snapshot;
  outbox.ToSnapshot(&snapshot);
  ArmUpdateOutbox restored(2, DestinationOf);
  REQUIRE(restored.FromSnapshot(snapshot).ok());
  PartitionSnapshot again;
  restored.ToSnapshot(&again);
  REQUIRE(again == snapshot);
  std::vector<ArmUpdateInput> next{Update("b2")};
  restored.Stamp(8, next);
  REQUIRE(next[0].previous == ArmOrdinal{7, 1});  // the chain continues after the restore
  ArmUpdateOutbox other_source(3, DestinationOf);
  REQUIRE(other_source.FromSnapshot(snapshot).code() == Status::Code::kInvalidArgument);
}
