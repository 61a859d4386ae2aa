// Slot probabilities of uniform, greedy and Thompson rankings. See
// learning/ranking_policy.h.
#include "learning/ranking_policy.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "learning/policy.h"

namespace driftline {
namespace {

Status CheckSlots(size_t candidates, size_t slots) {
  if (candidates == 0) return Status::InvalidArgument("no candidates");
  if (slots == 0 || slots > candidates) {
    return Status::InvalidArgument("slots must be in 1.." + std::to_string(candidates) + ", got " +
                                   std::to_string(slots));
  }
  return Status::Ok();
}

// Indices sorted by value descending, ties -> lower index; only the first `slots` are ordered.
std::vector<size_t> TopIndices(const std::vector<double>& values, size_t slots) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(slots), order.end(),
                    [&values](size_t a, size_t b) { return values[a] > values[b] || (values[a] == values[b] && a < b); });
  order.resize(slots);
  return order;
}

}  // namespace

Result<SlotProbabilities> UniformRankingProbabilities(size_t candidates, size_t slots) {
  DRIFTLINE_RETURN_IF_ERROR(CheckSlots(candidates, slots));
  return SlotProbabilities(candidates, std::vector<double>(slots, 1.0 / static_cast<double>(candidates)));
}

Result<SlotProbabilities> GreedyRankingProbabilities(const std::vector<double>& scores, size_t slots) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateScores(scores));
  DRIFTLINE_RETURN_IF_ERROR(CheckSlots(scores.size(), slots));
  SlotProbabilities p(scores.size(), std::vector<double>(slots, 0.0));
  const std::vector<size_t> top = TopIndices(scores, slots);
  for (size_t k = 0; k < slots; ++k) p[top[k]][k] = 1.0;
  return p;
}

Result<SlotProbabilities> ThompsonRankingProbabilities(const std::vector<BetaPosterior>& posteriors, size_t slots,
                                                       uint32_t samples, Rng& rng) {
  DRIFTLINE_RETURN_IF_ERROR(CheckSlots(posteriors.size(), slots));
  if (samples == 0) return Status::InvalidArgument("samples must be >= 1");
  for (size_t i = 0; i < posteriors.size(); ++i) {
    const BetaPosterior& b = posteriors[i];
    if (!(std::isfinite(b.alpha) && b.alpha > 0 && std::isfinite(b.beta) && b.beta > 0)) {
      return Status::InvalidArgument("posterior " + std::to_string(i) + ": alpha and beta must be finite and > 0");
    }
  }
  std::vector<std::vector<uint32_t>> counts(posteriors.size(), std::vector<uint32_t>(slots, 0));
  std::vector<double> draws(posteriors.size());
  for (uint32_t s = 0; s < samples; ++s) {
    for (size_t i = 0; i < posteriors.size(); ++i) draws[i] = posteriors[i].Sample(rng);
    const std::vector<size_t> top = TopIndices(draws, slots);
    for (size_t k = 0; k < slots; ++k) ++counts[top[k]][k];
  }
  SlotProbabilities p(posteriors.size(), std::vector<double>(slots, 0.0));
  for (size_t i = 0; i < counts.size(); ++i) {
    for (size_t k = 0; k < slots; ++k) p[i][k] = static_cast<double>(counts[i][k]) / static_cast<double>(samples);
  }
  return p;
}

}  // namespace driftline
