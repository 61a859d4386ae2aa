// Durability through a real node process: a clean stop (SIGTERM) and a
// restart serve the same model and state; a node killed with SIGKILL
// mid-stream still has every event it acknowledged after its restart.
#include <atomic>
#include <csignal>
#include <future>
#include <thread>

#include "cluster/partitioner.h"
#include "protocol/codec.h"
#include "storage/rocks_node_store.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

TEST_CASE("SIGTERM stops the node with exit 0 and a restart serves the same model and state") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto node = Ok(StartNode(dir));
  auto client = Ok(node->Connect());
  REQUIRE(Ok(Serve(*client, models.v1)) == "v1");

  std::vector<Event> events;
  for (int i = 0; i < 30; ++i) events.push_back(Labelled("e2e-hank", "0104257", 1, "hank:" + std::to_string(i)));
  SendStats sent = Ok(client->SendEvents(EventSourceFromVector(events), 10, 2));
  CHECK(sent.accepted == 30);
  const double moved = Ok(Score(*client, "e2e-hank", "0104257"));
  // A prediction whose outcome arrives only after the restart.
  PredictRequest request;
  request.user = "e2e-hank";
  request.candidates = {{"0104257", {}}, {"1074638", {}}};
  request.ts_ms = kTestTs;
  request.deadline_ms = 5000;
  const PredictReply pending = Ok(client->Predict(request, std::chrono::seconds(15)));
  REQUIRE_FALSE(pending.fallback);
  client.reset();

  CHECK(Ok(node->Terminate()) == 0);
  CHECK(node->Log().find("[node] stopped") != std::string::npos);

  node = Ok(StartNode(dir));
  client = Ok(node->Connect());
  CHECK(Ok(client->NodeStatus()).active_version == "v1");
  CHECK(Ok(Score(*client, "e2e-hank", "0104257")) == moved);
  // Pending predictions survived: the outcome joins the prediction made before.
  Event outcome = Labelled("e2e-hank", pending.chosen, 0, "hank-outcome");
  outcome.prediction_id = pending.prediction_id;
  outcome.ts_ms = kTestTs + 1000;
  CHECK(Ok(client->SendBatch(EventBatch{0, {outcome}})).accepted == 1);
  CHECK(Ok(Counter(*client, "partition_outcomes_joined")) == 1);
  const double after_outcome = Ok(Score(*client, "e2e-hank", "0104257"));
  // The de-duplication window survived too: a resend changes nothing.
  SendStats resent = Ok(client->SendEvents(EventSourceFromVector(events), 10, 2));
  CHECK(resent.duplicates == 30);
  CHECK(Ok(Score(*client, "e2e-hank", "0104257")) == after_outcome);
  CHECK(Ok(node->Terminate()) == 0);
}

// Many users and items, labels mixed, every event with its own id.
std::vector<Event> Stream(size_t n) {
  std::vector<Event> events;
  for (size_t i = 0; i < n; ++i) {
    Event e = Labelled("k" + std::to_string(i % 400), "i" + std::to_string(i % 40),
                       (i * 7) % 3 == 0 ? 1 : 0, "kill:" + std::to_string(i));
    e.ts_ms = kTestTs + static_cast<int64_t>(i);
    events.push_back(std::move(e));
  }
  return events;
}

// A node on `where` with `partitions` partitions that checkpoints every 500
// inputs, so a recovery reads a checkpoint plus a log suffix.
std::unique_ptr<NodeProcess> StartCheckpointing(const TempDir& where, const char* partitions) {
  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = where.File("data");
  config.log_path = where.File("node.log");
  config.extra_flags = {"--partitions", partitions, "--checkpoint-every", "500"};
  return Ok(NodeProcess::Start(config));
}

// Serves v1 on `node`, streams `stream` with one batch in flight (so the
// acknowledged events are exactly a prefix), kills the node with SIGKILL once
// at least 2000 events are acknowledged, and returns how many were.
struct KilledRun {
  uint64_t acked = 0;
  bool whole_stream_acked = false;
};

