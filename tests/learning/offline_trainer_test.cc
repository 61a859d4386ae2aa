#include "learning/offline_trainer.h"

#include <catch2/catch.hpp>

#include "learning/base_model.h"
#include "learning/metrics.h"
#include "learning/model_input.h"
#include "learning/logistic.h"
#include "synthetic_events.h"

using namespace driftline;

namespace {
TrainConfig SmallConfig() {
  TrainConfig c;
  c.hashing.bits = 14;
  c.hashing.crosses = {{"user", "item"}};
  c.epochs = 3;
  return c;
}
}  // namespace

TEST_CASE("training twice on the same snapshot and config gives identical weights") {
  auto examples = PointInTimeSnapshot(testing::SyntheticEvents(3000, 7), 1'000'000);
  SnapshotInfo info{"synthetic", "abc", 1'000'000, examples.size()};
  ModelArtifact a = TrainBaseModel(examples, SmallConfig(), "v1", info);
  ModelArtifact b = TrainBaseModel(examples, SmallConfig(), "v1", info);
  REQUIRE(a == b);
  REQUIRE(!a.weights.empty());
  REQUIRE(a.histograms.size() == 2);  // item, user
  SECTION("a different seed shuffles differently and changes the weights") {
    TrainConfig c = SmallConfig();
    c.seed = 2;
    REQUIRE_FALSE(TrainBaseModel(examples, c, "v1", info).weights == a.weights);
  }
}

TEST_CASE("the trained base model ranks held-out events better than chance") {
  auto train = PointInTimeSnapshot(testing::SyntheticEvents(6000, 1), 1'000'000);
  auto test = PointInTimeSnapshot(testing::SyntheticEvents(2000, 2), 1'000'000);
  size_t epochs_seen = 0;
  ModelArtifact artifact = TrainBaseModel(train, SmallConfig(), "v1", {}, [&](size_t e, size_t total, double loss) {
    ++epochs_seen;
    REQUIRE(total == 3);
    REQUIRE(e == epochs_seen);
    REQUIRE(loss > 0.0);
  });
  REQUIRE(epochs_seen == 3);
  BaseModel model(artifact);
  ProgressiveMetrics m;
  for (const auto& ex : test) m.Add(Sigmoid(model.Logit(ModelInput(ex.event))), ex.label);
  REQUIRE(m.Auc() > 0.75);
  REQUIRE(m.LogLoss() < 0.6);
}

TEST_CASE("weights in the artifact are non-zero and in ascending index order") {
  auto examples = PointInTimeSnapshot(testing::SyntheticEvents(500, 3), 1'000'000);
  ModelArtifact a = TrainBaseModel(examples, SmallConfig(), "v1", {});
  for (size_t i = 1; i < a.weights.size(); ++i) REQUIRE(a.weights[i - 1].index < a.weights[i].index);
  for (const auto& w : a.weights) REQUIRE(w.weight != 0.0);
}
