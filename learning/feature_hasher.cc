#include "learning/feature_hasher.h"

namespace driftline {
namespace {

// Hash of an ordered pair of feature hashes, for crosses.
inline uint32_t PairHash(uint32_t a, uint32_t b) {
  return Murmur3FinalMix(a * 0x9e3779b1u ^ Murmur3Rotl32(b, 15) * 0x1b873593u);
}

const FeatureNamespace* FindNamespace(const FeatureSet& set, std::string_view name) {
  for (const auto& ns : set) {
    if (ns.name == name) return &ns;
  }
  return nullptr;
}

// Features of every namespace called `name` (a set may repeat a name).
std::vector<std::pair<uint32_t, double>> HashedNamespace(const FeatureSet& set,
                                                          std::string_view name) {
  std::vector<std::pair<uint32_t, double>> out;
  const uint32_t seed = NamespaceSeed(name);
  for (const auto& ns : set) {
    if (ns.name != name) continue;
    for (const auto& f : ns.features) {
      if (f.value != 0.0) out.emplace_back(FeatureHash(seed, f.name), f.value);
    }
  }
  return out;
}

}  // namespace

uint32_t NamespaceSeed(std::string_view namespace_name) {
  return Murmur3(namespace_name, 0x64726674u);  // "drft"
}

uint32_t BiasIndex(uint32_t bits) {
  const uint32_t mask = (1u << bits) - 1;
  return Murmur3("bias", NamespaceSeed("")) & mask;
}

SparseFeatures HashFeatures(const FeatureSet& features, const HashingConfig& config) {
  const uint32_t mask = (1u << config.bits) - 1;
  SparseFeatures out;
  out.push_back({BiasIndex(config.bits), 1.0});
  for (const auto& ns : features) {
    const uint32_t seed = NamespaceSeed(ns.name);
    for (const auto& f : ns.features) {
      if (f.value == 0.0) continue;
      out.push_back({FeatureHash(seed, f.name) & mask, f.value});
    }
  }
  for (const auto& [left, right] : config.crosses) {
    if (!FindNamespace(features, left) || !FindNamespace(features, right)) continue;
    const auto a = HashedNamespace(features, left);
    const auto b = HashedNamespace(features, right);
    for (const auto& [ha, va] : a) {
      for (const auto& [hb, vb] : b) out.push_back({PairHash(ha, hb) & mask, va * vb});
    }
  }
  return out;
}

}  // namespace driftline
