#include "apps/cmd_live.hpp"

#include <CLI/CLI.hpp>

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "apps/cmd_history.hpp"
#include "live/bindings.hpp"
#include "live/ctk_journal.hpp"
#include "live/driver.hpp"
#include "live/executor.hpp"
#include "live/journal.hpp"
#include "sim/loader.hpp"
#include "sim/units.hpp"

namespace firedrill::apps {

namespace {

constexpr int kInvalid = 2, kFailure = 3;

// Writes `text` to `path` through a temporary file renamed into place ("-": stdout).
bool write_result(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
    return true;
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out.flush()) {
      std::cerr << path << ": cannot write\n";
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::cerr << path << ": cannot write: " << ec.message() << "\n";
  return !ec;
}

// A line typed on stdin within `seconds` (read byte by byte: what follows stays for the
// manual steps); nullopt on timeout or end of input.
std::optional<std::string> read_answer(int seconds) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    if (::poll(&p, 1, 200) != 1) continue;
    char c = 0;
    if (::read(STDIN_FILENO, &c, 1) != 1) return std::nullopt;
    if (c == '\n') return line;
    line += c;
  }
  return std::nullopt;
}

}  // namespace

void LiveCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand(
      "live",
      "run one disaster of a scenario against real (staging) systems through a bindings file; "
      "RTO measured by probes; every action journaled and rolled back");
  command_->add_option("scenario", scenario_, "scenario file");
  command_->add_option("--bindings", bindings_, "bindings file (firedrill.bindings/1, JSON or YAML)");
  command_->add_option("--disaster", disaster_, "the disaster to drill (needed when there are several)");
  command_->add_flag("--dry-run", dry_run_, "print every action with its target; touch nothing");
  command_->add_flag("--yes", yes_, "run without asking for confirmation (needed without a terminal)");
  command_->add_option("--json", json_out_, "write the result JSON (firedrill.result/1); - for stdout");
  command_->add_option("--journal-dir", journal_dir_, "where each run's journal directory is created")
      ->capture_default_str();
  command_->add_option("--max-duration", max_duration_, "abort the drill this long after T0 (a duration)")
      ->capture_default_str();
  command_->add_option("--journal-format", journal_format_,
                    "firedrill: the journal alone; chaostoolkit: also the run as a Chaos Toolkit "
                    "journal, journal.json in the run's journal directory")
      ->capture_default_str()
      ->check(CLI::IsMember({"firedrill", "chaostoolkit"}));
  recover_ = command_->add_subcommand(
      "recover", "undo every action a killed run left injected (idempotent)");
  recover_->add_option("--journal", recover_journal_, "the run's journal directory")->required();
}

int LiveCli::run(const sim::ModelRegistry& registry, const std::string& command_line,
                 const HistoryCli& history) const {
  live::DriverRegistry drivers;
  live::register_builtin_drivers(drivers);
  if (recover_->parsed()) {
    return live::recover(recover_journal_, drivers,
                         [](const std::string& line) { std::cout << line << std::endl; });
  }
  return drill(registry, command_line, history);
}

int LiveCli::drill(const sim::ModelRegistry& registry, const std::string& command_line,
                   const HistoryCli& history) const {
  if (scenario_.empty() || bindings_.empty()) {
    std::cerr << "firedrill live: expected a scenario file and --bindings FILE, found "
              << (scenario_.empty() ? "no scenario" : "no --bindings") << "\n";
    return kInvalid;
  }
  const auto max_duration = sim::parse_duration(max_duration_);
  if (!max_duration || *max_duration <= 0) {
    std::cerr << "firedrill live: --max-duration: expected a duration like \"10m\", found \""
              << max_duration_ << "\"\n";
    return kInvalid;
  }
  sim::Loaded loaded = sim::load_scenario_file(scenario_, registry);
  if (!loaded.scenario) {
    std::cerr << loaded.diagnostics.to_string();
    return kInvalid;
  }
  const sim::Scenario& s = *loaded.scenario;
  const sim::Disaster* d = nullptr;
  if (!disaster_.empty()) {
    d = s.disaster(disaster_);
  } else if (s.disasters.size() == 1) {
    d = &s.disasters.front();
  }
  if (d == nullptr) {
    std::string names;
    for (const auto& x : s.disasters) names += (names.empty() ? "" : ", ") + x.name;
    std::cerr << scenario_ << ": --disaster: expected one of the scenario's disasters (" << names
              << "), found " << (disaster_.empty() ? "nothing" : "\"" + disaster_ + "\"") << "\n";
    return kInvalid;
  }
  live::DriverRegistry drivers;
  live::register_builtin_drivers(drivers);
  const live::LoadedBindings b = live::load_bindings_file(bindings_, s, drivers);
  if (!b.bindings) {
    std::cerr << b.diagnostics.to_string();
    return kInvalid;
  }
  if (const auto missing = live::check_drill(*b.bindings, s, *d); !missing.empty()) {
    std::cerr << missing.to_string() << "firedrill live: the drill is refused; nothing was touched\n";
    return kInvalid;
  }
  std::ostream& log = json_out_ == "-" ? std::cerr : std::cout;
  const live::Say say = [&log](const std::string& line) { log << line << std::endl; };
  if (dry_run_) {
    log << "dry run: nothing is touched\n";
    live::describe_drill(s, *d, *b.bindings, drivers, say);
    log << "journal: a new directory under " << journal_dir_ << "\n";
    return 0;
  }
  if (!yes_) {
    if (::isatty(STDIN_FILENO) == 0) {
      std::cerr << "firedrill live: refusing to touch real systems without a terminal to confirm "
                   "on; pass --yes (or --dry-run to see the actions)\n";
      return kInvalid;
    }
    live::describe_drill(s, *d, *b.bindings, drivers, say);
    log << "type yes within 5 minutes to start the drill: " << std::flush;
    const auto answer = read_answer(300);
    if (!answer || *answer != "yes") {
      std::cerr << "\nfiredrill live: not confirmed; nothing was touched\n";
      return kInvalid;
    }
  }
  live::LiveOptions opt;
  opt.max_duration_s = *max_duration;
  opt.run_id = live::new_run_id();
  opt.journal_dir = (std::filesystem::path(journal_dir_) / opt.run_id).string();
  opt.command = command_line;
  opt.input_fd = STDIN_FILENO;
  const auto started = std::chrono::system_clock::now();
  const live::LiveRun r = live::run_live(s, *d, *b.bindings, drivers, opt, say);
  if (r.result_json.empty()) return r.exit_code;  // the drill never began: nothing to record
  int rc = r.exit_code;
  if (journal_format_ == "chaostoolkit") {
    const std::string path = (std::filesystem::path(opt.journal_dir) / "journal.json").string();
    try {
      const std::string text = live::chaostoolkit_journal(
          s, *d, *b.bindings, drivers,
          {r.result_json, opt.journal_dir, started, std::chrono::system_clock::now()});
      if (write_result(path, text)) {
        log << "chaos toolkit journal: " << path << "\n";
      } else {
        rc = kFailure;
      }
    } catch (const std::exception& e) {
      std::cerr << path << ": cannot write the chaos toolkit journal: " << e.what() << "\n";
      rc = kFailure;
    }
  }
  history.record(r.result_json, command_line, s.variant, false);
  if (!json_out_.empty() && !write_result(json_out_, r.result_json)) return kFailure;
  return rc;
}

}  // namespace firedrill::apps
