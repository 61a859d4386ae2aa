// Membership against a real etcd: registration under a lease, expiry,
// self-fencing before the server's expiry, loss and replacement.
#include "cluster/membership.h"

#include <catch2/catch.hpp>

#include "cluster/cluster_keys.h"
#include "tests/etcd/etcd_process.h"
#include "tests/support/require_ok.h"
#include "tests/support/temp_dir.h"

namespace driftline {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::TempDir;
using TimePoint = std::chrono::steady_clock::time_point;

MemberInfo Shard(const std::string& id) {
  MemberInfo m;
  m.node_id = id;
  m.roles = {"shard"};
  m.endpoints = {{"shard", "tcp://127.0.0.1:7500"}};
  m.version = "test";
  return m;
}

MembershipOptions ShortLease(int64_t ttl_seconds) {
  MembershipOptions o;
  o.cluster = "c1";
  o.lease_ttl_seconds = ttl_seconds;
  o.renew_interval = 300ms;
  o.fence_margin = 1000ms;
  return o;
}

bool Listed(EtcdClient& client, const std::string& node_id) {
  auto list = ListMembers(client, "c1");
  if (!list.ok()) return false;
  for (const auto& m : list->members) {
    if (m.info.node_id == node_id) return true;
  }
  return false;
}

TEST_CASE("the self-fence closes at renewal send time + TTL - margin, and never reopens late") {
  SelfFence fence(2000ms);
  TimePoint t0{};
  CHECK_FALSE(fence.MayAcknowledge(t0));  // nothing renewed yet
  fence.OnRenewed(t0, 10000ms);
  CHECK(fence.MayAcknowledge(t0 + 7999ms));
  CHECK_FALSE(fence.MayAcknowledge(t0 + 8000ms));
  fence.OnRenewed(t0 + 5000ms, 10000ms);
  CHECK(fence.MayAcknowledge(t0 + 12999ms));
  CHECK_FALSE(fence.MayAcknowledge(t0 + 13000ms));
  fence.OnRenewed(t0 + 1000ms, 10000ms);  // a late answer to an older renewal
  CHECK(fence.deadline() == t0 + 13000ms);
  fence.CloseForGood();
  CHECK_FALSE(fence.MayAcknowledge(t0 + 6000ms));
  fence.OnRenewed(t0 + 6000ms, 10000ms);
  CHECK_FALSE(fence.MayAcknowledge(t0 + 6001ms));
}

TEST_CASE("membership options that would fence a healthy node are refused") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  MembershipOptions o = ShortLease(2);
  o.renew_interval = 1500ms;  // 1.5 s + 1 s margin >= 2 s TTL
  auto m = Membership::Register(*client, o, Shard("n1"));
  REQUIRE_FALSE(m.ok());
  CHECK(m.status().code() == Status::Code::kInvalidArgument);
  CHECK(m.status().message().find("fences itself") != std::string::npos);
  auto bad_id = Membership::Register(*client, ShortLease(5), Shard("n/1"));
  CHECK(bad_id.status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("registration writes the member under its lease with a fresh incarnation per start") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto first = Membership::Register(*client, ShortLease(5), Shard("n1"));
  REQUIRE_OK(first);
  auto list = ListMembers(*client, "c1");
  REQUIRE_OK(list);
  REQUIRE(list->members.size() == 1);
  const RegisteredMember& m = list->members[0];
  CHECK(m.info.node_id == "n1");
  CHECK(m.info.incarnation == (*first)->self().incarnation);
  CHECK(m.info.roles == std::vector<std::string>{"shard"});
  CHECK(m.info.endpoints.at("shard") == "tcp://127.0.0.1:7500");
  CHECK(m.lease == (*first)->lease_id());
  CHECK((*first)->MayAcknowledge());
  const std::string first_incarnation = (*first)->self().incarnation;

  REQUIRE_OK((*first)->Leave());
  CHECK_FALSE(Listed(*client, "n1"));
  CHECK_FALSE((*first)->MayAcknowledge());
  auto second = Membership::Register(*client, ShortLease(5), Shard("n1"));
  REQUIRE_OK(second);
  CHECK((*second)->self().incarnation != first_incarnation);
  CHECK_FALSE((*second)->self().incarnation.empty());
}

TEST_CASE("lease expiry removes the membership; the node then learns it lost it") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto m = Membership::Register(*client, ShortLease(2), Shard("n1"));
  REQUIRE_OK(m);
  CHECK(Listed(*client, "n1"));
  // No renewal: the lease runs out on the server and takes the key with it.
  REQUIRE(Eventually([&] { return !Listed(*client, "n1"); }, 20s));
  CHECK_FALSE((*m)->MayAcknowledge());
  Status renew = (*m)->Renew();
  CHECK(renew.code() == Status::Code::kFailedPrecondition);
  CHECK((*m)->lost());
  CHECK((*m)->lost_reason().message().find("lease") != std::string::npos);
}

