// Thompson sampling over per-arm Beta posteriors (beta_bernoulli.h): draw one
// sample from each candidate's posterior, pick the largest (ties -> lowest
// index). The choice probabilities have no closed form, so the propensity is
// a Monte Carlo estimate (policy.h, DecideByMonteCarlo).
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "learning/beta_bernoulli.h"
#include "learning/policy.h"
#include "common/rng.h"

namespace driftline {

struct ThompsonOptions {
  // Draws behind the propensity estimate, the decision's own draw included:
  // the standard error of a propensity p is sqrt(p (1 - p) / n), about 0.03
  // at the default. REQUIRES: >= 1. Default: 256
  uint32_t propensity_samples = 256;
};

// One candidate: the decision draws candidates[i].Sample(rng) for i = 0..K-1
// in order, then one more rng.NextU64() seeds the Monte Carlo generator.
// With K == 1 the propensity is exactly 1 (propensity_samples 0) and nothing
// is drawn.
// Errors: InvalidArgument if `candidates` is empty, a posterior has a
// parameter that is not finite and > 0, or propensity_samples == 0.
Result<Decision> ChooseBetaThompson(const std::vector<BetaPosterior>& candidates,
                                    const ThompsonOptions& options, Rng& rng);

}  // namespace driftline
