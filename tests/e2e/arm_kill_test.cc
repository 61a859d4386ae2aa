// Arm updates are exactly-once through a real kill -9: a hot arm fed by users
// of every partition, the node killed mid-stream (many batches and their arm
// updates in flight), restarted, the whole stream resent. The hot arm's Beta
// evidence (successes + failures: order-independent, so it can be compared
// exactly whatever order the updates arrived in) must equal the number of
// labelled events for it: none lost, none applied twice.
#include <atomic>
#include <future>
#include <thread>

#include "actors/partition_journal.h"
#include "cluster/partitioner.h"
#include "storage/rocks_node_store.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

constexpr uint32_t kPartitions = 16;

std::vector<Event> HotStream(size_t n) {
  std::vector<Event> events;
  for (size_t i = 0; i < n; ++i) {
    Event e = Labelled("hot-user" + std::to_string(i % 500), "hot-arm", (i * 5) % 3 == 0 ? 1 : 0,
                       "hot:" + std::to_string(i));
    e.ts_ms = kTestTs + static_cast<int64_t>(i);
    events.push_back(std::move(e));
  }
  return events;
}

// Waits until every partition's outbox is empty (every arm update confirmed
// by its arm's partition); the node resends unconfirmed ones every second.
void AwaitConfirmed(Client& client) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int64_t outbox = -1;
  while (std::chrono::steady_clock::now() < give_up) {
    outbox = Ok(Counter(client, "partition_outbox"));
    if (outbox == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO("partition_outbox " << outbox);
  FAIL("arm updates stayed unconfirmed");
}

// The hot arm's evidence as its partition holds it durably (checkpoint plus
// log replay), read from the data dir of a stopped node.
double DurableEvidence(const std::string& data_dir) {
  auto store = Ok(storage::RocksNodeStore::Open(data_dir, storage::StorageOptions()));
  const uint32_t p = PartitionOf("hot-arm", kPartitions);
  JournalOptions options;
  options.partitions = kPartitions;
  OnlineOptions online;  // the node's defaults
  auto journal = Ok(PartitionJournal::Recover(p, online, 1 + p, store->events(),
                                              store->checkpoints(), options));
  const ArmState* arm = journal->learner().state().FindArm("hot-arm");
  REQUIRE(arm != nullptr);
  std::set<uint32_t> sources;
  for (uint32_t s = 0; s < kPartitions; ++s) {
    if (journal->ArmHighWater(s).sequence > 0) sources.insert(s);
  }
  CHECK(sources.size() == kPartitions);  // fed by every partition
  return arm->successes + arm->failures;
}

TEST_CASE("kill -9 with a hot arm fed by every partition: its evidence counts each labelled event exactly once") {
  constexpr size_t kEvents = 20'000;
  const std::vector<Event> stream = HotStream(kEvents);
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = dir.File("data");
  config.log_path = dir.File("node.log");
  config.extra_flags = {"--partitions", "16", "--checkpoint-every", "300"};

  auto node = Ok(NodeProcess::Start(config));
  {
    auto admin = Ok(node->Connect());
    REQUIRE(Ok(Serve(*admin, models.v1)) == "v1");
  }
  std::atomic<uint64_t> acked{0};
  auto sender = Ok(node->Connect(std::chrono::seconds(5)));
  auto sending = std::async(std::launch::async, [&] {
    return sender->SendEvents(EventSourceFromVector(stream), 100, 8,
                              [&acked](const SendStats& s) { acked = s.acknowledged; });
  });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (acked < 5'000 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(acked >= 5'000);
  node->Kill();
  (void)sending.get();  // fails when the node dies mid-batch: the resend below covers it
  INFO(acked.load() << " events acknowledged before the kill");

  node = Ok(NodeProcess::Start(config));
  auto client = Ok(node->Connect(std::chrono::seconds(30)));
  SendStats resent = Ok(client->SendEvents(EventSourceFromVector(stream), 100, 8));
  CHECK(resent.accepted + resent.duplicates == kEvents);
  CHECK(resent.duplicates >= acked.load());
  AwaitConfirmed(*client);
  client.reset();
  REQUIRE(Ok(node->Terminate()) == 0);
  CHECK(DurableEvidence(config.data_dir) == static_cast<double>(kEvents));
}

}  // namespace
}  // namespace driftline::e2e
