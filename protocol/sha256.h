// SHA-256 (FIPS 180-4), incremental. Used for model artifact content hashes
// and training snapshot hashes; no dependency beyond the standard library.
//
//   Sha256 h;
//   h.Update(part1);
//   h.Update(part2);
//   std::string hex = Sha256::Hex(h.Final());
//
// Not thread-safe; one owner at a time. Plain value: copying a Sha256 forks
// the running hash (useful for hashing a common prefix once).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace driftline {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256() { Reset(); }

  // Returns to the state of a freshly constructed hasher.
  void Reset();

  // Appends bytes to the message. REQUIRES: data points at size readable
  // bytes (data may be null when size == 0).
  void Update(const void* data, size_t size);
  void Update(std::string_view bytes) { Update(bytes.data(), bytes.size()); }

  // Pads, returns the digest of everything appended since the last Reset,
  // and resets the hasher so it can be reused.
  Digest Final();

  // Lower-case hexadecimal, 64 characters.
  static std::string Hex(const Digest& digest);

 private:
  void Compress(const uint8_t block[64]);

  std::array<uint32_t, 8> h_;
  uint8_t buffer_[64];
  size_t buffered_ = 0;   // bytes waiting in buffer_, < 64
  uint64_t total_ = 0;    // bytes appended since Reset
};

// One-shot convenience: the lower-case hex SHA-256 of bytes.
std::string Sha256Hex(std::string_view bytes);

}  // namespace driftline
