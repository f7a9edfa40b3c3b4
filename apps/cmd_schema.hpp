// `firedrill schema`: prints the JSON Schema of scenario files. Lean header: CLI11 is only declared.
#pragma once

#include "apps/command.hpp"

namespace firedrill::apps {

class SchemaCli : public Command {
 public:
  void add_command(CLI::App& app);
  [[nodiscard]] int run(const sim::ModelRegistry& registry) const;  // 0
};

}  // namespace firedrill::apps
