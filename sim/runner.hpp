// Trial processes: every trial runs in a fresh child process (a SimGrid engine must not be
// reused in one process) and sends its result back through a pipe. Internal to sim/.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "sim/engine.hpp"

namespace firedrill::sim {

struct TrialProcess {
  pid_t pid = -1;
  int fd = -1;         // read end of the result pipe
  std::string output;  // what was read so far
};

// Forks a child that runs the trial and writes "ok\n<result json>" or "error\n<message>".
// Throws std::runtime_error when the process cannot be created.
TrialProcess start_trial_process(const Scenario& s, const ModelRegistry& registry,
                                 const Disaster& d, std::uint64_t trial_index,
                                 bool with_timeline);

// Reads what is available (blocking when `block`); returns true at end of output.
bool read_trial_output(TrialProcess& p, bool block);

// Reaps the child and decodes its result; throws std::runtime_error naming the disaster and
// trial when it failed.
TrialResult finish_trial_process(TrialProcess& p, const Disaster& d, std::uint64_t trial_index);

}  // namespace firedrill::sim
