#include "learning/arm_update_delivery.h"

namespace driftline {

ArmVerdict JudgeArmUpdate(const ArmUpdateInput& update, ArmOrdinal high_water) {
  if (update.ordinal.none()) return ArmVerdict::kUnstamped;
  if (!(high_water < update.ordinal)) return ArmVerdict::kDuplicate;
  if (update.previous != high_water) return ArmVerdict::kGap;
  return ArmVerdict::kApply;
}

void ArmUpdateOutbox::Stamp(uint64_t sequence, std::vector<ArmUpdateInput>& updates) {
  for (size_t i = 0; i < updates.size(); ++i) {
    ArmUpdateInput& u = updates[i];
    const uint32_t destination = destination_of_(u.arm);
    ArmOrdinal& last = last_sent_[destination];
    u.source_partition = source_;
    u.ordinal = ArmOrdinal{sequence, static_cast<uint32_t>(i)};
    u.previous = last;
    last = u.ordinal;
    unconfirmed_[destination].emplace(u.ordinal, u);
  }
}

void ArmUpdateOutbox::Confirm(uint32_t destination, ArmOrdinal high_water) {
  auto it = unconfirmed_.find(destination);
  if (it == unconfirmed_.end()) return;
  auto& pending = it->second;
  pending.erase(pending.begin(), pending.upper_bound(high_water));
  if (pending.empty()) unconfirmed_.erase(it);
}

std::map<uint32_t, std::vector<ArmUpdateInput>> ArmUpdateOutbox::Unconfirmed() const {
  std::map<uint32_t, std::vector<ArmUpdateInput>> out;
  for (const auto& [destination, pending] : unconfirmed_) {
    auto& list = out[destination];
    for (const auto& [ordinal, update] : pending) list.push_back(update);
  }
  return out;
}

std::map<uint32_t, std::vector<ArmUpdateInput>> ArmUpdateOutbox::Tick() {
  std::map<uint32_t, std::vector<ArmUpdateInput>> out;
  for (const auto& [destination, pending] : unconfirmed_) {
    auto seen = newest_at_last_tick_.find(destination);
    if (seen == newest_at_last_tick_.end() || seen->second < pending.begin()->first) continue;
    // Resend from the oldest up to the newest known at the last tick: the
    // chain stays in order, and the destination refuses nothing it needs.
    auto& list = out[destination];
    for (auto it = pending.begin(); it != pending.end() && !(seen->second < it->first); ++it) {
      list.push_back(it->second);
    }
  }
  newest_at_last_tick_.clear();
  for (const auto& [destination, pending] : unconfirmed_) {
    newest_at_last_tick_[destination] = pending.rbegin()->first;
  }
  return out;
}

size_t ArmUpdateOutbox::size() const {
  size_t n = 0;
  for (const auto& [destination, pending] : unconfirmed_) n += pending.size();
  return n;
}

void ArmUpdateOutbox::ToSnapshot(PartitionSnapshot* snapshot) const {
  snapshot->outbox.clear();
  std::map<ArmOrdinal, const ArmUpdateInput*> by_ordinal;
  for (const auto& [destination, pending] : unconfirmed_) {
    for (const auto& [ordinal, update] : pending) by_ordinal.emplace(ordinal, &update);
  }
  for (const auto& [ordinal, update] : by_ordinal) snapshot->outbox.push_back(*update);
  snapshot->arm_last_sent.clear();
  for (const auto& [destination, ordinal] : last_sent_) {
    snapshot->arm_last_sent.push_back({destination, ordinal});
  }
}

Status ArmUpdateOutbox::FromSnapshot(const PartitionSnapshot& snapshot) {
  std::map<uint32_t, std::map<ArmOrdinal, ArmUpdateInput>> unconfirmed;
  for (const ArmUpdateInput& u : snapshot.outbox) {
    if (u.ordinal.none() || u.source_partition != source_) {
      return Status::InvalidArgument("outbox entry for arm " + u.arm + " is not stamped by partition " +
                                     std::to_string(source_));
    }
    unconfirmed[destination_of_(u.arm)].emplace(u.ordinal, u);
  }
  unconfirmed_ = std::move(unconfirmed);
  last_sent_.clear();
  for (const ArmWatermark& w : snapshot.arm_last_sent) last_sent_[w.partition] = w.ordinal;
  newest_at_last_tick_.clear();
  return Status::Ok();
}

}  // namespace driftline
