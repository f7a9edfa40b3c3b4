// A live run written as a Chaos Toolkit journal (the journal.json `chaos run` writes), so the
// tools built on that format (chaostoolkit-reporting, dashboards) can read firedrill drills.
// The experiment is the drill as Chaos Toolkit would declare it: the steady-state hypothesis
// from the service probes, the method from the faults and runbook steps, the rollbacks from the
// undo records the run journaled. The run, steady states and rollbacks come from the live
// result and the firedrill journal (whose lines carry their UTC times). Secrets appear only as
// references: params are shown with show_refs, and the result and journal hold no values.
#pragma once

#include <chrono>
#include <string>

#include "live/bindings.hpp"
#include "live/driver.hpp"
#include "sim/scenario.hpp"

namespace firedrill::live {

struct CtkRun {
  std::string result_json;  // the live result (firedrill.result/1, kind live)
  std::string journal_dir;  // the run's firedrill journal directory
  std::chrono::system_clock::time_point start, end;  // around the whole run (preflight to rollback)
};

// The journal as JSON text. Throws std::runtime_error when the result or the journal cannot
// be read.
std::string chaostoolkit_journal(const sim::Scenario& scenario, const sim::Disaster& disaster,
                                 const Bindings& bindings, const DriverRegistry& drivers,
                                 const CtkRun& run);

}  // namespace firedrill::live
