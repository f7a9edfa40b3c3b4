// One seeded random generator per trial, seeded from (scenario seed, trial index), so results
// never depend on the number of worker processes, shards or the order trials run in.
#pragma once

#include <cstdint>

namespace firedrill::sim {

class Rng {
 public:
  Rng(std::uint64_t scenario_seed, std::uint64_t trial_index);
  std::uint64_t next_u64();      // xoshiro256** output
  double uniform01();            // in [0, 1), 53 random bits
  double uniform(double a, double b);

 private:
  std::uint64_t s_[4];
};

}  // namespace firedrill::sim
