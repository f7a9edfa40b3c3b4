// Live bindings: which real target and driver stands for each scenario component, how each
// service is probed, which driver action injects each fault of a disaster (and its undo), which
// driver action performs each automated runbook step, and the guard probes that stop a drill.
// The format ("firedrill.bindings/1") is documented in README.md, "Live mode".
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/scenario.hpp"

namespace firedrill::live {

class DriverRegistry;

inline constexpr const char* kBindingsFormat = "firedrill.bindings/1";

// One driver call. Params may hold secret references ({"env": ...}, {"file": ...}).
struct Call {
  std::string driver;
  std::string action;     // "" for a component's target or a probe
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json undo;    // faults: null (the driver's own undo), "none" or a {driver, action, params}
  std::string pointer;    // where it is written in the bindings file
};

struct Probe {
  Call call;
  double interval_s = 1.0;
  int passes = 3;    // restored = this many consecutive passes
  int failures = 1;  // guards: abort after this many consecutive failures
  std::string name;  // guards: a label
};

struct Bindings {
  std::string file;
  std::map<std::string, Call> components;                    // by component name
  std::map<std::string, Probe> probes;                       // by service name
  std::map<std::string, Call> workloads;                     // by service name (RPO); action "workload"
  std::map<std::string, std::vector<Call>> faults;  // by disaster, one per fault, already
                                                    // merged over its component's binding
  std::map<std::string, Call> steps;                         // by "runbook/step-id"
  std::vector<Probe> guards;
};

struct LoadedBindings {
  std::optional<Bindings> bindings;  // set only when diagnostics is empty
  sim::Diagnostics diagnostics;
};

// Reads (JSON, or YAML by extension .yaml/.yml) and checks a bindings file against the
// scenario: names it uses exist, drivers and actions exist, params are what the driver takes.
LoadedBindings load_bindings_file(const std::string& path, const sim::Scenario& scenario,
                                  const DriverRegistry& drivers);
LoadedBindings load_bindings_text(const std::string& text, const std::string& path,
                                  const sim::Scenario& scenario, const DriverRegistry& drivers);

// What a drill of `disaster` needs and the bindings lack: a binding for every fault, every
// automated step of its runbooks and a probe for every service. Empty: the drill may start.
sim::Diagnostics check_drill(const Bindings& bindings, const sim::Scenario& scenario,
                             const sim::Disaster& disaster);

}  // namespace firedrill::live
