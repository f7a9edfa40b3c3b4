// Helpers shared by several of the CLI's commands (run, sweep, merge, compare): the exit
// codes, writing a result, the scenario to run, the messages for an unknown variant or
// disaster, the options and progress bar of sweeps. Lean header: CLI11 is only declared.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "apps/cmd_report.hpp"

namespace CLI {
class App;
}

namespace firedrill::sim {
class ModelRegistry;
struct Loaded;
struct Scenario;
struct SweepResult;
}  // namespace firedrill::sim

namespace firedrill::apps {

class HistoryCli;

// 0 every target met, 1 a target missed, 2 invalid input or usage, 3 runtime failure.
inline constexpr int kMet = 0, kMissed = 1, kInvalid = 2, kFailure = 3;

// The help of --variant (run, sweep).
inline constexpr const char* kVariantHelp =
    "a named variant of the file (see validate FILE); without it, a file with variants runs "
    "its base scenario (also named \"base\")";

// The options sweep and compare share, in the order their --help lists them:
// --trials (1 to 10^8, with `help`), --jobs,-j (default: the number of cores) and --batch.
void add_trials_option(CLI::App& command, std::uint64_t& trials, const std::string& help);
void add_jobs_option(CLI::App& command, unsigned& jobs);
void add_batch_option(CLI::App& command, unsigned& batch);

// Writes `text` to `path` ("-": stdout); false (after saying so) when it cannot.
bool write_file(const std::string& path, const std::string& text);

// `FILE: OPTION: expected one of the file's variants (base, a, b), found "x" (did you mean...)`
void report_unknown_variant(const std::string& file, const std::string& option,
                            const std::string& name, const sim::Loaded& loaded);

// `FILE: --disaster: expected one of the scenario's disasters, found "x" (did you mean...)`
void report_unknown_disaster(const std::string& file, const std::string& name, const sim::Scenario& s);

// The scenario of `path` to run: its base, or the named variant (`variant` not empty).
// Prints the diagnostics and warnings; nullopt when it cannot be run.
std::optional<sim::Scenario> load(const std::string& path, const sim::ModelRegistry& registry,
                                  const std::string& variant = "");

// kMissed when some cell of the sweep missed a target in some trial, else kMet.
int exit_code_of(const sim::SweepResult& r);

// A --report of run or sweep shows the trends of the history the result is recorded in.
ReportTarget report_target(ReportTarget target, const HistoryCli& history);

// A progress bar with trials/s and ETA on a terminal; nothing otherwise.
class Progress {
 public:
  explicit Progress(bool enabled);
  void operator()(std::uint64_t done, std::uint64_t total);

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace firedrill::apps
