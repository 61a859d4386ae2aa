#include "cluster/cluster_view.h"

#include "cluster/cluster_keys.h"

namespace driftline {

Result<ClusterView> ReadClusterView(EtcdClient& etcd, const std::string& cluster) {
  DRIFTLINE_RETURN_IF_ERROR(cluster_keys::ValidateName("cluster name", cluster));
  const std::string members_prefix = cluster_keys::MembersPrefix(cluster);
  // No compares: the success branch runs, and its three reads share one revision.
  auto txn = etcd.Txn(TxnRequest{{},
                                 {TxnOp::Range(members_prefix, /*prefix=*/true),
                                  TxnOp::Range(cluster_keys::CoordinatorKey(cluster)),
                                  TxnOp::Range(cluster_keys::PartitionMapKey(cluster))},
                                 {}});
  if (!txn.ok()) return txn.status();
  if (!txn->succeeded || txn->ranges.size() != 3) {
    return Status::Internal("cluster view: etcd answered an unconditional txn without its reads");
  }
  ClusterView view;
  view.revision = txn->revision;
  for (const KeyValue& kv : txn->ranges[0]) {
    auto member = DecodeMemberKey(members_prefix, kv);
    if (!member.ok()) return member.status();
    view.members.push_back(MemberView{std::move(member).value(), -1});
  }
  if (!txn->ranges[1].empty()) {
    auto leader = DecodeLeadership(txn->ranges[1][0]);
    if (!leader.ok()) return leader.status();
    view.coordinator = std::move(leader).value();
  }
  if (!txn->ranges[2].empty()) {
    auto map = PartitionMapSnapshotOf(txn->ranges[2][0]);
    if (!map.ok()) return map.status();
    view.map = std::move(map).value();
  }
  for (MemberView& m : view.members) {
    auto left = etcd.LeaseTimeToLive(m.member.lease);
    if (left.ok()) {
      m.lease_seconds_left = *left;
    } else if (left.status().code() != Status::Code::kNotFound) {
      return left.status();
    }
  }
  return view;
}

}  // namespace driftline
