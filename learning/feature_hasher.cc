#include "learning/feature_hasher.h"

#include <cstring>

namespace driftline {
namespace {

inline uint32_t Rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

inline uint32_t FinalMix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

// Hash of an ordered pair of feature hashes, for crosses.
inline uint32_t PairHash(uint32_t a, uint32_t b) {
  return FinalMix(a * 0x9e3779b1u ^ Rotl32(b, 15) * 0x1b873593u);
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

uint32_t Murmur3(std::string_view bytes, uint32_t seed) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t len = bytes.size();
  const size_t blocks = len / 4;
  uint32_t h = seed;
  constexpr uint32_t c1 = 0xcc9e2d51u;
  constexpr uint32_t c2 = 0x1b873593u;
  for (size_t i = 0; i < blocks; ++i) {
    uint32_t k;
    std::memcpy(&k, data + i * 4, 4);  // little-endian hosts only (x86, arm64)
    k *= c1;
    k = Rotl32(k, 15);
    k *= c2;
    h ^= k;
    h = Rotl32(h, 13);
    h = h * 5 + 0xe6546b64u;
  }
  const unsigned char* tail = data + blocks * 4;
  uint32_t k = 0;
  switch (len & 3) {
    case 3: k ^= static_cast<uint32_t>(tail[2]) << 16; [[fallthrough]];
    case 2: k ^= static_cast<uint32_t>(tail[1]) << 8; [[fallthrough]];
    case 1:
      k ^= tail[0];
      k *= c1;
      k = Rotl32(k, 15);
      k *= c2;
      h ^= k;
  }
  h ^= static_cast<uint32_t>(len);
  return FinalMix(h);
}

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
