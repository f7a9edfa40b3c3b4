// `firedrill validate FILE...`: checks scenario files and lists every problem; for a valid
// file, its counts, its variants and each credential's blast radius. Lean header: CLI11 is
// only declared.
#pragma once

#include <string>
#include <vector>

#include "apps/command.hpp"

namespace firedrill::apps {

class ValidateCli : public Command {
 public:
  void add_command(CLI::App& app);
  // 0 every file valid (warnings or not), 2 one is not.
  [[nodiscard]] int run(const sim::ModelRegistry& registry) const;

 private:
  std::vector<std::string> files_;
};

}  // namespace firedrill::apps
