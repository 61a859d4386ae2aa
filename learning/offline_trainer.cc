#include "learning/offline_trainer.h"

#include <cmath>
#include <numeric>

#include "learning/drift.h"
#include "learning/feature_hasher.h"
#include "learning/logistic.h"
#include "learning/model_input.h"
#include "common/rng.h"

namespace driftline {
namespace {

struct HashedExample {
  SparseFeatures x;
  int label;
};

// One AdaGrad step on the logistic loss with L2.
double AdagradStep(const HashedExample& ex, const TrainConfig& config,
                   std::vector<double>& w, std::vector<double>& g2) {
  double logit = 0.0;
  for (const auto& f : ex.x) logit += w[f.index] * f.value;
  const double residual = LogisticGradient(logit, ex.label);
  for (const auto& f : ex.x) {
    const double g = residual * f.value + config.l2 * w[f.index];
    g2[f.index] += g * g;
    w[f.index] -= config.learning_rate * g / (std::sqrt(g2[f.index]) + 1e-8);
  }
  return LogLoss(Sigmoid(logit), ex.label);
}

}  // namespace

ModelArtifact TrainBaseModel(const std::vector<LabelledExample>& examples,
                             const TrainConfig& config, const std::string& version,
                             const SnapshotInfo& snapshot, const TrainProgress& progress) {
  DriftHistogramBuilder histograms;
  std::vector<HashedExample> hashed;
  hashed.reserve(examples.size());
  for (const auto& ex : examples) {
    FeatureSet input = ModelInput(ex.event);
    histograms.Add(input);
    hashed.push_back({HashFeatures(input, config.hashing), ex.label});
  }

  const size_t dim = size_t{1} << config.hashing.bits;
  std::vector<double> w(dim, 0.0), g2(dim, 0.0);
  std::vector<size_t> order(hashed.size());
  std::iota(order.begin(), order.end(), 0);
  Rng rng(config.seed);
  for (uint32_t epoch = 0; epoch < config.epochs; ++epoch) {
    // The first epoch keeps time order; later ones shuffle (Fisher-Yates).
    if (epoch > 0) {
      for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.NextBelow(i)]);
    }
    double loss = 0.0;
    for (size_t i : order) loss += AdagradStep(hashed[i], config, w, g2);
    if (progress) progress(epoch + 1, config.epochs, hashed.empty() ? 0.0 : loss / hashed.size());
  }

  ModelArtifact artifact;
  artifact.version = version;
  artifact.config = config;
  artifact.snapshot = snapshot;
  for (size_t i = 0; i < dim; ++i) {
    if (w[i] != 0.0) artifact.weights.push_back({static_cast<uint32_t>(i), w[i]});
  }
  artifact.histograms = histograms.Build();
  return artifact;
}

}  // namespace driftline
