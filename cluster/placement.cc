#include "cluster/placement.h"

#include <algorithm>
#include <map>
#include <set>

namespace driftline {
namespace {

// The live shard that will hold partition `e` once in-flight work settles;
// "" for an orphan.
std::string HolderOf(const PartitionEntry& e, const std::set<std::string>& live) {
  if (e.state == PartitionState::kMoving && live.count(e.target)) return e.target;
  if (e.state != PartitionState::kUnassigned && live.count(e.owner)) return e.owner;
  return "";
}

}  // namespace

PlacementPlan PlanPlacement(const PartitionMap& map, const std::vector<std::string>& live_shards,
                            std::chrono::milliseconds since_membership_change,
                            const PlacementOptions& options) {
  PlacementPlan plan;
  const std::set<std::string> live(live_shards.begin(), live_shards.end());
  if (live.empty() || map.entries.empty()) return plan;

  // Who holds what, and what is in flight.
  std::map<std::string, std::vector<uint32_t>> held;  // shard -> movable partitions it holds
  std::map<std::string, size_t> count;                // shard -> partitions it will hold
  for (const auto& s : live) count[s] = 0;
  std::vector<uint32_t> orphans;
  size_t in_flight = 0;
  for (uint32_t p = 0; p < map.partition_count(); ++p) {
    const PartitionEntry& e = map.entries[p];
    const std::string holder = HolderOf(e, live);
    if (e.state == PartitionState::kMoving) ++in_flight;
    if (holder.empty()) {
      if (e.state != PartitionState::kMoving) orphans.push_back(p);
      continue;
    }
    ++count[holder];
    if (e.state != PartitionState::kMoving) held[holder].push_back(p);
  }

  // Quotas: floor(P/S) each; the remainder's +1 to the shards holding most.
  const size_t P = map.partition_count(), S = live.size();
  std::vector<std::string> by_count(live.begin(), live.end());
  std::stable_sort(by_count.begin(), by_count.end(),
                   [&](const std::string& a, const std::string& b) { return count[a] > count[b]; });
  std::map<std::string, size_t> quota;
  for (size_t i = 0; i < by_count.size(); ++i) quota[by_count[i]] = P / S + (i < P % S ? 1 : 0);

  // Sources: orphans first (by partition), then each shard's excess (its
  // highest partitions), shards in id order.
  std::vector<std::pair<uint32_t, std::string>> sources;  // (partition, from holder or "")
  for (uint32_t p : orphans) sources.emplace_back(p, "");
  for (const auto& s : live) {
    auto& mine = held[s];
    size_t excess = count[s] > quota[s] ? count[s] - quota[s] : 0;
    for (size_t i = 0; i < excess && i < mine.size(); ++i) {
      sources.emplace_back(mine[mine.size() - 1 - i], s);
    }
  }
  std::map<std::string, size_t> deficit;
  for (const auto& s : live) {
    if (count[s] < quota[s]) deficit[s] = quota[s] - count[s];
  }

  if (since_membership_change < options.settle_time) {
    plan.settling = true;
    plan.remaining = sources.size();
    return plan;
  }
  const size_t allowed =
      options.max_moves_per_step > in_flight ? options.max_moves_per_step - in_flight : 0;
  for (const auto& [partition, from] : sources) {
    if (plan.moves.size() >= allowed) break;
    // The shard short of the most partitions (ties: lower id).
    auto best = deficit.end();
    for (auto it = deficit.begin(); it != deficit.end(); ++it) {
      if (it->second > 0 && (best == deficit.end() || it->second > best->second)) best = it;
    }
    if (best == deficit.end()) break;  // cannot happen when counts add up; defensive
    --best->second;
    const PartitionEntry& e = map.entries[partition];
    plan.moves.push_back(PartitionMove{partition, e.owner, best->first, !from.empty()});
  }
  plan.remaining = sources.size() - plan.moves.size();
  return plan;
}

}  // namespace driftline
