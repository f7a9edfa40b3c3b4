// Test harness: loads a scenario from JSON text with the real registry and runs one disaster
// in a fresh process, as the CLI does.
#pragma once

#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "models/register.hpp"
#include "sim/engine.hpp"
#include "sim/loader.hpp"

namespace firedrill::testing {

inline const sim::ModelRegistry& registry() {
  static const sim::ModelRegistry reg = [] {
    sim::ModelRegistry r;
    models::register_builtin_models(r);
    return r;
  }();
  return reg;
}

inline sim::Scenario load_text(const std::string& json) {
  sim::Loaded loaded = sim::load_scenario_text(json, "test.json", registry());
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.scenario.has_value());
  return *loaded.scenario;
}

inline sim::TrialResult run(const sim::Scenario& s, const std::string& disaster,
                            std::uint64_t trial = 0) {
  const sim::Disaster* d = s.disaster(disaster);
  REQUIRE(d != nullptr);
  return sim::run_trial_isolated(s, registry(), *d, trial);
}

inline const sim::Outcome& outcome(const sim::TrialResult& r, const std::string& service) {
  for (const auto& o : r.outcomes) {
    if (o.service == service) return o;
  }
  FAIL("no outcome for service " << service);
  return r.outcomes.front();
}

// Time (since T0) of the first event of this kind about this subject; nullopt if none.
inline std::optional<double> event_time(const sim::TrialResult& r, const std::string& event,
                                        const std::string& subject = "") {
  for (const auto& e : r.timeline) {
    if (e.event == event && (subject.empty() || e.subject == subject)) return e.t_s;
  }
  return std::nullopt;
}

// A provider with one region of three zones, a team and monitoring: the common preamble.
inline std::string preamble(const std::string& name) {
  return R"({"format": "firedrill.scenario/1", "name": ")" + name + R"(",
  "providers": [{"name": "aws", "regions": [
     {"name": "r1", "zones": ["r1-a", "r1-b", "r1-c"]},
     {"name": "r2", "zones": ["r2-a", "r2-b"]}]}],)";
}

}  // namespace firedrill::testing
