#include "learning/policy_thompson.h"

#include <cmath>
#include <string>

namespace driftline {
namespace {

Status ValidatePosteriors(const std::vector<BetaPosterior>& candidates) {
  if (candidates.empty()) return Status::InvalidArgument("thompson sampling: no candidates");
  for (size_t i = 0; i < candidates.size(); ++i) {
    const BetaPosterior& c = candidates[i];
    if (!(std::isfinite(c.alpha) && std::isfinite(c.beta) && c.alpha > 0.0 && c.beta > 0.0)) {
      return Status::InvalidArgument("thompson sampling: candidate " + std::to_string(i) +
                                     " has an invalid Beta posterior");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Decision> ChooseBetaThompson(const std::vector<BetaPosterior>& candidates,
                                    const ThompsonOptions& options, Rng& rng) {
  DRIFTLINE_RETURN_IF_ERROR(ValidatePosteriors(candidates));
  if (options.propensity_samples == 0) {
    return Status::InvalidArgument("thompson sampling: propensity_samples must be >= 1");
  }
  if (candidates.size() == 1) return Decision{};
  std::vector<double> draws(candidates.size());
  auto draw = [&candidates, &draws](Rng& r) {
    for (size_t i = 0; i < candidates.size(); ++i) draws[i] = candidates[i].Sample(r);
    return ArgmaxLowestIndex(draws);
  };
  return DecideByMonteCarlo(draw, options.propensity_samples, rng);
}

}  // namespace driftline
