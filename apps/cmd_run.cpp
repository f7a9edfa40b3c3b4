#include "apps/cmd_run.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <map>

#include "apps/cmd_history.hpp"
#include "apps/common.hpp"
#include "apps/seed_option.hpp"
#include "apps/table.hpp"
#include "sim/engine.hpp"
#include "sim/loader.hpp"
#include "sim/result.hpp"

namespace firedrill::apps {

namespace {

// Chrome trace event format (chrome://tracing, Perfetto): service outages and runbook steps
// as spans, every other event as an instant. Times in microseconds since T0.
std::string trace_json(const std::vector<sim::TrialResult>& trials) {
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  int pid = 0;
  for (const auto& t : trials) {
    ++pid;
    events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid},
                      {"args", {{"name", t.disaster}}}});
    std::map<std::string, double> open;
    for (const auto& e : t.timeline) {
      const double us = e.t_s * 1e6;
      if (e.event == "service-down" || e.event == "step-start") {
        open[e.subject] = us;
        continue;
      }
      if ((e.event == "service-up" || e.event == "step-done") && open.count(e.subject)) {
        events.push_back({{"name", e.subject}, {"cat", e.event == "service-up" ? "outage" : "step"},
                          {"ph", "X"}, {"ts", open[e.subject]}, {"dur", us - open[e.subject]},
                          {"pid", pid}, {"tid", e.event == "service-up" ? 1 : 2}});
        open.erase(e.subject);
        continue;
      }
      events.push_back({{"name", e.event + " " + e.subject}, {"cat", e.event}, {"ph", "i"},
                        {"s", "p"}, {"ts", us}, {"pid", pid}, {"tid", 3},
                        {"args", {{"detail", e.detail}}}});
    }
    for (const auto& [subject, start] : open) {
      events.push_back({{"name", subject + " (not recovered)"}, {"cat", "outage"}, {"ph", "X"},
                        {"ts", start}, {"dur", t.end_s * 1e6 - start}, {"pid", pid}, {"tid", 1}});
    }
  }
  return nlohmann::ordered_json{{"traceEvents", events}, {"displayTimeUnit", "ms"}}.dump(1) + "\n";
}

}  // namespace

void RunCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand(
      "run", "simulate one trial of each disaster and print achieved RTO/RPO against targets");
  CLI::App& run = *command_;
  run.add_option("file", file_, "scenario file")->required();
  run.add_option("--variant", variant_, kVariantHelp);
  add_seed_option(run, seed_, "seed of the random draws (default: the scenario's)");
  run.add_option("--json", json_out_, "write the result JSON (firedrill.result/1); - for stdout (then no table)");
  run.add_option("--trace", trace_out_, "write every event as a Chrome/Perfetto trace (JSON)");
  run.add_option("--disaster", disasters_, "only these disasters (repeatable)");
  run.add_option("--trial", trial_,
                 "replay this trial (0-based) of a sweep with the same seed, with its timeline")
      ->capture_default_str();
  run.add_option("--timeline", timeline_, "events shown per disaster (0: none)")->capture_default_str();
  run.add_flag("--quiet,-q", quiet_, "print nothing; use the exit code and --json");
  add_report_options(run, report_);
}

int RunCli::run(const sim::ModelRegistry& registry, const std::string& command_line,
                const HistoryCli& history) const {
  if (!report_.out.empty() && !check_report_target(report_)) return kInvalid;
  auto scenario = load(file_, registry, variant_);
  if (!scenario) return kInvalid;
  sim::Scenario& s = *scenario;
  if (seed_) s.seed = *seed_;
  std::vector<const sim::Disaster*> selected;
  for (const auto& name : disasters_) {
    const sim::Disaster* d = s.disaster(name);
    if (d == nullptr) {
      report_unknown_disaster(file_, name, s);
      return kInvalid;
    }
    selected.push_back(d);
  }
  if (selected.empty()) {
    for (const auto& d : s.disasters) selected.push_back(&d);
  }
  std::vector<sim::TrialResult> trials;
  try {
    for (const auto* d : selected) trials.push_back(sim::run_trial_isolated(s, registry, *d, trial_));
  } catch (const std::exception& e) {
    std::cerr << "firedrill: " << e.what() << "\n";
    return kFailure;
  }
  if (!quiet_ && json_out_ != "-") {
    std::cout << s.name << (s.title.empty() ? "" : ": " + s.title) << "\n";
    if (!s.source.empty()) std::cout << "source: " << s.source << "\n";
    std::cout << "seed " << s.seed << ", one trial per disaster";
    if (trial_ > 0) std::cout << " (trial " << trial_ << " of a sweep with this seed)";
    std::cout << "\n\n";
    print_outcome_table(std::cout, s, trials);
    if (timeline_ > 0) print_timelines(std::cout, trials, timeline_);
  }
  sim::RunInfo info{s.seed, command_line};
  const std::string result = sim::run_result_json(s, info, trials);
  if (!json_out_.empty() && !write_file(json_out_, result)) return kFailure;
  if (!trace_out_.empty() && !write_file(trace_out_, trace_json(trials))) return kFailure;
  history.record(result, command_line, s.variant, quiet_);  // before the report, whose trends show it
  if (!report_.out.empty()) {
    const int rc = write_report(result, "the run's result", report_target(report_, history));
    if (rc > kMissed) return rc;
  }
  for (const auto& t : trials) {
    for (const auto& o : t.outcomes) {
      if (!o.met) return kMissed;
    }
  }
  return kMet;
}

}  // namespace firedrill::apps
