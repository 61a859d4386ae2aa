// The consistent cluster view (members, coordinator, map at one revision),
// and membership's fence on an injected clock.
#include "cluster/cluster_view.h"

#include <catch2/catch.hpp>

#include "cluster/cluster_keys.h"
#include "tests/etcd/etcd_process.h"
#include "tests/support/require_ok.h"
#include "tests/support/temp_dir.h"

namespace driftline {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

MemberInfo Node(const std::string& id, std::vector<std::string> roles) {
  MemberInfo m;
  m.node_id = id;
  m.roles = std::move(roles);
  m.endpoints = {{"router", "tcp://127.0.0.1:7400"}};
  m.version = "0.1.0";
  return m;
}

TEST_CASE("the cluster view shows members, the coordinator and the map as of one revision") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto empty = ReadClusterView(*client, "c1");
  REQUIRE_OK(empty);
  CHECK(empty->members.empty());
  CHECK_FALSE(empty->coordinator.has_value());
  CHECK_FALSE(empty->map.has_value());

  MembershipOptions o;
  o.cluster = "c1";
  auto a = Membership::Register(*client, o, Node("a", {"coordinator", "shard"}));
  REQUIRE_OK(a);
  auto b = Membership::Register(*client, o, Node("b", {"router"}));
  REQUIRE_OK(b);
  CoordinatorElection election(*client, "c1");
  auto term = election.TryAcquire((*a)->self(), (*a)->lease_id());
  REQUIRE_OK(term);
  PartitionMapStore store(*client, "c1");
  auto created = store.CreateCluster(4);
  REQUIRE_OK(created);
  auto changed = store.Change(*created, {PartitionChange{2, "a", PartitionState::kActive, ""}});
  REQUIRE_OK(changed);

  auto view = ReadClusterView(*client, "c1");
  REQUIRE_OK(view);
  CHECK(view->revision == changed->current.revision);
  REQUIRE(view->members.size() == 2);
  CHECK(view->members[0].member.info.node_id == "a");
  CHECK(view->members[0].member.info.incarnation == (*a)->self().incarnation);
  CHECK(view->members[1].member.info.roles == std::vector<std::string>{"router"});
  CHECK(view->members[1].member.info.endpoints.at("router") == "tcp://127.0.0.1:7400");
  CHECK(view->members[0].lease_seconds_left > 0);
  REQUIRE(view->coordinator.has_value());
  CHECK(view->coordinator->node_id == "a");
  CHECK(view->coordinator->term == term->term);
  REQUIRE(view->map.has_value());
  CHECK(view->map->map == changed->current.map);
  CHECK(view->map->map.entries[2].epoch == 1);

  // A damaged value is reported with its key, not skipped.
  REQUIRE_OK(client->Put(cluster_keys::MemberKey("c1", "zz"), "{not json"));
  auto damaged = ReadClusterView(*client, "c1");
  REQUIRE_FALSE(damaged.ok());
  CHECK(damaged.status().code() == Status::Code::kCorruption);
  CHECK(damaged.status().message().find("members/zz") != std::string::npos);
}

TEST_CASE("membership's fence follows the injected clock: closed from grant time + TTL - margin") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto now = std::make_shared<std::chrono::steady_clock::time_point>(
      std::chrono::steady_clock::time_point{} + 1000s);
  MembershipOptions o;
  o.cluster = "c1";
  o.lease_ttl_seconds = 10;
  o.fence_margin = 2000ms;
  o.clock = [now] { return *now; };
  const auto t0 = *now;
  auto m = Membership::Register(*client, o, Node("n1", {"shard"}));
  REQUIRE_OK(m);
  CHECK((*m)->FenceDeadline() == t0 + 8s);
  CHECK((*m)->MayAcknowledge(t0 + 7999ms));
  CHECK_FALSE((*m)->MayAcknowledge(t0 + 8s));
  *now = t0 + 5s;  // a renewal sent at t0 + 5 s moves the fence to t0 + 13 s
  REQUIRE_OK((*m)->Renew());
  CHECK((*m)->FenceDeadline() == t0 + 13s);
  *now = t0 + 12999ms;
  CHECK((*m)->MayAcknowledge());
  *now = t0 + 13s;
  CHECK_FALSE((*m)->MayAcknowledge());
}

}  // namespace
}  // namespace driftline
