// Off-policy estimators on synthetic logs whose true value is known: a
// contextual Bernoulli bandit, a logging policy and a different target
// policy, all drawn from a seeded Rng.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <vector>

#include "common/rng.h"
#include "learning/off_policy.h"

using namespace driftline;

namespace {

constexpr int kContexts = 3;
constexpr int kArms = 4;
// Click probability of arm a in context c.
constexpr double kMean[kContexts][kArms] = {{0.10, 0.30, 0.05, 0.20}, {0.40, 0.05, 0.15, 0.10}, {0.02, 0.08, 0.50, 0.25}};
// The logging policy favours arm c (rotating); the target favours arm c + 1.
constexpr double kLogging[kArms] = {0.55, 0.20, 0.15, 0.10};
constexpr double kTarget[kArms] = {0.05, 0.70, 0.15, 0.10};

double LoggingProbability(int c, int a) { return kLogging[(a - c + kArms) % kArms]; }
double TargetProbability(int c, int a) { return kTarget[(a - c + kArms) % kArms]; }

// The target policy's true value: contexts are uniform.
double TrueValue() {
  double v = 0.0;
  for (int c = 0; c < kContexts; ++c) {
    for (int a = 0; a < kArms; ++a) v += TargetProbability(c, a) * kMean[c][a] / kContexts;
  }
  return v;
}

// A reward model off by `bias` on every arm (DR stays unbiased anyway).
double RewardModel(int c, int a, double bias) { return std::min(1.0, kMean[c][a] + bias); }

std::vector<OpeSample> SimulateLog(uint64_t seed, size_t n, double model_bias) {
  Rng rng(seed);
  std::vector<OpeSample> log;
  for (size_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(rng.NextBelow(kContexts));
    double u = rng.NextDouble();
    int a = 0;
    while (a < kArms - 1 && u >= LoggingProbability(c, a)) u -= LoggingProbability(c, a++);
    OpeSample s;
    s.logging_propensity = LoggingProbability(c, a);
    s.target_probability = TargetProbability(c, a);
    s.reward = rng.NextDouble() < kMean[c][a] ? 1.0 : 0.0;
    s.reward_estimate = RewardModel(c, a, model_bias);
    for (int b = 0; b < kArms; ++b) s.target_reward_estimate += TargetProbability(c, b) * RewardModel(c, b, model_bias);
    log.push_back(s);
  }
  return log;
}

struct Spread {
  double mean = 0.0, variance = 0.0;
};
Spread Of(const std::vector<double>& v) {
  Spread s;
  for (double x : v) s.mean += x / v.size();
  for (double x : v) s.variance += (x - s.mean) * (x - s.mean) / (v.size() - 1);
  return s;
}

}  // namespace

TEST_CASE("IPS, SNIPS and DR intervals cover the true value of the target policy on a simulated log") {
  const double truth = TrueValue();
  auto report = EstimatePolicyValue(SimulateLog(7, 20000, 0.05));
  REQUIRE(report.ok());
  INFO("truth " << truth << " ips " << report->ips.value << " dr " << report->dr.value);
  REQUIRE(report->n == 20000);
  REQUIRE(report->ips.ci_low <= truth);
  REQUIRE(truth <= report->ips.ci_high);
  REQUIRE(report->snips.has_value());
  REQUIRE(report->snips->ci_low <= truth);
  REQUIRE(truth <= report->snips->ci_high);
  REQUIRE(report->dr.ci_low <= truth);
  REQUIRE(truth <= report->dr.ci_high);
  // The interval is value +- 1.96 standard errors.
  REQUIRE(report->ips.ci_high - report->ips.value == Approx(1.959963984540054 * report->ips.std_error));
}

TEST_CASE("IPS and DR are unbiased across seeds, SNIPS and DR vary less than IPS, and 95% intervals cover about 95% of the time") {
  const double truth = TrueValue();
  std::vector<double> ips, snips, dr;
  int ips_covered = 0, dr_covered = 0;
  const int kSeeds = 300;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    auto r = EstimatePolicyValue(SimulateLog(static_cast<uint64_t>(seed) * 1000 + 3, 2000, 0.05));
    REQUIRE(r.ok());
    ips.push_back(r->ips.value);
    snips.push_back(r->snips->value);
    dr.push_back(r->dr.value);
    ips_covered += r->ips.ci_low <= truth && truth <= r->ips.ci_high;
    dr_covered += r->dr.ci_low <= truth && truth <= r->dr.ci_high;
  }
  const Spread i = Of(ips), s = Of(snips), d = Of(dr);
  INFO("truth " << truth << " ips " << i.mean << " +- " << std::sqrt(i.variance) << " snips " << s.mean << " +- "
                << std::sqrt(s.variance) << " dr " << d.mean << " +- " << std::sqrt(d.variance));
  // The mean of kSeeds independent estimates is within 4 standard errors of the truth.
  REQUIRE(std::abs(i.mean - truth) < 4.0 * std::sqrt(i.variance / kSeeds));
  REQUIRE(std::abs(d.mean - truth) < 4.0 * std::sqrt(d.variance / kSeeds));
  REQUIRE(s.variance < i.variance);
  REQUIRE(d.variance < i.variance);
  // Binomial(300, 0.95) lies in [270, 300] with probability > 0.9999.
  REQUIRE(ips_covered >= 270);
  REQUIRE(dr_covered >= 270);
}