TEST_CASE("renewing keeps a registration alive well past its TTL") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto m = Membership::Register(*client, ShortLease(3), Shard("n1"));
  REQUIRE_OK(m);
  (*m)->StartRenewing([](const Status&) {});
  std::this_thread::sleep_for(7000ms);  // more than two TTLs
  CHECK(Listed(*client, "n1"));
  CHECK((*m)->MayAcknowledge());
  CHECK_FALSE((*m)->lost());
  (*m)->StopRenewing();
}

TEST_CASE("the self-fence turns false before the lease expires on the server") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  MembershipOptions o = ShortLease(6);
  o.fence_margin = 3000ms;  // the server keeps >= 3 s after the fence closes: room for the checks
  auto m = Membership::Register(*client, o, Shard("n1"));
  REQUIRE_OK(m);
  const TimePoint renew_sent = std::chrono::steady_clock::now();
  REQUIRE_OK((*m)->Renew());
  CHECK((*m)->FenceDeadline() <= renew_sent + 6s - 3s + 1ms);
  // Cut off from renewals: wait for the fence to close ...
  REQUIRE(Eventually([&] { return !(*m)->MayAcknowledge(); }, 20s));
  // ... at which moment the server still holds the lease and the key.
  auto ttl = client->LeaseTimeToLive((*m)->lease_id());
  REQUIRE_OK(ttl);
  CHECK(Listed(*client, "n1"));
  // And only later does the server expire it.
  REQUIRE(Eventually([&] { return !Listed(*client, "n1"); }, 20s));
}

TEST_CASE("with etcd gone the fence closes; when etcd is back a renewal reopens it") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client(500ms);
  MembershipOptions o = ShortLease(4);
  auto m = Membership::Register(*client, o, Shard("n1"));
  REQUIRE_OK(m);
  REQUIRE_OK(etcd.Kill());
  Status failed = (*m)->Renew();
  CHECK((failed.code() == Status::Code::kUnavailable ||
         failed.code() == Status::Code::kDeadlineExceeded));
  CHECK_FALSE((*m)->lost());  // not lost: etcd is away, not the registration
  REQUIRE(Eventually([&] { return !(*m)->MayAcknowledge(); }, 20s));
  REQUIRE_OK(etcd.Restart());  // a restarted etcd restarts the leases' clocks
  REQUIRE(Eventually([&] { return (*m)->Renew().ok(); }, 10s));
  CHECK((*m)->MayAcknowledge());
}

TEST_CASE("a node whose key was deleted or whose lease was revoked learns it lost its registration") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto deleted = Membership::Register(*client, ShortLease(5), Shard("n1"));
  REQUIRE_OK(deleted);
  auto revoked = Membership::Register(*client, ShortLease(5), Shard("n2"));
  REQUIRE_OK(revoked);
  REQUIRE_OK(client->Delete(cluster_keys::MemberKey("c1", "n1")));
  REQUIRE_OK(client->LeaseRevoke((*revoked)->lease_id()));

  CHECK((*deleted)->Renew().code() == Status::Code::kFailedPrecondition);
  CHECK((*deleted)->lost());
  CHECK((*deleted)->lost_reason().message().find("deleted") != std::string::npos);
  CHECK_FALSE((*deleted)->MayAcknowledge());
  CHECK((*revoked)->Renew().code() == Status::Code::kFailedPrecondition);
  CHECK((*revoked)->lost());
  CHECK_FALSE((*revoked)->MayAcknowledge());
}

TEST_CASE("a second start with a live node id waits for the old registration, then replaces it") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto old = Membership::Register(*client, ShortLease(3), Shard("n1"));
  REQUIRE_OK(old);

  MembershipOptions impatient = ShortLease(5);
  impatient.register_wait = 300ms;
  (*old)->StartRenewing([](const Status&) {});
  auto refused = Membership::Register(*client, impatient, Shard("n1"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kFailedPrecondition);
  CHECK(refused.status().message().find((*old)->self().incarnation) != std::string::npos);
  (*old)->StopRenewing();  // the old process "dies": its lease runs out

  MembershipOptions patient = ShortLease(5);
  patient.register_wait = 20s;
  auto fresh = Membership::Register(*client, patient, Shard("n1"));
  REQUIRE_OK(fresh);
  CHECK((*fresh)->self().incarnation != (*old)->self().incarnation);
  CHECK((*old)->Renew().code() == Status::Code::kFailedPrecondition);
  CHECK_FALSE((*old)->MayAcknowledge());
  REQUIRE_OK((*fresh)->Renew());
  CHECK((*fresh)->MayAcknowledge());
}

}  // namespace
}  // namespace driftline
