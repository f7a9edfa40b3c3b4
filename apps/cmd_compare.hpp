// `firedrill compare FILE...`: the same disasters swept across topology variants (files, or
// one file's named variants) and shown side by side, with cost, risk and the Pareto mark.
// Lean header: CLI11 is only declared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "apps/command.hpp"

namespace firedrill::apps {

class CompareCli : public Command {
 public:
  void add_command(CLI::App& app);
  // 0 every variant met every target in every trial, 1 one missed, 2 invalid input, 3
  // runtime failure. Each variant's sweep is recorded in `history` unless --no-history.
  [[nodiscard]] int run(const sim::ModelRegistry& registry, const std::string& command_line,
                        const HistoryCli& history) const;

 private:
  std::vector<std::string> files_;
  std::vector<std::string> variants_;  // which of one file's variants
  std::uint64_t trials_ = 1000;
  std::optional<std::uint64_t> seed_;
  unsigned jobs_ = 1;  // add_command sets the number of cores
  unsigned batch_ = 0;
  std::string json_out_;
  bool quiet_ = false;
};

}  // namespace firedrill::apps