TEST_CASE("the same log gives the same estimates bit for bit") {
  auto a = EstimatePolicyValue(SimulateLog(11, 500, 0.0));
  auto b = EstimatePolicyValue(SimulateLog(11, 500, 0.0));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  // Every field of the report.
  const auto same = [](const OpeEstimate& x, const OpeEstimate& y) {
    return x.value == y.value && x.std_error == y.std_error && x.ci_low == y.ci_low &&
           x.ci_high == y.ci_high;
  };
  REQUIRE(a->n == b->n);
  REQUIRE(same(a->ips, b->ips));
  REQUIRE(a->snips.has_value() == b->snips.has_value());
  REQUIRE((!a->snips || same(*a->snips, *b->snips)));
  REQUIRE(same(a->dr, b->dr));
  REQUIRE(a->weight_sum == b->weight_sum);
  REQUIRE(a->max_weight == b->max_weight);
  REQUIRE(a->effective_sample_size == b->effective_sample_size);
  REQUIRE(a->nonzero_weights == b->nonzero_weights);
}

TEST_CASE("when the target policy is the logging policy every estimator returns the on-policy mean") {
  std::vector<OpeSample> log;
  std::vector<double> rewards;
  for (int i = 0; i < 100; ++i) {
    OpeSample s;
    s.logging_propensity = s.target_probability = (i % 3 + 1) / 4.0;
    s.reward = i % 7 == 0 ? 1.0 : 0.0;
    log.push_back(s);
    rewards.push_back(s.reward);
  }
  auto r = EstimatePolicyValue(log);
  auto on = EstimateOnPolicyValue(rewards);
  REQUIRE(r.ok());
  REQUIRE(on.ok());
  REQUIRE(r->ips.value == Approx(on->value));
  REQUIRE(r->snips->value == Approx(on->value));
  REQUIRE(r->ips.std_error == Approx(on->std_error));
  REQUIRE(r->effective_sample_size == Approx(100.0));
  REQUIRE(r->max_weight == 1.0);
}

TEST_CASE("a zero, negative or non-finite logging propensity is refused naming the sample") {
  for (double bad : {0.0, -0.1, 1.5, std::nan("")}) {
    std::vector<OpeSample> log(3);
    log[2].logging_propensity = bad;
    auto r = EstimatePolicyValue(log);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.status().message().find("sample 2: logging_propensity must be in (0, 1]") == 0);
  }
}

TEST_CASE("a target probability outside [0, 1] or a non-finite reward is refused") {
  std::vector<OpeSample> log(2);
  log[1].target_probability = 1.2;
  REQUIRE(EstimatePolicyValue(log).status().message().find("sample 1: target_probability") == 0);
  log[1].target_probability = 0.5;
  log[0].reward = INFINITY;
  REQUIRE(EstimatePolicyValue(log).status().message().find("sample 0: reward must be finite") == 0);
  log[0].reward = 0.0;
  log[0].target_reward_estimate = NAN;
  REQUIRE_FALSE(EstimatePolicyValue(log).ok());
}

TEST_CASE("an empty log is refused, not estimated as zero") {
  auto r = EstimatePolicyValue({});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.status().message() == "no logged decisions to evaluate");
  REQUIRE_FALSE(EstimateOnPolicyValue({}).ok());
}

TEST_CASE("target probability 0 on every logged action: IPS is 0, SNIPS undefined, DR falls back on the reward model") {
  std::vector<OpeSample> log(10);
  for (OpeSample& s : log) {
    s.logging_propensity = 0.5;
    s.target_probability = 0.0;
    s.reward = 1.0;
    s.reward_estimate = 0.3;
    s.target_reward_estimate = 0.2;
  }
  auto r = EstimatePolicyValue(log);
  REQUIRE(r.ok());
  REQUIRE(r->ips.value == 0.0);
  REQUIRE_FALSE(r->snips.has_value());
  REQUIRE(r->dr.value == Approx(0.2));
  REQUIRE(r->nonzero_weights == 0);
  REQUIRE(r->effective_sample_size == 0.0);
}

TEST_CASE("the effective sample size is (sum w)^2 / sum w^2") {
  std::vector<OpeSample> log(2);
  log[0].logging_propensity = 0.5;
  log[0].target_probability = 1.0;  // w = 2
  log[1].logging_propensity = 1.0;
  log[1].target_probability = 1.0;  // w = 1
  auto r = EstimatePolicyValue(log);
  REQUIRE(r.ok());
  REQUIRE(r->effective_sample_size == Approx(9.0 / 5.0));
  REQUIRE(r->max_weight == 2.0);
  REQUIRE(r->weight_sum == 3.0);
}
