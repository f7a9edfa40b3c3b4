// libFuzzer target: a live bindings file's text through the bindings loader and the drill check,
// as `firedrill live` reads it, against two bundled scenarios (the ones scenarios/live/ binds),
// each as JSON and as YAML. Every input must give bindings or diagnostics; a crash, a sanitizer
// report, an exception out of the loader or a leak is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "live/bindings.hpp"
#include "live/driver.hpp"
#include "models/register.hpp"
#include "sim/loader.hpp"

namespace {

namespace live = firedrill::live;
namespace sim = firedrill::sim;

struct Fixture {
  live::DriverRegistry drivers;
  std::vector<sim::Scenario> scenarios;
};

const Fixture& fixture() {
  static const auto* f = [] {
    auto* x = new Fixture;
    live::register_builtin_drivers(x->drivers);
    sim::ModelRegistry models;
    firedrill::models::register_builtin_models(models);
    for (const char* file : {"scenarios/examples/minimal.json", "scenarios/examples/pg-failover.yaml"}) {
      sim::Loaded loaded = sim::load_scenario_file(std::string(FIREDRILL_SOURCE_DIR) + "/" + file, models);
      if (!loaded.scenario) {
        std::fprintf(stderr, "%s", loaded.diagnostics.to_string().c_str());
        std::abort();
      }
      x->scenarios.push_back(std::move(*loaded.scenario));
    }
    return x;
  }();
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& f = fixture();
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const auto& s : f.scenarios) {
    for (const char* path : {"fuzz.json", "fuzz.yaml"}) {
      const live::LoadedBindings b = live::load_bindings_text(text, path, s, f.drivers);
      (void)b.diagnostics.to_string();
      if (!b.bindings) continue;
      for (const auto& d : s.disasters) (void)live::check_drill(*b.bindings, s, d).to_string();
    }
  }
  return 0;
}
