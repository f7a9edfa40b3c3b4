// The live executor: one disaster of a scenario against real targets through the bindings.
// T0 is the injection; service probes run in threads at their intervals (restored = N
// consecutive passes); runbooks start on their trigger ("start": at T0; "alert": at the first
// failed probe of any service, live mode's stand-in for an alert); a runbook's steps run one at
// a time in dependency order (automated steps through their driver, manual steps announced on
// the terminal and finished by the operator typing `done` or pressing Enter). A journal line
// is fsynced before every action; rollbacks run on success, failure, abort, SIGINT and SIGTERM.
#pragma once

#include <functional>
#include <string>

#include "live/bindings.hpp"
#include "live/driver.hpp"
#include "sim/scenario.hpp"

namespace firedrill::live {

struct LiveOptions {
  double max_duration_s = 3600;  // the drill aborts after this long (after T0)
  std::string journal_dir;       // this run's journal directory
  std::string run_id;
  std::string command;           // the command line, for the result
  int input_fd = 0;              // where the operator types `done` for manual steps
};

struct LiveRun {
  int exit_code = 3;        // 0 every target met, 1 a target missed, 2 input, 3 runtime/abort
  std::string result_json;  // firedrill.result/1 with "kind": "live"; "" when the drill never began
};

using Say = std::function<void(const std::string&)>;

// Runs the drill. Every line said and the result are passed through the redactor.
LiveRun run_live(const sim::Scenario& scenario, const sim::Disaster& disaster,
                 const Bindings& bindings, const DriverRegistry& drivers,
                 const LiveOptions& options, const Say& say);

// Says, without touching anything, every action the drill would take and its target.
void describe_drill(const sim::Scenario& scenario, const sim::Disaster& disaster,
                    const Bindings& bindings, const DriverRegistry& drivers, const Say& say);

// `firedrill live recover`: undoes what the journal in `dir` left injected. Returns 0 when
// everything is undone (or nothing was left), 3 when an undo failed, 2 when `dir` is no journal.
int recover(const std::string& dir, const DriverRegistry& drivers, const Say& say);

}  // namespace firedrill::live
