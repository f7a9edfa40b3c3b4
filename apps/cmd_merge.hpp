// `firedrill merge PART...`: the shard parts of one sweep (sweep --shard K/N) merged into the
// whole, its median trials replayed as a whole sweep does. Lean header: CLI11 is only declared.
#pragma once

#include <string>
#include <vector>

#include "apps/command.hpp"

namespace firedrill::apps {

class MergeCli : public Command {
 public:
  void add_command(CLI::App& app);
  // 0 every target met in every trial, 1 one missed, 2 unreadable or mismatched parts, 3
  // runtime failure. The merged sweep is recorded in `history` unless --no-history.
  [[nodiscard]] int run(const sim::ModelRegistry& registry, const std::string& command_line,
                        const HistoryCli& history) const;

 private:
  std::vector<std::string> files_;
  std::string json_out_;
  bool quiet_ = false;
};

}  // namespace firedrill::apps
