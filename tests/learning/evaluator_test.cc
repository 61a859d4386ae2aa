#include "learning/evaluator.h"

#include <catch2/catch.hpp>

#include <cmath>

#include "learning/logistic.h"
#include "learning/model_input.h"
#include "learning/offline_trainer.h"
#include "synthetic_events.h"

using namespace driftline;

namespace {

// A base trained on users whose taste is genre (u % 3), and a later stream in
// which every user has the taste of the next one: the base is wrong about
// every user, and only the per-user deltas can learn the new tastes.
struct ChangedTastes {
  BaseModel base;
  std::vector<LabelledExample> after;
};

ChangedTastes MakeChangedTastes() {
  auto before = PointInTimeSnapshot(testing::SyntheticEvents(6000, 21), 1'000'000);
  auto after_raw = testing::SyntheticEvents(6000, 22);
  for (auto& e : after_raw) {
    const int u = std::stoi(e.user.substr(1));
    e.user = "u" + std::to_string((u + 1) % 40);  // a user now behaves like the next one
  }
  TrainConfig config;
  config.hashing.bits = 14;
  config.hashing.crosses = {{"user", "item"}};
  return {BaseModel(TrainBaseModel(before, config, "v1", {})),
          PointInTimeSnapshot(after_raw, 1'000'000)};
}

EvalOptions Keeping(size_t batch = 1) {
  EvalOptions options;
  options.keep_predictions = true;
  options.batch = batch;
  return options;
}

Event Exposure(int64_t ts, const std::string& user, const std::string& item,
               const std::string& prediction_id) {
  Event e;
  e.ts_ms = ts;
  e.user = user;
  e.item = item;
  e.prediction_id = prediction_id;
  e.event_id = "x-" + prediction_id;
  e.features = {{"item", {{"genre=1", 1.0}}}};
  return e;
}

Event Outcome(int64_t ts, const std::string& user, const std::string& prediction_id, int label) {
  Event e;
  e.ts_ms = ts;
  e.user = user;
  e.prediction_id = prediction_id;
  e.label = label;
  e.event_id = "o-" + prediction_id;
  return e;
}

}  // namespace

TEST_CASE("the hybrid learns tastes the stale base does not know, and beats the base's log loss") {
  const ChangedTastes w = MakeChangedTastes();
  size_t progress_calls = 0;
  const EvalResult stale = EvaluateProgressive(EvalMode::kBase, &w.base, w.after, Keeping());
  const EvalResult hybrid = EvaluateProgressive(EvalMode::kHybrid, &w.base, w.after, Keeping(),
                                                [&](size_t, size_t) { ++progress_calls; });
  REQUIRE(stale.n == w.after.size());
  REQUIRE(hybrid.n == w.after.size());
  REQUIRE(progress_calls == w.after.size() / kEvalProgressEvery);
  // The base is exactly the base model; nothing learned before the first event.
  REQUIRE(stale.predictions[0] == Sigmoid(w.base.Logit(ModelInput(w.after[0].event))));
  REQUIRE(hybrid.predictions[0] == stale.predictions[0]);
  // The first example whose user was seen before is scored off the base: it learned.
  size_t again = 1;
  while (again < w.after.size() && w.after[again].event.user != w.after[0].event.user) ++again;
  REQUIRE(again < w.after.size());
  REQUIRE(hybrid.predictions[again] != stale.predictions[again]);
  INFO("base " << stale.logloss << " hybrid " << hybrid.logloss);
  REQUIRE(hybrid.logloss < stale.logloss - 0.05);
  REQUIRE(hybrid.auc > stale.auc);
}

TEST_CASE("online-only starts from zero (p = 0.5, no base) and learns better than chance") {
  const ChangedTastes w = MakeChangedTastes();
  const EvalResult online = EvaluateProgressive(EvalMode::kOnline, nullptr, w.after, Keeping());
  REQUIRE(online.predictions[0] == 0.5);
  // Given a base, online mode still ignores it: the same predictions bit for bit.
  const EvalResult with_base = EvaluateProgressive(EvalMode::kOnline, &w.base, w.after, Keeping());
  REQUIRE(with_base.predictions == online.predictions);
  INFO("online " << online.logloss);
  REQUIRE(online.logloss < std::log(2.0) - 0.05);
  REQUIRE(online.auc > 0.6);
}

