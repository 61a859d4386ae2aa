// Bounded online state with a real node process (issue 6 item 7):
// `driftline forget` is logged before it is acknowledged, so after a kill -9
// and a restart the user is still gone, and the partition's state equals a
// run that never saw the user in everything the user could touch; bad user
// ids get a clear error from every door; eviction by event time is counted
// and its option is part of the data dir's fingerprint.
#include <algorithm>
#include <chrono>

#include "cluster/partitioner.h"
#include "protocol/codec.h"
#include "storage/rocks_node_store.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

constexpr const char* kForgotten = "e2e-forget-me";

std::unique_ptr<NodeProcess> StartOnePartition(const TempDir& where,
                                               std::vector<std::string> extra = {}) {
  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = where.File("data");
  config.log_path = where.File("node.log");
  config.extra_flags = {"--partitions", "1", "--checkpoint-every", "100"};
  config.extra_flags.insert(config.extra_flags.end(), extra.begin(), extra.end());
  return Ok(NodeProcess::Start(config));
}

// Other users on shared items; the forgotten user on items only they touch
// (so the arm state of every shared item is the same with or without them).
// Sent one event per batch, one batch in flight: every event then reads its
// arm after every earlier update, whichever events are left out.
std::vector<Event> Stream(bool with_forgotten) {
  std::vector<Event> events;
  for (int i = 0; i < 900; ++i) {
    const bool theirs = i % 6 == 3;
    if (theirs && !with_forgotten) continue;
    Event e = theirs ? Labelled(kForgotten, "only-theirs-" + std::to_string(i % 4), i % 2,
                                "fg:" + std::to_string(i))
                     : Labelled("k" + std::to_string(i % 37), "i" + std::to_string(i % 11),
                                (i * 7) % 3 == 0 ? 1 : 0, "fg:" + std::to_string(i));
    e.ts_ms = kTestTs + i;
    events.push_back(std::move(e));
  }
  return events;
}

// Predicts for the forgotten user (when present) and for two others, at
// fixed event times: their pending predictions are logged before the reply.
void PredictSome(Client& client, bool with_forgotten) {
  std::vector<std::string> users = {"k1", "k2"};
  if (with_forgotten) users.push_back(kForgotten);
  for (const std::string& user : users) {
    PredictRequest r;
    r.user = user;
    r.ts_ms = kTestTs + 1000;
    r.deadline_ms = 5000;
    r.candidates = {{user == kForgotten ? "only-theirs-1" : "i3", {}}};
    PredictReply reply = Ok(client.Predict(r, std::chrono::seconds(15)));
    REQUIRE(reply.joinable);
  }
}

// The one partition's state after a clean stop (its checkpoint is all of it).
PartitionSnapshot StateOf(const std::string& data_dir) {
  auto store = Ok(storage::RocksNodeStore::Open(data_dir, storage::StorageOptions{}));
  auto latest = Ok(store->checkpoints().Latest(0));
  REQUIRE(Ok(store->events().Read(0, latest.sequence + 1, 1)).empty());
  return Ok(DecodeCheckpoint(latest.bytes));
}

