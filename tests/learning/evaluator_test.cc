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

// ---- A model switch during the replay (EvalOptions::model_switch) ----

namespace {

// A second base, trained on the changed tastes themselves.
BaseModel LaterBase(const ChangedTastes& data) {
  std::vector<LabelledExample> first(data.after.begin(), data.after.begin() + 3000);
  TrainConfig config;
  config.hashing.bits = 14;
  config.hashing.crosses = {{"user", "item"}};
  return BaseModel(TrainBaseModel(first, config, "v2", {}));
}

EvalOptions Switching(const BaseModel* model, int64_t after_ms, DeltaTransform deltas, size_t batch = 1) {
  EvalOptions options = Keeping(batch);
  options.model_switch = EvalModelSwitch{model, after_ms, deltas};
  return options;
}

}  // namespace

TEST_CASE("a switch with reset predicts after it exactly as a fresh hybrid of the new base from there") {
  const ChangedTastes data = MakeChangedTastes();
  const BaseModel later = LaterBase(data);
  const int64_t at = data.after[2999].event.ts_ms;
  std::vector<LabelledExample> tail;
  for (const auto& ex : data.after) {
    if (ex.event.ts_ms > at) tail.push_back(ex);
  }
  REQUIRE(tail.size() == 3000);
  const EvalResult switched = EvaluateProgressive(EvalMode::kHybrid, &data.base, data.after,
                                                  Switching(&later, at, DeltaTransform::Reset()));
  const EvalResult fresh = EvaluateProgressive(EvalMode::kHybrid, &later, tail, Keeping());
  for (size_t i = 0; i < tail.size(); ++i) {
    INFO(i);
    REQUIRE(switched.predictions[3000 + i] == fresh.predictions[i]);
  }
  CHECK(switched.after_switch.n == 3000);
  CHECK(switched.after_switch.logloss == fresh.logloss);
  CHECK(switched.after_switch.auc == fresh.auc);
}

TEST_CASE("a switch changes nothing before it; keep carries the deltas over, decay shrinks them") {
  const ChangedTastes data = MakeChangedTastes();
  const BaseModel later = LaterBase(data);
  const int64_t at = data.after[2999].event.ts_ms;
  for (size_t batch : {size_t{1}, size_t{7}}) {
    INFO("batch " << batch);
    const EvalResult none = EvaluateProgressive(EvalMode::kHybrid, &data.base, data.after, Keeping(batch));
    const EvalResult keep = EvaluateProgressive(EvalMode::kHybrid, &data.base, data.after,
                                                Switching(&later, at, DeltaTransform::Keep(), batch));
    const EvalResult reset = EvaluateProgressive(EvalMode::kHybrid, &data.base, data.after,
                                                 Switching(&later, at, DeltaTransform::Reset(), batch));
    const EvalResult half = EvaluateProgressive(EvalMode::kHybrid, &data.base, data.after,
                                                Switching(&later, at, DeltaTransform::Decay(0.5), batch));
    // 3000 is a multiple of neither batch size: the groups before the switch
    // end at it (a client activates between two batches).
    for (size_t i = 0; i < 3000; ++i) {
      REQUIRE(keep.predictions[i] == none.predictions[i]);
      REQUIRE(half.predictions[i] == none.predictions[i]);
    }
    // Right after the switch: new base + old deltas (keep), + half (decay),
    // + nothing (reset): the first example's logit shows it exactly.
    const LabelledExample& first = data.after[3000];
    const double base_logit = later.Logit(ModelInput(first.event));
    const double kept_delta = Logit(keep.predictions[3000]) - base_logit;
    CHECK(Logit(reset.predictions[3000]) == Approx(base_logit).margin(1e-9));
    CHECK(Logit(half.predictions[3000]) - base_logit == Approx(0.5 * kept_delta).margin(1e-9));
    CHECK(std::fabs(kept_delta) > 1e-3);
    CHECK(keep.after_switch.logloss != reset.after_switch.logloss);
    CHECK(half.after_switch.logloss != keep.after_switch.logloss);
  }
  // Switching to the same base and keeping the deltas is no switch at all.
  const EvalResult same = EvaluateProgressive(EvalMode::kHybrid, &data.base, data.after,
                                              Switching(&data.base, at, DeltaTransform::Keep()));
  const EvalResult none = EvaluateProgressive(EvalMode::kHybrid, &data.base, data.after, Keeping());
  CHECK(same.predictions == none.predictions);
  // The base mode switches bases; online-only has none to switch.
  const EvalResult base = EvaluateProgressive(EvalMode::kBase, &data.base, data.after,
                                              Switching(&later, at, DeltaTransform::Reset()));
  CHECK(base.predictions[3000] == Sigmoid(later.Logit(ModelInput(data.after[3000].event))));
  CHECK(base.predictions[2999] == Sigmoid(data.base.Logit(ModelInput(data.after[2999].event))));
}
