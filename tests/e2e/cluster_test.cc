// A static cluster of real processes on loopback (docs/cluster.md, "Roles"):
// one router and three shards, each its own `driftline node` with its own
// RocksDB. Events and predicts flow through the router; a shard killed with
// SIGKILL costs only its partitions' parts (fallback naming them, events for
// them refused, never acknowledged); restarted, it serves its partitions
// again from its own RocksDB with nothing acknowledged lost.
#include <chrono>
#include <thread>

#include <fstream>

#include "cluster/partitioner.h"
#include "cluster/zmq_transport.h"
#include "protocol/shard_codec.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr uint32_t kPartitions = 6;
constexpr uint32_t kShards = 3;
constexpr uint32_t kLostShard = 1;  // owns the partitions p with p % 3 == 1

uint32_t ShardOf(const std::string& key) { return PartitionOf(key, kPartitions) % kShards; }

// The first "<prefix>N" whose partition belongs to shard `shard`.
std::string KeyOnShard(const std::string& prefix, uint32_t shard, int skip = 0) {
  for (int n = 0;; ++n) {
    const std::string key = prefix + std::to_string(n);
    if (ShardOf(key) == shard && skip-- == 0) return key;
  }
}

std::vector<Event> EventsFor(const std::string& user, const std::string& item, int n, const std::string& tag) {
  std::vector<Event> out;
  for (int i = 0; i < n; ++i) out.push_back(Labelled(user, item, i % 3 == 0 ? 0 : 1, tag + std::to_string(i)));
  return out;
}

PredictReply PredictFor(Client& client, const std::string& user, const std::vector<std::string>& items,
                        uint32_t deadline_ms) {
  PredictRequest request;
  request.user = user;
  for (const std::string& item : items) request.candidates.push_back({item, {}});
  request.ts_ms = kTestTs + 10'000;
  request.deadline_ms = deadline_ms;
  return Ok(client.Predict(request, std::chrono::seconds(20)));
}

// Predicts until the reply is not a fallback (every part answered), at most
// `limit`; the last reply.
PredictReply PredictUntilWhole(Client& client, const std::string& user, const std::vector<std::string>& items,
                               milliseconds limit) {
  const auto end = Clock::now() + limit;
  PredictReply reply = PredictFor(client, user, items, 3000);
  while (reply.fallback && Clock::now() < end) {
    std::this_thread::sleep_for(milliseconds(100));
    reply = PredictFor(client, user, items, 3000);
  }
  return reply;
}

struct Cluster {
  std::vector<std::string> shard_endpoints;
  std::string shard_list;
  std::vector<NodeConfig> shard_configs;
  std::vector<std::unique_ptr<NodeProcess>> shards;
  std::unique_ptr<NodeProcess> router;
};

Cluster StartCluster(const TempDir& dir) {
  Cluster c;
  for (uint32_t i = 0; i < kShards; ++i) {
    c.shard_endpoints.push_back("tcp://127.0.0.1:" + std::to_string(Ok(PickFreePort())));
    c.shard_list += (i ? "," : "") + c.shard_endpoints.back();
  }
  for (uint32_t i = 0; i < kShards; ++i) {
    NodeConfig config;
    config.binary = DriftlineBinary();
    config.data_dir = dir.File("shard" + std::to_string(i));
    config.log_path = dir.File("shard" + std::to_string(i) + ".log");
    config.extra_flags = {"--roles", "shard", "--shards", c.shard_list, "--partitions",
                          std::to_string(kPartitions), "--shard-listen", c.shard_endpoints[i]};
    c.shard_configs.push_back(config);
    c.shards.push_back(Ok(NodeProcess::Start(config)));
  }
  NodeConfig router;
  router.binary = DriftlineBinary();
  router.data_dir = dir.File("router");
  router.log_path = dir.File("router.log");
  router.extra_flags = {"--roles", "router,coordinator", "--shards", c.shard_list, "--partitions",
                        std::to_string(kPartitions), "--remote-timeout-ms", "2000"};
  c.router = Ok(NodeProcess::Start(router));
  return c;
}

