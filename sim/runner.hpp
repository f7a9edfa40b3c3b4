// Trial processes: every batch of trials runs in a fresh child process (a SimGrid engine must
// not be reused in one process) and sends its results back through a pipe. Internal to sim/.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine.hpp"

namespace firedrill::sim {

struct TrialProcess {
  pid_t pid = -1;
  int fd = -1;         // read end of the result pipe
  std::string output;  // what was read so far
  std::vector<std::uint64_t> trials;  // the trials it runs, in order
};

// Forks a child that runs the trials (one engine, see run_trials_in_process) and writes
// "ok\n" and one result JSON per line, or "error\n<message>". Throws std::runtime_error when
// the process cannot be created.
TrialProcess start_trial_process(const Scenario& s, const ModelRegistry& registry,
                                 const Disaster& d, std::vector<std::uint64_t> trial_indices,
                                 bool with_timeline);

// Reads what is available (blocking when `block`); returns true at end of output.
bool read_trial_output(TrialProcess& p, bool block);

// Reaps the child and decodes its results (in the order of its trials); throws
// std::runtime_error naming the disaster and trials when it failed.
std::vector<TrialResult> finish_trial_process(TrialProcess& p, const Disaster& d);

}  // namespace firedrill::sim
