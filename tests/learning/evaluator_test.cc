#include "learning/evaluator.h"

#include <catch2/catch.hpp>

#include "learning/offline_trainer.h"
#include "synthetic_events.h"

using namespace driftline;

TEST_CASE("with the base fixed, online deltas recover what the stale base cannot know") {
  // The world changes after the cut: tastes rotate, so the stale base is wrong
  // and the per-user deltas must learn the new tastes.
  auto before = PointInTimeSnapshot(testing::SyntheticEvents(6000, 21), 1'000'000);
  auto after_raw = testing::SyntheticEvents(6000, 22);
  for (auto& e : after_raw) {
    const int u = std::stoi(e.user.substr(1));
    e.user = "u" + std::to_string((u + 1) % 40);  // a user now behaves like the next one
  }
  auto after = PointInTimeSnapshot(after_raw, 1'000'000);
  TrainConfig config;
  config.hashing.bits = 14;
  config.hashing.crosses = {{"user", "item"}};
  BaseModel base(TrainBaseModel(before, config, "v1", {}));

  size_t progress_calls = 0;
  EvalOptions options;
  EvalResult stale = EvaluateProgressive(EvalMode::kBase, &base, after, options);
  EvalResult hybrid = EvaluateProgressive(EvalMode::kHybrid, &base, after, options,
                                          [&](size_t, size_t) { ++progress_calls; });
  EvalResult online = EvaluateProgressive(EvalMode::kOnline, nullptr, after, options);
  REQUIRE(stale.n == after.size());
  REQUIRE(progress_calls == after.size() / kEvalProgressEvery);
  REQUIRE(hybrid.logloss < stale.logloss);
  REQUIRE(online.logloss < 0.69);
  SECTION("evaluation is deterministic") {
    EvalResult again = EvaluateProgressive(EvalMode::kHybrid, &base, after, options);
    REQUIRE(again.logloss == hybrid.logloss);
    REQUIRE(again.auc == hybrid.auc);
  }
}

TEST_CASE("the first hybrid prediction equals the base prediction") {
  auto examples = PointInTimeSnapshot(testing::SyntheticEvents(1, 5), 1'000'000);
  TrainConfig config;
  config.hashing.bits = 12;
  BaseModel base(TrainBaseModel(PointInTimeSnapshot(testing::SyntheticEvents(300, 6), 1'000'000),
                                config, "v1", {}));
  EvalOptions options;
  auto b = EvaluateProgressive(EvalMode::kBase, &base, examples, options);
  auto h = EvaluateProgressive(EvalMode::kHybrid, &base, examples, options);
  REQUIRE(b.logloss == h.logloss);
}
