#include "apps/cmd_report.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

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

}  // namespace

CLI::App* add_report_command(CLI::App& app, ReportCli& cli) {
  auto* cmd = app.add_subcommand(
      "report", "write a report for auditors (html, pdf, md, junit, json) from a result JSON of run or sweep");
  cmd->add_option("file", cli.file, "result JSON written by firedrill run/sweep --json")->required();
  cmd->add_option("-o,--output", cli.target.out, "output file; - for stdout (text formats)")->required();
  add_common(*cmd, cli.target, "--format,-f");
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
  const std::optional<report::Report> r = report::build_report(result_text, label, options, error);
  if (!r) {
    std::cerr << error.to_string() << "\n";
    return kInvalid;
  }
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
  std::ifstream in(cli.file, std::ios::binary);
  if (!in) {
    std::cerr << cli.file << ": expected a readable result file, found no such file\n";
    return kInvalid;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return write_report(text.str(), cli.file, cli.target);
}

}  // namespace firedrill::apps
