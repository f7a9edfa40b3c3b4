// The report model: everything a report for auditors says, built from a result JSON
// ("firedrill.result/1", kind "run" or "sweep") alone. The renderers (render.hpp) turn it into
// Markdown, JUnit XML, JSON, HTML and PDF; none of them looks at the result JSON again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "charts/charts.hpp"

namespace firedrill::report {

// A result file the report cannot use: the file, the JSON pointer of the offending value,
// what was expected and what was found (lower case), like the scenario loader's diagnostics.
struct InputError {
  std::string file, pointer, expected, found;
  [[nodiscard]] std::string to_string() const;  // "file: /pointer: expected X, found Y"
};

struct Options {
  // Sweep verdict: a disaster x service misses its target when the share of trials that
  // missed it (RTO or RPO) is above this. 0.05: the target must hold in 95% of trials.
  double max_miss_probability = 0.05;
  std::string prepared_by, approved_by;  // "Name, role"; empty: a blank line to sign
};

// Percentiles of a measured quantity, in seconds (writes for lost writes). For a run every
// percentile is the one trial's value. Empty when no trial recovered.
struct Quantiles {
  std::optional<double> mean, p50, p90, p95, p99, max;
  std::uint64_t not_recovered = 0;
};

// One disaster x service.
struct Cell {
  std::string disaster, service, disruption;
  double target_rto_s = 0, target_rpo_s = 0;
  bool target_inferred = false;
  std::string target_note;
  std::uint64_t trials = 1, affected = 0;  // trials; trials in which the service went down
  Quantiles rto, rpo, lost;
  // The share of trials that missed the target (either, RTO, RPO) with the 95% Wilson
  // interval of the first; a run's are 0 or 1.
  double p_miss = 0, p_miss_lo = 0, p_miss_hi = 0, p_miss_rto = 0, p_miss_rpo = 0;
  bool rto_missed = false, rpo_missed = false;
  std::string dominant_phase;  // "none" when not affected
  double phases_s[5] = {0, 0, 0, 0, 0};  // a run: its trial's; a sweep: each phase's p50
  std::string recovered_from;            // a run: the copies data came back from
  std::vector<std::pair<double, std::uint64_t>> rto_histogram, rpo_histogram;  // sweeps
  // What dominates RTO, which copy bounds RPO, and the change that would help most.
  std::string rto_driver, rpo_driver, advice;
  [[nodiscard]] bool missed() const { return rto_missed || rpo_missed; }
  // How far the compared value (a run's value, a sweep's p95) is above target: achieved
  // divided by target, the larger of RTO and RPO; infinity when not recovered.
  [[nodiscard]] double excess() const;
};

// The executive summary: one line per service and disruption class, worst miss first.
struct SummaryLine {
  std::string service, disruption;
  std::vector<std::string> disasters;
  bool missed = false;
  std::size_t worst = 0;  // index into Report::cells of the worst disaster of the line
};

struct Disaster {
  std::string name, cls, description, claim;
};

// One model parameter, network setting, step or fault duration the results rest on.
struct Assumption {
  std::string subject;    // "component rds (database)", "network", "runbook rebuild / step x"
  std::string parameter;  // "snapshot_interval"
  std::string value;      // with its unit: "24h", "lognormal p50 10m p95 30m", "3 instances"
  std::string origin;     // "scenario /components/3/snapshot_interval", "preset NAME: its
                          // description" or "default of kind x"
  std::string description;
};

struct TimelineEvent {
  double t_s = 0;
  std::string event, subject, detail;
};

// The trial shown as a phase Gantt with its events: a run's trial of each disaster; a sweep's
// median trial of each disaster (replayed by the sweep), or, for a result without one, each
// phase's median duration.
struct Representative {
  std::string disaster;
  std::string label;  // how it was chosen
  charts::Gantt gantt;
  std::vector<TimelineEvent> events;
  bool horizon_reached = false;
};

struct Report {
  std::string kind;  // "run" or "sweep"
  std::string input_file, input_sha256;
  std::string scenario_name, scenario_title, scenario_file, scenario_sha256, variant;
  std::string source_document, description;
  bool scenario_embedded = false;  // the result carries the scenario text (scope, assumptions)
  std::uint64_t seed = 0, trials = 0;
  double horizon_s = 0;
  std::string firedrill_version, simgrid_version, command;
  Options options;
  std::vector<Disaster> disasters;
  std::vector<Cell> cells;  // disaster-major, services in scenario order
  std::vector<SummaryLine> summary;
  charts::Topology topology;
  std::vector<std::string> scope_notes;  // counts and what the scope leaves out
  std::vector<Assumption> assumptions;
  std::vector<Representative> representatives;
  std::vector<charts::Trend> history;  // trends from the drill history (apps/cmd_report.cpp)
  std::string history_note;            // where they come from, or why there are none
  [[nodiscard]] bool any_missed() const;
};

// The report of the result JSON `text` read from `file` (named in errors). Returns nullopt
// and sets `error` when the text is not a whole run or sweep result.
std::optional<Report> build_report(const std::string& text, const std::string& file,
                                   const Options& options, InputError& error);

// Human forms shared by the renderers.
std::string format_seconds(const std::optional<double>& s);  // "not recovered" when empty
std::string format_percent(double p);                        // 0.1234 -> "12.3%"

}  // namespace firedrill::report
