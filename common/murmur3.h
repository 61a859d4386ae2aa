// MurmurHash3 x86_32 (Austin Appleby's public-domain design; our own
// implementation). Two frozen uses depend on it bit for bit: feature hashing
// (learning/feature_hasher.h: a trained model's meaning) and key -> partition
// (cluster/partitioner.h: where every user's and arm's state lives on disk).
// DO NOT CHANGE any function here.
//
// Pure functions; thread-safe. Little-endian hosts only (x86, arm64).
#pragma once

#include <cstdint>
#include <string_view>

namespace driftline {

// MurmurHash3 (x86, 32-bit) of `bytes` with `seed`.
uint32_t Murmur3(std::string_view bytes, uint32_t seed);

// The building blocks, for hashes derived from Murmur3 values (crosses).
inline uint32_t Murmur3Rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
// The finalizer ("fmix32"): avalanches all bits of h.
inline uint32_t Murmur3FinalMix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

}  // namespace driftline
