// Invariant 7: the node and the offline evaluator learn with the same code,
// so a replay through the node and a replay in-process give the same scores.
#include <catch2/catch.hpp>

#include "learning/base_model.h"
#include "learning/logistic.h"
#include "learning/model_input.h"
#include "learning/online_step.h"
#include "learning/partition_learner.h"
#include "tests/actors/node_harness.h"
#include "tests/learning/synthetic_events.h"

using namespace driftline;
using namespace driftline::testing;

TEST_CASE("a replay through the node and the same replay in-process give identical scores") {
  NodeHarness h(/*partitions=*/1);
  const ModelArtifact artifact = SmallModel("v1");
  h.Activate(artifact);
  const BaseModel base(artifact);
  OnlineOptions online;
  online.pending_ttl_ms = 60'000;  // as the harness starts the node
  PartitionLearner offline(0, online, /*seed=*/1);

  const std::vector<Event> events = SyntheticEvents(150, 77);
  for (const Event& e : events) {
    // Through the node, one event per batch (the evaluator's order: read the
    // arm's delta, learn the user's layer, then the arm's).
    REQUIRE(h.Send({e}).accepted == 1);
    // In-process, the way the evaluator does it.
    const SparseFeatures x = DeltaFeatures(e, online);
    EventInput input{e, base.Logit(ModelInput(e)), offline.Arm(e.item, x).logit};
    for (const ArmUpdateInput& u : offline.Apply(input).arm_updates) offline.Apply(u);
  }

  // Predict reads travel at high priority and may overtake arm updates still
  // queued at the partition; a status request (normal priority) settles them.
  REQUIRE(h.Counter("partition_outbox") == 0);
  const FeatureSet candidate = {{"item", {{"genre=1", 1.0}}}};
  for (const std::string user : {"u0", "u7", "u13", "u39"}) {
    const PredictReply reply = h.Predict(user, {"i1", "i4", "i22"});
    REQUIRE_FALSE(reply.fallback);
    for (const ScoredCandidate& s : reply.scores) {
      const SparseFeatures x = DeltaFeatures(user, s.item, candidate, online);
      const double logit = base.Logit(ModelInput(user, s.item, candidate)) +
                           offline.UserLogit(user, x) + offline.Arm(s.item, x).logit;
      INFO(user << " " << s.item);
      REQUIRE(s.probability == Sigmoid(logit));  // bit for bit
    }
  }
}
