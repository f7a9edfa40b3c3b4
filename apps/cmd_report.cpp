#include "apps/cmd_report.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "history/store.hpp"
#include "sim/input_file.hpp"
#include "history/trend.hpp"
#include "report/model.hpp"
#include "report/render.hpp"

namespace firedrill::apps {

namespace {

constexpr int kMet = 0, kMissed = 1, kInvalid = 2, kFailure = 3;

std::optional<report::Format> format_of(const ReportTarget& t) {
  if (!t.format.empty()) return report::format_from_name(t.format);
  return report::format_from_path(t.out);
}

void add_common(CLI::App& cmd, ReportTarget& t, const std::string& format_flag) {
  cmd.add_option(format_flag, t.format,
                 "html, pdf, md, junit or json (default: from the output file's extension: "
                 ".html, .pdf, .md, .xml, .json)")
      ->check(CLI::IsMember({"html", "pdf", "md", "junit", "json"}));
  cmd.add_option("--prepared-by", t.prepared_by, "name and role in the sign-off block (default: a blank line to sign)");
  cmd.add_option("--approved-by", t.approved_by, "name and role in the sign-off block (default: a blank line to sign)");
  cmd.add_option("--max-miss-probability", t.max_miss_probability,
                 "sweeps: a disaster x service misses when the share of trials missing its RTO or RPO "
                 "target is above this")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
}

// "2026-12-02T01:03:38Z" as seconds since the epoch; nullopt when it is not that form.
std::optional<double> epoch_of(const std::string& iso) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != static_cast<int>(iso.size())) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm));
}

// One trend per quantity of a (service, disaster) pair, from the points that have a value.
void add_trends(report::Report& r, const std::string& service, const std::string& disaster,
                const std::vector<history::TrendPoint>& points) {
  charts::Trend rto{service + " in " + disaster + ": achieved RTO per recorded drill", "RTO", {}};
  charts::Trend rpo{service + " in " + disaster + ": achieved RPO per recorded drill", "RPO", {}};
  bool any_rto = false, any_rpo = false;  // a service that never went down has no trend
  for (const auto& p : points) {
    const auto when = epoch_of(p.recorded_at);
    if (!when) continue;
    if (p.rto_s) {
      rto.points.push_back({*when, *p.rto_s, p.target_rto_s});
      any_rto = any_rto || *p.rto_s > 0;
    }
    if (p.rpo_s) {
      rpo.points.push_back({*when, *p.rpo_s, p.target_rpo_s});
      any_rpo = any_rpo || *p.rpo_s > 0;
    }
  }
  if (any_rto && rto.points.size() >= 2) r.history.push_back(std::move(rto));
  if (any_rpo && rpo.points.size() >= 2) r.history.push_back(std::move(rpo));
}

// The report's drill history: for each disaster x service of the result, the achieved RTO and
// RPO of the same scenario's recorded drills (runs: the trial's value; sweeps: p95; live: the
// measured value), where at least two drills recorded a value. Without a store, the section
// says so.
void add_history(report::Report& r, const ReportTarget& target) {
  if (!target.with_history) {
    r.history_note = "Not looked up (--no-history).";
    return;
  }
  std::unique_ptr<history::Store> store;
  std::string where;
  try {
    where = history::redact(target.history_db.empty() ? history::default_location() : target.history_db);
    store = history::open_store(target.history_db, /*create=*/false);
  } catch (const std::exception& e) {
    r.history_note = "No drill history found: " + std::string(e.what());
    return;
  }
  std::set<std::pair<std::string, std::string>> seen;
  std::size_t drills = 0;
  try {
    for (const auto& c : r.cells) {
      if (!seen.insert({c.service, c.disaster}).second) continue;
      const auto points = history::trend(*store, {c.service, r.scenario_name, c.disaster});
      drills = std::max(drills, points.size());
      add_trends(r, c.service, c.disaster, points);
    }
  } catch (const std::exception& e) {
    std::cerr << "firedrill report: warning: drill history not read: " << e.what() << "\n";
    r.history.clear();
    r.history_note = "The drill history could not be read: " + std::string(e.what());
    return;
  }
  r.history_note = "From the drill history in " + where + ": up to " + std::to_string(drills) +
                   " recorded drills of scenario " + r.scenario_name +
                   " per disaster (runs: the trial's achieved value; sweeps: the p95 of their "
                   "recovered trials; live drills: the measured value), oldest first; a chart where at least two drills recorded a value and the service went down.";
}

}  // namespace

CLI::App* add_report_command(CLI::App& app, ReportCli& cli) {
  auto* cmd = app.add_subcommand(
      "report", "write a report for auditors (html, pdf, md, junit, json) from a result JSON of run or sweep");
  cmd->add_option("file", cli.file, "result JSON written by firedrill run/sweep --json")->required();
  cmd->add_option("-o,--output", cli.target.out, "output file; - for stdout (text formats)")->required();
  add_common(*cmd, cli.target, "--format,-f");
  cmd->add_option("--db", cli.target.history_db,
                  "the drill history whose trends the report shows (default: the history runs and "
                  "sweeps record into)");
  cmd->add_flag("--no-history", [&cli](std::int64_t) { cli.target.with_history = false; },
                "leave the drill history out");
  return cmd;
}

void add_report_options(CLI::App& command, ReportTarget& target) {
  command.add_option("--report", target.out,
                     "also write a report of the result to this file (format from its extension or "
                     "--report-format)");
  add_common(command, target, "--report-format");
}

bool check_report_target(const ReportTarget& target, const std::string& option) {
  const auto format = format_of(target);
  if (!format) {
    std::cerr << "firedrill: " << option << ": expected a file ending in .html, .pdf, .md, .xml or .json "
              << "(or a format option), found \"" << target.out << "\"\n";
    return false;
  }
  if (target.out == "-" && !report::is_text(*format)) {
    std::cerr << "firedrill: " << option << ": expected a file for a pdf report, found - (stdout)\n";
    return false;
  }
  return true;
}

int write_report(const std::string& result_text, const std::string& label, const ReportTarget& target) {
  report::Options options;
  options.max_miss_probability = target.max_miss_probability;
  options.prepared_by = target.prepared_by;
  options.approved_by = target.approved_by;
  report::InputError error;
  std::optional<report::Report> r = report::build_report(result_text, label, options, error);
  if (!r) {
    std::cerr << error.to_string() << "\n";
    return kInvalid;
  }
  add_history(*r, target);
  std::string bytes;
  try {
    bytes = report::render(*r, *format_of(target));
  } catch (const std::exception& e) {
    std::cerr << "firedrill report: " << e.what() << "\n";
    return kFailure;
  }
  if (target.out == "-") {
    std::cout << bytes;
    if (!std::cout) return kFailure;
    return r->any_missed() ? kMissed : kMet;
  }
  std::ofstream out(target.out, std::ios::binary);
  out << bytes;
  out.close();
  if (!out) {
    std::cerr << target.out << ": cannot write\n";
    return kFailure;
  }
  return r->any_missed() ? kMissed : kMet;
}

int run_report_command(const ReportCli& cli) {
  if (!check_report_target(cli.target, "-o")) return kInvalid;
  auto text = sim::read_input_file(cli.file, "result file");
  if (const auto* d = std::get_if<sim::Diagnostic>(&text)) {
    std::cerr << d->to_string() << "\n";
    return kInvalid;
  }
  return write_report(std::get<std::string>(text), cli.file, cli.target);
}

}  // namespace firedrill::apps
