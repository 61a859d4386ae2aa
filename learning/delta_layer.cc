#include "learning/delta_layer.h"

#include <algorithm>

#include "learning/delta_transform.h"

namespace driftline {

double DeltaLayer::Logit(const SparseFeatures& x, const FtrlOptions& options) const {
  double s = 0.0;
  for (const auto& f : x) {
    auto it = coords_.find(f.index);
    if (it != coords_.end()) s += FtrlWeight(it->second, options) * f.value;
  }
  return s;
}

void DeltaLayer::Update(const SparseFeatures& x, double residual, const FtrlOptions& options) {
  for (const auto& f : x) FtrlUpdate(coords_[f.index], residual * f.value, options);
}

void DeltaLayer::Decay(double factor, const FtrlOptions& options) {
  for (auto& [index, state] : coords_) state = DecayFtrlState(state, factor, options);
}

std::vector<DeltaCoordinate> DeltaLayer::Coordinates() const {
  std::vector<DeltaCoordinate> out;
  out.reserve(coords_.size());
  for (const auto& [index, state] : coords_) out.push_back({index, state});
  std::sort(out.begin(), out.end(),
            [](const DeltaCoordinate& a, const DeltaCoordinate& b) { return a.index < b.index; });
  return out;
}

DeltaLayer DeltaLayer::FromCoordinates(const std::vector<DeltaCoordinate>& coords) {
  DeltaLayer layer;
  layer.coords_.reserve(coords.size());
  for (const auto& c : coords) layer.coords_[c.index] = c.state;
  return layer;
}

}  // namespace driftline
