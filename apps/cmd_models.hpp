// `firedrill models`: lists the component kinds, their parameters (type, unit, default,
// description) and presets, and how runbook step durations count transfers. Lean header:
// CLI11 is only declared.
#pragma once

#include "apps/command.hpp"

namespace firedrill::apps {

class ModelsCli : public Command {
 public:
  void add_command(CLI::App& app);
  [[nodiscard]] int run(const sim::ModelRegistry& registry) const;  // 0
};

}  // namespace firedrill::apps