TEST_CASE("evaluation is deterministic: two runs give the same predictions bit for bit") {
  const ChangedTastes w = MakeChangedTastes();
  for (size_t batch : {1, 7}) {
    for (EvalMode mode : {EvalMode::kBase, EvalMode::kHybrid, EvalMode::kOnline}) {
      const EvalResult a = EvaluateProgressive(mode, &w.base, w.after, Keeping(batch));
      const EvalResult b = EvaluateProgressive(mode, &w.base, w.after, Keeping(batch));
      INFO(EvalModeName(mode) << " batch " << batch);
      REQUIRE(a.predictions == b.predictions);
      REQUIRE(a.logloss == b.logloss);
      REQUIRE(a.auc == b.auc);
    }
  }
}

TEST_CASE("in batches, every event of a batch is scored from the state before the batch") {
  const ChangedTastes w = MakeChangedTastes();
  const std::vector<LabelledExample> head(w.after.begin(), w.after.begin() + 40);
  const EvalResult base = EvaluateProgressive(EvalMode::kBase, &w.base, head, Keeping());
  // One batch: nothing is learned before any prediction.
  REQUIRE(EvaluateProgressive(EvalMode::kHybrid, &w.base, head, Keeping(40)).predictions ==
          base.predictions);
  // Batches of 20: the first batch scores like the base, the second does not.
  const EvalResult halves = EvaluateProgressive(EvalMode::kHybrid, &w.base, head, Keeping(20));
  for (size_t i = 0; i < 20; ++i) REQUIRE(halves.predictions[i] == base.predictions[i]);
  size_t moved = 0;
  for (size_t i = 20; i < 40; ++i) moved += halves.predictions[i] != base.predictions[i];
  REQUIRE(moved > 0);
  // And batch size changes what is learned: 20 differs from event by event.
  REQUIRE(EvaluateProgressive(EvalMode::kHybrid, &w.base, head, Keeping(1)).predictions !=
          halves.predictions);
}

TEST_CASE("a delayed label is used only after it is known, not at its exposure's time") {
  const ChangedTastes w = MakeChangedTastes();
  // u1 is shown i3 twice before the first outcome arrives; a third exposure
  // comes after both outcomes.
  const std::vector<Event> events = {
      Exposure(100, "u1", "i3", "p1"), Exposure(200, "u1", "i3", "p2"),
      Outcome(300, "u1", "p1", 1),     Outcome(400, "u1", "p2", 1),
      Exposure(500, "u1", "i3", "p3"), Outcome(600, "u1", "p3", 1),
  };
  const auto examples = PointInTimeSnapshot(events, 1'000'000);
  REQUIRE(examples.size() == 3);
  const EvalResult base = EvaluateProgressive(EvalMode::kBase, &w.base, examples, Keeping());
  const EvalResult hybrid = EvaluateProgressive(EvalMode::kHybrid, &w.base, examples, Keeping());
  REQUIRE(base.predictions[0] == base.predictions[1]);  // same user, item, features
  // p1's label (at 300) arrives after the exposure p2 (at 200): p2 is
  // predicted from nothing learned, exactly the base.
  REQUIRE(hybrid.predictions[1] == base.predictions[1]);
  // Both labels (positive) are known by 500: p3 is predicted higher.
  REQUIRE(hybrid.predictions[2] > base.predictions[2]);

  SECTION("an outcome later than the pending wait is dropped, as in the node") {
    EvalOptions options = Keeping();
    options.online.pending_ttl_ms = 50;  // every outcome here is later than that
    const EvalResult late = EvaluateProgressive(EvalMode::kHybrid, &w.base, examples, options);
    REQUIRE(late.n == 3);  // still scored
    REQUIRE(late.predictions == base.predictions);
  }
}
