#include "learning/drift.h"

#include <cmath>

#include <catch2/catch.hpp>

using namespace driftline;

TEST_CASE("kl divergence of a histogram with itself is zero") {
  std::vector<double> p = {3, 0, 5, 1};
  REQUIRE(KlDivergence(p, p) == Approx(0.0).margin(1e-12));
}

TEST_CASE("kl divergence matches the closed form on two buckets") {
  // alpha 0: p = (0.75, 0.25), q = (0.5, 0.5)
  const double expected = 0.75 * std::log(0.75 / 0.5) + 0.25 * std::log(0.25 / 0.5);
  REQUIRE(KlDivergence({3, 1}, {2, 2}, 0.0) == Approx(expected));
}

TEST_CASE("smoothing keeps kl finite when the training side never saw a bucket") {
  const double kl = KlDivergence({0, 10}, {10, 0});
  REQUIRE(std::isfinite(kl));
  REQUIRE(kl > 1.0);
}

TEST_CASE("a shifted serving distribution shows drift in its namespace only") {
  DriftHistogramBuilder train, same, shifted;
  for (int i = 0; i < 500; ++i) {
    FeatureSet a = {{"item", {{"genre=" + std::to_string(i % 10), 1}}},
                    {"user", {{"id=" + std::to_string(i % 50), 1}}}};
    train.Add(a);
    same.Add(a);
    FeatureSet b = {{"item", {{"genre=" + std::to_string(i % 3), 1}}},
                    {"user", {{"id=" + std::to_string(i % 50), 1}}}};
    shifted.Add(b);
  }
  auto none = NamespaceDrift(same.Build(), train.Build());
  auto drift = NamespaceDrift(shifted.Build(), train.Build());
  REQUIRE(none.at("item") == Approx(0.0).margin(1e-12));
  REQUIRE(drift.at("item") > 0.5);
  REQUIRE(drift.at("user") == Approx(0.0).margin(1e-12));
  REQUIRE(train.Build().front().counts.size() == kDriftBuckets);
}
