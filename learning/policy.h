// What every bandit policy returns, and the pieces the policies share.
//
// A policy chooses one arm among K candidates and reports the probability
// that it would have chosen that arm given the same inputs (its propensity),
// so that logged decisions support off-policy evaluation (IPS, SNIPS, doubly
// robust). The policies themselves live in:
//   policy_score.h     greedy, epsilon-greedy, softmax over per-candidate scores
//   policy_thompson.h  Thompson sampling over Beta posteriors
//   policy_linear.h    LinUCB and linear Thompson sampling
//
// Every policy is a pure function of (inputs, options, Rng state): no globals,
// no clock. Same inputs + same Rng state => same Decision and same Rng state
// afterwards, bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "common/status.h"
#include "common/rng.h"

namespace driftline {

struct Decision {
  size_t chosen = 0;        // index into the candidate list
  double propensity = 1.0;  // P(policy picks `chosen` | inputs), in (0, 1]
  // 0: `propensity` is exact. n > 0: it is a Monte Carlo estimate from n draws
  // of the policy (see DecideByMonteCarlo).
  uint32_t propensity_samples = 0;
  bool operator==(const Decision& o) const {
    return chosen == o.chosen && propensity == o.propensity &&
           propensity_samples == o.propensity_samples;
  }
};

// Status::Ok() or InvalidArgument: the list is empty or holds a non-finite
// score. `what` names the input in the message ("scores").
Status ValidateScores(const std::vector<double>& scores, const char* what = "scores");

// Index of the first maximum (ties -> lowest index). REQUIRES: non-empty.
size_t ArgmaxLowestIndex(const std::vector<double>& scores);

// All indices holding the maximum, ascending. REQUIRES: non-empty.
std::vector<size_t> ArgmaxSet(const std::vector<double>& scores);

// One draw of a randomized policy: the index it picks using `rng`.
using PolicyDraw = std::function<size_t(Rng&)>;

// Runs a randomized policy whose choice probabilities have no closed form:
//   1. chosen = draw(rng)                           (the decision itself)
//   2. mc = Rng(rng.NextU64())                      (one more word from rng)
//   3. draw(mc) another `samples - 1` times; the propensity is
//      (1 + #{draws == chosen}) / samples.
// The decision's own draw counts as one of the `samples`, so the estimate is
// never 0 (IPS weights stay finite) and propensity_samples == samples. The
// Monte Carlo draws come from `mc` only, so the chosen arm and the state of
// `rng` afterwards do not depend on `samples`.
// REQUIRES: samples >= 1.
Decision DecideByMonteCarlo(const PolicyDraw& draw, uint32_t samples, Rng& rng);

}  // namespace driftline
