// The etcd client against a real etcd 3.4: KV, txn, leases, errors, failover.
#include "cluster/etcd_client.h"

#include <catch2/catch.hpp>

#include "tests/etcd/etcd_process.h"
#include "tests/support/require_ok.h"
#include "tests/support/temp_dir.h"

namespace driftline {
namespace {

using testing::EtcdProcess;
using testing::TempDir;

TEST_CASE("put, range by key and by prefix, read an older revision, delete a prefix") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto r1 = client->Put("a/1", "one");
  REQUIRE_OK(r1);
  REQUIRE_OK(client->Put("a/2", "two"));
  REQUIRE_OK(client->Put("b", "bee"));
  auto r4 = client->Put("a/1", "uno");
  REQUIRE_OK(r4);
  CHECK(*r4 > *r1);

  auto prefix = client->Range("a/", RangeOptions{true});
  REQUIRE_OK(prefix);
  REQUIRE(prefix->kvs.size() == 2);
  CHECK(prefix->kvs[0].key == "a/1");
  CHECK(prefix->kvs[0].value == "uno");
  CHECK(prefix->kvs[0].version == 2);
  CHECK(prefix->kvs[0].create_revision == *r1);
  CHECK(prefix->kvs[0].mod_revision == *r4);
  CHECK(prefix->kvs[1].key == "a/2");
  CHECK(prefix->revision == *r4);

  auto old = client->Range("a/1", RangeOptions{false, *r1});
  REQUIRE_OK(old);
  REQUIRE(old->kvs.size() == 1);
  CHECK(old->kvs[0].value == "one");

  auto deleted = client->Delete("a/", /*prefix=*/true);
  REQUIRE_OK(deleted);
  CHECK(*deleted == 2);
  auto after = client->Range("a/", RangeOptions{true});
  REQUIRE_OK(after);
  CHECK(after->kvs.empty());
  auto b = client->Range("b");
  REQUIRE_OK(b);
  REQUIRE(b->kvs.size() == 1);
  CHECK(b->kvs[0].value == "bee");
}

TEST_CASE("binary keys and values travel intact through base64") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  const std::string key("k\0\xff\x01/x", 6), value("\0\x80\xfe zero", 9);
  REQUIRE_OK(client->Put(key, value));
  auto got = client->Range(key);
  REQUIRE_OK(got);
  REQUIRE(got->kvs.size() == 1);
  CHECK(got->kvs[0].key == key);
  CHECK(got->kvs[0].value == value);
}

TEST_CASE("a txn runs its success ops only when every compare holds, else its failure ops") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto created = client->Txn(TxnRequest{{TxnCompare::Absent("k")}, {TxnOp::Put("k", "v1")}, {}});
  REQUIRE_OK(created);
  CHECK(created->succeeded);
  const int64_t rev = created->revision;

  auto again = client->Txn(
      TxnRequest{{TxnCompare::Absent("k")}, {TxnOp::Put("k", "v2")}, {TxnOp::Range("k")}});
  REQUIRE_OK(again);
  CHECK_FALSE(again->succeeded);
  REQUIRE(again->ranges.size() == 1);
  REQUIRE(again->ranges[0].size() == 1);
  CHECK(again->ranges[0][0].value == "v1");

  using R = TxnCompare::Result;
  auto all_hold = client->Txn(TxnRequest{{TxnCompare::ModRevision("k", R::kEqual, rev),
                                          TxnCompare::CreateRevision("k", R::kEqual, rev),
                                          TxnCompare::Version("k", R::kEqual, 1),
                                          TxnCompare::Value("k", R::kEqual, "v1"),
                                          TxnCompare::ModRevision("k", R::kLess, rev + 1)},
                                         {TxnOp::Put("k", "v3"), TxnOp::Range("k")},
                                         {}});
  REQUIRE_OK(all_hold);
  CHECK(all_hold->succeeded);
  REQUIRE(all_hold->ranges.size() == 2);
  REQUIRE(all_hold->ranges[1].size() == 1);
  CHECK(all_hold->ranges[1][0].value == "v3");

  // One compare fails (the value moved on): nothing of the success branch.
  auto one_fails = client->Txn(TxnRequest{{TxnCompare::Version("k", R::kEqual, 2),
                                           TxnCompare::Value("k", R::kEqual, "v1")},
                                          {TxnOp::Delete("k")},
                                          {}});
  REQUIRE_OK(one_fails);
  CHECK_FALSE(one_fails->succeeded);
  auto still = client->Range("k");
  REQUIRE_OK(still);
  REQUIRE(still->kvs.size() == 1);
  CHECK(still->kvs[0].value == "v3");
}

