// The simulator's one source of randomness: a seeded generator whose draws are the same on
// every platform and standard library (std::uniform_int_distribution is not), so that a seed
// replays the same run wherever it is run.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace wolfpack::cluster::sim {

// SplitMix64 (Steele, Lea, Flood 2014): one 64-bit state, full period, good enough spread
// for choosing faults; not for cryptography.
class sim_random {
 public:
  explicit sim_random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); n > 0. Rejection keeps it unbiased.
  std::uint64_t below(std::uint64_t n) {
    if (n == 0)
      throw std::invalid_argument("sim_random::below(0)");
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    for (;;) {
      const auto x = next();
      if (x < limit)
        return x % n;
    }
  }

  // Uniform in [lo, hi].
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + below(hi - lo + 1); }

  // True with probability p (p <= 0: never, p >= 1: always, without a draw either way).
  bool chance(double p) {
    if (p <= 0)
      return false;
    if (p >= 1)
      return true;
    // 53 random bits as a double in [0, 1).
    return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0) < p;
  }

  // One element of a non-empty vector.
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v.at(below(v.size()));
  }

  // A generator of its own for a part of the simulation, so that drawing more in one part
  // does not shift the draws of another.
  sim_random fork(std::uint64_t salt) {
    return sim_random(next() ^ (salt * 0xd1b54a32d192ed03ull));
  }

 private:
  std::uint64_t state_;
};

}  // namespace wolfpack::cluster::sim
