// A new base model and the old deltas (issue 6 item 8): every activation and
// rollback carries a delta transform (keep, reset, decay:F) that every
// partition logs and applies at a batch boundary; a bad one is refused and
// changes nothing; an activation interrupted between the registry change and
// the partitions is completed at the next start, once.
#include <cmath>

#include <catch2/catch.hpp>

#include "actors/model_activation.h"
#include "learning/base_model.h"
#include "learning/logistic.h"
#include "learning/model_input.h"
#include "storage/memory_node_store.h"
#include "tests/actors/node_harness.h"

using namespace driftline;
using namespace driftline::testing;

namespace {

const std::vector<std::string> kItems = {"i1", "i2", "i3"};

void Register(NodeHarness& h, const ModelArtifact& artifact) {
  Message reply = h.Call(ModelRegisterRequest{900, EncodeArtifact(artifact)});
  REQUIRE(std::holds_alternative<ModelReply>(reply));
}

ModelReply Switch(NodeHarness& h, const std::string& version, std::optional<DeltaTransform> deltas) {
  Message reply = h.Call(ModelActivateRequest{901, version, deltas});
  INFO((std::holds_alternative<ErrorReply>(reply) ? std::get<ErrorReply>(reply).message : ""));
  REQUIRE(std::holds_alternative<ModelReply>(reply));
  return std::get<ModelReply>(reply);
}

// The logits the node serves for u1 on kItems (settled first).
std::vector<double> Served(NodeHarness& h) {
  h.Settle();
  const PredictReply reply = h.Predict("u1", kItems);
  REQUIRE_FALSE(reply.fallback);
  std::vector<double> logits;
  for (const std::string& item : kItems) {
    for (const auto& scored : reply.scores) {
      if (scored.item == item) logits.push_back(Logit(scored.probability));
    }
  }
  REQUIRE(logits.size() == kItems.size());
  return logits;
}

std::vector<double> BaseLogits(const ModelArtifact& artifact) {
  const BaseModel model(artifact);
  std::vector<double> logits;
  // The candidate features NodeHarness::Predict sends.
  const FeatureSet features = {{"item", {{"genre=1", 1.0}}}};
  for (const std::string& item : kItems) logits.push_back(model.Logit(ModelInput("u1", item, features)));
  return logits;
}

// Equal up to the rounding of sigmoid and back.
bool Close(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::fabs(a[i] - b[i]) > 1e-9) return false;
  }
  return true;
}