TEST_CASE("leases: grant, time to live, keepalive, revoke; a revoked lease takes its keys") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto lease = client->LeaseGrant(30);
  REQUIRE_OK(lease);
  CHECK(lease->ttl_seconds == 30);
  REQUIRE_OK(client->Put("leased", "x", lease->id));
  auto kv = client->Range("leased");
  REQUIRE_OK(kv);
  REQUIRE(kv->kvs.size() == 1);
  CHECK(kv->kvs[0].lease == lease->id);
  auto ttl = client->LeaseTimeToLive(lease->id);
  REQUIRE_OK(ttl);
  CHECK(*ttl > 0);
  CHECK(*ttl <= 30);
  auto renewed = client->LeaseKeepAlive(lease->id);
  REQUIRE_OK(renewed);
  CHECK(*renewed == 30);

  REQUIRE_OK(client->LeaseRevoke(lease->id));
  auto gone = client->Range("leased");
  REQUIRE_OK(gone);
  CHECK(gone->kvs.empty());
  auto keepalive = client->LeaseKeepAlive(lease->id);
  REQUIRE_FALSE(keepalive.ok());
  CHECK(keepalive.status().code() == Status::Code::kNotFound);
  auto ttl_gone = client->LeaseTimeToLive(lease->id);
  REQUIRE_FALSE(ttl_gone.ok());
  CHECK(ttl_gone.status().code() == Status::Code::kNotFound);
  auto revoke_again = client->LeaseRevoke(lease->id);
  CHECK(revoke_again.code() == Status::Code::kNotFound);
  CHECK_FALSE(client->Put("k", "v", lease->id).ok());  // a put under a dead lease is refused
}

TEST_CASE("etcd's refusals keep their meaning: a future revision, a compacted one") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto rev = client->Put("k", "1");
  REQUIRE_OK(rev);
  REQUIRE_OK(client->Put("k", "2"));
  auto future = client->Range("k", RangeOptions{false, *rev + 100});
  REQUIRE_FALSE(future.ok());
  CHECK(future.status().code() == Status::Code::kFailedPrecondition);
  CHECK(future.status().message().find(etcd.endpoint()) != std::string::npos);
  CHECK(future.status().message().find("future revision") != std::string::npos);
  REQUIRE_OK(client->Compact(*rev + 1));
  auto compacted = client->Range("k", RangeOptions{false, *rev});
  REQUIRE_FALSE(compacted.ok());
  CHECK(compacted.status().code() == Status::Code::kFailedPrecondition);
  CHECK(compacted.status().message().find("compacted") != std::string::npos);
}

TEST_CASE("an unreachable etcd is an error naming the endpoint and the cause, within the timeout") {
  const std::string dead = "http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  EtcdOptions options;
  options.endpoints = {dead};
  options.request_timeout = std::chrono::milliseconds(1000);
  auto client = EtcdClient::Create(options);
  REQUIRE_OK(client);
  auto start = std::chrono::steady_clock::now();
  auto range = (*client)->Range("k");
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(range.ok());
  CHECK((range.status().code() == Status::Code::kUnavailable ||
         range.status().code() == Status::Code::kDeadlineExceeded));
  CHECK(range.status().message().find(dead + "/v3/kv/range") != std::string::npos);
  CHECK(took < std::chrono::seconds(30));  // bounded by the call's timeout (generous for a slow host)
}

TEST_CASE("bad client options are refused") {
  CHECK(EtcdClient::Create(EtcdOptions{}).status().code() == Status::Code::kInvalidArgument);
  EtcdOptions not_http;
  not_http.endpoints = {"127.0.0.1:2379"};
  CHECK(EtcdClient::Create(not_http).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("failover: with the first endpoint dead, calls reach the second") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  EtcdOptions options;
  options.endpoints = {"http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()),
                       etcd.endpoint()};
  auto client = EtcdClient::Create(options);
  REQUIRE_OK(client);
  REQUIRE_OK((*client)->Put("k", "v"));
  auto got = (*client)->Range("k");
  REQUIRE_OK(got);
  REQUIRE(got->kvs.size() == 1);
  CHECK(got->kvs[0].value == "v");
}

}  // namespace
}  // namespace driftline
