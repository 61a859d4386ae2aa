// SHA-256, incremental, computed by OpenSSL's libcrypto (EVP interface: it
// picks the SHA-NI / AVX2 code path the CPU supports). Used for model artifact
// content hashes and training snapshot hashes.
//
//   Sha256 h;
//   h.Update(part1);
//   h.Update(part2);
//   std::string hex = Sha256::Hex(h.Final());
//
// Not thread-safe; one owner at a time. Plain value: copying a Sha256 forks
// the running hash (useful for hashing a common prefix once); a moved-from
// Sha256 may only be assigned to or destroyed.
//
// Errors: libcrypto fails a SHA-256 step only when it cannot allocate; that is
// reported as std::bad_alloc, like any other allocation failure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace driftline {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();
  ~Sha256();
  Sha256(const Sha256& other);
  Sha256& operator=(const Sha256& other);
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;

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
  evp_md_ctx_st* ctx_ = nullptr;  // owned
};

// One-shot convenience: the lower-case hex SHA-256 of bytes.
std::string Sha256Hex(std::string_view bytes);

}  // namespace driftline
