// `firedrill sweep FILE`: Monte Carlo, many trials of each disaster; percentiles and miss
// probabilities. Also one shard K/N of a sweep (--shard), and the cluster scripts that run
// the shards and merge them (--emit slurm|k8s). Lean header: CLI11 is only declared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "apps/cmd_report.hpp"
#include "apps/command.hpp"

namespace firedrill::apps {

class SweepCli : public Command {
 public:
  void add_command(CLI::App& app);
  // 0 every target met in every trial, 1 one missed, 2 invalid input or usage, 3 runtime
  // failure. `argv0` locates this binary for --emit. A whole sweep is recorded in `history`
  // unless --no-history (a shard is recorded when merged).
  [[nodiscard]] int run(const sim::ModelRegistry& registry, const char* argv0,
                        const std::string& command_line, const HistoryCli& history) const;

 private:
  int emit(const std::string& self, const std::string& variant, std::uint64_t scenario_seed) const;

  std::string file_, variant_;
  std::uint64_t trials_ = 1000;
  std::optional<std::uint64_t> seed_;
  unsigned jobs_ = 1;  // add_command sets the number of cores
  unsigned batch_ = 0;
  std::string trial_log_;  // JSON lines, one per trial
  std::string shard_;
  std::string json_out_;
  std::vector<std::string> disasters_;
  bool quiet_ = false;
  std::string emit_;  // "slurm" or "k8s": print a script that runs the sweep on a cluster
  unsigned shards_ = 4;
  std::string out_dir_ = ".";
  ReportTarget report_;  // --report
};

}  // namespace firedrill::apps
