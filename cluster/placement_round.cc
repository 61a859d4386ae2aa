#include "cluster/placement_round.h"

#include "cluster/partition_map_store.h"

namespace driftline {

void MembershipChangeClock::Observe(const MemberList& members, TimePoint now) {
  std::set<std::pair<std::string, std::string>> shards;
  for (const RegisteredMember& m : members.members) {
    if (m.info.HasRole("shard")) shards.emplace(m.info.node_id, m.info.incarnation);
  }
  if (!seen_ || shards != shards_) {
    shards_ = std::move(shards);
    changed_at_ = now;
    seen_ = true;
  }
}

std::chrono::milliseconds MembershipChangeClock::SinceChange(TimePoint now) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - changed_at_);
}

Result<PlacementRoundResult> RunPlacementRound(EtcdClient& etcd, const std::string& cluster,
                                               int64_t term, MembershipChangeClock& clock,
                                               const PlacementOptions& options,
                                               std::chrono::steady_clock::time_point now) {
  auto members = ListMembers(etcd, cluster);
  if (!members.ok()) return members.status();
  clock.Observe(*members, now);
  std::vector<std::string> shards;
  for (const RegisteredMember& m : members->members) {
    if (m.info.HasRole("shard")) shards.push_back(m.info.node_id);
  }
  PartitionMapStore store(etcd, cluster);
  auto read = store.Read();
  if (!read.ok()) return read.status();

  PlacementRoundResult result;
  result.plan = PlanPlacement(read->map, shards, clock.SinceChange(now), options);
  result.map_revision = read->revision;
  if (result.plan.moves.empty()) return result;

  std::vector<PartitionChange> changes;
  for (const PartitionMove& m : result.plan.moves) {
    if (m.from_live) {
      changes.push_back(PartitionChange{m.partition, m.from, PartitionState::kMoving, m.to});
    } else {
      changes.push_back(PartitionChange{m.partition, m.to, PartitionState::kActive, ""});
    }
  }
  CoordinatorElection election(etcd, cluster);
  auto commit = store.Change(*read, changes, {election.TermFence(term)});
  if (!commit.ok()) return commit.status();
  result.committed = commit->applied;
  result.conflict = !commit->applied;
  result.map_revision = commit->current.revision;
  return result;
}

}  // namespace driftline
