// `firedrill compare-live SWEEP.json LIVE.json [--json OUT]`: where a live drill's measured
// RTO/RPO fall in the distribution a sweep of the same scenario predicted. Per disaster and
// service: the measured value, the sweep's p1/p50/p95/p99 (over recovered trials), the
// measured value's mid-rank percentile among all trials (not recovered trials count as longer
// than any), and whether it lies inside p1..p99. Lean header: CLI11 is only declared.
#pragma once

#include <string>

#include "apps/command.hpp"

namespace firedrill::apps {

class CompareLiveCli : public Command {
 public:
  void add_command(CLI::App& app);
  // 0 every measured value inside p1..p99, 1 one outside, 2 bad input (different scenarios or
  // disasters, not a sweep or not a live result), 3 the output could not be written.
  [[nodiscard]] int run() const;

 private:
  std::string sweep_, live_, json_out_;
};

}  // namespace firedrill::apps
