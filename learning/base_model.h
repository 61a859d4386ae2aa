// The base model at serving and evaluation time: a logistic regression over
// hashed features, loaded from a ModelArtifact. Immutable after construction,
// so one instance is safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "learning/feature_hasher.h"
#include "learning/model_artifact.h"

namespace driftline {

class BaseModel {
 public:
  // REQUIRES: artifact weights are within 2^bits (the codec validates this).
  explicit BaseModel(const ModelArtifact& artifact);

  const std::string& version() const { return version_; }
  const HashingConfig& hashing() const { return hashing_; }

  // The logit for already-hashed features.
  double Logit(const SparseFeatures& x) const;
  // Hashes with this model's config, then scores.
  double Logit(const FeatureSet& features) const;

 private:
  std::string version_;
  HashingConfig hashing_;
  std::vector<double> weights_;  // dense, 2^bits
};

}  // namespace driftline
