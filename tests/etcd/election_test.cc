// The coordinator's election against a real etcd.
#include "cluster/coordinator_election.h"

#include <catch2/catch.hpp>

#include "cluster/partition_map_store.h"
#include "tests/etcd/etcd_process.h"
#include "tests/support/require_ok.h"
#include "tests/support/temp_dir.h"

namespace driftline {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::TempDir;

std::unique_ptr<Membership> Coordinator(EtcdClient& client, const std::string& id, int64_t ttl) {
  MemberInfo m;
  m.node_id = id;
  m.roles = {"coordinator"};
  m.version = "test";
  MembershipOptions o;
  o.cluster = "c1";
  o.lease_ttl_seconds = ttl;
  o.renew_interval = 300ms;
  o.fence_margin = 1000ms;
  auto registered = Membership::Register(client, o, m);
  REQUIRE_OK(registered);
  return std::move(registered).value();
}

TEST_CASE("one candidate leads; the others see who leads and with which term") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto a = Coordinator(*client, "a", 10);
  auto b = Coordinator(*client, "b", 10);
  CoordinatorElection election(*client, "c1");
  auto none = election.Leader();
  REQUIRE_OK(none);
  CHECK_FALSE(none->has_value());

  auto won = election.TryAcquire(a->self(), a->lease_id());
  REQUIRE_OK(won);
  CHECK(won->node_id == "a");
  CHECK(won->term > 0);
  auto lost = election.TryAcquire(b->self(), b->lease_id());
  REQUIRE_OK(lost);
  CHECK(lost->node_id == "a");
  CHECK(lost->term == won->term);
  auto seen = election.Leader();
  REQUIRE_OK(seen);
  REQUIRE(seen->has_value());
  CHECK((*seen)->incarnation == a->self().incarnation);
  auto leads = election.StillLeads(won->term);
  REQUIRE_OK(leads);
  CHECK(*leads);
}

TEST_CASE("failover: when the leader's lease expires a waiting candidate leads with a higher term, "
          "and the old term's fenced writes fail") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  PartitionMapStore store(*client, "c1");
  REQUIRE_OK(store.CreateCluster(8));
  auto a = Coordinator(*client, "a", 2);  // never renewed: it "hangs"
  auto b = Coordinator(*client, "b", 10);
  b->StartRenewing([](const Status&) {});
  CoordinatorElection election(*client, "c1");
  auto a_term = election.TryAcquire(a->self(), a->lease_id());
  REQUIRE_OK(a_term);
  REQUIRE(a_term->node_id == "a");
  auto read = store.Read();  // what a read while it led
  REQUIRE_OK(read);

  auto b_term = election.Campaign(b->self(), b->lease_id(), 30s);
  REQUIRE_OK(b_term);
  CHECK(b_term->node_id == "b");
  CHECK(b_term->term > a_term->term);
  auto a_leads = election.StillLeads(a_term->term);
  REQUIRE_OK(a_leads);
  CHECK_FALSE(*a_leads);

  // The old leader's write, fenced by its term, does not commit ...
  auto stale = store.Change(*read, {PartitionChange{0, "x", PartitionState::kActive, ""}},
                            {election.TermFence(a_term->term)});
  REQUIRE_OK(stale);
  CHECK_FALSE(stale->applied);
  // ... while the new leader's does.
  auto fresh = store.Change(*read, {PartitionChange{0, "y", PartitionState::kActive, ""}},
                            {election.TermFence(b_term->term)});
  REQUIRE_OK(fresh);
  CHECK(fresh->applied);
  b->StopRenewing();
}

TEST_CASE("a leader is told when its term ends; resigning ends it") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto a = Coordinator(*client, "a", 10);
  CoordinatorElection election(*client, "c1");
  auto term = election.TryAcquire(a->self(), a->lease_id());
  REQUIRE_OK(term);
  std::atomic<bool> ended{false};
  auto watch = election.WatchLeadership(term->term, [&](const Status&) { ended = true; });
  REQUIRE_OK(watch);
  std::this_thread::sleep_for(200ms);
  CHECK_FALSE(ended.load());
  REQUIRE_OK(election.Resign(term->term));
  REQUIRE(Eventually([&] { return ended.load(); }, 20s));
  (*watch)->Cancel();
  auto leader = election.Leader();
  REQUIRE_OK(leader);
  CHECK_FALSE(leader->has_value());
}

TEST_CASE("a campaign gives up at its deadline naming the leader") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto a = Coordinator(*client, "a", 10);
  auto b = Coordinator(*client, "b", 10);
  CoordinatorElection election(*client, "c1");
  REQUIRE_OK(election.TryAcquire(a->self(), a->lease_id()));
  auto timed_out = election.Campaign(b->self(), b->lease_id(), 500ms);
  REQUIRE_FALSE(timed_out.ok());
  CHECK(timed_out.status().code() == Status::Code::kDeadlineExceeded);
  CHECK(timed_out.status().message().find("leader: a") != std::string::npos);
}

}  // namespace
}  // namespace driftline
