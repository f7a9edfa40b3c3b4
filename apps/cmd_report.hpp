// `firedrill report FILE`: a report for auditors from a result JSON (run or sweep), and the
// `--report FILE` option of `run` and `sweep` that writes one right after the simulation.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace firedrill::apps {

// How a report is written: where, in which format, with which sign-off and verdict rule.
struct ReportTarget {
  std::string out;     // a file, or "-" for stdout (text formats)
  std::string format;  // html, pdf, md, junit, json; "" = from out's extension
  std::string prepared_by, approved_by;
  double max_miss_probability = 0.05;
  // The drill history whose trends the report shows ("" for the default location).
  std::string history_db;
  bool with_history = true;
};

struct ReportCli {
  std::string file;  // the result JSON
  ReportTarget target;
};

// Adds the `report` subcommand, its options bound to `cli`.
CLI::App* add_report_command(CLI::App& app, ReportCli& cli);
// Runs it: 0 every target met, 1 a target missed (the report is written either way),
// 2 invalid input or usage, 3 the report could not be written.
int run_report_command(const ReportCli& cli);

// Adds --report, --report-format, --prepared-by, --approved-by, --max-miss-probability to
// `run` or `sweep`.
void add_report_options(CLI::App& command, ReportTarget& target);
// Checks a --report target before any simulation: false (after saying why) when the format
// is unknown or cannot go to stdout.
bool check_report_target(const ReportTarget& target, const std::string& option = "--report");
// Writes the report of the result JSON `result_text` (labelled `label` in messages):
// 0 written, 2 the result is not usable, 3 cannot write.
int write_report(const std::string& result_text, const std::string& label, const ReportTarget& target);

}  // namespace firedrill::apps
