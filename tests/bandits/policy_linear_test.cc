#include "learning/policy_linear.h"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

using driftline::ChooseLinearThompson;
using driftline::ChooseLinUcb;
using driftline::Decision;
using driftline::LinearArmState;
using driftline::LinearBanditOptions;
using driftline::LinearCandidate;
using driftline::LinearThompsonOptions;
using driftline::LinUcbOptions;
using driftline::Rng;

namespace {

constexpr int kDim = 4;

LinearBanditOptions Dim4() {
  LinearBanditOptions o;
  o.dim = kDim;
  return o;
}

// Arm i has seen `counts[i]` events on `x` with reward rate `rates[i]`.
std::vector<LinearArmState> Arms(const Eigen::VectorXd& x, const std::vector<int>& counts,
                                 const std::vector<double>& rates) {
  std::vector<LinearArmState> arms;
  for (size_t i = 0; i < counts.size(); ++i) {
    LinearArmState s(Dim4());
    for (int n = 0; n < counts[i]; ++n) {
      const double r = (n * rates[i] - std::floor(n * rates[i])) < rates[i] ? 1.0 : 0.0;
      REQUIRE(s.Update(x, r).ok());
    }
    arms.push_back(s);
  }
  return arms;
}

std::vector<LinearCandidate> Candidates(const std::vector<LinearArmState>& arms,
                                        const Eigen::VectorXd& x) {
  std::vector<LinearCandidate> c;
  for (const auto& a : arms) c.push_back({&a, &x});
  return c;
}

Eigen::VectorXd Context() {
  Eigen::VectorXd x(kDim);
  x << 1.0, 0.5, -0.25, 0.0;
  return x;
}

LinearThompsonOptions Samples(uint32_t n) {
  LinearThompsonOptions o;
  o.propensity_samples = n;
  return o;
}

}  // namespace

TEST_CASE("linucb without exploration picks the arm with the highest estimated reward") {
  const Eigen::VectorXd x = Context();
  const auto arms = Arms(x, {50, 50, 50}, {0.2, 0.6, 0.4});
  LinUcbOptions o;
  o.alpha = 0.0;
  auto d = ChooseLinUcb(Candidates(arms, x), o);
  REQUIRE(d.ok());
  REQUIRE(d->chosen == 1);
  REQUIRE(d->propensity == 1.0);
  REQUIRE(d->propensity_samples == 0u);
}

TEST_CASE("linucb with exploration prefers the arm it knows least about") {
  const Eigen::VectorXd x = Context();
  const auto arms = Arms(x, {200, 2}, {0.6, 0.5});
  LinUcbOptions o;
  o.alpha = 2.0;
  auto d = ChooseLinUcb(Candidates(arms, x), o);
  REQUIRE(d.ok());
  REQUIRE(d->chosen == 1);
  REQUIRE(d->propensity == 1.0);
}

TEST_CASE("linucb breaks exact ties by the lowest index") {
  const Eigen::VectorXd x = Context();
  const auto arms = Arms(x, {10, 10}, {0.5, 0.5});
  auto d = ChooseLinUcb(Candidates(arms, x));
  REQUIRE(d->chosen == 0);
  REQUIRE(d->propensity == 1.0);
}

TEST_CASE("linear policies refuse empty, null and mismatched candidates") {
  Rng rng(1);
  LinearArmState s(Dim4());
  const Eigen::VectorXd wrong = Eigen::VectorXd::Ones(kDim + 1);
  const Eigen::VectorXd x = Context();
  REQUIRE_FALSE(ChooseLinUcb({}).ok());
  REQUIRE_FALSE(ChooseLinUcb({{&s, nullptr}}).ok());
  REQUIRE_FALSE(ChooseLinUcb({{&s, &x}, {&s, &wrong}}).ok());
  REQUIRE_FALSE(ChooseLinearThompson({{nullptr, &x}}, {}, rng).ok());
  REQUIRE_FALSE(ChooseLinearThompson({{&s, &x}, {&s, &x}}, Samples(0), rng).ok());
  LinUcbOptions bad;
  bad.alpha = -1.0;
  REQUIRE_FALSE(ChooseLinUcb({{&s, &x}}, bad).ok());
}

TEST_CASE("linear thompson's Monte Carlo propensity is close to the empirical choice frequency") {
  const Eigen::VectorXd x = Context();
  const auto arms = Arms(x, {5, 8, 3}, {0.4, 0.5, 0.34});
  const auto candidates = Candidates(arms, x);
  Rng rng(2);
  const int n = 20000;
  std::vector<double> freq(arms.size(), 0.0);
  for (int i = 0; i < n; ++i) freq[(*ChooseLinearThompson(candidates, Samples(1), rng)).chosen] += 1.0 / n;
  for (double f : freq) REQUIRE(f > 0.05);  // a genuinely randomized case
  for (int i = 0; i < 100; ++i) {
    auto d = ChooseLinearThompson(candidates, Samples(20000), rng);
    REQUIRE(d.ok());
    REQUIRE(d->propensity_samples == 20000u);
    INFO("arm " << d->chosen);
    REQUIRE(d->propensity == Approx(freq[d->chosen]).margin(0.02));
  }
}

TEST_CASE("linear thompson's score draw has the distribution of a Cholesky theta draw") {
  const Eigen::VectorXd x = Context();
  const auto arms = Arms(x, {6}, {0.5});
  const LinearArmState& s = arms[0];
  Rng rng(3);
  const int n = 100000;
  const double v = 1.3;
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double score = s.SampleTheta(v, rng).dot(x);
    sum += score;
    sum_sq += score * score;
  }
  const double mean = sum / n;
  const double var = sum_sq / n - mean * mean;
  const double expected_var = v * v * s.Width(x) * s.Width(x);
  REQUIRE(mean == Approx(s.Mean(x)).margin(5.0 * std::sqrt(expected_var / n)));
  REQUIRE(var == Approx(expected_var).epsilon(0.03));
}

TEST_CASE("linear thompson with zero scale is greedy with propensity 1") {
  const Eigen::VectorXd x = Context();
  const auto arms = Arms(x, {20, 20, 20}, {0.3, 0.7, 0.5});
  LinearThompsonOptions o;
  o.scale = 0.0;
  Rng rng(4);
  auto d = ChooseLinearThompson(Candidates(arms, x), o, rng);
  REQUIRE(d.ok());
  REQUIRE(d->chosen == 1);
  REQUIRE(d->propensity == 1.0);
}

TEST_CASE("linear thompson decisions are identical for the same seed and differ across seeds") {
  const Eigen::VectorXd x = Context();
  const auto arms = Arms(x, {5, 8, 3}, {0.4, 0.5, 0.34});
  const auto candidates = Candidates(arms, x);
  auto run = [&](uint64_t seed) {
    Rng rng(seed);
    std::vector<Decision> out;
    for (int i = 0; i < 100; ++i) out.push_back(*ChooseLinearThompson(candidates, {}, rng));
    return std::make_pair(out, rng.state());
  };
  REQUIRE(run(9) == run(9));
  REQUIRE(run(9).first != run(10).first);
  // The decision does not depend on the number of Monte Carlo samples.
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Rng few(seed), many(seed);
    auto a = ChooseLinearThompson(candidates, Samples(4), few);
    auto b = ChooseLinearThompson(candidates, Samples(2048), many);
    REQUIRE(a->chosen == b->chosen);
    REQUIRE(few.state() == many.state());
  }
}
