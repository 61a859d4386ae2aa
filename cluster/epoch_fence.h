// EpochFence: which partitions this node owns, and at which epoch; the rule
// that refuses a message stamped with any other epoch (DESIGN.md 3a
// "Fencing", invariant 5: one owner per partition per epoch).
//
// A message that reads or changes a partition carries (partition, epoch):
// the epoch its sender believes the owner has. The owner admits it only at
// exactly its own epoch:
//   got < current   a sender with an old map (or a zombie's message):
//                   "partition 7: stale epoch 2 (this owner is at epoch 3)";
//   got > current   this node is the stale one: a newer owner exists, so it
//                   must not act: "partition 7: epoch 4 is newer than this
//                   owner's epoch 3: this node no longer owns it";
//   not owned       "partition 7 is not owned here (epoch 2 asked)".
// Epochs of a partition never go back: Own() with a lower epoch than one seen
// before is refused. Epoch 0 is never an owner's epoch.
//
// Plain state, no I/O, no clock. Not thread-safe: one owner (the shard).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/status.h"

namespace driftline::cluster {

struct FenceRefusal {
  uint32_t partition = 0;
  uint64_t got = 0;
  uint64_t current = 0;  // this node's epoch for the partition; 0: not owned
  std::string message;   // names the partition, the epoch got and the current one
};

class EpochFence {
 public:
  // This node owns `partition` from `epoch` on. InvalidArgument for epoch 0;
  // FailedPrecondition when `epoch` is below one this fence saw for it
  // (owned or released): epochs never go back. Owning again at the same
  // epoch is a no-op.
  Status Own(uint32_t partition, uint64_t epoch);

  // This node no longer owns `partition` (moved away, or self-fenced). The
  // epoch stays known, so an older one cannot be owned again.
  void Release(uint32_t partition);

  // The epoch this node owns `partition` at; nullopt when not owned.
  std::optional<uint64_t> OwnedEpoch(uint32_t partition) const;

  // nullopt when a message stamped (partition, epoch) may be applied here;
  // otherwise why not.
  std::optional<FenceRefusal> Check(uint32_t partition, uint64_t epoch) const;

  // Check() as a Status: Ok, or FailedPrecondition with the refusal's message.
  Status Admit(uint32_t partition, uint64_t epoch) const;

 private:
  struct Entry {
    uint64_t epoch = 0;
    bool owned = false;
  };
  std::map<uint32_t, Entry> partitions_;
};

}  // namespace driftline::cluster
