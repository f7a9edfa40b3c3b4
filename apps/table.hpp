// Terminal rendering of results for the CLI.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/result.hpp"
#include "sim/scenario.hpp"
#include "sim/compare.hpp"
#include "sim/sweep.hpp"

namespace firedrill::apps {

// Rows of cells as columns as wide as their widest cell, two spaces apart.
void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

// Per disaster and service: targets, achieved RTO/RPO, lost writes, dominant phase, verdict.
void print_outcome_table(std::ostream& out, const sim::Scenario& s,
                         const std::vector<sim::TrialResult>& trials);
// A short timeline per trial: at most `max_events` of the most telling events.
void print_timelines(std::ostream& out, const std::vector<sim::TrialResult>& trials,
                     std::size_t max_events);

// A sweep: per disaster and service, trials, RTO/RPO percentiles against the targets, the
// probability of missing with its 95% interval, and the dominant phase.
void print_sweep_table(std::ostream& out, const sim::SweepResult& r);

// Variants side by side per disaster and service, then cost, risk and the Pareto mark.
void print_comparison(std::ostream& out, const sim::Comparison& c);

}  // namespace firedrill::apps
