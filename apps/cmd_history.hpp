// `firedrill history list|show|trend|verify`, and the recording of run/sweep/merge results
// into the history (--db, --no-history). Lean header: CLI11 is only declared.
#pragma once

#include <cstdint>
#include <string>

#include "apps/command.hpp"

namespace firedrill::apps {

class HistoryCli : public Command {
 public:
  // Adds the `history` command to the application.
  void add_command(CLI::App& app);
  // Adds --db and --no-history to a command whose results are recorded.
  void add_recording_options(CLI::App& command);

  // Where results are recorded ("" for the default location), and whether they are.
  [[nodiscard]] const std::string& location() const { return db_; }
  [[nodiscard]] bool recording() const { return !no_history_; }
  // Runs `history` (returns the exit code: 0 done, 1 verify found the chain broken, 2 bad
  // input or an unreachable store).
  [[nodiscard]] int run() const;

  // Records a result document unless --no-history was given. A failure prints a warning on
  // stderr and nothing else: the caller's exit code does not change. `variant` names the
  // scenario variant when the result does not. Prints where it recorded unless `quiet`.
  void record(const std::string& result_json, const std::string& command_line,
              const std::string& variant, bool quiet) const;

 private:
  int list() const;
  int show() const;
  int trend() const;
  int verify() const;

  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* trend_ = nullptr;
  CLI::App* verify_ = nullptr;
  std::string db_;  // "" for the default location
  bool no_history_ = false;
  bool json_ = false;
  std::string scenario_, service_, disaster_, head_;
  std::size_t limit_ = 0;
  std::int64_t id_ = 0;
};

}  // namespace firedrill::apps
