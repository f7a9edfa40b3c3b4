#include "sim/rng.hpp"

namespace firedrill::sim {

namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

std::uint64_t splitmix64(std::uint64_t& state) {
  state += kGolden;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotate_left(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t scenario_seed, std::uint64_t trial_index) {
  // Unsigned arithmetic wraps, so the mix is the same on every platform.
  std::uint64_t state = scenario_seed ^ (kGolden * (trial_index + 1));
  for (std::uint64_t& word : s_) word = splitmix64(state);
  // splitmix64 is a bijection on distinct successive states, so at most one word can be zero
  // and the xoshiro state is never all zero.
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotate_left(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotate_left(s_[3], 45);
  return result;
}

double Rng::uniform01() {
  // The top 53 bits scaled by 2^-53: every value k / 2^53 for k in [0, 2^53) is equally likely.
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

double Rng::uniform(double a, double b) { return a + (b - a) * uniform01(); }

}  // namespace firedrill::sim
