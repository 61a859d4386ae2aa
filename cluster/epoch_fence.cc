#include "cluster/epoch_fence.h"

namespace driftline::cluster {

Status EpochFence::Own(uint32_t partition, uint64_t epoch) {
  if (epoch == 0) {
    return Status::InvalidArgument("partition " + std::to_string(partition) +
                                   ": epoch 0 is never an owner's epoch");
  }
  Entry& e = partitions_[partition];
  if (epoch < e.epoch) {
    return Status::FailedPrecondition("partition " + std::to_string(partition) + ": cannot own it at epoch " +
                                      std::to_string(epoch) + ", epoch " + std::to_string(e.epoch) +
                                      " was seen already (epochs never go back)");
  }
  e.epoch = epoch;
  e.owned = true;
  return Status::Ok();
}

void EpochFence::Release(uint32_t partition) {
  auto it = partitions_.find(partition);
  if (it != partitions_.end()) it->second.owned = false;
}

std::optional<uint64_t> EpochFence::OwnedEpoch(uint32_t partition) const {
  auto it = partitions_.find(partition);
  if (it == partitions_.end() || !it->second.owned) return std::nullopt;
  return it->second.epoch;
}

std::optional<FenceRefusal> EpochFence::Check(uint32_t partition, uint64_t epoch) const {
  const std::string p = "partition " + std::to_string(partition);
  auto it = partitions_.find(partition);
  if (it == partitions_.end() || !it->second.owned) {
    std::string message = p + " is not owned here (epoch " + std::to_string(epoch) + " asked";
    if (it != partitions_.end()) message += "; this node owned it until epoch " + std::to_string(it->second.epoch);
    return FenceRefusal{partition, epoch, 0, message + ")"};
  }
  const uint64_t current = it->second.epoch;
  if (epoch == current) return std::nullopt;
  if (epoch < current) {
    return FenceRefusal{partition, epoch, current,
                        p + ": stale epoch " + std::to_string(epoch) + " (this owner is at epoch " +
                            std::to_string(current) + ")"};
  }
  return FenceRefusal{partition, epoch, current,
                      p + ": epoch " + std::to_string(epoch) + " is newer than this owner's epoch " +
                          std::to_string(current) + ": this node no longer owns it"};
}

Status EpochFence::Admit(uint32_t partition, uint64_t epoch) const {
  auto refusal = Check(partition, epoch);
  if (!refusal) return Status::Ok();
  return Status::FailedPrecondition(refusal->message);
}

}  // namespace driftline::cluster
