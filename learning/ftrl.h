// FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the
// Trenches", KDD 2013), per coordinate. The state of one coordinate is two
// numbers; the weight is a closed-form function of them, so a delta layer
// stores only FtrlState and checkpoints are exact.
//
// All functions are pure: no globals, no clock, no randomness.
#pragma once

#include <cmath>
#include <cstdint>

namespace driftline {

struct FtrlState {
  double z = 0.0;  // accumulated (gradient - sigma * w)
  double n = 0.0;  // accumulated squared gradient
  bool operator==(const FtrlState& o) const { return z == o.z && n == o.n; }
};

struct FtrlOptions {
  double alpha = 0.1;   // per-coordinate learning-rate scale. Default: 0.1
  double beta = 1.0;    // learning-rate smoothing. Default: 1.0
  double l1 = 0.0;      // L1 strength (sparsity). Default: 0.0
  double l2 = 1.0;      // L2 pull of every delta weight towards zero, i.e.
                        // towards the base model (the cheap Laplace-prior
                        // anchor against forgetting). Default: 1.0
};

// The weight implied by a coordinate's state.
inline double FtrlWeight(const FtrlState& s, const FtrlOptions& o) {
  if (std::fabs(s.z) <= o.l1) return 0.0;
  const double sign = s.z < 0 ? -1.0 : 1.0;
  return -(s.z - sign * o.l1) / ((o.beta + std::sqrt(s.n)) / o.alpha + o.l2);
}

// Applies gradient g (of the loss with respect to this coordinate's weight).
inline void FtrlUpdate(FtrlState& s, double g, const FtrlOptions& o) {
  const double w = FtrlWeight(s, o);
  const double n_new = s.n + g * g;
  const double sigma = (std::sqrt(n_new) - std::sqrt(s.n)) / o.alpha;
  s.z += g - sigma * w;
  s.n = n_new;
}

}  // namespace driftline
