// Placement: which partitions should move next, as a pure function of the
// live shards and the current map (no I/O, no clock: the time since the
// membership last changed is passed in).
//
// Rules:
//   * Balance: in the end every live shard owns floor(P/S) or ceil(P/S)
//     partitions.
//   * Minimal movement: a partition stays where it is whenever the end state
//     allows it: orphans (no owner, or an owner that is not live) move, and a
//     shard gives up only what it holds beyond its quota; the ceil(P/S) quotas
//     go to the shards that hold the most already (ties: lower node id).
//   * Bounded: at most max_moves_per_step moves in flight (partitions already
//     moving count) per step; orphans first.
//   * Settled: no move at all while the membership changed less than
//     settle_time ago (a shard restarting or a burst of joins is not a reason
//     to shuffle partitions around).
//   * Deterministic: the same input gives the same plan.
//
// A moving partition (a handoff in flight) counts as its target's when the
// target is live, else as its owner's; it is never moved again by a plan.
//
// Thread safety: pure function.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cluster/partition_map.h"

namespace driftline {

struct PlacementOptions {
  // Moves in flight at once (a step plans at most this many minus those
  // already moving). Default: 4
  size_t max_moves_per_step = 4;
  // Quiet time required after the last membership change. Default: 30 s
  std::chrono::milliseconds settle_time{30000};
};

struct PartitionMove {
  uint32_t partition = 0;
  std::string from;        // "" when the partition had no owner
  std::string to;
  bool from_live = false;  // true: a handoff from a live owner; false: reassignment (restore)
};

struct PlacementPlan {
  std::vector<PartitionMove> moves;
  bool settling = false;     // membership changed too recently: nothing planned
  size_t remaining = 0;      // moves still needed after these to reach balance
};

PlacementPlan PlanPlacement(const PartitionMap& map, const std::vector<std::string>& live_shards,
                            std::chrono::milliseconds since_membership_change,
                            const PlacementOptions& options);

}  // namespace driftline
