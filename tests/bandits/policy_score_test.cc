#include "learning/policy_score.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

using driftline::ChooseEpsilonGreedy;
using driftline::ChooseGreedy;
using driftline::ChooseSoftmax;
using driftline::Decision;
using driftline::EpsilonGreedyOptions;
using driftline::EpsilonGreedyProbabilities;
using driftline::Rng;
using driftline::SoftmaxOptions;
using driftline::SoftmaxProbabilities;

namespace {

double Sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// Runs `n` decisions from one generator; returns choice frequencies and
// checks that every reported propensity equals the closed form.
template <class Choose>
std::vector<double> Frequencies(size_t k, int n, const std::vector<double>& expected, Choose choose) {
  Rng rng(99);
  std::vector<double> freq(k, 0.0);
  for (int i = 0; i < n; ++i) {
    auto d = choose(rng);
    REQUIRE(d.ok());
    REQUIRE(d->propensity == expected[d->chosen]);
    REQUIRE(d->propensity_samples == 0u);
    freq[d->chosen] += 1.0 / n;
  }
  return freq;
}

}  // namespace

TEST_CASE("greedy picks the maximum with propensity 1 and breaks ties by the lowest index") {
  auto d = ChooseGreedy({0.1, 0.7, 0.3});
  REQUIRE(d.ok());
  REQUIRE(d->chosen == 1);
  REQUIRE(d->propensity == 1.0);
  REQUIRE(d->propensity_samples == 0u);
  auto tie = ChooseGreedy({0.2, 0.9, 0.9});
  REQUIRE(tie->chosen == 1);
  REQUIRE(tie->propensity == 1.0);
}

TEST_CASE("empty or non-finite scores are refused by every score policy") {
  Rng rng(1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_FALSE(ChooseGreedy({}).ok());
  REQUIRE_FALSE(ChooseGreedy({0.1, nan}).ok());
  REQUIRE_FALSE(ChooseEpsilonGreedy({}, {}, rng).ok());
  REQUIRE_FALSE(ChooseSoftmax({std::numeric_limits<double>::infinity()}, {}, rng).ok());
  EpsilonGreedyOptions bad_eps;
  bad_eps.epsilon = 1.5;
  REQUIRE_FALSE(ChooseEpsilonGreedy({0.1}, bad_eps, rng).ok());
  SoftmaxOptions bad_t;
  bad_t.temperature = 0.0;
  REQUIRE_FALSE(ChooseSoftmax({0.1}, bad_t, rng).ok());
}

TEST_CASE("epsilon-greedy probabilities follow the closed form and sum to 1") {
  EpsilonGreedyOptions o;
  o.epsilon = 0.2;
  auto p = EpsilonGreedyProbabilities({0.5, 0.9, 0.1, 0.9}, o);
  REQUIRE(p.ok());
  REQUIRE((*p)[0] == Approx(0.05));
  REQUIRE((*p)[1] == Approx(0.4 + 0.05));  // (1 - eps) / 2 ties + eps / K
  REQUIRE((*p)[2] == Approx(0.05));
  REQUIRE((*p)[3] == Approx(0.45));
  REQUIRE(Sum(*p) == Approx(1.0));
}

TEST_CASE("epsilon-greedy choice frequencies match its propensities") {
  const std::vector<double> scores = {0.5, 0.9, 0.1, 0.9, 0.3};
  EpsilonGreedyOptions o;
  o.epsilon = 0.3;
  const std::vector<double> p = *EpsilonGreedyProbabilities(scores, o);
  const int n = 100000;
  auto freq = Frequencies(scores.size(), n, p,
                          [&](Rng& rng) { return ChooseEpsilonGreedy(scores, o, rng); });
  for (size_t i = 0; i < p.size(); ++i) {
    INFO("arm " << i);
    REQUIRE(freq[i] == Approx(p[i]).margin(5.0 * std::sqrt(p[i] * (1 - p[i]) / n)));
  }
}

TEST_CASE("softmax probabilities follow the closed form and sum to 1") {
  SoftmaxOptions o;
  o.temperature = 0.5;
  const std::vector<double> scores = {0.0, 1.0, 0.5};
  auto p = SoftmaxProbabilities(scores, o);
  REQUIRE(p.ok());
  double z = 0.0;
  for (double s : scores) z += std::exp(s / 0.5);
  for (size_t i = 0; i < scores.size(); ++i) REQUIRE((*p)[i] == Approx(std::exp(scores[i] / 0.5) / z));
  REQUIRE(Sum(*p) == Approx(1.0));
}

TEST_CASE("softmax does not overflow on large score gaps") {
  SoftmaxOptions o;
  o.temperature = 0.01;
  auto p = SoftmaxProbabilities({1000.0, 0.0, 999.99}, o);
  REQUIRE(p.ok());
  for (double x : *p) REQUIRE(std::isfinite(x));
  REQUIRE(Sum(*p) == Approx(1.0));
  REQUIRE((*p)[1] == 0.0);
}

TEST_CASE("softmax choice frequencies match its propensities") {
  const std::vector<double> scores = {0.2, 0.35, 0.1, 0.3};
  SoftmaxOptions o;  // default temperature 0.1
  const std::vector<double> p = *SoftmaxProbabilities(scores, o);
  const int n = 100000;
  auto freq = Frequencies(scores.size(), n, p,
                          [&](Rng& rng) { return ChooseSoftmax(scores, o, rng); });
  for (size_t i = 0; i < p.size(); ++i) {
    INFO("arm " << i);
    REQUIRE(freq[i] == Approx(p[i]).margin(5.0 * std::sqrt(p[i] * (1 - p[i]) / n)));
  }
}

TEST_CASE("score policies are deterministic given the seed and vary across seeds") {
  const std::vector<double> scores = {0.2, 0.35, 0.1, 0.3};
  EpsilonGreedyOptions eps;
  eps.epsilon = 0.5;
  auto run = [&](uint64_t seed) {
    Rng rng(seed);
    std::vector<Decision> out;
    for (int i = 0; i < 200; ++i) {
      out.push_back(*ChooseSoftmax(scores, {}, rng));
      out.push_back(*ChooseEpsilonGreedy(scores, eps, rng));
    }
    return out;
  };
  REQUIRE(run(7) == run(7));
  REQUIRE(run(7) != run(8));
}
