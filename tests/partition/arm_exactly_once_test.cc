// Arm updates are applied exactly once by construction (source ordinals and
// per-source high-water marks, learning/arm_update_delivery.h): a hot arm fed
// by every partition, crashes before any operation, restart, redelivery and
// resend give the whole state of every partition (deltas, arm evidence,
// pending predictions, de-duplication state, outboxes), byte for byte, of a
// run that never crashed.
#include <catch2/catch.hpp>

#include "cluster/partitioner.h"
#include "common/rng.h"
#include "tests/partition/journal_cluster.h"

using namespace driftline;
using driftline::storage::testing::MemoryStore;
using driftline::storage::testing::RocksStore;
using driftline::testing::Batch;
using driftline::testing::JournalCluster;

namespace {

constexpr uint32_t kPartitions = 16;

OnlineOptions Online() {
  OnlineOptions o;
  o.pending_ttl_ms = 1'000;  // some predictions expire and learn the default label
  o.default_label = 0;
  o.delta_bits = 12;
  return o;
}

JournalOptions Journal() {
  JournalOptions o;
  o.checkpoint_every = 7;  // automatic checkpoints (and truncations) at many points
  return o;
}

// Users by partition, so each batch goes to one partition.
std::vector<std::vector<std::string>> UsersByPartition() {
  std::vector<std::vector<std::string>> users(kPartitions);
  for (int i = 0; users[kPartitions - 1].size() < 4 || users[0].size() < 4; ++i) {
    std::string u = "user" + std::to_string(i);
    users[PartitionOf(u, kPartitions)].push_back(u);
  }
  for (auto& list : users) REQUIRE(!list.empty());
  return users;
}

// Batches round-robin over every partition: labelled events mostly for the
// hot arm, predictions of it and their outcomes, some expiring unanswered.
std::vector<Batch> Workload(size_t steps, uint64_t seed) {
  const auto users = UsersByPartition();
  Rng rng(seed);
  std::vector<Batch> batches;
  int64_t ts = 1'000;
  std::vector<std::pair<uint32_t, PendingPrediction>> open;
  for (size_t k = 0; k < steps; ++k) {
    Batch b;
    b.partition = static_cast<uint32_t>(k % kPartitions);
    const auto& pool = users[b.partition];
    for (int i = 0; i < 5; ++i) {
      ts += 10;
      Event e;
      e.ts_ms = ts;
      e.user = pool[rng.NextBelow(pool.size())];
      e.item = rng.NextDouble() < 0.7 ? "hot" : "item" + std::to_string(rng.NextBelow(9));
      e.label = rng.NextDouble() < 0.4 ? 1 : 0;
      e.event_id = "e" + std::to_string(k) + "." + std::to_string(i);
      e.features = {{"ctx", {{"f" + std::to_string(rng.NextBelow(4)), 1.0}}}};
      b.inputs.push_back(EventInput{e, 0.1 * static_cast<double>(i) - 0.2, 0.05});
    }
    PredictionInput p;
    p.prediction.prediction_id = "p" + std::to_string(k);
    p.prediction.user = pool[0];
    p.prediction.chosen = "hot";
    p.prediction.ts_ms = ts;
    p.prediction.base_logit = 0.3;
    p.prediction.features = {{"ctx", {{"f1", 1.0}}}};
    b.inputs.push_back(p);
    if (k >= kPartitions && k % 3 == 0) {  // answer the prediction made one round ago
      Event outcome;
      outcome.ts_ms = ts;
      outcome.user = users[b.partition][0];
      outcome.label = 1;
      outcome.event_id = "o" + std::to_string(k);
      outcome.prediction_id = "p" + std::to_string(k - kPartitions);
      b.inputs.push_back(EventInput{outcome, 0, 0});
    }
    batches.push_back(std::move(b));
  }
  return batches;
}

std::vector<std::string> Uncrashed(const std::vector<Batch>& batches) {
  JournalCluster<MemoryStore> cluster(kPartitions, Online(), Journal());
  cluster.Run(batches);
  return cluster.CheckpointBytes();
}

std::set<uint64_t> RandomCrashes(uint64_t seed, uint64_t ops, uint64_t one_in) {
  Rng rng(seed);
  std::set<uint64_t> out;
  for (uint64_t op = 0; op < ops; ++op) {
    if (rng.NextBelow(one_in) == 0) out.insert(op);
  }
  return out;
}

}  // namespace

TEST_CASE("the uncrashed run feeds the hot arm from every partition and confirms everything") {
  const auto batches = Workload(96, 1);
  JournalCluster<MemoryStore> cluster(kPartitions, Online(), Journal());
  cluster.Run(batches);
  const uint32_t hot = PartitionOf("hot", kPartitions);
  const ArmState* arm = cluster.journal(hot).learner().state().FindArm("hot");
  REQUIRE(arm != nullptr);
  // Every labelled event, joined outcome and expired prediction for "hot"
  // added exactly one unit of evidence.
  uint64_t expected = 0;
  for (const auto& b : batches) {
    for (const auto& in : b.inputs) {
      if (const auto* e = std::get_if<EventInput>(&in); e && e->event.item == "hot") ++expected;
    }
  }
  uint64_t from_predictions = 0;
  for (uint32_t p = 0; p < kPartitions; ++p) {
    const auto& c = cluster.journal(p).learner().counters();
    from_predictions += c.outcomes_joined + c.expired_labelled;
    REQUIRE(cluster.journal(p).outbox_size() == 0);
    if (p != hot) REQUIRE(cluster.journal(hot).ArmHighWater(p).sequence > 0);  // fed by every partition
  }
  REQUIRE(from_predictions > 0);
  CHECK(arm->successes + arm->failures == static_cast<double>(expected + from_predictions));
}

TEMPLATE_TEST_CASE("crashes at random points leave every partition's whole state as if none happened",
                   "", MemoryStore, RocksStore) {
  const auto batches = Workload(96, 1);
  const auto expected = Uncrashed(batches);
  // RocksDB reopens cost ~0.3 s each on a small machine: fewer crashes there.
  const bool rocks = std::is_same_v<TestType, RocksStore>;
  const uint64_t one_in = rocks ? GENERATE(19, 47) : GENERATE(5, 11, 23);
  JournalCluster<TestType> cluster(kPartitions, Online(), Journal());
  cluster.CrashBefore(RandomCrashes(one_in, 4'000, one_in));
  cluster.Run(batches);
  INFO("crashes: " << cluster.crashes() << " over " << cluster.operations() << " operations");
  REQUIRE(cluster.crashes() > 10);
  const auto after = cluster.CheckpointBytes();
  for (uint32_t p = 0; p < kPartitions; ++p) {
    INFO("partition " << p);
    CHECK(after[p] == expected[p]);
  }
}

TEST_CASE("a crash before each single operation, one at a time, changes no partition's state") {
  const auto batches = Workload(48, 2);
  const auto expected = Uncrashed(batches);
  JournalCluster<MemoryStore> probe(kPartitions, Online(), Journal());
  probe.Run(batches);
  const uint64_t ops = probe.operations();
  REQUIRE(ops > 200);
  for (uint64_t op = 0; op < ops; op += 2) {
    JournalCluster<MemoryStore> cluster(kPartitions, Online(), Journal());
    cluster.CrashBefore({op});
    cluster.Run(batches);
    INFO("crash before operation " << op);
    REQUIRE(cluster.crashes() == 1);
    REQUIRE(cluster.CheckpointBytes() == expected);
  }
}
