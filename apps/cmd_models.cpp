#include "apps/cmd_models.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <iostream>

#include "apps/common.hpp"
#include "sim/model.hpp"
#include "sim/params.hpp"

namespace firedrill::apps {

void ModelsCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand("models", "list component kinds and their parameters");
}

int ModelsCli::run(const sim::ModelRegistry& registry) const {
  for (const auto& m : registry.models()) {
    std::cout << m->kind() << ": " << m->summary() << "\n";
    std::function<void(const std::vector<sim::ParamSpec>&, const std::string&)> show =
        [&](const std::vector<sim::ParamSpec>& params, const std::string& indent) {
          for (const auto& p : params) {
            std::cout << indent << p.name << " (" << sim::param_type_name(p.type)
                      << (p.unit.empty() ? "" : ", " + p.unit) << ")"
                      << (p.required ? " required"
                                     : (p.default_json.empty() ? "" : " default " + p.default_json))
                      << ": " << p.description << "\n";
            if (!p.choices.empty()) {
              std::cout << indent << "  one of:";
              for (const auto& c : p.choices) std::cout << " " << c;
              std::cout << "\n";
            }
            show(p.fields, indent + "    ");
          }
        };
    show(m->params(), "    ");
    const auto& presets = registry.presets(m->kind());
    if (!presets.empty()) std::cout << "  presets (\"preset\": NAME; what the component writes wins):\n";
    for (const auto& p : presets) {
      std::cout << "    " << p.name << ": " << p.description << "\n      sets "
                << nlohmann::json::parse(p.values_json).dump() << "\n";
    }
  }
  std::cout << "runbook steps: a step takes its \"duration\", then does its action; a restore (or "
               "a data store's rebuild) then moves the data (size at restore_throughput, or over "
               "the network), so a duration that already counts the transfer counts it twice. "
               "With \"duration_includes_transfer\": true the duration is the whole step: the "
               "transfer starts with the step, which lasts max(duration, transfer).\n";
  return kMet;
}

}  // namespace firedrill::apps
