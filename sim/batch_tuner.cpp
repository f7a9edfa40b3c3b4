#include "sim/batch_tuner.hpp"

#include <algorithm>

namespace firedrill::sim {

BatchTuner::BatchTuner(std::uint64_t largest) {
  largest = std::max<std::uint64_t>(1, largest);
  for (const std::uint64_t s : {8, 12, 16, 24, 32, 48, 64, 96, 128, 192}) {
    if (s < largest) sizes_.push_back(s);
  }
  sizes_.push_back(largest);
  sum_.assign(sizes_.size(), 0.0);
  n_.assign(sizes_.size(), 0);
  cur_ = static_cast<std::size_t>(
      std::lower_bound(sizes_.begin(), sizes_.end(), std::min(largest, kStart)) - sizes_.begin());
}

void BatchTuner::record(std::uint64_t size, double seconds) {
  const auto it = std::find(sizes_.begin(), sizes_.end(), size);
  if (it == sizes_.end()) return;  // off the ladder (a disaster's shorter last batch)
  const auto i = static_cast<std::size_t>(it - sizes_.begin());
  sum_[i] += seconds / static_cast<double>(size);
  ++n_[i];
  // Settle on the fastest of the current size and its measured neighbours.
  if (n_[cur_] < kSamples) return;
  std::size_t best = cur_;
  for (const std::size_t j : {cur_ - 1, cur_ + 1}) {
    if (j >= sizes_.size() || n_[j] < kSamples) continue;  // cur_ - 1 wraps when cur_ is 0
    if (mean(j) < mean(best)) best = j;
  }
  cur_ = best;
}

std::size_t BatchTuner::pick() const {
  if (n_[cur_] < kSamples) return cur_;
  // A neighbour not measured enough yet: the smaller one first.
  // Then, so that two unlucky first measurements do not rule a size out for good (or the
  // machine's load changes), a neighbour gets one batch in kRecheck of the current size's.
  for (const std::size_t j : {cur_ - 1, cur_ + 1}) {
    if (j < sizes_.size() && (n_[j] < kSamples || n_[j] * kRecheck < n_[cur_])) return j;
  }
  return cur_;
}

}  // namespace firedrill::sim
