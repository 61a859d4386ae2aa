// A new base model and the old deltas through a real node process: the
// activation's delta transform is logged in the partition, so after kill -9
// and a restart the state equals, byte for byte, a run that never crashed;
// `driftline model activate --deltas` refuses a bad factor and changes
// nothing.
#include <atomic>
#include <fstream>
#include <future>
#include <thread>

#include "protocol/codec.h"
#include "storage/rocks_node_store.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

std::vector<Event> Stream(size_t n, const std::string& prefix, int64_t from_ts) {
  std::vector<Event> events;
  for (size_t i = 0; i < n; ++i) {
    Event e = Labelled("s" + std::to_string(i % 300), "i" + std::to_string(i % 40),
                       (i * 7) % 3 == 0 ? 1 : 0, prefix + std::to_string(i));
    e.ts_ms = from_ts + static_cast<int64_t>(i);
    events.push_back(std::move(e));
  }
  return events;
}

// One partition (every input's order is fixed with one batch in flight),
// checkpoints every 500 inputs (recovery = checkpoint + log suffix).
std::unique_ptr<NodeProcess> StartOnePartition(const TempDir& where) {
  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = where.File("data");
  config.log_path = where.File("node.log");
  config.extra_flags = {"--partitions", "1", "--checkpoint-every", "500"};
  return Ok(NodeProcess::Start(config));
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// v1 active, `first` learned, v2 registered and activated with decay:0.5.
void LearnThenSwitch(Client& client, const TrainedModels& models, const std::vector<Event>& first) {
  REQUIRE(Ok(Serve(client, models.v1)) == "v1");
  REQUIRE(Ok(client.SendEvents(EventSourceFromVector(first), 200, 1)).accepted == first.size());
  REQUIRE(Ok(client.RegisterModel(ReadAll(models.v2))).version == "v2");
  const ModelReply switched = Ok(client.ActivateModel("v2", DeltaTransform::Decay(0.5)));
  REQUIRE(switched.version == "v2");
  REQUIRE(*switched.deltas == DeltaTransform::Decay(0.5));
}

// The one partition's whole state of a stopped node: its latest checkpoint
// (a clean stop checkpoints and empties the log), canonical bytes.
std::string WholeState(const std::string& data_dir) {
  auto store = Ok(storage::RocksNodeStore::Open(data_dir, storage::StorageOptions{}));
  auto latest = Ok(store->checkpoints().Latest(0));
  CHECK(Ok(store->events().Read(0, latest.sequence + 1, 1)).empty());
  const PartitionSnapshot snapshot = Ok(DecodeCheckpoint(latest.bytes));
  CHECK(snapshot.model_version == "v2");
  CHECK(snapshot.model_activation == 2);
  return latest.bytes;
}

TEST_CASE("kill -9 after an activation with decay: the restarted state equals a run that never crashed") {
  const std::vector<Event> first = Stream(1'500, "before:", kTestTs);
  const std::vector<Event> second = Stream(4'000, "after:", kTestTs + 10'000);
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));

  // Killed while streaming the events after the activation.
  auto node = StartOnePartition(dir);
  uint64_t acked_before_kill = 0;
  {
    auto admin = Ok(node->Connect());
    LearnThenSwitch(*admin, models, first);
    std::atomic<uint64_t> acked{0};
    auto sender = Ok(node->Connect(std::chrono::seconds(5)));
    auto sending = std::async(std::launch::async, [&] {
      return sender->SendEvents(EventSourceFromVector(second), 100, 1,
                                [&acked](const SendStats& s) { acked = s.acknowledged; });
    });
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (acked < 600 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(acked >= 600);
    node->Kill();
    REQUIRE_FALSE(sending.get().ok());  // the kill landed mid-stream
    acked_before_kill = acked;
  }
  INFO(acked_before_kill << " events after the activation acknowledged before the kill");
  node = StartOnePartition(dir);
  {
    auto client = Ok(node->Connect(std::chrono::seconds(30)));
    CHECK(Ok(client->NodeStatus()).active_version == "v2");
    // (The start re-sends the activation: a duplicate, not a second decay;
    // the state comparison below would show a second one.)
    SendStats resent = Ok(client->SendEvents(EventSourceFromVector(second), 100, 1));
    CHECK(resent.duplicates >= acked_before_kill);
    CHECK(resent.accepted + resent.duplicates == second.size());
  }
  CHECK(Ok(node->Terminate()) == 0);

  TempDir clean_dir;
  auto clean = StartOnePartition(clean_dir);
  {
    auto client = Ok(clean->Connect(std::chrono::seconds(30)));
    LearnThenSwitch(*client, models, first);
    CHECK(Ok(Counter(*client, "partition_model_switches")) == 2);  // v1 and v2
    CHECK(Ok(client->SendEvents(EventSourceFromVector(second), 100, 1)).accepted == second.size());
  }
  CHECK(Ok(clean->Terminate()) == 0);

  // (No predict before the comparison: a predict logs a pending prediction
  // whose id names the node's incarnation, which differs between the runs.)
  CHECK(WholeState(dir.File("data")) == WholeState(clean_dir.File("data")));
}

TEST_CASE("driftline model activate --deltas: a bad factor is a usage error and changes nothing") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto node = StartOnePartition(dir);
  auto client = Ok(node->Connect());
  REQUIRE(Ok(Serve(*client, models.v1)) == "v1");
  REQUIRE(Ok(client->SendEvents(EventSourceFromVector(Stream(300, "e:", kTestTs)), 100, 1)).accepted == 300);
  REQUIRE(Ok(client->RegisterModel(ReadAll(models.v2))).version == "v2");
  const double before = Ok(Score(*client, "s7", "i7"));
  for (const char* bad : {"decay:1.5", "decay:0", "decay:x", "shrink"}) {
    INFO(bad);
    const std::vector<std::string> args = {DriftlineBinary(), "model", "activate", "--node",
                                           node->endpoint(), "v2", "--deltas", bad};
    const int code = Ok(RunToCompletion(args, dir.File("out"), dir.File("err"), std::chrono::seconds(60)));
    CHECK(code == 2);
    CHECK(ReadFileOrEmpty(dir.File("err")).find("--deltas") != std::string::npos);
  }
  CHECK(Ok(client->NodeStatus()).active_version == "v1");
  CHECK(Ok(Score(*client, "s7", "i7")) == before);
  // And a good one goes through, printing what it did.
  const std::vector<std::string> args = {DriftlineBinary(), "model", "activate", "--node",
                                         node->endpoint(), "v2", "--deltas", "reset"};
  CHECK(Ok(RunToCompletion(args, dir.File("out"), dir.File("err"), std::chrono::seconds(60))) == 0);
  CHECK(ReadFileOrEmpty(dir.File("out")) == "v2\n");
  CHECK(ReadFileOrEmpty(dir.File("err")).find("deltas: reset") != std::string::npos);
  CHECK(Ok(Counter(*client, "partition_model_switches")) == 2);  // v1 and v2
  CHECK(Ok(node->Terminate()) == 0);
}

}  // namespace
}  // namespace driftline::e2e
