// Off-policy evaluation: the value of a target policy estimated from
// decisions another (logging) policy made, with their propensities.
//
// Each logged decision i contributes one OpeSample:
//   mu_i  = logging_propensity: P(logging policy chose the logged action a_i)
//   pi_i  = target_probability: P(target policy chooses a_i) in the same context
//   r_i   = reward observed for a_i
//   qhat_i  = reward_estimate: the reward model's estimate for a_i
//   dm_i  = target_reward_estimate: sum over actions a of pi(a) * qhat(a), the
//           reward model's value of the target policy in that context
// with importance weight w_i = pi_i / mu_i. The estimators (n samples):
//   IPS   = (1/n) sum w_i r_i                           (unbiased when mu > 0 wherever pi > 0)
//   SNIPS = sum w_i r_i / sum w_i                       (self-normalized; biased, lower variance)
//   DR    = (1/n) sum [dm_i + w_i (r_i - qhat_i)]       (doubly robust; unbiased if mu is right)
// Confidence intervals are normal approximations with the sample variance
// (a 95 % interval by default): IPS and DR: value +- z * sd(terms) / sqrt(n);
// SNIPS by the delta method: se = sqrt(sum w_i^2 (r_i - SNIPS)^2) / sum w_i.
// With rare rewards (a CTR of 0.5 %) the sample variance is itself noisy and
// the interval is only approximate; with no reward at all it has width 0.
// The effective sample size (sum w)^2 / sum w^2 says how many on-policy
// samples the log is worth for this target.
//
// Pure functions over plain values: no I/O, no clock, no randomness.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "common/status.h"

namespace driftline {

struct OpeSample {
  double logging_propensity = 1.0;     // REQUIRES: in (0, 1]
  double target_probability = 0.0;     // REQUIRES: in [0, 1]
  double reward = 0.0;                 // REQUIRES: finite
  double reward_estimate = 0.0;        // REQUIRES: finite (used by DR only)
  double target_reward_estimate = 0.0; // REQUIRES: finite (used by DR only)
};

struct OpeOptions {
  // Normal quantile of the two-sided interval. Default: 1.959963984540054 (95 %)
  double z = 1.959963984540054;
};

struct OpeEstimate {
  double value = 0.0;
  double std_error = 0.0;
  double ci_low = 0.0;   // value - z * std_error
  double ci_high = 0.0;  // value + z * std_error
};

struct OpeReport {
  size_t n = 0;
  OpeEstimate ips;
  std::optional<OpeEstimate> snips;  // unset when every weight is 0 (the target never picks a logged action)
  OpeEstimate dr;
  double weight_sum = 0.0;           // sum w_i (n in expectation)
  double max_weight = 0.0;
  double effective_sample_size = 0.0;  // (sum w)^2 / sum w^2; 0 when every weight is 0
  size_t nonzero_weights = 0;          // samples the target policy could have chosen
};

// Status::Ok() or InvalidArgument naming the first bad sample
// ("sample 12: logging_propensity must be in (0, 1], got 0").
Status ValidateOpeSamples(const std::vector<OpeSample>& samples);

// IPS, SNIPS, DR with intervals, and the weight diagnostics.
// Errors: InvalidArgument for an empty list, a bad sample (above) or a z
// that is not finite and > 0.
Result<OpeReport> EstimatePolicyValue(const std::vector<OpeSample>& samples, const OpeOptions& options = {});

// The mean of on-policy rewards with the same normal interval (the logged
// policy's own value, e.g. a CTR). Errors: InvalidArgument when empty or a
// reward is not finite.
Result<OpeEstimate> EstimateOnPolicyValue(const std::vector<double>& rewards, const OpeOptions& options = {});

}  // namespace driftline
