// Durability through a real node process: a clean stop (SIGTERM) and a
// restart serve the same model and state; a node killed with SIGKILL
// mid-stream still has every event it acknowledged after its restart.
#include <atomic>
#include <csignal>
#include <future>
#include <thread>

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

struct Counts {
  int64_t users = 0;
  int64_t arms = 0;
};

Counts StateCounts(Client& client) {
  return {Ok(Counter(client, "partition_users")), Ok(Counter(client, "partition_arms"))};
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
  return {acked.load(), whole};
}

TEST_CASE("kill -9 mid-stream: every acknowledged event is still there after the restart") {
  constexpr size_t kEvents = 60'000;
  const std::vector<Event> stream = Stream(kEvents);
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));

  // The run that is killed.
  auto node = Ok(StartNode(dir));
  const KilledRun killed_run = StreamThenKill(*node, models.v1, stream);
  const uint64_t acked_before_kill = killed_run.acked;
  INFO(acked_before_kill << " events acknowledged before the kill");
  if (killed_run.whole_stream_acked) WARN("the whole stream was acknowledged before the kill");
  CHECK(acked_before_kill > 0);

  // Restarted on the same data dir: every acknowledged event is in its
  // partition (a resend finds each one a duplicate).
  node = Ok(StartNode(dir));
  auto client = Ok(node->Connect(std::chrono::seconds(30)));
  CHECK(Ok(client->NodeStatus()).active_version == "v1");
  auto resender = Ok(node->Connect(std::chrono::seconds(30)));
  const std::vector<Event> prefix(stream.begin(), stream.begin() + acked_before_kill);
  SendStats prefix_resent = Ok(resender->SendEvents(EventSourceFromVector(prefix), 500, 8));
  CHECK(prefix_resent.accepted == 0);
  CHECK(prefix_resent.duplicates == acked_before_kill);
  SendStats resent = Ok(resender->SendEvents(EventSourceFromVector(stream), 500, 8));
  CHECK(resent.acknowledged == kEvents);
  CHECK(resent.duplicates >= acked_before_kill);
  CHECK(resent.accepted + resent.duplicates == kEvents);
  const Counts killed = StateCounts(*client);

  // The same stream into a node that is never killed: the same state.
  TempDir clean_dir;
  auto clean = Ok(StartNode(clean_dir));
  auto clean_client = Ok(clean->Connect(std::chrono::seconds(30)));
  REQUIRE(Ok(Serve(*clean_client, models.v1)) == "v1");
  SendStats clean_sent = Ok(clean_client->SendEvents(EventSourceFromVector(stream), 500, 8));
  CHECK(clean_sent.accepted == kEvents);
  const Counts uninterrupted = StateCounts(*clean_client);
  CHECK(killed.users == uninterrupted.users);
  CHECK(killed.arms == uninterrupted.arms);
  CHECK(uninterrupted.users == 400);
}

TEST_CASE("kill -9 of a one-partition node: restart plus resend equals a run that never crashed, bit for bit") {
  // One partition and one batch in flight make the order of every input
  // deterministic, so the states of the two runs can be compared exactly;
  // a checkpoint every 500 inputs makes recovery use checkpoint + log suffix.
  const std::vector<Event> stream = Stream(6'000);
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto start = [&](const TempDir& where) {
    NodeConfig config;
    config.binary = DriftlineBinary();
    config.data_dir = where.File("data");
    config.log_path = where.File("node.log");
    config.extra_flags = {"--partitions", "1", "--checkpoint-every", "500"};
    return Ok(NodeProcess::Start(config));
  };
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
