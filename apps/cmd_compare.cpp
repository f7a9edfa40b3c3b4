#include "apps/cmd_compare.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "apps/cmd_history.hpp"
#include "apps/common.hpp"
#include "apps/seed_option.hpp"
#include "apps/table.hpp"
#include "sim/compare.hpp"
#include "sim/loader.hpp"
#include "sim/sweep.hpp"

namespace firedrill::apps {

namespace {

// The scenarios a compare sweeps: each file's base and all its variants, or, for one file,
// the variants named by --variants ("base" for the base), in that order. Reports and returns
// false on a problem.
bool compare_scenarios(const std::vector<std::string>& files, const std::vector<std::string>& picked,
                       const sim::ModelRegistry& registry, std::vector<sim::Scenario>& out) {
  if (!picked.empty() && files.size() != 1) {
    std::cerr << "firedrill compare: --variants picks among the variants of one file, found "
              << files.size() << " files (without --variants each file brings its base and "
              << "every variant)\n";
    return false;
  }
  for (const auto& f : files) {
    sim::Loaded loaded = sim::load_scenario_file(f, registry);
    if (!loaded.scenario) {
      std::cerr << loaded.diagnostics.to_string();
      return false;
    }
    if (picked.empty()) {
      std::cerr << loaded.warnings.to_string();
      out.push_back(std::move(*loaded.scenario));
      for (auto& v : loaded.variants) out.push_back(std::move(v));
      continue;
    }
    for (std::size_t i = 0; i < picked.size(); ++i) {
      const sim::Scenario* s = sim::find_variant(loaded, picked[i]);
      if (s == nullptr) {
        report_unknown_variant(f, "--variants", picked[i], loaded);
        return false;
      }
      if (std::find(picked.begin(), picked.begin() + i, picked[i]) != picked.begin() + i) {
        std::cerr << f << ": --variants: expected each variant once, found \"" << picked[i]
                  << "\" again\n";
        return false;
      }
      std::cerr << sim::warnings_of(loaded, picked[i]).to_string();
      out.push_back(*s);
    }
  }
  return true;
}

}  // namespace

void CompareCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand(
      "compare", "sweep the same disasters across topology variants and show them side by side");
  CLI::App& compare = *command_;
  compare.add_option("files", files_,
                     "scenario files: one per topology, or one file with named variants (its "
                     "base, labelled with the scenario name, then every variant as "
                     "SCENARIO/VARIANT); each file with variants brings them all")
      ->required();
  compare.add_option("--variants", variants_,
                     "with one file: only these of its variants, in this order, comma-separated "
                     "(\"base\" for the base scenario)")
      ->delimiter(',')
      ->allow_extra_args(false);
  add_trials_option(compare, trials_, "trials per disaster and variant");
  add_seed_option(compare, seed_, "seed (default: the first scenario's)");
  add_jobs_option(compare, jobs_);
  add_batch_option(compare, batch_);
  compare.add_option("--json", json_out_, "write the comparison JSON; - for stdout");
  compare.add_flag("--quiet,-q", quiet_, "no table, no progress bar");
}

int CompareCli::run(const sim::ModelRegistry& registry, const std::string& command_line,
                    const HistoryCli& history) const {
  std::vector<sim::Scenario> variants;
  if (!compare_scenarios(files_, variants_, registry, variants)) return kInvalid;
  sim::SweepOptions so;
  so.trials = trials_;
  so.seed = seed_ ? *seed_ : variants.front().seed;
  so.jobs = jobs_;
  so.batch = batch_;
  Progress progress(!quiet_);
  std::uint64_t before = 0;
  const std::uint64_t variants_n = variants.size();
  std::uint64_t index = 0;
  so.progress = [&](std::uint64_t done, std::uint64_t total) {
    if (done == total) before += total, ++index;
    progress(before + (done == total ? 0 : done), total * variants_n);
  };
  sim::Comparison c;
  try {
    c = sim::compare_variants(variants, registry, so);
  } catch (const std::invalid_argument& e) {
    std::cerr << "firedrill compare: " << e.what() << "\n";
    return kInvalid;
  } catch (const std::exception& e) {
    std::cerr << "firedrill: " << e.what() << "\n";
    return kFailure;
  }
  if (!json_out_.empty() && !write_file(json_out_, sim::comparison_json(c))) return kFailure;
  if (!quiet_ && json_out_ != "-") {
    std::cout << c.variants.size() << " variants, " << c.trials << " trials per disaster, seed "
              << c.seed << "\n\n";
    print_comparison(std::cout, c);
  }
  for (const auto& v : c.variants) {  // each variant's sweep is one record
    history.record(sim::sweep_result_json(v.sweep), command_line, v.sweep.variant, quiet_);
  }
  for (const auto& v : c.variants) {
    if (exit_code_of(v.sweep) != kMet) return kMissed;
  }
  return kMet;
}

}  // namespace firedrill::apps