std::string RunCli(const TempDir& dir, const std::string& name, const std::vector<std::string>& args,
                   int* code) {
  std::vector<std::string> argv = {DriftlineBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  *code = Ok(RunToCompletion(argv, dir.File(name + ".out"), dir.File(name + ".err"),
                             std::chrono::seconds(60)));
  return ReadFileOrEmpty(dir.File(name + ".out")) + ReadFileOrEmpty(dir.File(name + ".err"));
}

TEST_CASE("forget, kill -9, restart: the user is gone and everything else equals a run that never saw them") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));

  auto node = StartOnePartition(dir);
  {
    auto client = Ok(node->Connect(std::chrono::seconds(30)));
    REQUIRE(Ok(Serve(*client, models.v1)) == "v1");
    REQUIRE(Ok(client->SendEvents(EventSourceFromVector(Stream(true)), 1, 1)).accepted == 900);
    PredictSome(*client, true);
    Ok(client->NodeStatus());  // settles queued arm updates
  }
  int code = 0;
  const std::string said =
      RunCli(dir, "forget", {"forget", "--node", node->endpoint(), "--user", kForgotten}, &code);
  INFO("driftline forget said: " << said);
  REQUIRE(code == 0);
  CHECK(said.find("forgot user e2e-forget-me (partition 0): delta removed, 1 pending prediction(s)") !=
        std::string::npos);
  node->Kill();  // right after the acknowledgement

  node = StartOnePartition(dir);
  {
    auto client = Ok(node->Connect(std::chrono::seconds(30)));
    CHECK(Ok(Counter(*client, "partition_pending")) == 2);
    // Forgetting again finds nothing: the first forget survived the kill.
    ForgetUserReply again = Ok(client->ForgetUser(kForgotten));
    CHECK_FALSE(again.delta_removed);
    CHECK(again.pending_removed == 0);
    CHECK(again.replay_removed == 0);
  }
  REQUIRE(Ok(node->Terminate()) == 0);
  const PartitionSnapshot forgot = StateOf(dir.File("data"));

  TempDir clean_dir;
  auto clean = StartOnePartition(clean_dir);
  {
    auto client = Ok(clean->Connect(std::chrono::seconds(30)));
    REQUIRE(Ok(Serve(*client, models.v1)) == "v1");
    REQUIRE(Ok(client->SendEvents(EventSourceFromVector(Stream(false)), 1, 1)).accepted == 750);
    PredictSome(*client, false);
    Ok(client->NodeStatus());
  }
  REQUIRE(Ok(clean->Terminate()) == 0);
  const PartitionSnapshot never_saw = StateOf(clean_dir.File("data"));

  // Nothing keyed by the user is left.
  for (const auto& u : forgot.users) CHECK(u.user != kForgotten);
  for (const auto& p : forgot.pending) CHECK(p.user != kForgotten);
  for (const auto& r : forgot.replay) CHECK(r.event.user != kForgotten);
  // Every other user's delta, every pending prediction, the reservoir, the
  // clock and every shared arm are exactly those of the run without them.
  CHECK(forgot.users == never_saw.users);
  // Prediction ids name the node incarnation that made them: compared apart.
  auto without_ids = [](std::vector<PendingPrediction> pending) {
    for (auto& p : pending) p.prediction_id.clear();
    return pending;
  };
  CHECK(forgot.pending.size() == 2);
  CHECK(without_ids(forgot.pending) == without_ids(never_saw.pending));
  CHECK(forgot.replay == never_saw.replay);
  CHECK(forgot.clock_ms == never_saw.clock_ms);
  CHECK(forgot.rng_state == never_saw.rng_state);
  CHECK(forgot.outbox.empty());
  CHECK(never_saw.outbox.empty());
  std::vector<ArmSnapshot> shared_arms;
  for (const auto& a : forgot.arms) {
    if (a.arm.rfind("only-theirs-", 0) != 0) shared_arms.push_back(a);
  }
  CHECK(shared_arms == never_saw.arms);
  // What stays, by design: the arms only they touched (an aggregate over
  // users, docs/architecture.md "Forgetting a user") and their event ids in
  // the de-duplication window (so a resend stays exactly-once).
  CHECK(shared_arms.size() + 2 == forgot.arms.size());  // only-theirs-1 and -3 (i = 6m + 3)
  auto event_ids = [](std::vector<std::string> ids, bool drop_theirs) {
    ids.erase(std::remove_if(ids.begin(), ids.end(),
                             [&](const std::string& id) {
                               if (id.rfind("pred/", 0) == 0) return true;  // incarnation-named
                               return drop_theirs && std::stoi(id.substr(3)) % 6 == 3;
                             }),
              ids.end());
    return ids;
  };
  CHECK(event_ids(forgot.recent_event_ids, true) == event_ids(never_saw.recent_event_ids, false));
  CHECK(event_ids(forgot.recent_event_ids, false).size() == 900);
}

