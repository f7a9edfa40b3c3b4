// `firedrill run FILE`: one trial of each disaster (or of those named), the achieved RTO/RPO
// against the targets, a short timeline; optionally the result JSON, a Chrome trace and a
// report. Lean header: CLI11 is only declared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "apps/cmd_report.hpp"
#include "apps/command.hpp"

namespace firedrill::apps {

class RunCli : public Command {
 public:
  void add_command(CLI::App& app);
  // 0 every target met, 1 a target missed, 2 invalid input, 3 runtime failure. The result
  // is recorded in `history` unless --no-history.
  [[nodiscard]] int run(const sim::ModelRegistry& registry, const std::string& command_line,
                        const HistoryCli& history) const;

 private:
  std::string file_, variant_;
  std::optional<std::uint64_t> seed_;
  std::string json_out_, trace_out_;
  std::vector<std::string> disasters_;
  std::size_t timeline_ = 12;
  std::uint64_t trial_ = 0;  // which trial of a sweep with the same seed to replay
  bool quiet_ = false;
  ReportTarget report_;  // --report
};

}  // namespace firedrill::apps
