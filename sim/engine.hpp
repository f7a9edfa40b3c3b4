// One trial: one disaster, from a healthy system, simulated on SimGrid until every affected
// service is back (and every fault has started) or the horizon ends.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/model.hpp"
#include "sim/result.hpp"
#include "sim/scenario.hpp"

namespace firedrill::sim {

// Runs the trials of one disaster in this process, side by side in one SimGrid engine, each on
// its own disjoint copy of the topology (no shared host or link; its own random generator,
// seeded by (scenario seed, trial index)), so each result is the one the trial gives alone.
// Hands the results, in the order of `trial_indices`, to `done`, from inside the simulation
// when the last trial has ended: `done` should end the process (the ended trials' actors are
// suspended, never cleaned up). A SimGrid engine must not be reused in one process, and this
// one is left for the process's exit: call it at most once per process, in a child that ends
// right after (run_trial_isolated and the sweep's workers do the fork). Throws when a trial
// does not end.
using BatchDone = std::function<void(const std::vector<TrialResult>&)>;
void run_trials_in_process(const Scenario& s, const ModelRegistry& registry, const Disaster& d,
                           const std::vector<std::uint64_t>& trial_indices, const BatchDone& done);

// The same in two steps, for a process that forks every batch from one prepared state (a
// sweep's zygote, see runner.hpp): prepare_batch creates the engine and `size` trials'
// platforms (all that does not depend on the trial indices), once per process; each forked
// child then calls run_prepared_batch once, with at most `size` trial indices.
struct PreparedBatch;
PreparedBatch* prepare_batch(const Scenario& s, const ModelRegistry& registry, const Disaster& d,
                             std::size_t size);
void run_prepared_batch(PreparedBatch* batch, const std::vector<std::uint64_t>& trial_indices,
                        const BatchDone& done);

// In a child forked from the prepared state, before run_prepared_batch: copies up front, a few
// system calls in all, the pages of the prepared heap that a batch of `trials` trials writes
// (the engine's, and the platforms of the trials that will run), instead of one copy-on-write
// page fault per page as the batch first writes each. Changes no result, only the time: where
// a fault costs a trip through a hypervisor, batches run two to three times faster (see
// bench/PROFILE.md).
void unshare_prepared_memory(PreparedBatch* batch, std::size_t trials);

// Runs the trial in a fresh child process and returns its result. Throws std::runtime_error
// when the child fails (with what it printed on stderr).
TrialResult run_trial_isolated(const Scenario& s, const ModelRegistry& registry,
                               const Disaster& d, std::uint64_t trial_index);

}  // namespace firedrill::sim
