// The partition map in a real etcd: creation once, conditional changes,
// racing writers, the cached map while etcd is down.
#include "cluster/partition_map_store.h"

#include <catch2/catch.hpp>
#include <thread>

#include "cluster/coordinator_election.h"
#include "cluster/placement_round.h"
#include "tests/etcd/etcd_process.h"
#include "tests/support/require_ok.h"
#include "tests/support/temp_dir.h"

namespace driftline {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::TempDir;

TEST_CASE("a cluster is created once: the same count again is a no-op, another count is refused") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  PartitionMapStore store(*client, "c1");
  CHECK(store.Read().status().code() == Status::Code::kNotFound);
  auto created = store.CreateCluster(256);
  REQUIRE_OK(created);
  CHECK(created->map.partition_count() == 256);
  REQUIRE_OK(store.Change(*created, {PartitionChange{3, "n1", PartitionState::kActive, ""}}));
  auto again = store.CreateCluster(256);
  REQUIRE_OK(again);
  CHECK(again->map.entries[3].owner == "n1");  // the existing map, untouched
  auto other = store.CreateCluster(64);
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().code() == Status::Code::kFailedPrecondition);
  CHECK(other.status().message().find("256") != std::string::npos);
  CHECK(store.CreateCluster(0).status().code() == Status::Code::kInvalidArgument);
  auto read = store.Read();
  REQUIRE_OK(read);
  CHECK(read->map == again->map);
}

TEST_CASE("a change commits only at the revision it read; the epoch rises with each new owner") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  PartitionMapStore store(*client, "c1");
  auto v0 = store.CreateCluster(4);
  REQUIRE_OK(v0);
  auto v1 = store.Change(*v0, {PartitionChange{0, "n1", PartitionState::kActive, ""}});
  REQUIRE_OK(v1);
  REQUIRE(v1->applied);
  CHECK(v1->current.map.entries[0].epoch == 1);
  auto v2 = store.Change(v1->current, {PartitionChange{0, "n1", PartitionState::kMoving, "n2"}});
  REQUIRE_OK(v2);
  REQUIRE(v2->applied);
  CHECK(v2->current.map.entries[0].epoch == 1);  // same owner: same epoch
  auto v3 = store.Change(v2->current, {PartitionChange{0, "n2", PartitionState::kActive, ""}});
  REQUIRE_OK(v3);
  REQUIRE(v3->applied);
  CHECK(v3->current.map.entries[0].epoch == 2);
  auto read = store.Read();
  REQUIRE_OK(read);
  CHECK(read->map == v3->current.map);
  CHECK(read->revision == v3->current.revision);

  // A change from an old read is a conflict that returns the map as it is.
  auto stale = store.Change(*v0, {PartitionChange{1, "n9", PartitionState::kActive, ""}});
  REQUIRE_OK(stale);
  CHECK_FALSE(stale->applied);
  CHECK(stale->current.map == v3->current.map);
  CHECK(stale->current.revision == v3->current.revision);
  // A bad change writes nothing.
  auto bad = store.Change(*read, {PartitionChange{4, "n1", PartitionState::kActive, ""}});
  CHECK(bad.status().code() == Status::Code::kInvalidArgument);
  auto unchanged = store.Read();
  REQUIRE_OK(unchanged);
  CHECK(unchanged->revision == read->revision);
}

TEST_CASE("two writers racing on the map: exactly one txn wins, the other sees the conflict and "
          "re-reads") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client_a = etcd.Client();
  auto client_b = etcd.Client();
  PartitionMapStore store_a(*client_a, "c1"), store_b(*client_b, "c1");
  REQUIRE_OK(store_a.CreateCluster(16));
  for (int round = 0; round < 10; ++round) {
    auto read_a = store_a.Read();
    auto read_b = store_b.Read();
    REQUIRE_OK(read_a);
    REQUIRE_OK(read_b);
    REQUIRE(read_a->revision == read_b->revision);
    const uint64_t epoch_before = read_a->map.entries[0].epoch;
    std::atomic<int> ready{0};
    Result<MapCommit> a = Status::Internal("not run"), b = Status::Internal("not run");
    auto race = [&](PartitionMapStore& store, const PartitionMapSnapshot& read,
                    const std::string& owner, Result<MapCommit>& out) {
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      out = store.Change(read, {PartitionChange{0, owner, PartitionState::kActive, ""}});
    };
    std::thread ta(race, std::ref(store_a), std::cref(*read_a), "a" + std::to_string(round),
                   std::ref(a));
    std::thread tb(race, std::ref(store_b), std::cref(*read_b), "b" + std::to_string(round),
                   std::ref(b));
    ta.join();
    tb.join();
    REQUIRE_OK(a);
    REQUIRE_OK(b);
    REQUIRE(a->applied != b->applied);  // exactly one
    const MapCommit& winner = a->applied ? *a : *b;
    const MapCommit& loser = a->applied ? *b : *a;
    CHECK(loser.current.map == winner.current.map);  // the loser sees what won
    CHECK(loser.current.revision == winner.current.revision);
    CHECK(winner.current.map.entries[0].epoch == epoch_before + 1);

    // The loser decides again on what it now knows, and commits.
    PartitionMapStore& loser_store = a->applied ? store_b : store_a;
    auto retry = loser_store.Change(loser.current,
                                    {PartitionChange{1, "retry", PartitionState::kActive, ""}});
    REQUIRE_OK(retry);
    CHECK(retry->applied);
    CHECK(retry->current.map.entries[0] == winner.current.map.entries[0]);
  }
}

