#include "apps/common.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <thread>

#include "apps/cmd_history.hpp"
#include "apps/command.hpp"
#include "sim/loader.hpp"
#include "sim/sweep.hpp"
#include "sim/units.hpp"

namespace firedrill::apps {

bool Command::selected() const { return command_ != nullptr && command_->parsed(); }

void add_trials_option(CLI::App& command, std::uint64_t& trials, const std::string& help) {
  command.add_option("--trials", trials, help)
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100000000}));
}

void add_jobs_option(CLI::App& command, unsigned& jobs) {
  jobs = std::max(1u, std::thread::hardware_concurrency());
  command.add_option("--jobs,-j", jobs, "trial processes at once")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1024u));
}

void add_batch_option(CLI::App& command, unsigned& batch) {
  command.add_option("--batch", batch,
                     "trials a process runs side by side in one engine (0: automatic, up to 128; "
                     "results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 100000u));
}

bool write_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::cerr << path << ": cannot write\n";
    return false;
  }
  return true;
}

void report_unknown_variant(const std::string& file, const std::string& option,
                            const std::string& name, const sim::Loaded& loaded) {
  const std::vector<std::string> names = sim::variant_names(loaded);
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  const std::string near = sim::nearest_name(name, names);
  std::cerr << file << ": " << option << ": expected one of the file's variants (" << known
            << "), found \"" << name << "\""
            << (!near.empty()            ? " (did you mean \"" + near + "\"?)"
                : loaded.variants.empty() ? std::string(" (the file has no \"variants\")")
                                          : std::string())
            << "\n";
}

void report_unknown_disaster(const std::string& file, const std::string& name, const sim::Scenario& s) {
  std::vector<std::string> names;
  for (const auto& d : s.disasters) names.push_back(d.name);
  const std::string hint = sim::nearest_name(name, names);
  std::cerr << file << ": --disaster: expected one of the scenario's disasters, found \"" << name
            << "\"" << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "\n";
}

std::optional<sim::Scenario> load(const std::string& path, const sim::ModelRegistry& registry,
                                  const std::string& variant) {
  sim::Loaded loaded = sim::load_scenario_file(path, registry);
  if (!loaded.scenario) {
    std::cerr << loaded.diagnostics.to_string();
    return std::nullopt;
  }
  std::cerr << sim::warnings_of(loaded, variant).to_string();
  if (variant.empty()) return std::move(loaded.scenario);
  const sim::Scenario* s = sim::find_variant(loaded, variant);
  if (s == nullptr) {
    report_unknown_variant(path, "--variant", variant, loaded);
    return std::nullopt;
  }
  return *s;
}

int exit_code_of(const sim::SweepResult& r) {
  for (const auto& c : r.cells) {
    if (c.miss.hits > 0) return kMissed;
  }
  return kMet;
}

ReportTarget report_target(ReportTarget target, const HistoryCli& history) {
  target.history_db = history.location();
  target.with_history = history.recording();
  return target;
}

Progress::Progress(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO)) {}

void Progress::operator()(std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const int width = 30;
  const int filled = total == 0 ? width : static_cast<int>(width * done / total);
  std::cerr << "\r[" << std::string(filled, '=') << std::string(width - filled, ' ') << "] "
            << done << "/" << total << " trials, " << std::fixed << std::setprecision(0) << rate
            << " trials/s, ETA "
            << sim::format_duration(rate > 0 ? std::round((total - done) / rate) : 0) << "   ";
  if (done == total) std::cerr << "\n";
}

}  // namespace firedrill::apps
