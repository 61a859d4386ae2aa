#include "learning/beta_bernoulli.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

namespace driftline {
namespace {

bool IsFinite(double x) { return std::isfinite(x); }

// log of a Gamma(shape) draw for shape >= 1 (Marsaglia & Tsang).
double SampleLogGammaAtLeastOne(double shape, Rng& rng) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double x = rng.NextGaussian();
    const double t = 1.0 + c * x;
    if (t <= 0.0) continue;
    const double v = t * t * t;
    const double u = rng.NextOpenDouble();
    const double x2 = x * x;
    // Cheap squeeze first, then the exact acceptance test.
    if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) {
      return std::log(d) + std::log(v);
    }
  }
}

}  // namespace

double BetaPosterior::Mean() const { return alpha / (alpha + beta); }

double BetaPosterior::Variance() const {
  const double n = alpha + beta;
  return alpha * beta / (n * n * (n + 1.0));
}

double BetaPosterior::Sample(Rng& rng) const { return SampleBeta(alpha, beta, rng); }

Status ValidateBetaPriorOptions(const BetaPriorOptions& options) {
  if (!IsFinite(options.strength) || options.strength <= 0.0) {
    return Status::InvalidArgument("beta prior strength must be finite and > 0, got " +
                                   std::to_string(options.strength));
  }
  if (!(options.probability_clamp > 0.0 && options.probability_clamp < 0.5)) {
    return Status::InvalidArgument("beta prior probability_clamp must be in (0, 0.5), got " +
                                   std::to_string(options.probability_clamp));
  }
  return Status::Ok();
}

Result<BetaPosterior> MakeWarmPrior(double p0, const BetaPriorOptions& options) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateBetaPriorOptions(options));
  if (!IsFinite(p0)) return Status::InvalidArgument("base prediction p0 is not finite");
  const double eps = options.probability_clamp;
  const double p = std::clamp(p0, eps, 1.0 - eps);
  BetaPosterior prior;
  prior.alpha = p * options.strength;
  prior.beta = (1.0 - p) * options.strength;
  return prior;
}

Result<BetaPosterior> MakeBetaPosterior(double p0, double successes, double failures,
                                        const BetaPriorOptions& options) {
  if (!IsFinite(successes) || successes < 0.0) {
    return Status::InvalidArgument("successes must be finite and >= 0");
  }
  if (!IsFinite(failures) || failures < 0.0) {
    return Status::InvalidArgument("failures must be finite and >= 0");
  }
  Result<BetaPosterior> prior = MakeWarmPrior(p0, options);
  if (!prior.ok()) return prior;
  BetaPosterior posterior = *prior;
  posterior.alpha += successes;
  posterior.beta += failures;
  return posterior;
}

double SampleLogGamma(double shape, Rng& rng) {
  assert(shape > 0.0 && IsFinite(shape));
  if (shape >= 1.0) return SampleLogGammaAtLeastOne(shape, rng);
  // Boost: if G ~ Gamma(a + 1) and U ~ Uniform(0, 1), G * U^(1/a) ~ Gamma(a).
  const double log_g = SampleLogGammaAtLeastOne(shape + 1.0, rng);
  return log_g + std::log(rng.NextOpenDouble()) / shape;
}

double SampleGamma(double shape, Rng& rng) { return std::exp(SampleLogGamma(shape, rng)); }

double SampleBeta(double alpha, double beta, Rng& rng) {
  assert(alpha > 0.0 && beta > 0.0 && IsFinite(alpha) && IsFinite(beta));
  const double log_x = SampleLogGamma(alpha, rng);
  const double log_y = SampleLogGamma(beta, rng);
  // X / (X + Y) = 1 / (1 + exp(log_y - log_x)); exp overflow gives 0, which
  // is the correct limit.
  return 1.0 / (1.0 + std::exp(log_y - log_x));
}

}  // namespace driftline