TEST_CASE("a router and three shard processes: a killed shard falls back per part, refuses its events, "
          "and restarts from its own RocksDB with nothing acknowledged lost") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  Cluster cluster = StartCluster(dir);
  auto client = Ok(cluster.router->Connect(std::chrono::seconds(30)));
  REQUIRE(Ok(Serve(*client, models.v1)) == "v1");

  const std::string lost_user = KeyOnShard("cluster-user-", kLostShard);
  const std::string live_user = KeyOnShard("cluster-user-", 0);
  const std::string lost_item = KeyOnShard("item-", kLostShard);
  const std::string live_item = KeyOnShard("item-", 2);
  const std::string other_item = KeyOnShard("item-", 0);
  const uint32_t lost_user_partition = PartitionOf(lost_user, kPartitions);
  const uint32_t lost_item_partition = PartitionOf(lost_item, kPartitions);

  // Events through the router reach their users' shards; every one acknowledged.
  const std::vector<Event> lost_events = EventsFor(lost_user, live_item, 12, "lost-a-");
  std::vector<Event> first = lost_events;
  for (const Event& e : EventsFor(live_user, lost_item, 12, "live-a-")) first.push_back(e);
  for (const Event& e : EventsFor(lost_user, lost_item, 12, "lost-b-")) first.push_back(e);
  BatchAck ack = Ok(client->SendBatch(EventBatch{1, first}));
  REQUIRE(ack.accepted == first.size());
  REQUIRE(ack.duplicates == 0);

  // Every part answers: no fallback. The arm updates cross processes
  // asynchronously: wait until two predicts a moment apart agree.
  const std::vector<std::string> items = {live_item, lost_item};
  PredictReply before = PredictUntilWhole(*client, lost_user, items, std::chrono::seconds(30));
  REQUIRE_FALSE(before.fallback);
  for (int i = 0; i < 50; ++i) {
    std::this_thread::sleep_for(milliseconds(200));
    PredictReply again = PredictUntilWhole(*client, lost_user, items, std::chrono::seconds(30));
    REQUIRE_FALSE(again.fallback);
    if (again.scores == before.scores) break;
    before = again;
  }

  cluster.shards[kLostShard]->Kill();

  // Predicts are still answered within the deadline (plus the test's slack),
  // naming the lost partitions and their parts.
  constexpr uint32_t kDeadlineMs = 300;
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    PredictReply reply = PredictFor(*client, lost_user, items, kDeadlineMs);
    const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    INFO("reply after " << elapsed.count() << " ms: " << reply.fallback_reason);
    CHECK(elapsed < milliseconds(kDeadlineMs + 1000));
    REQUIRE(reply.fallback);
    CHECK(reply.fallback_reason.find("partition") != std::string::npos);
    CHECK(reply.fallback_reason.find(std::to_string(lost_user_partition)) != std::string::npos);
    CHECK(reply.fallback_reason.find("user part (partition " + std::to_string(lost_user_partition) + ")") !=
          std::string::npos);
    CHECK(reply.fallback_reason.find("arm parts of " + lost_item + " (partition " +
                                     std::to_string(lost_item_partition) + ")") != std::string::npos);
    CHECK(reply.fallback_reason.find("arm parts of " + live_item) == std::string::npos);
    REQUIRE(reply.scores.size() == 2);
  }
  // A user and an arm on live shards are served whole.
  CHECK_FALSE(PredictFor(*client, live_user, {live_item, other_item}, 3000).fallback);

  // Events for the lost shard's partitions are refused, never acknowledged.
  Result<BatchAck> refused = client->SendBatch(EventBatch{2, EventsFor(lost_user, other_item, 5, "lost-c-")});
  REQUIRE_FALSE(refused.ok());
  INFO(refused.status().ToString());
  CHECK(refused.status().message().find("partition " + std::to_string(lost_user_partition)) != std::string::npos);
  // Events of live partitions are acknowledged meanwhile.
  const std::vector<Event> live_more = EventsFor(live_user, other_item, 6, "live-b-");
  CHECK(Ok(client->SendBatch(EventBatch{3, live_more})).accepted == live_more.size());

  // Restarted (same data dir and endpoint): its partitions are served again,
  // from its own RocksDB, as they were.
  cluster.shards[kLostShard] = Ok(NodeProcess::Start(cluster.shard_configs[kLostShard]));
  CHECK(cluster.shards[kLostShard]->Log().find("recovered at log sequence") != std::string::npos);
  PredictReply after = PredictUntilWhole(*client, lost_user, items, std::chrono::seconds(30));
  REQUIRE_FALSE(after.fallback);
  CHECK(after.scores == before.scores);
  // Nothing acknowledged was lost: every event sent before the kill is a duplicate now.
  BatchAck resent = Ok(client->SendBatch(EventBatch{4, first}));
  CHECK(resent.duplicates == first.size());
  CHECK(resent.accepted == 0);
  // The refused batch can be resent now, and is applied once.
  BatchAck retried = Ok(client->SendBatch(EventBatch{5, EventsFor(lost_user, other_item, 5, "lost-c-")}));
  CHECK(retried.accepted == 5);

  client.reset();
  CHECK(Ok(cluster.router->Terminate()) == 0);
  for (auto& shard : cluster.shards) CHECK(Ok(shard->Terminate()) == 0);
}

