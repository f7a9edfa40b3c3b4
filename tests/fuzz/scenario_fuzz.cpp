// libFuzzer target: a scenario file's text through the loader, as `firedrill validate` reads it:
// JSON, or YAML when built with FIREDRILL_FUZZ_PATH "fuzz.yaml" (the path picks the syntax).
// Every input must give a scenario or diagnostics; a crash, a sanitizer report, an exception out
// of the loader (the command line does not catch one) or a leak is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/register.hpp"
#include "sim/loader.hpp"

namespace {

const firedrill::sim::ModelRegistry& registry() {
  static const auto* r = [] {
    auto* m = new firedrill::sim::ModelRegistry;
    firedrill::models::register_builtin_models(*m);
    return m;
  }();
  return *r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sim = firedrill::sim;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const sim::Loaded loaded = sim::load_scenario_text(text, FIREDRILL_FUZZ_PATH, registry());
  // What validate and run print: the messages (escaping included) and each variant's warnings.
  (void)loaded.diagnostics.to_string();
  (void)loaded.warnings.to_string();
  for (const auto& name : sim::variant_names(loaded)) {
    if (sim::find_variant(loaded, name) != nullptr) (void)sim::warnings_of(loaded, name).to_string();
  }
  return 0;
}