TEST_CASE("the cached map follows changes through its watch") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  PartitionMapStore store(*client, "c1");
  auto v0 = store.CreateCluster(8);
  REQUIRE_OK(v0);
  auto cache = PartitionMapCache::Follow(*client, "c1");
  REQUIRE_OK(cache);
  CHECK((*cache)->Current()->revision == v0->revision);
  auto v1 = store.Change(*v0, {PartitionChange{5, "n1", PartitionState::kActive, ""}});
  REQUIRE_OK(v1);
  REQUIRE((*cache)->WaitForRevision(v1->current.revision, 20s));
  CHECK((*cache)->Current()->map == v1->current.map);
}

MemberInfo ShardInfo(const std::string& id) {
  MemberInfo m;
  m.node_id = id;
  m.roles = {"shard", "coordinator"};
  m.version = "test";
  return m;
}

TEST_CASE("etcd killed: the cached map still answers, placement changes wait, and resume when it "
          "is back") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client(1000ms);
  PartitionMapStore store(*client, "c1");
  REQUIRE_OK(store.CreateCluster(12));
  MembershipOptions o;
  o.cluster = "c1";
  o.lease_ttl_seconds = 30;  // longer than the outage below
  auto n1 = Membership::Register(*client, o, ShardInfo("n1"));
  REQUIRE_OK(n1);
  CoordinatorElection election(*client, "c1");
  auto term = election.TryAcquire((*n1)->self(), (*n1)->lease_id());
  REQUIRE_OK(term);
  auto cache = PartitionMapCache::Follow(*client, "c1");
  REQUIRE_OK(cache);

  PlacementOptions placement;
  placement.max_moves_per_step = 12;
  placement.settle_time = 0ms;
  MembershipChangeClock clock;
  auto first = RunPlacementRound(*client, "c1", term->term, clock, placement,
                                 std::chrono::steady_clock::now());
  REQUIRE_OK(first);
  REQUIRE(first->committed);
  REQUIRE((*cache)->WaitForRevision(first->map_revision, 20s));
  const auto before = (*cache)->Current();
  for (const auto& e : before->map.entries) CHECK(e.owner == "n1");

  // A second shard joins, then etcd dies before the coordinator acts.
  auto n2 = Membership::Register(*client, o, ShardInfo("n2"));
  REQUIRE_OK(n2);
  REQUIRE_OK(etcd.Kill());
  auto waiting = RunPlacementRound(*client, "c1", term->term, clock, placement,
                                   std::chrono::steady_clock::now());
  REQUIRE_FALSE(waiting.ok());
  CHECK((waiting.status().code() == Status::Code::kUnavailable ||
         waiting.status().code() == Status::Code::kDeadlineExceeded));
  auto during = (*cache)->Current();  // serving goes on with the last map
  CHECK(during->map == before->map);
  CHECK(during->revision == before->revision);
  CHECK_FALSE((*cache)->watch_status().ok());

  REQUIRE_OK(etcd.Restart());
  Result<PlacementRoundResult> resumed = Status::Internal("not run");
  REQUIRE(Eventually(
      [&] {
        resumed = RunPlacementRound(*client, "c1", term->term, clock, placement,
                                    std::chrono::steady_clock::now());
        return resumed.ok() && resumed->committed;
      },
      20s));
  CHECK(resumed->plan.moves.size() == 6);  // half of 12 moves to n2 ...
  for (const auto& m : resumed->plan.moves) {
    CHECK(m.from == "n1");
    CHECK(m.to == "n2");
    CHECK(m.from_live);  // ... as handoffs from a live owner
  }
  REQUIRE((*cache)->WaitForRevision(resumed->map_revision, 30s));
  size_t moving = 0;
  for (const auto& e : (*cache)->Current()->map.entries) {
    moving += e.state == PartitionState::kMoving && e.target == "n2";
  }
  CHECK(moving == 6);
}

}  // namespace
}  // namespace driftline
