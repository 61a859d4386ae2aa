// Policies over disjoint linear contextual bandits (linear_bandit.h): each
// candidate brings its own arm state and its dense context.
//
//   LinUCB: argmax of theta_hat . x + alpha * sqrt(x^T A^-1 x); deterministic,
//           ties -> lowest index, propensity exactly 1 (also under ties).
//   Linear Thompson sampling: draw theta_i ~ N(theta_hat_i, v^2 A_i^-1) per
//           candidate, pick argmax theta_i . x_i; Monte Carlo propensity.
//
// Linear TS samples the score, not the whole theta: for a fixed context,
// theta . x with theta ~ N(theta_hat, v^2 A^-1) is exactly
// N(theta_hat . x, v^2 x^T A^-1 x), so one NextGaussian per candidate draws
// the same distribution as LinearArmState::SampleTheta (Cholesky, d
// Gaussians) followed by a dot product, at 1/d of the cost; means and widths
// are computed once per call, which keeps the Monte Carlo propensity cheap.
// Candidates are scored independently, as in the disjoint model: two
// candidates pointing at the same state get independent draws.
//
// Errors (all functions): InvalidArgument if there are no candidates, a
// pointer is null, a context's size differs from its state's dim(), a context
// is not finite, or an option is out of range. Pure functions of (inputs,
// options, Rng state); see policy.h.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "common/status.h"
#include "learning/linear_bandit.h"
#include "learning/policy.h"
#include "common/rng.h"

namespace driftline {

// Borrowed pointers: both must outlive the call. Several candidates may share
// one context.
struct LinearCandidate {
  const LinearArmState* state = nullptr;
  const Eigen::VectorXd* context = nullptr;
};

struct LinUcbOptions {
  // Width multiplier alpha. REQUIRES: finite and >= 0. Default: 1.0
  double alpha = 1.0;
};

// Draws nothing.
Result<Decision> ChooseLinUcb(const std::vector<LinearCandidate>& candidates,
                              const LinUcbOptions& options = {});

struct LinearThompsonOptions {
  // Posterior scale v: theta ~ N(theta_hat, v^2 A^-1). REQUIRES: finite and
  // >= 0 (0 is greedy on theta_hat . x). Default: 1.0
  double scale = 1.0;
  // As ThompsonOptions::propensity_samples. REQUIRES: >= 1. Default: 256
  uint32_t propensity_samples = 256;
};

// The decision draws one rng.NextGaussian() per candidate, in order, then one
// rng.NextU64() seeds the Monte Carlo generator. With one candidate the
// propensity is exactly 1 and nothing is drawn.
Result<Decision> ChooseLinearThompson(const std::vector<LinearCandidate>& candidates,
                                      const LinearThompsonOptions& options, Rng& rng);

}  // namespace driftline
