// Key -> partition: which partition owns a user's or an arm's online state.
//
//   partition = Murmur3_x86_32(key, seed 0x70617274 "part") mod P
//
// P is fixed when a node's (later: a cluster's) data directory is created.
// DO NOT CHANGE the hash or the seed: the mapping decides where every user's
// and arm's state lives on disk; changing it orphans all of it.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/murmur3.h"

namespace driftline {

inline constexpr uint32_t kPartitionHashSeed = 0x70617274u;

// REQUIRES: partitions > 0.
inline uint32_t PartitionOf(std::string_view key, uint32_t partitions) {
  return Murmur3(key, kPartitionHashSeed) % partitions;
}

}  // namespace driftline
