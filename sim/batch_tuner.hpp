// How many trials a sweep's batch process runs side by side (see run_sweep()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace firedrill::sim {

// Picks the size of a disaster's next batch from the time per trial measured at each size.
//
// A batch's cost per trial has two parts pulling opposite ways: the process's own cost (a
// fork from the zygote, copy-on-write faults, its exit) shared by its trials, which favours
// large batches, and the trials' working set, which outgrows the caches in large batches.
// Where the best size lies depends on the machine as much as on the trial: measured with
// 10,000-trial sweeps, iconik multiple-gce-regions-failure ran fastest in batches of 12 to 16
// on a 2 x Intel Xeon machine, of 32 on a 2 x AMD EPYC one (where a page fault costs several
// times more) and of 64 on another once batches copied their pages up front, light
// disasters in batches of 64 and more (azure api-server-failure: 128 to 256). So the size is
// searched for, not computed: starting at 64 (or the largest, when smaller), the tuner
// measures each size twice, compares the current size with its neighbours on a ladder (8,
// 12, 16, 24, 32, 48, 64, 96, 128, 192, up to the largest) and moves to the fastest of the
// three, with every measurement kept in the means; once settled, it still measures each
// neighbour now and then.
// Results never depend on the batch size; only the time does.
class BatchTuner {
 public:
  // `largest`: the automatic batch size (the zygotes prepare that many copies).
  explicit BatchTuner(std::uint64_t largest);
  // The size of the next batch.
  std::uint64_t next() const { return sizes_[pick()]; }
  // A batch of `size` trials took `seconds` (wall clock, from submission to results).
  void record(std::uint64_t size, double seconds);
  // The size the tuner has settled on so far (for tests).
  std::uint64_t current() const { return sizes_[cur_]; }
  static constexpr int kSamples = 2;  // batches measured at a size before it is compared
  static constexpr int kRecheck = 8;  // a neighbour's share of batches once settled: 1 in 8
  static constexpr std::uint64_t kStart = 64;  // the size it starts at (at most the largest)

 private:
  std::size_t pick() const;
  double mean(std::size_t i) const { return sum_[i] / static_cast<double>(n_[i]); }
  std::vector<std::uint64_t> sizes_;  // ascending
  std::vector<double> sum_;           // per size: seconds per trial, summed over batches
  std::vector<int> n_;                // per size: batches measured
  std::size_t cur_ = 0;
};

}  // namespace firedrill::sim
