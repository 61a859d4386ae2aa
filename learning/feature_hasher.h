// Namespaced feature hashing (the hashing trick), with crosses between
// namespaces as Vowpal Wabbit's -q does. A feature is hashed with a seed
// derived from its namespace's name, so "id=7" in "user" and "id=7" in "item"
// land in different buckets; a cross (a, b) hashes every pair of features of
// the two namespaces, with value = product of values. One constant bias
// feature is always present.
//
// The hash (common/murmur3.h) is part of
// every model artifact's meaning: DO NOT CHANGE it, or trained models and
// online deltas silently stop meaning what they meant.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/murmur3.h"
#include "learning/event.h"
#include "learning/model_artifact.h"

namespace driftline {

struct HashedFeature {
  uint32_t index = 0;
  double value = 0.0;
};
using SparseFeatures = std::vector<HashedFeature>;

// The seed of a namespace: every feature of it is hashed with this seed.
uint32_t NamespaceSeed(std::string_view namespace_name);

// Full 32-bit hash of one feature (before masking to `bits`).
inline uint32_t FeatureHash(uint32_t namespace_seed, std::string_view feature_name) {
  return Murmur3(feature_name, namespace_seed);
}

// Index of the always-on bias feature for `bits`.
uint32_t BiasIndex(uint32_t bits);

// Hashes `features` into 2^config.bits buckets: bias first, then every
// feature in order, then every cross in config order. Features with value 0
// are dropped. REQUIRES: 1 <= config.bits <= 30.
SparseFeatures HashFeatures(const FeatureSet& features, const HashingConfig& config);

}  // namespace driftline
