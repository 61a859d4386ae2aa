// Slot probabilities of ranking policies: a policy that fills `slots`
// positions from K candidates (no candidate twice), as the Open Bandit
// Dataset's 3-slot widget does. The result P[i][k] is the probability that
// candidate i is shown at slot k (0-based); each column sums to 1 and each
// row to at most 1. Off-policy evaluation of a slate, position by position
// (as Open Bandit Pipeline does), needs P[.][position of the logged row].
//
//   uniform   a uniformly random ranking: P[i][k] = 1 / K.
//   greedy    sort by score, descending (ties -> lower index first):
//             P[i][k] = 1 for the candidate at rank k.
//   thompson  draw one sample from each candidate's Beta posterior, sort the
//             draws descending (ties -> lower index) and show the first
//             `slots`: Bernoulli Thompson sampling as OBD's BTS policy ran it
//             (and driftline's Thompson policy, policy_thompson.h, for one
//             slot). No closed form: estimated from `samples` rankings
//             drawn with the Rng given (Monte Carlo, as OBP's
//             compute_batch_action_dist does), so P[i][k] is a multiple of
//             1 / samples; the standard error of an entry p is
//             sqrt(p (1 - p) / samples).
//
// Pure functions of their inputs (and the Rng state): no I/O, no clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/rng.h"
#include "common/status.h"
#include "learning/beta_bernoulli.h"

namespace driftline {

// P[candidate][slot].
using SlotProbabilities = std::vector<std::vector<double>>;

// Errors: InvalidArgument if candidates == 0, slots == 0 or slots > candidates.
Result<SlotProbabilities> UniformRankingProbabilities(size_t candidates, size_t slots);

// Errors: as ValidateScores (policy.h), and slots == 0 or > scores.size().
Result<SlotProbabilities> GreedyRankingProbabilities(const std::vector<double>& scores, size_t slots);

// Draws, per sample, posteriors[i].Sample(rng) for i = 0..K-1 in order.
// Errors: InvalidArgument if posteriors is empty, a parameter is not finite
// and > 0, slots == 0 or > K, or samples == 0.
Result<SlotProbabilities> ThompsonRankingProbabilities(const std::vector<BetaPosterior>& posteriors, size_t slots,
                                                       uint32_t samples, Rng& rng);

}  // namespace driftline
