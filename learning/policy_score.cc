#include "learning/policy_score.h"

#include <cmath>

namespace driftline {
namespace {

Status ValidateEpsilon(const EpsilonGreedyOptions& options) {
  if (!(options.epsilon >= 0.0 && options.epsilon <= 1.0)) {
    return Status::InvalidArgument("epsilon must be in [0, 1]");
  }
  return Status::Ok();
}

Status ValidateTemperature(const SoftmaxOptions& options) {
  if (!std::isfinite(options.temperature) || options.temperature <= 0.0) {
    return Status::InvalidArgument("softmax temperature must be finite and > 0");
  }
  return Status::Ok();
}

}  // namespace

Result<Decision> ChooseGreedy(const std::vector<double>& scores) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateScores(scores));
  Decision decision;
  decision.chosen = ArgmaxLowestIndex(scores);
  return decision;
}

Result<std::vector<double>> EpsilonGreedyProbabilities(const std::vector<double>& scores,
                                                       const EpsilonGreedyOptions& options) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateScores(scores));
  DRIFTLINE_RETURN_IF_ERROR(ValidateEpsilon(options));
  const double k = static_cast<double>(scores.size());
  std::vector<double> p(scores.size(), options.epsilon / k);
  const std::vector<size_t> best = ArgmaxSet(scores);
  const double exploit = (1.0 - options.epsilon) / static_cast<double>(best.size());
  for (size_t i : best) p[i] += exploit;
  return p;
}

Result<Decision> ChooseEpsilonGreedy(const std::vector<double>& scores,
                                     const EpsilonGreedyOptions& options, Rng& rng) {
  Result<std::vector<double>> p = EpsilonGreedyProbabilities(scores, options);
  if (!p.ok()) return p.status();
  Decision decision;
  if (rng.NextDouble() < options.epsilon) {
    decision.chosen = static_cast<size_t>(rng.NextBelow(scores.size()));
  } else {
    const std::vector<size_t> best = ArgmaxSet(scores);
    decision.chosen = best[static_cast<size_t>(rng.NextBelow(best.size()))];
  }
  decision.propensity = (*p)[decision.chosen];
  return decision;
}

Result<std::vector<double>> SoftmaxProbabilities(const std::vector<double>& scores,
                                                 const SoftmaxOptions& options) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateScores(scores));
  DRIFTLINE_RETURN_IF_ERROR(ValidateTemperature(options));
  const double max = scores[ArgmaxLowestIndex(scores)];
  std::vector<double> p(scores.size());
  double total = 0.0;
  for (size_t i = 0; i < scores.size(); ++i) {
    p[i] = std::exp((scores[i] - max) / options.temperature);  // in (0, 1], max -> 1
    total += p[i];
  }
  for (double& x : p) x /= total;  // total >= 1: no division by zero
  return p;
}

Result<Decision> ChooseSoftmax(const std::vector<double>& scores, const SoftmaxOptions& options,
                               Rng& rng) {
  Result<std::vector<double>> p = SoftmaxProbabilities(scores, options);
  if (!p.ok()) return p.status();
  const double u = rng.NextDouble();
  Decision decision;
  // If rounding leaves u above the last cumulative sum, fall back to the last
  // arm with positive probability.
  size_t last_positive = 0;
  double cumulative = 0.0;
  bool found = false;
  for (size_t i = 0; i < p->size(); ++i) {
    if ((*p)[i] <= 0.0) continue;
    last_positive = i;
    cumulative += (*p)[i];
    if (u < cumulative) {
      decision.chosen = i;
      found = true;
      break;
    }
  }
  if (!found) decision.chosen = last_positive;
  decision.propensity = (*p)[decision.chosen];
  return decision;
}

}  // namespace driftline
