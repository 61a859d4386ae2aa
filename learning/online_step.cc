#include "learning/online_step.h"

#include "learning/model_input.h"

namespace driftline {

SparseFeatures DeltaFeatures(const std::string& user, const std::string& item,
                             const FeatureSet& features, const OnlineOptions& options) {
  // The same indices, in the same order, as HashFeatures(ModelInput(user,
  // item, features), {delta_bits, no crosses}) (tested), without copying the
  // feature set to prepend the identities: this runs several times per event.
  const uint32_t mask = (1u << options.delta_bits) - 1;
  SparseFeatures out;
  size_t n = 3;
  for (const auto& ns : features) n += ns.features.size();
  out.reserve(n);
  out.push_back({BiasIndex(options.delta_bits), 1.0});
  if (!user.empty()) {
    out.push_back({FeatureHash(NamespaceSeed(kUserNamespace), "id=" + user) & mask, 1.0});
  }
  if (!item.empty()) {
    out.push_back({FeatureHash(NamespaceSeed(kItemNamespace), "id=" + item) & mask, 1.0});
  }
  for (const auto& ns : features) {
    const uint32_t seed = NamespaceSeed(ns.name);
    for (const auto& f : ns.features) {
      if (f.value != 0.0) out.push_back({FeatureHash(seed, f.name) & mask, f.value});
    }
  }
  return out;
}

}  // namespace driftline
