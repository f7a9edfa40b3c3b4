// `firedrill live SCENARIO --bindings FILE ...` and `firedrill live recover --journal DIR`:
// the same scenario against real targets (live/). Lean header: CLI11 is only declared.
#pragma once

#include <string>
#include <vector>

#include "apps/command.hpp"

namespace firedrill::apps {

class LiveCli : public Command {
 public:
  // Adds the `live` command (and `live recover`) to the application.
  void add_command(CLI::App& app);
  // Runs it; returns the exit code (0 met, 1 missed, 2 input, 3 runtime failure or abort).
  // A drill that began is recorded in `history` (kind "live") unless --no-history.
  [[nodiscard]] int run(const sim::ModelRegistry& registry, const std::string& command_line,
                        const HistoryCli& history) const;

 private:
  int drill(const sim::ModelRegistry& registry, const std::string& command_line,
            const HistoryCli& history) const;

  CLI::App* recover_ = nullptr;
  std::string scenario_, bindings_, disaster_, json_out_, journal_dir_ = ".firedrill/journal";
  std::string max_duration_ = "1h", recover_journal_;
  std::string journal_format_ = "firedrill";  // or "chaostoolkit": also <journal>/journal.json
  bool dry_run_ = false, yes_ = false;
};

}  // namespace firedrill::apps
