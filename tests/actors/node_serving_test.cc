#include <catch2/catch.hpp>

#include "cluster/partitioner.h"
#include "tests/actors/node_harness.h"

using namespace driftline;
using namespace driftline::testing;

namespace {
double Score(const PredictReply& r, const std::string& item) {
  for (const auto& s : r.scores) {
    if (s.item == item) return s.probability;
  }
  FAIL("no score for " << item);
  return 0;
}
}  // namespace

TEST_CASE("without an active model a predict is refused with a clear error") {
  NodeHarness h;
  PredictRequest request{1, "u1", {}, {{"i1", {}}}, 100, false, 0};
  Message reply = h.Call(request);
  REQUIRE(std::holds_alternative<ErrorReply>(reply));
  REQUIRE(std::get<ErrorReply>(reply).message.find("no base model is active") != std::string::npos);
}

TEST_CASE("a predict scores every candidate with the active model and names its version") {
  NodeHarness h;
  h.Activate(SmallModel("v1"));
  PredictReply r = h.Predict("u3", {"i1", "i2", "i7"});
  REQUIRE(r.model_version == "v1");
  REQUIRE(r.scores.size() == 3);
  REQUIRE(r.scores[0].item == "i1");
  REQUIRE_FALSE(r.fallback);
  REQUIRE(r.propensity == 1.0);
  REQUIRE(r.propensity_samples == 0);
  REQUIRE_FALSE(r.prediction_id.empty());
  double best = 0;
  for (const auto& s : r.scores) best = std::max(best, s.probability);
  REQUIRE(Score(r, r.chosen) == best);  // greedy without --explore

  SECTION("with explore the choice is sampled and its propensity estimated") {
    PredictReply e = h.Predict("u3", {"i1", "i2", "i7"}, 2000, true);
    REQUIRE(e.propensity_samples > 0);
    REQUIRE(e.propensity > 0.0);
    REQUIRE(e.propensity <= 1.0);
  }
}

TEST_CASE("labelled events move the user's score and are acknowledged once") {
  NodeHarness h;
  h.Activate(SmallModel("v1"));
  const double before = Score(h.Predict("newcomer", {"i4"}), "i4");
  BatchAck ack = h.Send(Labelled("newcomer", "i4", 1, 30, "e"));
  REQUIRE(ack.accepted == 30);
  REQUIRE(ack.duplicates == 0);
  h.Settle();
  const double after = Score(h.Predict("newcomer", {"i4"}), "i4");
  REQUIRE(after > before + 0.05);

  SECTION("sending the same events again acknowledges them as duplicates and changes nothing") {
    BatchAck again = h.Send(Labelled("newcomer", "i4", 1, 30, "e"));
    REQUIRE(again.accepted == 0);
    REQUIRE(again.duplicates == 30);
    h.Settle();
    REQUIRE(Score(h.Predict("newcomer", {"i4"}), "i4") == after);
  }
}

TEST_CASE("an outcome joins its prediction; an unknown one is counted and changes nothing") {
  NodeHarness h;
  h.Activate(SmallModel("v1"));
  PredictReply r = h.Predict("u9", {"i2", "i5"});
  Event outcome;
  outcome.ts_ms = 5100;
  outcome.user = "u9";
  outcome.label = 1;
  outcome.event_id = "out-1";
  outcome.prediction_id = r.prediction_id;
  REQUIRE(h.Send({outcome}).accepted == 1);
  Event unknown = outcome;
  unknown.event_id = "out-2";
  unknown.prediction_id = "no-such-prediction";
  REQUIRE(h.Send({unknown}).accepted == 1);
  REQUIRE(h.Counter("partition_outcomes_joined") == 1);
  REQUIRE(h.Counter("partition_outcomes_unknown") == 1);
  REQUIRE(h.Counter("partition_predictions") == 1);
  REQUIRE(h.Counter("partition_arm_updates") == 1);  // the chosen arm learned from the join
}

TEST_CASE("activate switches every reply to the new version; rollback returns to the previous") {
  NodeHarness h;
  h.Activate(SmallModel("v1", 1));
  h.Activate(SmallModel("v2", 2));
  REQUIRE(h.Predict("u1", {"i1"}).model_version == "v2");
  Message back = h.Call(ModelRollbackRequest{77});
  REQUIRE(std::holds_alternative<ModelReply>(back));
  REQUIRE(std::get<ModelReply>(back).version == "v1");
  REQUIRE(h.Predict("u1", {"i1"}).model_version == "v1");
  Message unknown = h.Call(ModelActivateRequest{78, "v9"});
  REQUIRE(std::holds_alternative<ErrorReply>(unknown));
  REQUIRE(std::get<ErrorReply>(unknown).code == Status::Code::kNotFound);
  REQUIRE(h.Predict("u1", {"i1"}).model_version == "v1");
}
