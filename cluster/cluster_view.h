// A consistent view of a cluster as etcd holds it, for `driftline cluster
// status` and for tests: the members, the coordinator and the partition map,
// all read at ONE revision (one txn of three ranges), plus each member's
// lease time left (its health as etcd sees it).
//
// Thread safety: a plain function; as thread-safe as the EtcdClient.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cluster/coordinator_election.h"
#include "cluster/etcd_client.h"
#include "cluster/membership.h"
#include "cluster/partition_map_store.h"

namespace driftline {

struct MemberView {
  RegisteredMember member;
  // Seconds left on the member's lease when read; -1 when the lease was gone
  // by then (the member is expiring). Read after the snapshot, so it is
  // advisory.
  int64_t lease_seconds_left = -1;
};

struct ClusterView {
  int64_t revision = 0;                       // the store revision of the snapshot
  std::vector<MemberView> members;            // by node id
  std::optional<Leadership> coordinator;      // nullopt: no coordinator elected
  std::optional<PartitionMapSnapshot> map;    // nullopt: the cluster was never created
};

// Errors: InvalidArgument (cluster name), Corruption (a stored value that does
// not decode, naming its key), etcd errors (Unavailable naming the endpoints).
Result<ClusterView> ReadClusterView(EtcdClient& etcd, const std::string& cluster);

}  // namespace driftline
