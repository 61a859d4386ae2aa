// A small, seeded, serializable random generator (xoshiro256**, seeded by
// SplitMix64). Learning code never draws randomness from anywhere else: a
// partition owns one Rng, its state goes into checkpoints, so replaying the
// same input from the same state gives the same draws bit for bit.
//
// Not thread-safe; one owner at a time.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace driftline {

class Rng {
 public:
  using State = std::array<uint64_t, 4>;

  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (auto& word : s_) word = SplitMix64(x);
  }
  // REQUIRES: state is not all zero (a state produced by state() never is).
  static Rng FromState(const State& state) {
    Rng r(0);
    r.s_ = state;
    return r;
  }
  const State& state() const { return s_; }

  uint64_t NextU64() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1), 53 random bits.
  double NextDouble() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

  // Uniform in (0, 1): safe to take the logarithm of.
  double NextOpenDouble() {
    return (static_cast<double>(NextU64() >> 12) + 0.5) * 0x1.0p-52;
  }

  // Uniform integer in [0, n). REQUIRES: n > 0.
  uint64_t NextBelow(uint64_t n) {
    // Lemire's multiply-shift with rejection: unbiased.
    unsigned __int128 m = static_cast<unsigned __int128>(NextU64()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(NextU64()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Standard normal (Box-Muller; draws two uniforms, keeps no cache so the
  // state stays four words).
  double NextGaussian() {
    const double u1 = NextOpenDouble();
    const double u2 = NextDouble();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  State s_{};
};

}  // namespace driftline
