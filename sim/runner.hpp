// Trial processes: every batch of trials runs in a fresh child process (a SimGrid engine must
// not be reused in one process) and sends its results back through a pipe. A sweep forks its
// batches from zygotes (below) that built the engine and platforms once; a single trial is
// forked directly (start_trial_process). Internal to sim/.
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
  bool framed = false;  // served by a zygote: one frame on its pipe, not a pipe of its own
};

// A zygote: a process that prepares one disaster's batch (engine and platform copies, see
// prepare_batch) once and then forks a child from that state for each batch it is sent, one at
// a time; building the platforms was a third of a batch. It relays each child's output and exit
// status to the sweep as one frame on `out`: int32 status (as from waitpid), uint64 length,
// then the child's output. It ends when `cmd` is closed; it and its child die with the sweep.
struct Zygote {
  pid_t pid = -1;
  int cmd = -1;  // write end: batches of trial indices
  int out = -1;  // read end: frames
  std::size_t key = 0;  // the caller's name for what it prepared (the sweep: a disaster)
};

// Throws std::runtime_error when the process cannot be created. Errors of preparing are
// reported as the failure of every batch sent.
Zygote start_zygote(const Scenario& s, const ModelRegistry& registry, const Disaster& d,
                    std::size_t batch_size, std::size_t key);
// Sends a batch (at most batch_size trials); read its result with read_trial_output and
// finish_trial_process on the returned process (non-blocking reads: set O_NONBLOCK on z.out).
TrialProcess submit_batch(Zygote& z, std::vector<std::uint64_t> trial_indices);
// Closes the zygote's pipes and reaps it; `kill`: at once, even in the middle of a batch.
void stop_zygote(Zygote& z, bool kill);

// Forks a child that runs the trials (one engine, see run_trials_in_process) and writes
// "ok\n" and one result JSON per line, or "error\n<message>". Throws std::runtime_error when
// the process cannot be created.
TrialProcess start_trial_process(const Scenario& s, const ModelRegistry& registry,
                                 const Disaster& d, std::vector<std::uint64_t> trial_indices,
                                 bool with_timeline);

// Reads what is available (blocking when `block`); returns true at end of output (framed:
// when the frame is complete, or the zygote ended).
bool read_trial_output(TrialProcess& p, bool block);

// Reaps the child (framed: takes the status from the frame) and decodes its results (in the
// order of its trials); throws std::runtime_error naming the disaster and trials when it
// failed.
std::vector<TrialResult> finish_trial_process(TrialProcess& p, const Disaster& d);

}  // namespace firedrill::sim
