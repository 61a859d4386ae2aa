#include "learning/policy_linear.h"

#include <cmath>
#include <string>

namespace driftline {
namespace {

Status ValidateCandidates(const std::vector<LinearCandidate>& candidates) {
  if (candidates.empty()) return Status::InvalidArgument("linear bandit: no candidates");
  for (size_t i = 0; i < candidates.size(); ++i) {
    const LinearCandidate& c = candidates[i];
    const std::string which = "linear bandit: candidate " + std::to_string(i);
    if (c.state == nullptr || c.context == nullptr) {
      return Status::InvalidArgument(which + " has a null state or context");
    }
    if (c.context->size() != c.state->dim()) {
      return Status::InvalidArgument(which + " has context dim " +
                                     std::to_string(c.context->size()) + ", state dim " +
                                     std::to_string(c.state->dim()));
    }
    if (!c.context->allFinite()) return Status::InvalidArgument(which + " has a non-finite context");
  }
  return Status::Ok();
}

// Per-candidate theta_hat . x and sqrt(x^T A^-1 x).
void MeansAndWidths(const std::vector<LinearCandidate>& candidates, std::vector<double>* means,
                    std::vector<double>* widths) {
  means->resize(candidates.size());
  widths->resize(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    (*means)[i] = candidates[i].state->Mean(*candidates[i].context);
    (*widths)[i] = candidates[i].state->Width(*candidates[i].context);
  }
}

}  // namespace

Result<Decision> ChooseLinUcb(const std::vector<LinearCandidate>& candidates,
                              const LinUcbOptions& options) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateCandidates(candidates));
  if (!std::isfinite(options.alpha) || options.alpha < 0.0) {
    return Status::InvalidArgument("linucb: alpha must be finite and >= 0");
  }
  std::vector<double> means, widths;
  MeansAndWidths(candidates, &means, &widths);
  std::vector<double> ucb(candidates.size());
  for (size_t i = 0; i < ucb.size(); ++i) ucb[i] = means[i] + options.alpha * widths[i];
  DRIFTLINE_RETURN_IF_ERROR(ValidateScores(ucb, "linucb scores"));
  Decision decision;
  decision.chosen = ArgmaxLowestIndex(ucb);
  return decision;
}

Result<Decision> ChooseLinearThompson(const std::vector<LinearCandidate>& candidates,
                                      const LinearThompsonOptions& options, Rng& rng) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateCandidates(candidates));
  if (!std::isfinite(options.scale) || options.scale < 0.0) {
    return Status::InvalidArgument("linear thompson: scale must be finite and >= 0");
  }
  if (options.propensity_samples == 0) {
    return Status::InvalidArgument("linear thompson: propensity_samples must be >= 1");
  }
  if (candidates.size() == 1) return Decision{};
  std::vector<double> means, widths;
  MeansAndWidths(candidates, &means, &widths);
  DRIFTLINE_RETURN_IF_ERROR(ValidateScores(means, "linear thompson means"));
  std::vector<double> draws(candidates.size());
  const double scale = options.scale;
  auto draw = [&](Rng& r) {
    for (size_t i = 0; i < draws.size(); ++i) {
      draws[i] = means[i] + scale * widths[i] * r.NextGaussian();
    }
    return ArgmaxLowestIndex(draws);
  };
  return DecideByMonteCarlo(draw, options.propensity_samples, rng);
}

}  // namespace driftline
