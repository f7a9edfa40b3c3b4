// What a trial measures, identical for simulate and (later) live mode, and the versioned result
// JSON ("firedrill.result/1") that every report, GUI view and history record reads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/phases.hpp"
#include "sim/scenario.hpp"

namespace firedrill::sim {

inline constexpr const char* kResultSchema = "firedrill.result/1";

struct TimelineEvent {
  double t_s = 0;  // seconds since the disruption start (T0); negative before it
  std::string disaster;
  std::string event;    // "fault", "fault-end", "instance-lost", "detected", "alert", ...
  std::string subject;  // the component, service, step or fault concerned
  std::string detail;
};

// A trial's phases of one service (see sim/phases.hpp for what each covers).
struct Phases {
  double detect_s = 0;
  double respond_s = 0;
  double restore_s = 0;
  double outside_s = 0;
  double propagate_s = 0;
  double drain_s = 0;
  // In kPhaseNames order.
  [[nodiscard]] std::array<double, kPhaseCount> values() const {
    return {detect_s, respond_s, restore_s, outside_s, propagate_s, drain_s};
  }
  static Phases of(const std::array<double, kPhaseCount>& v) {
    return {v[0], v[1], v[2], v[3], v[4], v[5]};
  }
  [[nodiscard]] std::string dominant() const;  // "none" when all are 0; ties: the earlier
};

struct Outcome {
  std::string disaster;
  std::string service;
  std::string disruption;  // the disaster's class
  Target target;
  bool affected = false;           // the service was down at some point
  std::optional<double> rto_s;     // nullopt: not recovered within the horizon
  std::optional<double> rpo_s;     // nullopt: data not recovered
  std::optional<double> lost_writes;
  Phases phases;
  std::string recovered_from;      // copies data was recovered from, "" if none needed
  bool met = false;
};

struct TrialResult {
  std::string disaster;
  std::uint64_t trial = 0;
  double t0_s = 0;   // disruption start in simulated time since the trial start
  double end_s = 0;  // simulated seconds after T0 when the trial ended
  bool horizon_reached = false;
  std::vector<Outcome> outcomes;
  std::vector<TimelineEvent> timeline;
};

// Serialises one trial as one line of JSON (trial logs, representatives), and back.
std::string trial_to_json_text(const TrialResult& r, bool with_timeline = true);
TrialResult trial_from_json_text(const std::string& text);  // throws std::runtime_error

// The same values in the compact binary form a trial process sends its parent (sweeps leave
// the timeline out): numbers rounded as trial_to_json_text rounds them, so a result read back
// equals the one read back from JSON. Appends to `out`; reads from `in` at `pos`, moving it.
void trial_to_wire(const TrialResult& r, bool with_timeline, std::string& out);
TrialResult trial_from_wire(const std::string& in, std::size_t& pos);  // throws std::runtime_error

struct RunInfo {
  std::uint64_t seed = 0;
  std::string command;  // the exact command line
};

// The whole result document for `firedrill run` (one trial per disaster).
std::string run_result_json(const Scenario& s, const RunInfo& info,
                            const std::vector<TrialResult>& trials);

std::string firedrill_version();
std::string simgrid_version();

}  // namespace firedrill::sim
