// Beta-Bernoulli posterior for one arm, with a warm prior taken from the base
// model, and the Gamma / Beta samplers Thompson sampling needs.
//
// The prior encodes the base model's prediction p0 for the arm as `strength`
// pseudo-observations: Beta(alpha0 = p0 * strength, beta0 = (1 - p0) * strength).
// The arm's online evidence (ArmSnapshot::successes / failures, possibly
// fractional, e.g. from default rewards or importance weights) is added on top:
// posterior = Beta(alpha0 + successes, beta0 + failures). With no evidence the
// posterior mean is exactly the (clamped) base prediction, so an arm the
// partition has never seen behaves like the base model.
//
// Pure functions and plain values: no globals, no clock; randomness only
// through the Rng& passed in. Same inputs + same Rng state => same draws, bit
// for bit. Not thread-safe only in the sense that an Rng has one owner.
#pragma once

#include "common/status.h"
#include "common/rng.h"

namespace driftline {

struct BetaPriorOptions {
  // Pseudo-observations the base prediction is worth. Larger: the online
  // evidence needs more events to move the arm away from the base model.
  // REQUIRES: finite and > 0. Default: 10.0
  double strength = 10.0;
  // p0 is clamped into [eps, 1 - eps] so that both prior parameters stay
  // positive. REQUIRES: 0 < eps < 0.5. Default: 1e-4
  double probability_clamp = 1e-4;
};

// A Beta(alpha, beta) distribution. REQUIRES (for every member function):
// alpha > 0 and beta > 0, both finite; MakeBetaPosterior only builds such.
struct BetaPosterior {
  double alpha = 1.0;
  double beta = 1.0;

  // alpha / (alpha + beta).
  double Mean() const;
  // alpha * beta / ((alpha + beta)^2 * (alpha + beta + 1)).
  double Variance() const;
  // One draw in [0, 1], as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta),
  // computed in log space so tiny shapes do not produce 0 / 0.
  double Sample(Rng& rng) const;

  bool operator==(const BetaPosterior& o) const { return alpha == o.alpha && beta == o.beta; }
};

// Status::Ok() or InvalidArgument naming the offending field.
Status ValidateBetaPriorOptions(const BetaPriorOptions& options);

// The warm prior alone. Errors: InvalidArgument if p0 is not finite or the
// options are invalid. p0 outside (0, 1) is clamped, not refused (a base
// model may legitimately say 0 or 1 after rounding).
Result<BetaPosterior> MakeWarmPrior(double p0, const BetaPriorOptions& options = {});

// Warm prior + evidence. Errors: InvalidArgument as MakeWarmPrior, or if
// successes / failures are negative or not finite.
Result<BetaPosterior> MakeBetaPosterior(double p0, double successes, double failures,
                                        const BetaPriorOptions& options = {});

// One draw from Gamma(shape, 1) by Marsaglia & Tsang (2000), "A simple method
// for generating gamma variables". For shape < 1 it uses the boost
// Gamma(a) = Gamma(a + 1) * U^(1/a). REQUIRES: shape > 0 and finite.
// Consumes a variable number of Rng draws (rejection sampling), but always
// the same number for the same Rng state.
double SampleGamma(double shape, Rng& rng);

// log of one Gamma(shape, 1) draw; the same draw SampleGamma returns
// (SampleGamma == exp(SampleLogGamma) for the same Rng state), but without
// underflow for tiny shapes. REQUIRES: shape > 0 and finite.
double SampleLogGamma(double shape, Rng& rng);

// One Beta(alpha, beta) draw. REQUIRES: alpha > 0, beta > 0, both finite.
double SampleBeta(double alpha, double beta, Rng& rng);

}  // namespace driftline
