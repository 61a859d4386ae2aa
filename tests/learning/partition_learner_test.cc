#include "learning/partition_learner.h"

#include <catch2/catch.hpp>

#include "learning/logistic.h"

using namespace driftline;

namespace {

OnlineOptions Options() {
  OnlineOptions o;
  o.pending_ttl_ms = 1000;
  return o;
}

Event Labelled(int64_t ts, const std::string& user, const std::string& item, int label,
               const std::string& event_id = "", const std::string& prediction_id = "") {
  Event e;
  e.ts_ms = ts;
  e.user = user;
  e.item = item;
  e.label = label;
  e.event_id = event_id;
  e.prediction_id = prediction_id;
  e.features = {{"item", {{"genre=Drama", 1.0}}}};
  return e;
}

PredictionInput Prediction(const std::string& id, int64_t ts, double base = 0.3) {
  PredictionInput in;
  in.prediction.prediction_id = id;
  in.prediction.user = "u";
  in.prediction.chosen = "i";
  in.prediction.ts_ms = ts;
  in.prediction.features = {{"item", {{"genre=Drama", 1.0}}}};
  in.prediction.base_logit = base;
  return in;
}

}  // namespace

TEST_CASE("an outcome joins its pending prediction and learns at the predicted score") {
  PartitionLearner learner(0, Options(), 1);
  REQUIRE(learner.Apply(Prediction("p1", 100, 0.3)).kind == ApplyResult::Kind::kRemembered);
  ApplyResult r = learner.Apply(EventInput{Labelled(150, "u", "", 1, "o1", "p1"), 0, 0});
  REQUIRE(r.kind == ApplyResult::Kind::kLearned);
  REQUIRE(r.arm_updates.size() == 1);
  REQUIRE(r.arm_updates[0].arm == "i");
  REQUIRE(r.arm_updates[0].update_id == "arm/p1");
  REQUIRE(r.arm_updates[0].residual == Approx(LogisticGradient(0.3, 1)));
  REQUIRE(learner.counters().outcomes_joined == 1);
  SparseFeatures x = DeltaFeatures("u", "i", Prediction("p", 0).prediction.features, Options());
  REQUIRE(learner.UserLogit("u", x) > 0.0);

  SECTION("a second outcome for the same prediction is counted as unknown, not applied twice") {
    ApplyResult again = learner.Apply(EventInput{Labelled(160, "u", "", 1, "o2", "p1"), 0, 0});
    REQUIRE(again.kind == ApplyResult::Kind::kUnknownPrediction);
    REQUIRE(again.arm_updates.empty());
    REQUIRE(learner.counters().outcomes_unknown == 1);
    REQUIRE(learner.counters().learned == 1);
  }
}

TEST_CASE("a pending prediction past its wait is dropped by default, and its late outcome is unknown") {
  PartitionLearner learner(0, Options(), 1);
  learner.Apply(Prediction("p1", 100));
  ApplyResult later = learner.Apply(EventInput{Labelled(1200, "v", "j", 0, "x"), 0, 0});
  REQUIRE(later.expired_dropped == 1);
  REQUIRE(learner.Apply(EventInput{Labelled(1210, "u", "", 1, "o1", "p1"), 0, 0}).kind ==
          ApplyResult::Kind::kUnknownPrediction);
}

TEST_CASE("a pending prediction past its wait takes the configured default label") {
  OnlineOptions o = Options();
  o.default_label = 0;
  PartitionLearner learner(0, o, 1);
  learner.Apply(Prediction("p1", 100, 1.0));
  EventInput tick;
  tick.event.ts_ms = 2000;
  tick.event.user = "w";
  ApplyResult r = learner.Apply(tick);
  REQUIRE(r.kind == ApplyResult::Kind::kAdvanced);
  REQUIRE(r.expired_labelled == 1);
  REQUIRE(r.arm_updates.size() == 1);
  REQUIRE(r.arm_updates[0].label == 0);
  REQUIRE(r.arm_updates[0].residual == Approx(LogisticGradient(1.0, 0)));
  REQUIRE(learner.state().pending_count() == 0);
}

TEST_CASE("a labelled event learns at base + user + arm and a duplicate changes nothing") {
  PartitionLearner learner(0, Options(), 1);
  Event e = Labelled(10, "u", "i", 1, "e1");
  ApplyResult r = learner.Apply(EventInput{e, -0.5, 0.25});
  REQUIRE(r.kind == ApplyResult::Kind::kLearned);
  REQUIRE(r.arm_updates[0].residual == Approx(LogisticGradient(-0.25, 1)));
  PartitionSnapshot before = learner.Snapshot(0, 0);
  REQUIRE(learner.IsDuplicate(EventInput{e, 0, 0}));
  REQUIRE(learner.Apply(EventInput{e, -0.5, 0.25}).kind == ApplyResult::Kind::kDuplicate);
  REQUIRE(learner.Snapshot(0, 0) == before);
  REQUIRE(learner.counters().duplicates == 1);
}

TEST_CASE("an arm update applies once to the arm's layer and evidence") {
  PartitionLearner learner(0, Options(), 1);
  ArmUpdateInput update;
  update.update_id = "arm/e1";
  update.arm = "i";
  update.user = "u";
  update.residual = -0.4;
  update.label = 1;
  update.ts_ms = 10;
  update.source_partition = 3;
  update.ordinal = {7, 0};
  REQUIRE(learner.Apply(update).kind == ApplyResult::Kind::kLearned);
  REQUIRE(learner.state().ArmHighWater(3) == ArmOrdinal{7, 0});
  REQUIRE(learner.Apply(update).kind == ApplyResult::Kind::kDuplicate);
  SparseFeatures x = DeltaFeatures("u", "i", {}, Options());
  ArmView view = learner.Arm("i", x);
  REQUIRE(view.successes == 1.0);
  REQUIRE(view.failures == 0.0);
  REQUIRE(view.logit > 0.0);
  REQUIRE(learner.Arm("unknown", x).logit == 0.0);
}

TEST_CASE("an unlabelled event only advances event time") {
  PartitionLearner learner(0, Options(), 1);
  EventInput in;
  in.event.ts_ms = 500;
  in.event.user = "u";
  REQUIRE(learner.Apply(in).kind == ApplyResult::Kind::kAdvanced);
  REQUIRE(learner.state().clock_ms() == 500);
  in.event.ts_ms = 100;
  learner.Apply(in);
  REQUIRE(learner.state().clock_ms() == 500);  // never backwards
  REQUIRE(learner.Apply(Prediction("p", 50)).kind == ApplyResult::Kind::kRemembered);
  REQUIRE(learner.Apply(Prediction("p", 60)).kind == ApplyResult::Kind::kDuplicate);
  PredictionInput no_id = Prediction("", 70);
  REQUIRE(learner.Apply(no_id).kind == ApplyResult::Kind::kRejected);
}
