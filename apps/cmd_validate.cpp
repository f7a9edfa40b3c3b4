#include "apps/cmd_validate.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <utility>

#include "apps/common.hpp"
#include "sim/blast_radius.hpp"
#include "sim/loader.hpp"

namespace firedrill::apps {

namespace {

// One line per credential: what its compromise destroys, what object lock keeps from it, and
// which components hold it (a component_compromise of them leaks it).
void print_blast_radius(std::ostream& out, const std::vector<sim::BlastRadius>& radii) {
  auto list = [](const std::vector<std::string>& names) {
    std::string text;
    for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
    return text;
  };
  for (const auto& r : radii) {
    out << "  credential " << r.credential << ": destroys "
        << (r.destroys.empty() ? std::string("nothing") : list(r.destroys));
    if (!r.locked.empty()) out << "; object lock keeps " << list(r.locked);
    if (!r.held_by.empty()) out << "; held by " << list(r.held_by);
    out << "\n";
  }
}

}  // namespace

void ValidateCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand("validate", "check scenario files; every problem is listed");
  command_->add_option("files", files_, "scenario files (.json, .yaml)")->required();
}

int ValidateCli::run(const sim::ModelRegistry& registry) const {
  int rc = kMet;
  for (const auto& f : files_) {
    sim::Loaded loaded = sim::load_scenario_file(f, registry);
    if (!loaded.scenario) {
      std::cerr << loaded.diagnostics.to_string();
      rc = kInvalid;
      continue;
    }
    std::cerr << loaded.warnings.to_string();  // valid all the same: exit 0
    const auto& s = *loaded.scenario;
    std::cout << f << ": ok (" << s.components.size() << " components, " << s.services.size()
              << " services, " << s.disasters.size() << " disasters";
    if (!loaded.variants.empty()) {
      std::cout << "; variants:";
      const char* sep = " ";
      for (const auto& v : loaded.variants) std::cout << std::exchange(sep, ", ") << v.variant;
    }
    std::cout << ")\n";
    print_blast_radius(std::cout, sim::blast_radius(s, registry));
  }
  return rc;
}

}  // namespace firedrill::apps
