#include "protocol/sha256.h"

#include <openssl/evp.h>

#include <new>
#include <utility>

namespace driftline {
namespace {

// libcrypto's SHA-256 steps fail only when they cannot allocate.
void Check(int ok) {
  if (ok != 1) throw std::bad_alloc();
}

EVP_MD_CTX* NewContext() {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) throw std::bad_alloc();
  return ctx;
}

}  // namespace

Sha256::Sha256() : ctx_(NewContext()) { Reset(); }

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Sha256::Sha256(const Sha256& other) : ctx_(NewContext()) {
  Check(EVP_MD_CTX_copy_ex(ctx_, other.ctx_));
}

Sha256& Sha256::operator=(const Sha256& other) {
  if (this != &other) {
    if (ctx_ == nullptr) ctx_ = NewContext();
    Check(EVP_MD_CTX_copy_ex(ctx_, other.ctx_));
  }
  return *this;
}

Sha256::Sha256(Sha256&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  std::swap(ctx_, other.ctx_);
  return *this;
}

void Sha256::Reset() { Check(EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr)); }

void Sha256::Update(const void* data, size_t size) {
  if (size == 0) return;
  Check(EVP_DigestUpdate(ctx_, data, size));
}

Sha256::Digest Sha256::Final() {
  Digest digest{};  // SHA-256 writes exactly 32 bytes
  Check(EVP_DigestFinal_ex(ctx_, digest.data(), nullptr));
  Reset();
  return digest;
}

std::string Sha256::Hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * digest.size(), '0');
  for (size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return Sha256::Hex(h.Final());
}

}  // namespace driftline
