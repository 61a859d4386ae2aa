// Policies over one score per candidate (typically the combined score's
// probability sigmoid(base + deltas)): greedy, epsilon-greedy and softmax.
// Their propensities are exact (Decision::propensity_samples == 0), and the
// full choice distributions are exposed for off-policy evaluation of these
// policies as target policies.
//
// Errors (all functions): InvalidArgument if `scores` is empty, holds a
// non-finite value, or the options are out of range. Pure functions of
// (scores, options, Rng state); see policy.h.
#pragma once

#include <vector>

#include "common/status.h"
#include "learning/policy.h"
#include "common/rng.h"

namespace driftline {

// argmax; ties -> the lowest index. Deterministic, so the propensity is 1
// (also under ties: the tie-break is not random). Draws nothing.
Result<Decision> ChooseGreedy(const std::vector<double>& scores);

struct EpsilonGreedyOptions {
  // Probability of exploring uniformly over all K candidates; otherwise pick
  // uniformly among the tied maxima. REQUIRES: 0 <= epsilon <= 1.
  // Default: 0.05
  double epsilon = 0.05;
};

// P(i) = (1 - eps) / |argmax set| * [i in argmax set] + eps / K. Sums to 1.
Result<std::vector<double>> EpsilonGreedyProbabilities(const std::vector<double>& scores,
                                                       const EpsilonGreedyOptions& options = {});

// Draws u = rng.NextDouble(); u < eps explores (rng.NextBelow(K)), otherwise
// rng.NextBelow(|argmax set|) picks among the maxima. Propensity = P(chosen)
// from EpsilonGreedyProbabilities.
Result<Decision> ChooseEpsilonGreedy(const std::vector<double>& scores,
                                     const EpsilonGreedyOptions& options, Rng& rng);

struct SoftmaxOptions {
  // P(i) proportional to exp(score_i / temperature), in the units of the
  // scores. The default suits scores that are probabilities in [0, 1]: a
  // 0.1 lead makes an arm e times as likely. Small -> greedy, large ->
  // uniform. REQUIRES: finite and > 0. Default: 0.1
  double temperature = 0.1;
};

// The softmax distribution, computed with the maximum subtracted (no
// overflow). Sums to 1 up to rounding; every entry is in [0, 1].
Result<std::vector<double>> SoftmaxProbabilities(const std::vector<double>& scores,
                                                 const SoftmaxOptions& options = {});

// Inverse-CDF draw with one rng.NextDouble(). Propensity = P(chosen) from
// SoftmaxProbabilities (> 0 for the chosen arm).
Result<Decision> ChooseSoftmax(const std::vector<double>& scores, const SoftmaxOptions& options,
                               Rng& rng);

}  // namespace driftline
