#include "apps/cmd_merge.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "apps/cmd_history.hpp"
#include "apps/common.hpp"
#include "apps/table.hpp"
#include "sim/input_file.hpp"
#include "sim/sweep.hpp"

namespace firedrill::apps {

void MergeCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand("merge", "merge the shard parts of one sweep into the whole");
  command_->add_option("parts", files_, "part files written by sweep --shard K/N")->required();
  command_->add_option("--json", json_out_, "write the merged result JSON; - for stdout");
  command_->add_flag("--quiet,-q", quiet_, "no table");
}

int MergeCli::run(const sim::ModelRegistry& registry, const std::string& command_line,
                  const HistoryCli& history) const {
  std::vector<sim::SweepResult> parts;
  for (const auto& f : files_) {
    auto text = sim::read_input_file(f, "part file");
    if (const auto* d = std::get_if<sim::Diagnostic>(&text)) {
      std::cerr << d->to_string() << "\n";
      return kInvalid;
    }
    try {
      parts.push_back(sim::sweep_result_from_json_text(std::get<std::string>(text)));
    } catch (const std::exception& e) {
      std::cerr << f << ": " << e.what() << "\n";
      return kInvalid;
    }
  }
  sim::SweepResult merged;
  try {
    merged = sim::merge_sweeps(parts);
  } catch (const std::invalid_argument& e) {
    std::cerr << "firedrill merge: " << e.what() << "\n";
    return kInvalid;
  }
  try {  // the median trials, replayed from the scenario the parts carry, as a whole sweep does
    sim::replay_representatives(merged, registry);
  } catch (const std::exception& e) {
    std::cerr << "firedrill merge: " << e.what() << "\n";
    return kFailure;
  }
  const std::string result = sim::sweep_result_json(merged);
  if (!json_out_.empty() && !write_file(json_out_, result)) return kFailure;
  if (!quiet_ && json_out_ != "-") {
    std::cout << merged.scenario_name << ": " << parts.size() << " parts merged, " << merged.trials
              << " trials per disaster, seed " << merged.seed << "\n\n";
    print_sweep_table(std::cout, merged);
  }
  history.record(result, command_line, merged.variant, quiet_);
  return exit_code_of(merged);
}

}  // namespace firedrill::apps
