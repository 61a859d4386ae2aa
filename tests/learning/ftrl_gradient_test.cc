#include <cmath>

#include <catch2/catch.hpp>

#include "learning/delta_layer.h"
#include "learning/ftrl.h"
#include "learning/logistic.h"

using namespace driftline;

TEST_CASE("the logistic gradient matches a finite difference of the log loss") {
  for (double s : {-8.0, -2.0, -0.3, 0.0, 0.7, 3.0, 9.0}) {
    for (int y : {0, 1}) {
      const double h = 1e-6;
      const double numeric = (LogLoss(Sigmoid(s + h), y) - LogLoss(Sigmoid(s - h), y)) / (2 * h);
      REQUIRE(LogisticGradient(s, y) == Approx(numeric).margin(1e-6));
    }
  }
}

TEST_CASE("sigmoid is stable at extreme logits") {
  REQUIRE(Sigmoid(-1000) == 0.0);
  REQUIRE(Sigmoid(1000) == 1.0);
  REQUIRE(std::isfinite(LogLoss(Sigmoid(1000), 0)));
}

TEST_CASE("an ftrl weight from zero state after one gradient follows the closed form") {
  FtrlOptions o;
  o.alpha = 0.1;
  o.beta = 1.0;
  o.l1 = 0.0;
  o.l2 = 2.0;
  FtrlState s;
  FtrlUpdate(s, 0.5, o);
  // z = g = 0.5, n = 0.25: w = -z / ((beta + sqrt n)/alpha + l2)
  REQUIRE(FtrlWeight(s, o) == Approx(-0.5 / ((1.0 + 0.5) / 0.1 + 2.0)));
}

TEST_CASE("l1 keeps a weight at exactly zero until its evidence exceeds l1") {
  FtrlOptions o;
  o.l1 = 1.0;
  FtrlState s;
  FtrlUpdate(s, 0.4, o);
  REQUIRE(FtrlWeight(s, o) == 0.0);
  FtrlUpdate(s, 0.8, o);
  REQUIRE(FtrlWeight(s, o) < 0.0);
}

TEST_CASE("a delta layer step moves each weight against the finite-difference gradient") {
  // loss(w) = LogLoss(sigmoid(base + w.x), y); the layer's coordinate j must
  // receive d loss / d w_j = (p - y) x_j.
  FtrlOptions o;
  DeltaLayer layer;
  SparseFeatures x = {{3, 1.0}, {17, -0.5}, {40, 2.0}};
  const double base = 0.4;
  const int y = 1;
  for (int step = 0; step < 3; ++step) {
    const double s = base + layer.Logit(x, o);
    for (const auto& f : x) {
      const double h = 1e-6;
      const double numeric = (LogLoss(Sigmoid(s + h * f.value), y) -
                              LogLoss(Sigmoid(s - h * f.value), y)) / (2 * h);
      REQUIRE(LogisticGradient(s, y) * f.value == Approx(numeric).margin(1e-6));
    }
    const double before = LogLoss(Sigmoid(s), y);
    layer.Update(x, LogisticGradient(s, y), o);
    REQUIRE(LogLoss(Sigmoid(base + layer.Logit(x, o)), y) < before);
  }
}

TEST_CASE("the l2 anchor bounds a delta layer under endless one-sided evidence") {
  FtrlOptions weak, strong;
  weak.l2 = 0.0;
  strong.l2 = 50.0;
  DeltaLayer a, b;
  SparseFeatures x = {{1, 1.0}};
  for (int i = 0; i < 2000; ++i) {
    a.Update(x, LogisticGradient(a.Logit(x, weak), 1), weak);
    b.Update(x, LogisticGradient(b.Logit(x, strong), 1), strong);
  }
  REQUIRE(b.Logit(x, strong) > 0.0);
  REQUIRE(b.Logit(x, strong) < a.Logit(x, weak));
}

TEST_CASE("a delta layer restored from its coordinates scores identically") {
  FtrlOptions o;
  DeltaLayer layer;
  SparseFeatures x = {{9, 1.0}, {2, 0.25}};
  layer.Update(x, 0.3, o);
  layer.Update(x, -0.1, o);
  DeltaLayer copy = DeltaLayer::FromCoordinates(layer.Coordinates());
  REQUIRE(copy.Logit(x, o) == layer.Logit(x, o));
  REQUIRE(layer.Coordinates()[0].index == 2u);
}
