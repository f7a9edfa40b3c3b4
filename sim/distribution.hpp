// A duration or rate that may be random: fixed, uniform, normal, lognormal (by p50/p95),
// exponential, triangular, or empirical samples. Values are in base units (seconds, 1/s).
#pragma once

#include <string>
#include <vector>

#include "sim/rng.hpp"
#include "sim/units.hpp"

namespace firedrill::sim {

class Distribution {
 public:
  enum class Kind { fixed, uniform, normal, lognormal, exponential, triangular, empirical };

  Distribution() = default;  // fixed 0
  static Distribution fixed(double v);
  static Distribution uniform(double lo, double hi);             // lo <= hi
  static Distribution normal(double mean, double sd);             // truncated at 0 by resampling
  static Distribution lognormal_p50_p95(double p50, double p95);  // 0 < p50 <= p95
  static Distribution exponential(double mean);                   // mean > 0
  static Distribution triangular(double lo, double mode, double hi);
  static Distribution empirical(std::vector<double> samples);     // non-empty; drawn uniformly

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] const std::vector<double>& parameters() const { return p_; }
  [[nodiscard]] bool is_fixed() const { return kind_ == Kind::fixed; }

  // Draws one value (never negative). Consumes a fixed number of generator outputs per kind
  // except `normal`, which resamples while the draw is negative.
  double sample(Rng& rng) const;
  [[nodiscard]] double mean() const;
  [[nodiscard]] double quantile(double q) const;  // q in [0,1]; exact for all kinds
                                                  // (normal: of the untruncated law)
  [[nodiscard]] double min() const;  // smallest possible value (0 for unbounded-below laws)
  [[nodiscard]] double max() const;  // largest possible value (+inf for unbounded laws)
  // Human text with units, e.g. `uniform 1m..5m`, `lognormal p50 2m p95 10m`, `fixed 30s`.
  [[nodiscard]] std::string describe(Unit unit) const;
  // Canonical JSON text (same shape the loader accepts, values in base units as numbers),
  // e.g. {"uniform":[60,300]}; used in results and reports.
  [[nodiscard]] std::string to_json_text() const;

 private:
  Kind kind_ = Kind::fixed;
  std::vector<double> p_{0.0};
};

}  // namespace firedrill::sim
