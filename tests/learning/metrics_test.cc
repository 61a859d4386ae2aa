#include "learning/metrics.h"

#include <cmath>

#include <catch2/catch.hpp>

using driftline::ProgressiveMetrics;

TEST_CASE("auc is one for a perfect ranking and zero for a reversed one") {
  ProgressiveMetrics good, bad;
  for (int i = 0; i < 10; ++i) {
    good.Add(i / 10.0, i >= 5);
    bad.Add(i / 10.0, i < 5);
  }
  REQUIRE(good.Auc() == 1.0);
  REQUIRE(bad.Auc() == 0.0);
}

TEST_CASE("auc counts tied scores as half and is a half with one class only") {
  ProgressiveMetrics tied, single;
  tied.Add(0.5, 1);
  tied.Add(0.5, 0);
  REQUIRE(tied.Auc() == 0.5);
  single.Add(0.2, 1);
  single.Add(0.9, 1);
  REQUIRE(single.Auc() == 0.5);
}

TEST_CASE("auc matches a pairwise count on a small mixed example") {
  // positives at 0.8, 0.4; negatives at 0.6, 0.2, 0.4 -> pairs: (0.8 beats all 3) +
  // (0.4 beats 0.2, ties 0.4, loses 0.6) = 3 + 1 + 0.5 = 4.5 of 6
  ProgressiveMetrics m;
  m.Add(0.8, 1);
  m.Add(0.4, 1);
  m.Add(0.6, 0);
  m.Add(0.2, 0);
  m.Add(0.4, 0);
  REQUIRE(m.Auc() == Approx(4.5 / 6.0));
}

TEST_CASE("log loss is the mean negative log likelihood") {
  ProgressiveMetrics m;
  m.Add(0.8, 1);
  m.Add(0.3, 0);
  REQUIRE(m.LogLoss() == Approx((-std::log(0.8) - std::log(0.7)) / 2));
  REQUIRE(m.count() == 2);
}
