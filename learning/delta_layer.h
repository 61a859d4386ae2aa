// A small sparse linear correction learned online: one per user and one per
// arm. Its weights are FTRL-Proximal coordinates with an L2 pull towards zero,
// so an untrained or long-unseen layer contributes nothing and the combined
// score falls back to the base model's.
//
// Deterministic: Logit() sums in the order of x; Update() touches coordinates
// in the order of x. Not thread-safe; owned by one partition.
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "learning/feature_hasher.h"
#include "learning/ftrl.h"
#include "learning/partition_snapshot.h"

namespace driftline {

class DeltaLayer {
 public:
  double Logit(const SparseFeatures& x, const FtrlOptions& options) const;

  // One gradient step of the combined score's loss: coordinate j receives
  // residual * x_j, where residual = d loss / d score (LogisticGradient).
  void Update(const SparseFeatures& x, double residual, const FtrlOptions& options);

  // Every weight becomes `factor` times its value and every squared-gradient
  // sum `factor` times (learning/delta_transform.h). REQUIRES: 0 <= factor <= 1.
  void Decay(double factor, const FtrlOptions& options);

  size_t size() const { return coords_.size(); }
  bool empty() const { return coords_.empty(); }

  // Coordinates in ascending index (canonical for checkpoints).
  std::vector<DeltaCoordinate> Coordinates() const;
  static DeltaLayer FromCoordinates(const std::vector<DeltaCoordinate>& coords);

 private:
  std::unordered_map<uint32_t, FtrlState> coords_;
};

}  // namespace driftline