TEST_CASE("forget refuses an empty, oversized or invalid UTF-8 user id with a clear error at every door") {
  TempDir dir;
  auto node = StartOnePartition(dir);
  auto client = Ok(node->Connect(std::chrono::seconds(30)));

  // The wire, from a separate process that validates nothing itself.
  const std::vector<std::pair<std::string, std::string>> raw = {
      {"forget-empty-user", "user must not be empty"},
      {"forget-long-user", "user is 1025 bytes long, more than the limit of 1024 bytes"},
      {"forget-bad-utf8-user", "user is not valid UTF-8 (bad byte at offset 3)"}};
  for (const auto& [kind, message] : raw) {
    INFO(kind);
    const int code = Ok(RunToCompletion({RawSenderBinary(), node->endpoint(), kind},
                                        dir.File(kind + ".out"), dir.File(kind + ".err"),
                                        std::chrono::seconds(60)));
    const std::string line = ReadFileOrEmpty(dir.File(kind + ".out"));
    INFO("raw_sender printed: " << line << ReadFileOrEmpty(dir.File(kind + ".err")));
    REQUIRE(code == 0);
    CHECK(line.rfind("error " + std::to_string(static_cast<int>(Status::Code::kInvalidArgument)) + " 0 ", 0) == 0);
    CHECK(line.find(message) != std::string::npos);
  }
  CHECK(Ok(Counter(*client, "endpoint_bad_frames")) == 3);
  CHECK(Ok(Counter(*client, "partition_forgotten_users")) == 0);

  // The CLI.
  int code = 0;
  std::string said = RunCli(dir, "cli-empty", {"forget", "--node", node->endpoint(), "--user", ""}, &code);
  CHECK(code != 0);
  CHECK(said.find("--user") != std::string::npos);
  said = RunCli(dir, "cli-long", {"forget", "--node", node->endpoint(), "--user", std::string(1025, 'u')},
                &code);
  CHECK(code != 0);
  CHECK(said.find("user is 1025 bytes long") != std::string::npos);
  said = RunCli(dir, "cli-utf8", {"forget", "--node", node->endpoint(), "--user", "ab\xff"}, &code);
  CHECK(code != 0);
  CHECK(said.find("user is not valid UTF-8") != std::string::npos);
  CHECK(Ok(Counter(*client, "partition_forgotten_users")) == 0);
  CHECK(Ok(Counter(*client, "coordinator_forgets")) == 0);
}

TEST_CASE("a node with --state-ttl-ms evicts idle users by event time, and a restart with another ttl is refused naming it") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto node = StartOnePartition(dir, {"--state-ttl-ms", "1000"});
  {
    auto client = Ok(node->Connect(std::chrono::seconds(30)));
    REQUIRE(Ok(Serve(*client, models.v1)) == "v1");
    std::vector<Event> events;
    for (int i = 0; i < 10; ++i) {
      Event e = Labelled("idle-" + std::to_string(i), "i1", 1, "ttl:" + std::to_string(i));
      e.ts_ms = kTestTs;
      events.push_back(e);
    }
    Event late = Labelled("late", "i2", 1, "ttl:late");
    late.ts_ms = kTestTs + 1001;  // every idle-* user was last touched 1001 ms before
    events.push_back(late);
    // Batches of 10: the idle users' arm updates reach i1 before the late
    // event moves the clock (touched at kTestTs, evicted with the users).
    REQUIRE(Ok(client->SendEvents(EventSourceFromVector(events), 10, 1)).accepted == 11);
    CHECK(Ok(Counter(*client, "partition_evicted_users")) == 10);
    CHECK(Ok(Counter(*client, "partition_users")) == 1);
    CHECK(Ok(Counter(*client, "partition_evicted_arms")) == 1);  // i1, touched at kTestTs
    CHECK(Ok(Counter(*client, "partition_arms")) == 1);
  }
  REQUIRE(Ok(node->Terminate()) == 0);
  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = dir.File("data");
  config.log_path = dir.File("node2.log");
  config.extra_flags = {"--partitions", "1", "--state-ttl-ms", "5000"};
  auto refused = NodeProcess::Start(config, std::chrono::seconds(20));
  REQUIRE_FALSE(refused.ok());
  CHECK(ReadFileOrEmpty(dir.File("node2.log")).find("state_ttl_ms was 1000") != std::string::npos);
}

}  // namespace
}  // namespace driftline::e2e
