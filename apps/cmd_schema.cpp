#include "apps/cmd_schema.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "apps/common.hpp"
#include "sim/loader.hpp"

namespace firedrill::apps {

void SchemaCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand("schema", "print the JSON Schema of scenario files");
}

int SchemaCli::run(const sim::ModelRegistry& registry) const {
  std::cout << sim::scenario_json_schema(registry);
  return kMet;
}

}  // namespace firedrill::apps
