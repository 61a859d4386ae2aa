// The etcd key layout of a driftline cluster. FROZEN (docs/cluster.md): nodes
// of different builds share these keys; a change of layout is a new version
// prefix (/driftline/v2/...), never an edit of these.
//
//   /driftline/v1/<cluster>/members/<node id>   one member (JSON), under its lease
//   /driftline/v1/<cluster>/coordinator         the elected coordinator (JSON), under
//                                               its lease; create_revision = the term
//   /driftline/v1/<cluster>/partition_map       the whole partition map (JSON)
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace driftline::cluster_keys {

inline constexpr std::string_view kRoot = "/driftline/v1/";

// Ok for 1..64 characters of [A-Za-z0-9._-]; InvalidArgument naming `what`
// otherwise. Cluster names and node ids must pass (they are key segments).
Status ValidateName(std::string_view what, std::string_view name);

inline std::string ClusterPrefix(const std::string& cluster) {
  return std::string(kRoot) + cluster + "/";
}
inline std::string MembersPrefix(const std::string& cluster) {
  return ClusterPrefix(cluster) + "members/";
}
inline std::string MemberKey(const std::string& cluster, const std::string& node_id) {
  return MembersPrefix(cluster) + node_id;
}
inline std::string CoordinatorKey(const std::string& cluster) {
  return ClusterPrefix(cluster) + "coordinator";
}
inline std::string PartitionMapKey(const std::string& cluster) {
  return ClusterPrefix(cluster) + "partition_map";
}

}  // namespace driftline::cluster_keys
