// IPS, SNIPS, DR with normal-approximation intervals. See learning/off_policy.h.
#include "learning/off_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace driftline {
namespace {

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

Status SampleError(size_t i, const char* field, const char* rule, double got) {
  return Status::InvalidArgument("sample " + std::to_string(i) + ": " + field + " must be " + rule + ", got " + Num(got));
}

// Mean and the standard error of the mean (sample variance, n - 1; 0 for n = 1).
OpeEstimate MeanWithInterval(const std::vector<double>& terms, double z) {
  const double n = static_cast<double>(terms.size());
  double sum = 0.0;
  for (double t : terms) sum += t;
  const double mean = sum / n;
  double squares = 0.0;
  for (double t : terms) squares += (t - mean) * (t - mean);
  const double variance = terms.size() > 1 ? squares / (n - 1.0) : 0.0;
  OpeEstimate e;
  e.value = mean;
  e.std_error = std::sqrt(variance / n);
  e.ci_low = mean - z * e.std_error;
  e.ci_high = mean + z * e.std_error;
  return e;
}

}  // namespace

Status ValidateOpeSamples(const std::vector<OpeSample>& samples) {
  for (size_t i = 0; i < samples.size(); ++i) {
    const OpeSample& s = samples[i];
    if (!(s.logging_propensity > 0.0 && s.logging_propensity <= 1.0)) {
      return SampleError(i, "logging_propensity", "in (0, 1]", s.logging_propensity);
    }
    if (!(s.target_probability >= 0.0 && s.target_probability <= 1.0)) {
      return SampleError(i, "target_probability", "in [0, 1]", s.target_probability);
    }
    if (!std::isfinite(s.reward)) return SampleError(i, "reward", "finite", s.reward);
    if (!std::isfinite(s.reward_estimate)) return SampleError(i, "reward_estimate", "finite", s.reward_estimate);
    if (!std::isfinite(s.target_reward_estimate)) {
      return SampleError(i, "target_reward_estimate", "finite", s.target_reward_estimate);
    }
  }
  return Status::Ok();
}

Result<OpeReport> EstimatePolicyValue(const std::vector<OpeSample>& samples, const OpeOptions& options) {
  if (samples.empty()) return Status::InvalidArgument("no logged decisions to evaluate");
  if (!(std::isfinite(options.z) && options.z > 0.0)) return Status::InvalidArgument("z must be finite and > 0");
  DRIFTLINE_RETURN_IF_ERROR(ValidateOpeSamples(samples));
  OpeReport report;
  report.n = samples.size();
  std::vector<double> ips_terms, dr_terms;
  ips_terms.reserve(samples.size());
  dr_terms.reserve(samples.size());
  double weighted_reward = 0.0, weight_squares = 0.0;
  for (const OpeSample& s : samples) {
    const double w = s.target_probability / s.logging_propensity;
    ips_terms.push_back(w * s.reward);
    dr_terms.push_back(s.target_reward_estimate + w * (s.reward - s.reward_estimate));
    report.weight_sum += w;
    weight_squares += w * w;
    weighted_reward += w * s.reward;
    report.max_weight = std::max(report.max_weight, w);
    if (w > 0.0) ++report.nonzero_weights;
  }
  report.ips = MeanWithInterval(ips_terms, options.z);
  report.dr = MeanWithInterval(dr_terms, options.z);
  if (report.weight_sum > 0.0) {
    OpeEstimate e;
    e.value = weighted_reward / report.weight_sum;
    double spread = 0.0;
    for (const OpeSample& s : samples) {
      const double w = s.target_probability / s.logging_propensity;
      spread += w * w * (s.reward - e.value) * (s.reward - e.value);
    }
    e.std_error = std::sqrt(spread) / report.weight_sum;
    e.ci_low = e.value - options.z * e.std_error;
    e.ci_high = e.value + options.z * e.std_error;
    report.snips = e;
    report.effective_sample_size = report.weight_sum * report.weight_sum / weight_squares;
  }
  return report;
}

Result<OpeEstimate> EstimateOnPolicyValue(const std::vector<double>& rewards, const OpeOptions& options) {
  if (rewards.empty()) return Status::InvalidArgument("no rewards");
  if (!(std::isfinite(options.z) && options.z > 0.0)) return Status::InvalidArgument("z must be finite and > 0");
  for (size_t i = 0; i < rewards.size(); ++i) {
    if (!std::isfinite(rewards[i])) return SampleError(i, "reward", "finite", rewards[i]);
  }
  return MeanWithInterval(rewards, options.z);
}

}  // namespace driftline