// u1 likes i1 and not i2: deltas on u1 and on both arms.
void Learn(NodeHarness& h, const std::string& prefix = "") {
  REQUIRE(h.Send(Labelled("u1", "i1", 1, 20, prefix + "like", 1'000)).accepted == 20);
  REQUIRE(h.Send(Labelled("u1", "i2", 0, 20, prefix + "dislike", 2'000)).accepted == 20);
}

std::string CheckpointBytes(storage::NodeStore& store, uint32_t partition) {
  auto latest = store.checkpoints().Latest(partition);
  REQUIRE(latest.ok());
  return latest->bytes;
}

}  // namespace

TEST_CASE("activation with keep, decay and reset changes the served deltas exactly as specified") {
  const ModelArtifact v1 = SmallModel("v1", 1), v2 = SmallModel("v2", 2), v3 = SmallModel("v3", 3);
  NodeHarness h(/*partitions=*/4);
  h.Activate(v1);
  Register(h, v2);
  Register(h, v3);
  Learn(h);
  const std::vector<double> before = Served(h), base1 = BaseLogits(v1);
  std::vector<double> deltas;
  for (size_t i = 0; i < kItems.size(); ++i) deltas.push_back(before[i] - base1[i]);
  REQUIRE(std::fabs(deltas[0]) > 1e-3);
  REQUIRE(std::fabs(deltas[1]) > 1e-3);

  // keep: the new base plus the same deltas.
  CHECK(*Switch(h, "v2", DeltaTransform::Keep()).deltas == DeltaTransform::Keep());
  const std::vector<double> kept = Served(h), base2 = BaseLogits(v2);
  for (size_t i = 0; i < kItems.size(); ++i) CHECK(kept[i] == Approx(base2[i] + deltas[i]).margin(1e-9));

  // decay:0.5: the new base plus half of them.
  CHECK(*Switch(h, "v3", DeltaTransform::Decay(0.5)).deltas == DeltaTransform::Decay(0.5));
  const std::vector<double> halved = Served(h), base3 = BaseLogits(v3);
  for (size_t i = 0; i < kItems.size(); ++i) {
    CHECK(halved[i] == Approx(base3[i] + 0.5 * deltas[i]).margin(1e-9));
  }

  // A bad factor is refused with a clear error, and nothing changes.
  Message refused = h.Call(ModelActivateRequest{902, "v1", DeltaTransform::Decay(1.5)});
  REQUIRE(std::holds_alternative<ErrorReply>(refused));
  CHECK(std::get<ErrorReply>(refused).code == Status::Code::kInvalidArgument);
  CHECK(std::get<ErrorReply>(refused).message.find("strictly between 0 and 1") != std::string::npos);
  Message refused_rollback = h.Call(ModelRollbackRequest{903, DeltaTransform::Decay(0.0)});
  REQUIRE(std::holds_alternative<ErrorReply>(refused_rollback));
  CHECK(Served(h) == halved);

  // rollback with reset: back to v2, deltas gone (and Beta evidence with them).
  Message rolled = h.Call(ModelRollbackRequest{904, DeltaTransform::Reset()});
  REQUIRE(std::holds_alternative<ModelReply>(rolled));
  CHECK(std::get<ModelReply>(rolled).version == "v2");
  CHECK(Close(Served(h), base2));
  CHECK(h.Counter("partition_model_switches") == 4 * 4);  // v1's activation too
  // Activating the active version changes nothing, the deltas included.
  Learn(h, "again-");
  const std::vector<double> relearned = Served(h);
  CHECK(*Switch(h, "v2", DeltaTransform::Reset()).deltas == DeltaTransform::Keep());
  CHECK(Served(h) == relearned);
  CHECK(h.Counter("partition_model_switches") == 4 * 4);
}

TEST_CASE("an activation without a transform uses the default; a restart neither repeats nor loses it") {
  const ModelArtifact v1 = SmallModel("v1", 1), v2 = SmallModel("v2", 2);
  auto store = std::make_shared<storage::MemoryNodeStore>();
  NodeHarness h(/*partitions=*/2, true, store);
  h.Activate(v1);
  Register(h, v2);
  Learn(h);
  CHECK(*Switch(h, "v2", std::nullopt).deltas == DefaultDeltaTransform());
  const std::vector<double> switched = Served(h);
  h.Restart();  // the start re-sends the last activation: a duplicate everywhere
  CHECK(Served(h) == switched);
  CHECK(h.Counter("partition_model_switches") == 0);
}

TEST_CASE("an activation interrupted after the registry changed is completed at the next start, once") {
  // Two one-partition nodes fed the same: one activates v2 with reset
  // normally; the other "crashes" after steps 1 and 2 of
  // actors/model_activation.h (record stored, registry changed), before any
  // partition heard of it. After its restart both hold the same state.
  const ModelArtifact v1 = SmallModel("v1", 1), v2 = SmallModel("v2", 2);
  auto clean_store = std::make_shared<storage::MemoryNodeStore>();
  auto crashed_store = std::make_shared<storage::MemoryNodeStore>();
  NodeHarness clean(1, true, clean_store), crashed(1, true, crashed_store);
  for (NodeHarness* h : {&clean, &crashed}) {
    h->Activate(v1);
    Register(*h, v2);
    Learn(*h);
    h->Settle();
  }
  Switch(clean, "v2", DeltaTransform::Reset());
  REQUIRE(clean.node().Stop().ok());

  REQUIRE(crashed.node().Stop().ok());
  REQUIRE(StoreModelActivationRecord(crashed_store->meta(), {2, "v1", DeltaTransform::Reset()}).ok());
  REQUIRE(crashed_store->models().Activate("v2").ok());
  crashed.Restart();
  CHECK(crashed.Counter("partition_model_switches") == 1);
  REQUIRE(crashed.node().Stop().ok());
  // The whole state (canonical checkpoint bytes; compared before any
  // predict, whose logged prediction id names the node's incarnation).
  CHECK(CheckpointBytes(*clean_store, 0) == CheckpointBytes(*crashed_store, 0));

  crashed.Restart();  // and only once
  CHECK(crashed.Counter("partition_model_switches") == 0);
  CHECK(Close(Served(crashed), BaseLogits(v2)));
}

TEST_CASE("an activation interrupted before the registry changed switches nothing at the next start") {
  const ModelArtifact v1 = SmallModel("v1", 1), v2 = SmallModel("v2", 2);
  auto store = std::make_shared<storage::MemoryNodeStore>();
  NodeHarness h(1, true, store);
  h.Activate(v1);
  Register(h, v2);
  Learn(h);
  const std::vector<double> learned = Served(h);
  REQUIRE(h.node().Stop().ok());
  // Step 1 done (the record of activation 2, from v1), step 2 not.
  REQUIRE(StoreModelActivationRecord(store->meta(), {2, "v1", DeltaTransform::Reset()}).ok());
  h.Restart();
  CHECK(Served(h) == learned);
  CHECK(h.Counter("partition_model_switches") == 0);
  
}
