// Placement as a pure function: balance, minimal movement, bounded steps,
// settling. Property tests over seeded random maps and memberships.
#include "cluster/placement.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "common/rng.h"

namespace driftline {
namespace {

using namespace std::chrono_literals;

PlacementOptions Opts(size_t max_moves, std::chrono::milliseconds settle = 0ms) {
  PlacementOptions o;
  o.max_moves_per_step = max_moves;
  o.settle_time = settle;
  return o;
}

std::vector<std::string> Shards(size_t n, size_t first = 0) {
  std::vector<std::string> s;
  for (size_t i = first; i < first + n; ++i) s.push_back("s" + std::to_string(i));
  return s;
}

// Applies a step's moves the way the coordinator and the handoff do: an
// orphan to its new owner at once; a live move through moving, then done.
void Apply(PartitionMap& map, const std::vector<PartitionMove>& moves) {
  for (const auto& m : moves) {
    PartitionEntry& e = map.entries[m.partition];
    REQUIRE(e.state != PartitionState::kMoving);
    if (e.owner != m.to) ++e.epoch;
    e.owner = m.to;
    e.state = PartitionState::kActive;
    e.target.clear();
  }
}

// The fewest moves that balance the map: a shard keeps at most its quota; the
// ceil quotas go to shards that can use them. Computed independently of the
// planner.
size_t MinimalMoves(const PartitionMap& map, const std::vector<std::string>& live) {
  std::map<std::string, size_t> count;
  std::set<std::string> alive(live.begin(), live.end());
  for (const auto& e : map.entries) {
    if (e.state != PartitionState::kUnassigned && alive.count(e.owner)) ++count[e.owner];
  }
  size_t q = map.partition_count() / live.size(), r = map.partition_count() % live.size();
  size_t keep = 0, above = 0;
  for (const auto& s : live) {
    keep += std::min(count[s], q);
    above += count[s] > q ? 1 : 0;
  }
  keep += std::min(r, above);
  return map.partition_count() - keep;
}

void CheckBalanced(const PartitionMap& map, const std::vector<std::string>& live) {
  std::map<std::string, size_t> count;
  std::set<std::string> alive(live.begin(), live.end());
  for (const auto& e : map.entries) {
    REQUIRE(e.state == PartitionState::kActive);
    REQUIRE(alive.count(e.owner) == 1);
    ++count[e.owner];
  }
  size_t lo = map.partition_count(), hi = 0;
  for (const auto& s : live) {
    lo = std::min(lo, count[s]);
    hi = std::max(hi, count[s]);
  }
  CHECK(hi - lo <= 1);
}

// Runs steps until the plan is empty; returns the moves made, checking the
// per-step bound and that no partition moves twice.
size_t Converge(PartitionMap& map, const std::vector<std::string>& live, size_t max_moves) {
  size_t total = 0;
  std::set<uint32_t> moved;
  for (int step = 0; step < 10000; ++step) {
    PlacementPlan plan = PlanPlacement(map, live, 1h, Opts(max_moves));
    REQUIRE(plan.moves.size() <= max_moves);
    if (plan.moves.empty()) {
      CHECK(plan.remaining == 0);
      return total;
    }
    for (const auto& m : plan.moves) {
      CHECK(moved.insert(m.partition).second);  // each partition moves at most once
      CHECK(m.to != m.from);
    }
    total += plan.moves.size();
    Apply(map, plan.moves);
  }
  FAIL("placement did not converge");
  return total;
}

TEST_CASE("a new cluster's partitions are all assigned, balanced within one, a bounded number a step") {
  PartitionMap map = *NewPartitionMap(256);
  auto live = Shards(3);
  PlacementPlan first = PlanPlacement(map, live, 1h, Opts(8));
  CHECK(first.moves.size() == 8);
  CHECK(first.remaining == 248);
  for (const auto& m : first.moves) CHECK_FALSE(m.from_live);
  CHECK(Converge(map, live, 8) == 256);
  CheckBalanced(map, live);
  for (const auto& e : map.entries) CHECK(e.epoch == 1);
}

TEST_CASE("a balanced map plans nothing") {
  PartitionMap map = *NewPartitionMap(64);
  auto live = Shards(5);
  Converge(map, live, 64);
  PlacementPlan plan = PlanPlacement(map, live, 1h, Opts(8));
  CHECK(plan.moves.empty());
  CHECK(plan.remaining == 0);
}

TEST_CASE("nothing moves while the membership changed within the settle time") {
  PartitionMap map = *NewPartitionMap(16);
  PlacementPlan plan = PlanPlacement(map, Shards(2), 29s, Opts(8, 30s));
  CHECK(plan.moves.empty());
  CHECK(plan.settling);
  CHECK(plan.remaining == 16);
  CHECK(PlanPlacement(map, Shards(2), 30s, Opts(8, 30s)).moves.size() == 8);
}

TEST_CASE("a joining shard takes partitions only from shards above their quota, as handoffs") {
  PartitionMap map = *NewPartitionMap(12);
  Converge(map, Shards(3), 12);  // 4 each
  auto live = Shards(4);
  PlacementPlan plan = PlanPlacement(map, live, 1h, Opts(100));
  REQUIRE(plan.moves.size() == 3);  // one from each old shard
  std::set<std::string> from;
  for (const auto& m : plan.moves) {
    CHECK(m.to == "s3");
    CHECK(m.from_live);
    from.insert(m.from);
  }
  CHECK(from.size() == 3);
}

TEST_CASE("partitions in flight count against the step bound and are not moved again") {
  PartitionMap map = *NewPartitionMap(8);
  Converge(map, Shards(1), 8);
  map.entries[0].state = PartitionState::kMoving;
  map.entries[0].target = "s1";
  map.entries[1].state = PartitionState::kMoving;
  map.entries[1].target = "s1";
  PlacementPlan plan = PlanPlacement(map, Shards(2), 1h, Opts(3));
  REQUIRE(plan.moves.size() == 1);  // 3 allowed - 2 in flight
  CHECK(plan.moves[0].partition != 0);
  CHECK(plan.moves[0].partition != 1);
  CHECK(PlanPlacement(map, Shards(2), 1h, Opts(2)).moves.empty());
}

TEST_CASE("a dead shard's partitions are reassigned first, as restores, spread over the survivors") {
  PartitionMap map = *NewPartitionMap(30);
  Converge(map, Shards(3), 30);
  auto survivors = std::vector<std::string>{"s0", "s2"};
  PlacementPlan plan = PlanPlacement(map, survivors, 1h, Opts(100));
  REQUIRE(plan.moves.size() == 10);
  std::map<std::string, int> to;
  for (const auto& m : plan.moves) {
    CHECK(m.from == "s1");
    CHECK_FALSE(m.from_live);
    ++to[m.to];
  }
  CHECK(to["s0"] == 5);
  CHECK(to["s2"] == 5);
}

TEST_CASE("property: from any map and membership, steps converge to balance with minimal movement") {
  Rng rng(20261203);
  for (int trial = 0; trial < 300; ++trial) {
    const uint32_t partitions = 1 + static_cast<uint32_t>(rng.NextBelow(300));
    const size_t before_count = 1 + rng.NextBelow(6);
    auto before = Shards(before_count);
    PartitionMap map = *NewPartitionMap(partitions);
    // A random, possibly unbalanced, possibly partial assignment.
    for (auto& e : map.entries) {
      if (rng.NextBelow(10) == 0) continue;  // left unassigned
      e.owner = before[rng.NextBelow(std::min<uint64_t>(before.size(), 1 + rng.NextBelow(6)))];
      e.state = PartitionState::kActive;
      e.epoch = 1 + rng.NextBelow(5);
    }
    // Then some shards die and some join.
    std::vector<std::string> live;
    for (const auto& s : before) {
      if (rng.NextBelow(4) != 0) live.push_back(s);
    }
    size_t joins = rng.NextBelow(4);
    for (size_t j = 0; j < joins || live.empty(); ++j) live.push_back("j" + std::to_string(j));
    const size_t max_moves = 1 + rng.NextBelow(16);
    INFO("trial " << trial << ": " << partitions << " partitions, " << live.size()
                  << " live shards, " << max_moves << " moves a step");

    const PartitionMap start = map;
    const size_t minimal = MinimalMoves(map, live);
    CHECK(Converge(map, live, max_moves) == minimal);
    CheckBalanced(map, live);
    // Epochs never go back, and rise exactly where the owner changed.
    for (uint32_t p = 0; p < partitions; ++p) {
      const auto& a = start.entries[p];
      const auto& b = map.entries[p];
      CHECK(b.epoch == a.epoch + (a.owner == b.owner ? 0 : 1));
    }
    // The same input always gives the same plan.
    auto p1 = PlanPlacement(start, live, 1h, Opts(max_moves));
    auto p2 = PlanPlacement(start, live, 1h, Opts(max_moves));
    REQUIRE(p1.moves.size() == p2.moves.size());
    for (size_t i = 0; i < p1.moves.size(); ++i) {
      CHECK(p1.moves[i].partition == p2.moves[i].partition);
      CHECK(p1.moves[i].to == p2.moves[i].to);
    }
  }
}

}  // namespace
}  // namespace driftline