// One request over the cluster wire, as another process would send it.
ShardMessage Ask(cluster::ClientSocket& socket, const ShardMessage& message) {
  REQUIRE(socket.Send({EncodeShardFrame(message)}).ok());
  cluster::Frames reply = Ok(socket.Receive(std::chrono::seconds(20)));
  REQUIRE(reply.size() == 1);
  return Ok(DecodeShardFrame(reply[0]));
}

TEST_CASE("a shard refuses messages stamped with another epoch, applies none of them, and will not "
          "restart below the epoch it wrote at") {
  TempDir dir;
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(Ok(PickFreePort()));
  auto write_map = [&](uint64_t epoch) {
    std::ofstream map(dir.File("shard.map"));
    map << "# partition endpoint epoch\n0 " << endpoint << " " << epoch << "\n1 " << endpoint << " "
        << epoch << "\n";
  };
  write_map(3);
  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = dir.File("shard");
  config.log_path = dir.File("shard.log");
  config.extra_flags = {"--roles", "shard", "--shard-map", dir.File("shard.map"), "--partitions", "2",
                        "--shard-listen", endpoint};
  auto shard = Ok(NodeProcess::Start(config));
  auto transport = cluster::MakeZmqTransport();
  auto socket = Ok(transport->Connect(endpoint));

  const Event event = Labelled("epoch-user", "epoch-item", 1, "epoch-event-1");
  const uint32_t p = PartitionOf(event.user, 2);
  // A zombie's append (epoch 2): refused, naming both epochs.
  ShardMessage stale = Ask(*socket, EventAppend{1, {p, 2}, {EventInput{event, 0.1, 0.0}}});
  REQUIRE(std::holds_alternative<ShardError>(stale));
  const ShardError& error = std::get<ShardError>(stale);
  CHECK(error.stale_epoch);
  CHECK(error.got_epoch == 2);
  CHECK(error.current == PartitionEpoch{p, 3});
  CHECK(error.message == "partition " + std::to_string(p) + ": stale epoch 2 (this owner is at epoch 3)");
  // From a newer epoch than the owner's: refused too.
  ShardMessage newer = Ask(*socket, UserPartRead{2, {p, 4}, "epoch-user", {{{0, 1.0}}}});
  REQUIRE(std::holds_alternative<ShardError>(newer));
  CHECK(std::get<ShardError>(newer).message.find("is newer than this owner's epoch 3") != std::string::npos);
  // Arm updates from a source partition at a stale epoch: refused.
  ArmUpdateInput update;
  update.arm = "epoch-item";
  update.user = "epoch-user";
  update.residual = 0.25;
  update.label = 1;
  update.ts_ms = kTestTs;
  update.source_partition = 1 - p;
  update.ordinal = {1, 0};
  ShardMessage zombie_source = Ask(*socket, ArmUpdateBatch{3, {1 - p, 1}, {p, 3}, {update}});
  REQUIRE(std::holds_alternative<ShardError>(zombie_source));
  CHECK(std::get<ShardError>(zombie_source).message ==
        "source partition " + std::to_string(1 - p) + ": stale epoch 1 (its owner is at epoch 3)");
  // Nothing of it was applied: the same event at the owner's epoch is new, once.
  ShardMessage applied = Ask(*socket, EventAppend{4, {p, 3}, {EventInput{event, 0.1, 0.0}}});
  REQUIRE(std::holds_alternative<EventAppendReply>(applied));
  CHECK(std::get<EventAppendReply>(applied).accepted == 1);
  CHECK(std::get<EventAppendReply>(applied).source == PartitionEpoch{p, 3});
  ShardMessage again = Ask(*socket, EventAppend{5, {p, 3}, {EventInput{event, 0.1, 0.0}}});
  REQUIRE(std::holds_alternative<EventAppendReply>(again));
  CHECK(std::get<EventAppendReply>(again).duplicates == 1);
  // A malformed frame is answered with the codec's refusal.
  REQUIRE(socket->Send({"not a cluster frame"}).ok());
  cluster::Frames bad = Ok(socket->Receive(std::chrono::seconds(20)));
  CHECK(std::get<ShardError>(Ok(DecodeShardFrame(bad[0]))).code == Status::Code::kCorruption);
  socket->Close();
  CHECK(Ok(shard->Terminate()) == 0);

  // Restarted with a map that gives it an older epoch than its log holds: refused.
  write_map(2);
  Result<std::unique_ptr<NodeProcess>> below = NodeProcess::Start(config, std::chrono::seconds(60));
  REQUIRE_FALSE(below.ok());
  CHECK(below.status().message().find("written at epoch 3, newer than this owner's epoch 2") != std::string::npos);
}

}  // namespace
}  // namespace driftline::e2e
