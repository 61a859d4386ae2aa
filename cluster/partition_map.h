// The partition map: partition -> {owner, epoch, state}. Its values and the
// rules for changing them (pure: no I/O); partition_map_store.h keeps it in
// etcd.
//
//   * The partition count P is fixed when the cluster is created.
//   * The epoch of a partition rises by exactly 1 on every change of owner and
//     never otherwise; it never goes back. (Fencing: messages carry
//     (partition, epoch); receivers refuse older epochs.)
//   * States: unassigned (no owner; losing an owner also raises the epoch),
//     active (the owner serves it), moving (the owner still serves it while
//     `target` catches up; a handoff in progress).
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline {

// DO NOT CHANGE the names: they are stored in etcd (docs/cluster.md).
enum class PartitionState { kUnassigned, kActive, kMoving };
const char* PartitionStateName(PartitionState state);  // "unassigned", "active", "moving"

struct PartitionEntry {
  std::string owner;   // node id; "" when unassigned
  uint64_t epoch = 0;
  PartitionState state = PartitionState::kUnassigned;
  std::string target;  // moving: the node taking over; "" otherwise

  bool operator==(const PartitionEntry& o) const {
    return owner == o.owner && epoch == o.epoch && state == o.state && target == o.target;
  }
};

struct PartitionMap {
  std::vector<PartitionEntry> entries;  // index = partition; size = P
  uint32_t partition_count() const { return static_cast<uint32_t>(entries.size()); }
  bool operator==(const PartitionMap& o) const { return entries == o.entries; }
};

// The most partitions a cluster may have: the map is one etcd value, and
// etcd 3.4 refuses requests over 1.5 MiB (about 60 bytes per entry).
inline constexpr uint32_t kMaxPartitions = 8192;

// A new map: every partition unassigned at epoch 0.
// Errors: InvalidArgument unless 1 <= partitions <= kMaxPartitions.
Result<PartitionMap> NewPartitionMap(uint32_t partitions);

// One requested change: the partition's next owner, state and target. The
// epoch is not chosen by the caller: ApplyChanges raises it when the owner
// changes.
struct PartitionChange {
  uint32_t partition = 0;
  std::string owner;
  PartitionState state = PartitionState::kActive;
  std::string target;
};

// The map after `changes` (applied in order). Errors (nothing applied):
// InvalidArgument for a partition out of range, an active or moving entry
// without an owner, an unassigned entry with one, a moving entry without a
// target or with target == owner, a target on a non-moving entry, a node id
// that is not a valid name.
Result<PartitionMap> ApplyChanges(const PartitionMap& map,
                                  const std::vector<PartitionChange>& changes);

// The JSON value of the map key (format 1, docs/cluster.md), and back.
// Decode errors: Corruption naming the entry and field; a decoded map also
// passes the entry rules above.
std::string EncodePartitionMap(const PartitionMap& map);
Result<PartitionMap> DecodePartitionMap(const std::string& json);

}  // namespace driftline
