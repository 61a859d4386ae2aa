#include "learning/policy.h"

#include <cassert>
#include <cmath>
#include <string>

namespace driftline {

Status ValidateScores(const std::vector<double>& scores, const char* what) {
  if (scores.empty()) return Status::InvalidArgument(std::string(what) + ": no candidates");
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!std::isfinite(scores[i])) {
      return Status::InvalidArgument(std::string(what) + "[" + std::to_string(i) +
                                     "] is not finite");
    }
  }
  return Status::Ok();
}

size_t ArgmaxLowestIndex(const std::vector<double>& scores) {
  assert(!scores.empty());
  size_t best = 0;
  for (size_t i = 1; i < scores.size(); ++i) {
    if (scores[i] > scores[best]) best = i;
  }
  return best;
}

std::vector<size_t> ArgmaxSet(const std::vector<double>& scores) {
  const double best = scores[ArgmaxLowestIndex(scores)];
  std::vector<size_t> set;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] == best) set.push_back(i);
  }
  return set;
}

Decision DecideByMonteCarlo(const PolicyDraw& draw, uint32_t samples, Rng& rng) {
  assert(samples >= 1);
  Decision decision;
  decision.chosen = draw(rng);
  Rng mc(rng.NextU64());
  uint32_t hits = 1;  // the decision's own draw
  for (uint32_t i = 1; i < samples; ++i) {
    if (draw(mc) == decision.chosen) ++hits;
  }
  decision.propensity = static_cast<double>(hits) / static_cast<double>(samples);
  decision.propensity_samples = samples;
  return decision;
}

}  // namespace driftline