KilledRun StreamThenKill(NodeProcess& node, const std::string& model, const std::vector<Event>& stream) {
  {
    auto admin = Ok(node.Connect());
    REQUIRE(Ok(Serve(*admin, model)) == "v1");
  }
  std::atomic<uint64_t> acked{0};
  auto sender = Ok(node.Connect(std::chrono::seconds(5)));
  auto sending = std::async(std::launch::async, [&] {
    return sender->SendEvents(EventSourceFromVector(stream), 200, 1,
                              [&acked](const SendStats& s) { acked = s.acknowledged; });
  });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (acked < 2000 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(acked >= 2000);
  node.Kill();
  const bool whole = sending.get().ok();
  // The kill must land mid-stream, or the test tests no crash recovery.
  REQUIRE_FALSE(whole);
  return {acked.load(), whole};
}

// A stream whose every event's item lives in its user's partition (of 16):
// with one batch in flight each partition's input order is then fixed (its
// arm updates go to itself, its arm reads come from itself), so two runs can
// be compared state for state even with 16 partitions.
std::vector<Event> ColocatedStream(size_t n) {
  constexpr uint32_t kPartitions = 16;
  std::vector<std::vector<std::string>> users(kPartitions);
  for (int u = 0; u < 4000; ++u) {
    const std::string user = "k" + std::to_string(u);
    auto& bucket = users[PartitionOf(user, kPartitions)];
    if (bucket.size() < 25) bucket.push_back(user);
  }
  std::vector<Event> events;
  for (size_t i = 0; i < n; ++i) {
    const std::string item = "i" + std::to_string(i % 48);
    const auto& candidates = users[PartitionOf(item, kPartitions)];
    Event e = Labelled(candidates[(i / 48) % candidates.size()], item, (i * 7) % 3 == 0 ? 1 : 0,
                       "kill:" + std::to_string(i));
    e.ts_ms = kTestTs + static_cast<int64_t>(i);
    events.push_back(std::move(e));
  }
  return events;
}

// The whole online state of a stopped node: every partition's latest
// checkpoint (a clean stop checkpoints every partition and empties its log),
// in its canonical encoding.
std::vector<std::string> WholeState(const std::string& data_dir) {
  auto store = Ok(storage::RocksNodeStore::Open(data_dir, storage::StorageOptions{}));
  std::vector<std::string> state;
  for (uint32_t p = 0; p < 16; ++p) {
    INFO("partition " << p);
    auto latest = store->checkpoints().Latest(p);
    if (!latest.ok()) {  // a partition that never received an input has none
      REQUIRE(latest.status().code() == Status::Code::kNotFound);
      CHECK(Ok(store->events().Read(p, 1, 1)).empty());
      state.emplace_back();
      continue;
    }
    // Nothing after the checkpoint: it is the whole state.
    CHECK(Ok(store->events().Read(p, latest->sequence + 1, 1)).empty());
    Ok(DecodeCheckpoint(latest->bytes));  // decodes: not just any bytes
    state.push_back(std::move(latest->bytes));
  }
  return state;
}

TEST_CASE("kill -9 mid-stream: every acknowledged event is still there after the restart") {
  constexpr size_t kEvents = 20'000;
  const std::vector<Event> stream = ColocatedStream(kEvents);
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto start = [](const TempDir& where) { return StartCheckpointing(where, "16"); };

  // The run that is killed.
  auto node = start(dir);
  const KilledRun killed_run = StreamThenKill(*node, models.v1, stream);
  const uint64_t acked_before_kill = killed_run.acked;
  INFO(acked_before_kill << " events acknowledged before the kill");
  CHECK(acked_before_kill > 0);

  // Restarted on the same data dir: every acknowledged event is in its
  // partition (a resend finds each one a duplicate), then the rest follows.
  node = start(dir);
  {
    auto client = Ok(node->Connect(std::chrono::seconds(30)));
    CHECK(Ok(client->NodeStatus()).active_version == "v1");
    const std::vector<Event> prefix(stream.begin(), stream.begin() + acked_before_kill);
    SendStats prefix_resent = Ok(client->SendEvents(EventSourceFromVector(prefix), 200, 1));
    CHECK(prefix_resent.accepted == 0);
    CHECK(prefix_resent.duplicates == acked_before_kill);
    SendStats resent = Ok(client->SendEvents(EventSourceFromVector(stream), 200, 1));
    CHECK(resent.acknowledged == kEvents);
    CHECK(resent.accepted + resent.duplicates == kEvents);
  }
  CHECK(Ok(node->Terminate()) == 0);

  // The same stream into a node that is never killed.
  TempDir clean_dir;
  auto clean = start(clean_dir);
  {
    auto client = Ok(clean->Connect(std::chrono::seconds(30)));
    REQUIRE(Ok(Serve(*client, models.v1)) == "v1");
    CHECK(Ok(client->SendEvents(EventSourceFromVector(stream), 200, 1)).accepted == kEvents);
  }
  CHECK(Ok(clean->Terminate()) == 0);

  // Every partition's whole state (deltas, arm evidence and bandit
  // statistics, pending predictions, de-duplication window, outbox, clock,
  // Rng, log position) is the same, byte for byte.
  const std::vector<std::string> recovered = WholeState(dir.File("data"));
  const std::vector<std::string> uninterrupted = WholeState(clean_dir.File("data"));
  REQUIRE(recovered.size() == uninterrupted.size());
  size_t partitions_with_state = 0;
  for (size_t p = 0; p < recovered.size(); ++p) {
    INFO("partition " << p);
    CHECK(recovered[p] == uninterrupted[p]);
    partitions_with_state += !recovered[p].empty();
  }
  CHECK(partitions_with_state >= 8);  // the stream reaches most partitions
}

TEST_CASE("kill -9 of a one-partition node: restart plus resend equals a run that never crashed, bit for bit") {
  // One partition and one batch in flight make the order of every input
  // deterministic, so the states of the two runs can be compared exactly;
  // a checkpoint every 500 inputs makes recovery use checkpoint + log suffix.
  const std::vector<Event> stream = Stream(6'000);
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto start = [](const TempDir& where) { return StartCheckpointing(where, "1"); };
  auto send_all = [&](Client& client) {
    return Ok(client.SendEvents(EventSourceFromVector(stream), 200, 1));
  };

  auto node = start(dir);
  const uint64_t acked = StreamThenKill(*node, models.v1, stream).acked;
  node = start(dir);
  auto client = Ok(node->Connect(std::chrono::seconds(30)));
  SendStats resent = send_all(*client);
  CHECK(resent.duplicates >= acked);
  CHECK(resent.accepted + resent.duplicates == stream.size());

  TempDir clean_dir;
  auto clean = start(clean_dir);
  auto clean_client = Ok(clean->Connect(std::chrono::seconds(30)));
  REQUIRE(Ok(Serve(*clean_client, models.v1)) == "v1");
  CHECK(send_all(*clean_client).accepted == stream.size());

  // Predict reads travel at high priority and may overtake the last batch's
  // arm updates still queued at the partition; a status request (normal
  // priority, it flushes them) lets both nodes settle before comparing.
  CHECK(Ok(Counter(*client, "partition_outbox")) == 0);
  CHECK(Ok(Counter(*clean_client, "partition_outbox")) == 0);
  for (const char* user : {"k0", "k17", "k123", "k399"}) {
    for (const char* item : {"i0", "i9", "i33"}) {
      INFO(user << " " << item);
      CHECK(Ok(Score(*client, user, item)) == Ok(Score(*clean_client, user, item)));
    }
  }
}

}  // namespace
}  // namespace driftline::e2e
