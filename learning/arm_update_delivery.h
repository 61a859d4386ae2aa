// Exactly-once delivery of arm updates, as one plain protocol (no I/O, no
// clock). A labelled event is learned at the user's partition (the source);
// the arm's share of it (an ArmUpdateInput) must be logged and applied by the
// arm's partition (the destination) exactly once, whatever crashes, storage
// errors, redeliveries and reorderings happen in between.
//
//   source                                   destination
//   log record s applied -> updates u(s,0..)  
//   Stamp: ordinal (s, i), previous = the     Judge against high_water[source]:
//     last ordinal sent to that destination     ordinal <= high_water -> duplicate
//   keep in the outbox until confirmed          previous != high_water -> gap (refused)
//   send, in ordinal order  ------------------>  otherwise log, apply, high_water = ordinal
//   Confirm(destination, high_water) <---------  reply with high_water[source]
//   Tick: resend what stayed unconfirmed for a whole period; at start resend all.
//
// Why it is exact: the destination's high-water mark per source moves only
// along the chain of `previous` links, so "ordinal <= high_water" means
// "logged here" (no window to forget), and an update whose predecessor was
// lost (say a failed append) is refused until the source resends the chain
// in order. State is O(partitions) at each end plus the unconfirmed updates.
//
// The destination's high-water marks live in PartitionState (checkpointed,
// rebuilt by replaying the log, which holds only accepted updates). The
// source's outbox and chain live in ArmUpdateOutbox, owned by the source's
// journal, checkpointed with it and rebuilt by replaying its log.
//
// Not thread-safe: one owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "learning/partition_snapshot.h"

namespace driftline {

// --- destination side ---

enum class ArmVerdict {
  kApply,      // the next update of its source's chain: log and apply it
  kDuplicate,  // already logged here (ordinal <= high water): drop, confirm
  kGap,        // its predecessor is not logged here: refuse; the source resends in order
  kUnstamped,  // no ordinal (an in-process delivery); never accepted from a log or a peer
};

// REQUIRES: high_water is this destination's high-water mark for
// update.source_partition (including updates accepted earlier in the same batch).
ArmVerdict JudgeArmUpdate(const ArmUpdateInput& update, ArmOrdinal high_water);

// --- source side ---

class ArmUpdateOutbox {
 public:
  // Which partition owns an arm (cluster/partitioner.h's PartitionOf, bound
  // to the partition count by the caller).
  using DestinationOf = std::function<uint32_t(const std::string& arm)>;

  ArmUpdateOutbox(uint32_t source, DestinationOf destination_of)
      : source_(source), destination_of_(std::move(destination_of)) {}

  // Stamps the updates that applying the source's log record `sequence`
  // produced (ordinal (sequence, i), previous link per destination) and keeps
  // them until confirmed. REQUIRES: sequence above every earlier Stamp's.
  void Stamp(uint64_t sequence, std::vector<ArmUpdateInput>& updates);

  // `destination` has logged every update of this source up to high_water:
  // drops them. A stale or repeated confirmation drops nothing new.
  void Confirm(uint32_t destination, ArmOrdinal high_water);

  // Every unconfirmed update, by destination, in ordinal order (what to send
  // at start).
  std::map<uint32_t, std::vector<ArmUpdateInput>> Unconfirmed() const;

  // A period passed: returns the updates that were already unconfirmed at the
  // previous Tick (by destination, in ordinal order, from each destination's
  // oldest), to send again; updates sent since then are left alone.
  std::map<uint32_t, std::vector<ArmUpdateInput>> Tick();

  size_t size() const;
  uint32_t source() const { return source_; }

  // Checkpoint: fills snapshot->outbox and snapshot->arm_last_sent.
  void ToSnapshot(PartitionSnapshot* snapshot) const;
  // Replaces the contents with a checkpoint's. InvalidArgument when an
  // outbox entry does not come from this source or is not stamped.
  Status FromSnapshot(const PartitionSnapshot& snapshot);

 private:
  uint32_t source_;
  DestinationOf destination_of_;
  std::map<uint32_t, std::map<ArmOrdinal, ArmUpdateInput>> unconfirmed_;  // by destination
  std::map<uint32_t, ArmOrdinal> last_sent_;                              // by destination
  std::map<uint32_t, ArmOrdinal> newest_at_last_tick_;                    // by destination
};

}  // namespace driftline
