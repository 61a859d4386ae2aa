#include "learning/beta_bernoulli.h"

#include <cmath>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

using driftline::BetaPosterior;
using driftline::BetaPriorOptions;
using driftline::MakeBetaPosterior;
using driftline::MakeWarmPrior;
using driftline::Rng;
using driftline::SampleGamma;
using driftline::SampleLogGamma;

namespace {

struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

template <class Draw>
Moments SampleMoments(int n, Draw draw) {
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  Moments m;
  m.mean = sum / n;
  m.variance = (sum_sq - n * m.mean * m.mean) / (n - 1);
  return m;
}

}  // namespace

TEST_CASE("the warm prior's mean is the base prediction and its mass is the strength") {
  BetaPriorOptions options;
  options.strength = 10.0;
  auto prior = MakeWarmPrior(0.3, options);
  REQUIRE(prior.ok());
  REQUIRE(prior->alpha == Approx(3.0));
  REQUIRE(prior->beta == Approx(7.0));
  REQUIRE(prior->Mean() == Approx(0.3));
}

TEST_CASE("the default prior strength is ten pseudo-observations") {
  auto prior = MakeWarmPrior(0.5);
  REQUIRE(prior.ok());
  REQUIRE(prior->alpha + prior->beta == Approx(10.0));
}

TEST_CASE("a base prediction of 0 or 1 is clamped so both prior parameters stay positive") {
  BetaPriorOptions options;
  options.probability_clamp = 1e-3;
  auto low = MakeWarmPrior(0.0, options);
  auto high = MakeWarmPrior(1.0, options);
  REQUIRE(low.ok());
  REQUIRE(high.ok());
  REQUIRE(low->alpha > 0.0);
  REQUIRE(low->Mean() == Approx(1e-3));
  REQUIRE(high->beta > 0.0);
  REQUIRE(high->Mean() == Approx(1.0 - 1e-3));
}

TEST_CASE("the posterior adds fractional evidence to the prior and matches the Beta closed forms") {
  auto post = MakeBetaPosterior(0.2, 4.5, 10.25);
  REQUIRE(post.ok());
  const double a = 0.2 * 10.0 + 4.5;
  const double b = 0.8 * 10.0 + 10.25;
  REQUIRE(post->alpha == Approx(a));
  REQUIRE(post->beta == Approx(b));
  REQUIRE(post->Mean() == Approx(a / (a + b)));
  REQUIRE(post->Variance() == Approx(a * b / ((a + b) * (a + b) * (a + b + 1.0))));
}

TEST_CASE("invalid base predictions, evidence and options are refused") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_FALSE(MakeWarmPrior(nan).ok());
  REQUIRE_FALSE(MakeBetaPosterior(0.5, -1.0, 0.0).ok());
  REQUIRE_FALSE(MakeBetaPosterior(0.5, 0.0, std::numeric_limits<double>::infinity()).ok());
  BetaPriorOptions bad;
  bad.strength = 0.0;
  REQUIRE_FALSE(MakeWarmPrior(0.5, bad).ok());
  bad = BetaPriorOptions{};
  bad.probability_clamp = 0.5;
  REQUIRE_FALSE(MakeWarmPrior(0.5, bad).ok());
}

TEST_CASE("gamma draws with shape above 1 have mean and variance equal to the shape") {
  for (double shape : {1.0, 2.5, 30.0}) {
    Rng rng(11);
    const int n = 200000;
    Moments m = SampleMoments(n, [&] { return SampleGamma(shape, rng); });
    INFO("shape " << shape);
    REQUIRE(m.mean == Approx(shape).margin(5.0 * std::sqrt(shape / n)));
    REQUIRE(m.variance == Approx(shape).epsilon(0.03));
  }
}

TEST_CASE("gamma draws with shape below 1 have mean and variance equal to the shape") {
  for (double shape : {0.1, 0.3, 0.7}) {
    Rng rng(12);
    const int n = 400000;
    Moments m = SampleMoments(n, [&] { return SampleGamma(shape, rng); });
    INFO("shape " << shape);
    REQUIRE(m.mean == Approx(shape).margin(5.0 * std::sqrt(shape / n)));
    REQUIRE(m.variance == Approx(shape).epsilon(0.05));
  }
}

TEST_CASE("a tiny gamma shape gives a finite log draw instead of underflowing") {
  Rng rng(13);
  for (int i = 0; i < 1000; ++i) {
    const double log_g = SampleLogGamma(1e-3, rng);
    REQUIRE(std::isfinite(log_g));
  }
}

TEST_CASE("beta posterior draws match the closed-form mean and variance") {
  for (BetaPosterior p : {BetaPosterior{2.5, 7.5}, BetaPosterior{0.4, 0.6},
                          BetaPosterior{120.0, 30.0}}) {
    Rng rng(21);
    const int n = 200000;
    Moments m = SampleMoments(n, [&] { return p.Sample(rng); });
    INFO("alpha " << p.alpha << " beta " << p.beta);
    REQUIRE(m.mean == Approx(p.Mean()).margin(5.0 * std::sqrt(p.Variance() / n)));
    REQUIRE(m.variance == Approx(p.Variance()).epsilon(0.03));
  }
}

TEST_CASE("beta draws stay inside the unit interval even for tiny parameters") {
  Rng rng(22);
  BetaPosterior p{1e-3, 2e-3};
  for (int i = 0; i < 10000; ++i) {
    const double x = p.Sample(rng);
    REQUIRE(x >= 0.0);
    REQUIRE(x <= 1.0);
  }
}

TEST_CASE("the same seed gives identical beta draws and different seeds give different ones") {
  BetaPosterior p{3.0, 4.0};
  Rng a(5), b(5), c(6);
  std::vector<double> da, db, dc;
  for (int i = 0; i < 100; ++i) {
    da.push_back(p.Sample(a));
    db.push_back(p.Sample(b));
    dc.push_back(p.Sample(c));
  }
  REQUIRE(da == db);
  REQUIRE(a.state() == b.state());
  REQUIRE(da != dc);
}
