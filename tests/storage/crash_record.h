// The records the crash writer appends and the crash test checks:
//   "<batch> <index> <payload> <checksum>"
// batch and index in decimal, a payload of deterministic length (0..199) and
// content, and a 16-hex-digit FNV-1a 64 checksum of everything before it. A
// torn or mixed-up record fails DecodeCrashRecord.
#pragma once

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

namespace driftline::storage::testing {

inline uint64_t Fnv1a64(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

inline std::string CrashRecordBody(uint64_t batch, uint64_t index) {
  std::string body = std::to_string(batch) + " " + std::to_string(index) + " ";
  size_t length = static_cast<size_t>((batch * 31 + index * 7) % 200);
  for (size_t i = 0; i < length; ++i) body.push_back(static_cast<char>('a' + (batch + index + i) % 26));
  return body + " ";
}

inline std::string EncodeCrashRecord(uint64_t batch, uint64_t index) {
  std::string body = CrashRecordBody(batch, index);
  char checksum[17];
  std::snprintf(checksum, sizeof(checksum), "%016" PRIx64, Fnv1a64(body));
  return body + checksum;
}

// True when `bytes` is exactly EncodeCrashRecord(batch, index) for the batch
// and index it names; sets them.
inline bool DecodeCrashRecord(const std::string& bytes, uint64_t* batch, uint64_t* index) {
  unsigned long long b = 0, i = 0;
  if (std::sscanf(bytes.c_str(), "%llu %llu", &b, &i) != 2) return false;
  *batch = b;
  *index = i;
  return bytes == EncodeCrashRecord(b, i);
}

}  // namespace driftline::storage::testing
