// Streaming statistics for Monte Carlo sweeps: summaries whose memory does not grow with the
// number of trials and whose state does not depend on the order values were added or parts
// merged, so a sweep split into shards and merged reproduces the unsharded result byte for byte.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace firedrill::sim {

// Order-independent, mergeable summary of non-negative values (seconds, counts), with values
// that may be missing (e.g. "not recovered"). Memory is bounded by the number of distinct
// histogram buckets used (at most a few thousand), never by the number of values.
//
// Values are counted in categories: exact zeros, "tiny" values in (0, 1e-6), and log buckets
// i >= 0 holding [1e-6 * 1.01^i, 1e-6 * 1.01^(i+1)), i.e. i = floor(log(v / 1e-6) / log(1.01)).
// The bucket bounds are computed once by repeated IEEE multiplication, not by libm, so a value
// lands in the same bucket on every machine. The sum is kept exactly, as an integer number of
// microseconds (each value rounded to the nearest microsecond), and min / max are exact.
class Summary {
 public:
  static constexpr double kTiny = 1e-6;        // lower bound of bucket 0, in the value's unit
  static constexpr double kRatio = 1.01;       // ratio of a bucket's upper to lower bound
  static constexpr double kMaxValue = 1e12;    // largest accepted value (about 31,700 years)

  void add(double v);  // v finite, 0 <= v <= kMaxValue, otherwise std::invalid_argument
  void add_missing();
  void merge(const Summary& other);

  [[nodiscard]] std::uint64_t count() const { return count_; }  // values (missing excluded)
  [[nodiscard]] std::uint64_t missing() const { return missing_; }
  [[nodiscard]] std::uint64_t zeros() const { return zeros_; }  // values exactly 0
  // Exact up to the microsecond rounding of each value: from the integer sum, so merge order
  // cannot change it. 0 when empty.
  [[nodiscard]] double mean() const;
  [[nodiscard]] double min() const { return min_; }  // exact; 0 when empty
  [[nodiscard]] double max() const { return max_; }  // exact; 0 when empty
  // Nearest-rank quantile (rank ceil(q * count), at least 1) from the histogram: exact for 0,
  // for the smallest (rank 1, = min) and the largest (rank count, = max) values; otherwise
  // the geometric midpoint of the bucket, relative error at most 0.5% (values in (0, 1e-6)
  // give 5e-7), clamped to [min, max]. q in [0, 1], otherwise std::invalid_argument.
  // 0 when empty.
  [[nodiscard]] double quantile(double q) const;
  // `bins` (>= 1, otherwise std::invalid_argument) equal-width bins over [min, max] as
  // (lower bound, count) pairs, empty bins included, for charts. Each internal bucket falls
  // whole into the bin holding its representative value (the one quantile() returns), so the
  // counts sum to count(). A single bin when min == max; none when empty.
  [[nodiscard]] std::vector<std::pair<double, std::uint64_t>> histogram(int bins) const;
  // Where `v` (>= 0) falls among the values: how many lie in lower histogram buckets than v's
  // and how many share its bucket (exact for 0; within the bucket's 1% width otherwise).
  // Missing values are not counted. The mid-rank percentile is (below + same / 2) / count.
  [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> rank(double v) const;

  bool operator==(const Summary& other) const;

  // The full state, canonical (the same state always gives the same bytes):
  // {"scheme", "count", "missing", "zeros", "tiny", "sum_us" (decimal string), "min", "max",
  //  "buckets": [[index, count], ...] sorted by index, non-empty buckets only}.
  void to_json(nlohmann::ordered_json& out) const;
  // Inverse of to_json; throws std::runtime_error naming the problem on malformed or
  // inconsistent input (wrong scheme, missing or unknown keys, wrong types, counts that do not
  // add up, min / max / sum out of line with the buckets).
  static Summary from_json(const nlohmann::json& in);

 private:
  __extension__ typedef unsigned __int128 Sum;

  std::uint64_t count_ = 0;
  std::uint64_t missing_ = 0;
  std::uint64_t zeros_ = 0;
  std::uint64_t tiny_ = 0;
  Sum sum_us_ = 0;
  double min_ = 0;
  double max_ = 0;
  std::map<int, std::uint64_t> buckets_;
};

// A count of "hits" among n trials (e.g. target missed), with its Wilson score interval.
struct Proportion {
  std::uint64_t hits = 0;
  std::uint64_t n = 0;

  void add(bool hit);
  void merge(const Proportion& o);
  [[nodiscard]] double p() const;  // 0 when n == 0
  // The Wilson score interval, 95% by default; [0, 1] when n == 0. The lower bound is exactly
  // 0 when hits == 0 and the upper exactly 1 when hits == n.
  [[nodiscard]] std::pair<double, double> wilson(double z = 1.959963984540054) const;
  bool operator==(const Proportion&) const = default;
};

}  // namespace firedrill::sim
