// Byte-level helpers for tests that forge or patch encoded messages, and the
// offsets of the fields they patch (protocol/driftline.capnp layouts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace driftline {
namespace testing {

// Every root the tests patch is a single-segment message: an 8-byte segment
// table, the root pointer, then the root's data section. Frame and
// EventLogRecord both keep a UInt16 version at byte 16 and their union's
// discriminant (UInt16) at byte 18; PartitionCheckpoint's formatVersion is at
// byte 16 too.
constexpr size_t kVersionOffset = 16;
constexpr size_t kWhichOffset = 18;

inline void PutUint16(std::string& bytes, size_t at, uint16_t v) {
  bytes[at] = static_cast<char>(v & 0xff);
  bytes[at + 1] = static_cast<char>(v >> 8);
}

inline uint16_t GetUint16(const std::string& bytes, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(bytes[at]) |
                               (static_cast<uint8_t>(bytes[at + 1]) << 8));
}

// Writes word number `word` as two little-endian 32-bit halves.
inline void PutWord(std::string& bytes, size_t word, uint32_t lo, uint32_t hi) {
  for (int i = 0; i < 4; ++i) bytes[8 * word + i] = static_cast<char>(lo >> (8 * i));
  for (int i = 0; i < 4; ++i) bytes[8 * word + 4 + i] = static_cast<char>(hi >> (8 * i));
}

}  // namespace testing
}  // namespace driftline
