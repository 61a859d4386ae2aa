// The logistic link and loss every learner in driftline shares. Scores are
// logits; p = Sigmoid(score). Numerically stable for any finite input.
#pragma once

#include <algorithm>
#include <cmath>

namespace driftline {

inline double Sigmoid(double logit) {
  if (logit >= 0) return 1.0 / (1.0 + std::exp(-logit));
  const double e = std::exp(logit);
  return e / (1.0 + e);
}

inline double Logit(double p) { return std::log(p / (1.0 - p)); }

// Probabilities are clamped to [kMinProbability, 1 - kMinProbability] before
// taking logs, so one confident mistake costs at most ~16 nats.
constexpr double kMinProbability = 1e-7;

// Log loss (natural log) of predicting p for label y in {0, 1}.
inline double LogLoss(double p, int label) {
  const double q = std::clamp(p, kMinProbability, 1.0 - kMinProbability);
  return label ? -std::log(q) : -std::log(1.0 - q);
}

// d LogLoss(Sigmoid(s), y) / d s = Sigmoid(s) - y: the gradient every linear
// layer of the combined score receives, times the feature value.
inline double LogisticGradient(double logit, int label) { return Sigmoid(logit) - label; }

}  // namespace driftline
