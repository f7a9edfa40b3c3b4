// One trial: one disaster, from a healthy system, simulated on SimGrid until every affected
// service is back (and every fault has started) or the horizon ends.
#pragma once

#include <cstdint>
#include <functional>

#include "sim/model.hpp"
#include "sim/result.hpp"
#include "sim/scenario.hpp"

namespace firedrill::sim {

// Runs the trial in this process. A SimGrid engine must not be reused in one process: call it
// at most once per process (run_trial_isolated does the fork).
TrialResult run_trial_in_process(const Scenario& s, const ModelRegistry& registry,
                                 const Disaster& d, std::uint64_t trial_index);

// Runs the trial in a fresh child process and returns its result. Throws std::runtime_error
// when the child fails (with what it printed on stderr).
TrialResult run_trial_isolated(const Scenario& s, const ModelRegistry& registry,
                               const Disaster& d, std::uint64_t trial_index);

}  // namespace firedrill::sim
