#include "learning/base_model.h"

namespace driftline {

BaseModel::BaseModel(const ModelArtifact& artifact)
    : version_(artifact.version),
      hashing_(artifact.config.hashing),
      weights_(size_t{1} << artifact.config.hashing.bits, 0.0) {
  for (const auto& w : artifact.weights) {
    if (w.index < weights_.size()) weights_[w.index] = w.weight;
  }
}

double BaseModel::Logit(const SparseFeatures& x) const {
  double s = 0.0;
  for (const auto& f : x) s += weights_[f.index] * f.value;
  return s;
}

double BaseModel::Logit(const FeatureSet& features) const {
  return Logit(HashFeatures(features, hashing_));
}

}  // namespace driftline
