#include "apps/cmd_sweep.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "apps/cmd_history.hpp"
#include "apps/common.hpp"
#include "apps/emit.hpp"
#include "apps/seed_option.hpp"
#include "apps/table.hpp"
#include "sim/loader.hpp"
#include "sim/result.hpp"
#include "sim/sweep.hpp"

namespace firedrill::apps {

namespace {

// The absolute path of this binary, for scripts that run it on cluster nodes.
std::string self_path(const char* argv0) {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return argv0;
  return std::string(buf, static_cast<std::size_t>(n));
}

// "K/N" with 1 <= K <= N; nullopt when malformed.
std::optional<std::pair<unsigned, unsigned>> parse_shard(const std::string& text) {
  static const std::regex form("([0-9]{1,6})/([0-9]{1,6})");
  std::smatch m;
  if (!std::regex_match(text, m, form)) return std::nullopt;
  const unsigned k = static_cast<unsigned>(std::stoul(m[1])), n = static_cast<unsigned>(std::stoul(m[2]));
  if (n == 0 || k == 0 || k > n) return std::nullopt;
  return std::make_pair(k, n);
}

}  // namespace

void SweepCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand(
      "sweep", "Monte Carlo: many trials of each disaster; percentiles and miss probabilities");
  CLI::App& sweep = *command_;
  sweep.add_option("file", file_, "scenario file")->required();
  sweep.add_option("--variant", variant_, kVariantHelp);
  add_trials_option(sweep, trials_, "trials per disaster");
  add_seed_option(sweep, seed_, "seed (default: the scenario's)");
  add_jobs_option(sweep, jobs_);
  sweep.add_option("--trial-log", trial_log_,
                   "also write every trial's result as one JSON line to this file, in trial order "
                   "(disaster by disaster; line N of a disaster is its trial N, as run --trial N)");
  add_batch_option(sweep, batch_);
  sweep.add_option("--shard", shard_,
                   "run one slice K/N of the sweep (trials K-1, K-1+N, ...); merge the parts");
  sweep.add_option("--json", json_out_, "write the result JSON; - for stdout (then no table)");
  sweep.add_option("--disaster", disasters_, "only these disasters (repeatable)");
  sweep.add_flag("--quiet,-q", quiet_, "no table, no progress bar");
  add_report_options(sweep, report_);
  sweep.add_option("--emit", emit_,
                   "print a script that runs the sweep as --shards parts on a cluster and merges "
                   "them: a Slurm job array (slurm) or a Kubernetes Indexed Job (k8s)")
      ->check(CLI::IsMember({"slurm", "k8s"}));
  sweep.add_option("--shards", shards_, "with --emit: number of parts")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100000u));
  sweep.add_option("--out-dir", out_dir_, "with --emit: where parts and the result go")
      ->capture_default_str();
}

// --emit: the script that runs the sweep's shards on a cluster and merges them.
int SweepCli::emit(const std::string& self, const std::string& variant, std::uint64_t scenario_seed) const {
  if (!shard_.empty()) {
    std::cerr << "firedrill sweep: --emit writes every shard itself: drop --shard\n";
    return kInvalid;
  }
  EmitPlan plan;
  // Scripts run elsewhere (another directory, another node): absolute paths.
  auto absolute = [](const std::string& p) { return std::filesystem::absolute(p).lexically_normal().string(); };
  plan.firedrill = self;
  plan.scenario = absolute(file_);
  plan.variant = variant;
  plan.trials = trials_;
  plan.seed = seed_ ? *seed_ : scenario_seed;
  plan.shards = shards_;
  plan.jobs_per_task = jobs_;
  plan.out_dir = absolute(out_dir_);
  if (!json_out_.empty() && json_out_ != "-") plan.merged = absolute(json_out_);
  try {
    std::cout << (emit_ == "slurm" ? emit_slurm(plan) : emit_k8s(plan));
  } catch (const std::invalid_argument& e) {
    std::cerr << "firedrill sweep: --emit: " << e.what() << "\n";
    return kInvalid;
  }
  return kMet;
}

int SweepCli::run(const sim::ModelRegistry& registry, const char* argv0,
                  const std::string& command_line, const HistoryCli& history) const {
  if (!report_.out.empty()) {
    if (!shard_.empty() || !emit_.empty()) {
      std::cerr << "firedrill sweep: --report needs the whole sweep: drop --shard/--emit and report "
                   "the merged result (firedrill report MERGED.json -o FILE)\n";
      return kInvalid;
    }
    if (!check_report_target(report_)) return kInvalid;
  }
  auto scenario = load(file_, registry, variant_);
  if (!scenario) return kInvalid;
  if (!emit_.empty()) return emit(self_path(argv0), scenario->variant, scenario->seed);
  sim::SweepOptions so;
  so.trials = trials_;
  so.seed = seed_ ? *seed_ : scenario->seed;
  so.jobs = jobs_;
  so.batch = batch_;
  so.disasters = disasters_;
  if (!shard_.empty()) {
    auto shard = parse_shard(shard_);
    if (!shard) {
      std::cerr << "firedrill sweep: --shard: expected K/N with 1 <= K <= N, like 2/8, found \""
                << shard_ << "\"\n";
      return kInvalid;
    }
    so.shard_index = shard->first - 1;
    so.shard_count = shard->second;
  }
  for (const auto& name : disasters_) {
    if (scenario->disaster(name) == nullptr) {
      report_unknown_disaster(file_, name, *scenario);
      return kInvalid;
    }
  }
  std::ofstream trial_log;
  if (!trial_log_.empty()) {
    trial_log.open(trial_log_);
    if (!trial_log) {
      std::cerr << "firedrill sweep: --trial-log: cannot write " << trial_log_ << "\n";
      return kFailure;
    }
    so.on_trial = [&](const sim::TrialResult& t) {
      trial_log << sim::trial_to_json_text(t, false) << '\n';
    };
  }
  Progress progress(!quiet_);
  so.progress = [&](std::uint64_t done, std::uint64_t total) { progress(done, total); };
  sim::SweepResult r;
  try {
    r = sim::run_sweep(*scenario, registry, so);
    if (r.shard_count == 1) sim::replay_representatives(r, *scenario, registry);
  } catch (const std::exception& e) {
    std::cerr << "firedrill: " << e.what() << "\n";
    return kFailure;
  }
  const std::string result = sim::sweep_result_json(r);
  if (!json_out_.empty() && !write_file(json_out_, result)) return kFailure;
  if (!quiet_ && json_out_ != "-") {
    std::cout << scenario->name << (scenario->title.empty() ? "" : ": " + scenario->title) << "\n"
              << r.trials << " trials per disaster, seed " << r.seed;
    if (r.shard_count > 1) {
      std::cout << ", shard " << r.shard_index + 1 << "/" << r.shard_count
                << " (merge the parts for the whole sweep)";
    }
    std::cout << "\n\n";
    print_sweep_table(std::cout, r);
  }
  if (r.shard_count == 1) history.record(result, command_line, r.variant, quiet_);  // parts: at merge
  if (!report_.out.empty()) {
    const int rc = write_report(result, "the sweep's result", report_target(report_, history));
    if (rc > kMissed) return rc;
  }
  return exit_code_of(r);
}

}  // namespace firedrill::apps
