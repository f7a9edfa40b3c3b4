// firedrill: the command line. A thin front end over sim/ and models/.
//
// Exit codes: 0 every target met, 1 a target missed, 2 invalid input or usage, 3 runtime
// failure.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

#include "apps/cmd_compare_live.hpp"
#include "apps/cmd_history.hpp"
#include "apps/cmd_report.hpp"
#include "apps/cmd_live.hpp"
#include "apps/emit.hpp"
#include "apps/reexec.hpp"
#include "apps/seed_option.hpp"
#include "apps/table.hpp"
#include "models/register.hpp"
#include "sim/blast_radius.hpp"
#include "sim/engine.hpp"
#include "sim/input_file.hpp"
#include "sim/loader.hpp"
#include "sim/sweep.hpp"
#include "sim/units.hpp"

namespace {

using namespace firedrill;

constexpr int kMet = 0, kMissed = 1, kInvalid = 2, kFailure = 3;

bool write_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::cerr << path << ": cannot write\n";
    return false;
  }
  return true;
}

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

// `FILE: OPTION: expected one of the file's variants (base, a, b), found "x" (did you mean...)`
void report_unknown_variant(const std::string& file, const std::string& option,
                            const std::string& name, const sim::Loaded& loaded) {
  const std::vector<std::string> names = sim::variant_names(loaded);
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  const std::string near = sim::nearest_name(name, names);
  std::cerr << file << ": " << option << ": expected one of the file's variants (" << known
            << "), found \"" << name << "\""
            << (!near.empty()            ? " (did you mean \"" + near + "\"?)"
                : loaded.variants.empty() ? std::string(" (the file has no \"variants\")")
                                          : std::string())
            << "\n";
}

// The scenario of `path` to run: its base, or the named variant (`variant` not empty).
std::optional<sim::Scenario> load(const std::string& path, const sim::ModelRegistry& registry,
                                  const std::string& variant = "") {
  sim::Loaded loaded = sim::load_scenario_file(path, registry);
  if (!loaded.scenario) {
    std::cerr << loaded.diagnostics.to_string();
    return std::nullopt;
  }
  std::cerr << sim::warnings_of(loaded, variant).to_string();
  if (variant.empty()) return std::move(loaded.scenario);
  const sim::Scenario* s = sim::find_variant(loaded, variant);
  if (s == nullptr) {
    report_unknown_variant(path, "--variant", variant, loaded);
    return std::nullopt;
  }
  return *s;
}

// One line per credential: what its compromise destroys, what object lock keeps from it, and
// which components hold it (a component_compromise of them leaks it).
void print_blast_radius(std::ostream& out, const std::vector<sim::BlastRadius>& radii) {
  auto list = [](const std::vector<std::string>& names) {
    std::string text;
    for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
    return text;
  };
  for (const auto& r : radii) {
    out << "  credential " << r.credential << ": destroys "
        << (r.destroys.empty() ? std::string("nothing") : list(r.destroys));
    if (!r.locked.empty()) out << "; object lock keeps " << list(r.locked);
    if (!r.held_by.empty()) out << "; held by " << list(r.held_by);
    out << "\n";
  }
}

int cmd_validate(const std::vector<std::string>& files, const sim::ModelRegistry& registry) {
  int rc = kMet;
  for (const auto& f : files) {
    sim::Loaded loaded = sim::load_scenario_file(f, registry);
    if (!loaded.scenario) {
      std::cerr << loaded.diagnostics.to_string();
      rc = kInvalid;
      continue;
    }
    std::cerr << loaded.warnings.to_string();  // valid all the same: exit 0
    const auto& s = *loaded.scenario;
    std::cout << f << ": ok (" << s.components.size() << " components, " << s.services.size()
              << " services, " << s.disasters.size() << " disasters";
    if (!loaded.variants.empty()) {
      std::cout << "; variants:";
      const char* sep = " ";
      for (const auto& v : loaded.variants) std::cout << std::exchange(sep, ", ") << v.variant;
    }
    std::cout << ")\n";
    print_blast_radius(std::cout, sim::blast_radius(s, registry));
  }
  return rc;
}

struct RunOptions {
  std::string file;
  std::string variant;
  std::optional<std::uint64_t> seed;
  std::string json_out, trace_out;
  std::vector<std::string> disasters;
  std::size_t timeline = 12;
  std::uint64_t trial = 0;  // which trial of a sweep with the same seed to replay
  bool quiet = false;
  apps::ReportTarget report;  // --report
};

// A --report of run or sweep shows the trends of the history the result is recorded in.
apps::ReportTarget report_target(apps::ReportTarget target, const apps::HistoryCli& history) {
  target.history_db = history.location();
  target.with_history = history.recording();
  return target;
}

int cmd_run(const RunOptions& opt, const sim::ModelRegistry& registry, const std::string& command,
            const apps::HistoryCli& history) {
  if (!opt.report.out.empty() && !apps::check_report_target(opt.report)) return kInvalid;
  auto scenario = load(opt.file, registry, opt.variant);
  if (!scenario) return kInvalid;
  sim::Scenario& s = *scenario;
  if (opt.seed) s.seed = *opt.seed;
  std::vector<const sim::Disaster*> selected;
  for (const auto& name : opt.disasters) {
    const sim::Disaster* d = s.disaster(name);
    if (d == nullptr) {
      std::vector<std::string> names;
      for (const auto& dd : s.disasters) names.push_back(dd.name);
      std::string hint = sim::nearest_name(name, names);
      std::cerr << opt.file << ": --disaster: expected one of the scenario's disasters, found \""
                << name << "\"" << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)")
                << "\n";
      return kInvalid;
    }
    selected.push_back(d);
  }
  if (selected.empty()) {
    for (const auto& d : s.disasters) selected.push_back(&d);
  }
  std::vector<sim::TrialResult> trials;
  try {
    for (const auto* d : selected) trials.push_back(sim::run_trial_isolated(s, registry, *d, opt.trial));
  } catch (const std::exception& e) {
    std::cerr << "firedrill: " << e.what() << "\n";
    return kFailure;
  }
  if (!opt.quiet && opt.json_out != "-") {
    std::cout << s.name << (s.title.empty() ? "" : ": " + s.title) << "\n";
    if (!s.source.empty()) std::cout << "source: " << s.source << "\n";
    std::cout << "seed " << s.seed << ", one trial per disaster";
    if (opt.trial > 0) std::cout << " (trial " << opt.trial << " of a sweep with this seed)";
    std::cout << "\n\n";
    apps::print_outcome_table(std::cout, s, trials);
    if (opt.timeline > 0) apps::print_timelines(std::cout, trials, opt.timeline);
  }
  sim::RunInfo info{s.seed, command};
  const std::string result = sim::run_result_json(s, info, trials);
  if (!opt.json_out.empty() && !write_file(opt.json_out, result)) return kFailure;
  if (!opt.trace_out.empty() && !write_file(opt.trace_out, trace_json(trials))) return kFailure;
  history.record(result, command, s.variant, opt.quiet);  // before the report, whose trends show it
  if (!opt.report.out.empty()) {
    const int rc = apps::write_report(result, "the run's result", report_target(opt.report, history));
    if (rc > kMissed) return rc;
  }
  for (const auto& t : trials) {
    for (const auto& o : t.outcomes) {
      if (!o.met) return kMissed;
    }
  }
  return kMet;
}

struct SweepCli {
  std::string file;
  std::string variant;
  std::vector<std::string> variants;  // compare: which of one file's variants
  std::uint64_t trials = 1000;
  std::optional<std::uint64_t> seed;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  unsigned batch = 0;
  std::string trial_log;  // JSON lines, one per trial
  std::string shard;
  std::string json_out;
  std::vector<std::string> disasters;
  bool quiet = false;
  std::string emit;  // "slurm" or "k8s": print a script that runs the sweep on a cluster
  unsigned shards = 4;
  std::string out_dir = ".";
  apps::ReportTarget report;  // --report
};

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

// A progress bar with trials/s and ETA on a terminal; nothing otherwise.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO)) {}
  void operator()(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? done / elapsed : 0;
    const int width = 30;
    const int filled = total == 0 ? width : static_cast<int>(width * done / total);
    std::cerr << "\r[" << std::string(filled, '=') << std::string(width - filled, ' ') << "] "
              << done << "/" << total << " trials, " << std::fixed << std::setprecision(0) << rate
              << " trials/s, ETA "
              << sim::format_duration(rate > 0 ? std::round((total - done) / rate) : 0) << "   ";
    if (done == total) std::cerr << "\n";
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

int exit_code_of(const sim::SweepResult& r) {
  for (const auto& c : r.cells) {
    if (c.miss.hits > 0) return kMissed;
  }
  return kMet;
}

int cmd_sweep(const SweepCli& opt, const sim::ModelRegistry& registry, const std::string& self,
              const std::string& command, const apps::HistoryCli& history) {
  if (!opt.report.out.empty()) {
    if (!opt.shard.empty() || !opt.emit.empty()) {
      std::cerr << "firedrill sweep: --report needs the whole sweep: drop --shard/--emit and report "
                   "the merged result (firedrill report MERGED.json -o FILE)\n";
      return kInvalid;
    }
    if (!apps::check_report_target(opt.report)) return kInvalid;
  }
  auto scenario = load(opt.file, registry, opt.variant);
  if (!scenario) return kInvalid;
  if (!opt.emit.empty()) {
    if (!opt.shard.empty()) {
      std::cerr << "firedrill sweep: --emit writes every shard itself: drop --shard\n";
      return kInvalid;
    }
    apps::EmitPlan plan;
    // Scripts run elsewhere (another directory, another node): absolute paths.
    auto absolute = [](const std::string& p) { return std::filesystem::absolute(p).lexically_normal().string(); };
    plan.firedrill = self;
    plan.scenario = absolute(opt.file);
    plan.variant = scenario->variant;
    plan.trials = opt.trials;
    plan.seed = opt.seed ? *opt.seed : scenario->seed;
    plan.shards = opt.shards;
    plan.jobs_per_task = opt.jobs;
    plan.out_dir = absolute(opt.out_dir);
    if (!opt.json_out.empty() && opt.json_out != "-") plan.merged = absolute(opt.json_out);
    try {
      std::cout << (opt.emit == "slurm" ? apps::emit_slurm(plan) : apps::emit_k8s(plan));
    } catch (const std::invalid_argument& e) {
      std::cerr << "firedrill sweep: --emit: " << e.what() << "\n";
      return kInvalid;
    }
    return kMet;
  }
  sim::SweepOptions so;
  so.trials = opt.trials;
  so.seed = opt.seed ? *opt.seed : scenario->seed;
  so.jobs = opt.jobs;
  so.batch = opt.batch;
  so.disasters = opt.disasters;
  if (!opt.shard.empty()) {
    auto shard = parse_shard(opt.shard);
    if (!shard) {
      std::cerr << "firedrill sweep: --shard: expected K/N with 1 <= K <= N, like 2/8, found \""
                << opt.shard << "\"\n";
      return kInvalid;
    }
    so.shard_index = shard->first - 1;
    so.shard_count = shard->second;
  }
  for (const auto& name : opt.disasters) {
    if (scenario->disaster(name) == nullptr) {
      std::vector<std::string> names;
      for (const auto& d : scenario->disasters) names.push_back(d.name);
      const std::string hint = sim::nearest_name(name, names);
      std::cerr << opt.file << ": --disaster: expected one of the scenario's disasters, found \""
                << name << "\"" << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "\n";
      return kInvalid;
    }
  }
  std::ofstream trial_log;
  if (!opt.trial_log.empty()) {
    trial_log.open(opt.trial_log);
    if (!trial_log) {
      std::cerr << "firedrill sweep: --trial-log: cannot write " << opt.trial_log << "\n";
      return kFailure;
    }
    so.on_trial = [&](const sim::TrialResult& t) {
      trial_log << sim::trial_to_json_text(t, false) << '\n';
    };
  }
  Progress progress(!opt.quiet);
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
  if (!opt.json_out.empty() && !write_file(opt.json_out, result)) return kFailure;
  if (!opt.quiet && opt.json_out != "-") {
    std::cout << scenario->name << (scenario->title.empty() ? "" : ": " + scenario->title) << "\n"
              << r.trials << " trials per disaster, seed " << r.seed;
    if (r.shard_count > 1) {
      std::cout << ", shard " << r.shard_index + 1 << "/" << r.shard_count
                << " (merge the parts for the whole sweep)";
    }
    std::cout << "\n\n";
    apps::print_sweep_table(std::cout, r);
  }
  if (r.shard_count == 1) history.record(result, command, r.variant, opt.quiet);  // parts: at merge
  if (!opt.report.out.empty()) {
    const int rc = apps::write_report(result, "the sweep's result", report_target(opt.report, history));
    if (rc > kMissed) return rc;
  }
  return exit_code_of(r);
}

int cmd_merge(const std::vector<std::string>& files, const std::string& json_out, bool quiet,
              const std::string& command, const apps::HistoryCli& history,
              const sim::ModelRegistry& registry) {
  std::vector<sim::SweepResult> parts;
  for (const auto& f : files) {
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
  if (!json_out.empty() && !write_file(json_out, result)) return kFailure;
  if (!quiet && json_out != "-") {
    std::cout << merged.scenario_name << ": " << parts.size() << " parts merged, " << merged.trials
              << " trials per disaster, seed " << merged.seed << "\n\n";
    apps::print_sweep_table(std::cout, merged);
  }
  history.record(result, command, merged.variant, quiet);
  return exit_code_of(merged);
}

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

int cmd_compare(const SweepCli& opt, const std::vector<std::string>& files,
                const sim::ModelRegistry& registry, const std::string& command,
                const apps::HistoryCli& history) {
  std::vector<sim::Scenario> variants;
  if (!compare_scenarios(files, opt.variants, registry, variants)) return kInvalid;
  sim::SweepOptions so;
  so.trials = opt.trials;
  so.seed = opt.seed ? *opt.seed : variants.front().seed;
  so.jobs = opt.jobs;
  so.batch = opt.batch;
  Progress progress(!opt.quiet);
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
  if (!opt.json_out.empty() && !write_file(opt.json_out, sim::comparison_json(c))) return kFailure;
  if (!opt.quiet && opt.json_out != "-") {
    std::cout << c.variants.size() << " variants, " << c.trials << " trials per disaster, seed "
              << c.seed << "\n\n";
    apps::print_comparison(std::cout, c);
  }
  for (const auto& v : c.variants) {  // each variant's sweep is one record
    history.record(sim::sweep_result_json(v.sweep), command, v.sweep.variant, opt.quiet);
  }
  for (const auto& v : c.variants) {
    if (exit_code_of(v.sweep) != kMet) return kMissed;
  }
  return kMet;
}

int cmd_models(const sim::ModelRegistry& registry) {
  for (const auto& m : registry.models()) {
    std::cout << m->kind() << ": " << m->summary() << "\n";
    std::function<void(const std::vector<sim::ParamSpec>&, const std::string&)> show =
        [&](const std::vector<sim::ParamSpec>& params, const std::string& indent) {
          for (const auto& p : params) {
            std::cout << indent << p.name << " (" << sim::param_type_name(p.type)
                      << (p.unit.empty() ? "" : ", " + p.unit) << ")"
                      << (p.required ? " required"
                                     : (p.default_json.empty() ? "" : " default " + p.default_json))
                      << ": " << p.description << "\n";
            if (!p.choices.empty()) {
              std::cout << indent << "  one of:";
              for (const auto& c : p.choices) std::cout << " " << c;
              std::cout << "\n";
            }
            show(p.fields, indent + "    ");
          }
        };
    show(m->params(), "    ");
    const auto& presets = registry.presets(m->kind());
    if (!presets.empty()) std::cout << "  presets (\"preset\": NAME; what the component writes wins):\n";
    for (const auto& p : presets) {
      std::cout << "    " << p.name << ": " << p.description << "\n      sets "
                << nlohmann::json::parse(p.values_json).dump() << "\n";
    }
  }
  std::cout << "runbook steps: a step takes its \"duration\", then does its action; a restore (or "
               "a data store's rebuild) then moves the data (size at restore_throughput, or over "
               "the network), so a duration that already counts the transfer counts it twice. "
               "With \"duration_includes_transfer\": true the duration is the whole step: the "
               "transfer starts with the step, which lasts max(duration, transfer).\n";
  return kMet;
}

}  // namespace

int main(int argc, char** argv) {
  firedrill::apps::reexec_with_heap_huge_pages(argc, argv);
  sim::ModelRegistry registry;
  models::register_builtin_models(registry);

  CLI::App app{"firedrill: will we really recover within our RTO and lose no more than our RPO?\n"
               "Exit codes: 0 all targets met, 1 a target missed, 2 invalid input or usage, "
               "3 runtime failure."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "firedrill " + sim::firedrill_version() + " (SimGrid " +
                                        sim::simgrid_version() + ")");

  std::vector<std::string> validate_files;
  auto* validate = app.add_subcommand("validate", "check scenario files; every problem is listed");
  validate->add_option("files", validate_files, "scenario files (.json, .yaml)")->required();

  RunOptions run_opt;
  auto* run = app.add_subcommand(
      "run", "simulate one trial of each disaster and print achieved RTO/RPO against targets");
  const std::string variant_help =
      "a named variant of the file (see validate FILE); without it, a file with variants runs "
      "its base scenario (also named \"base\")";
  run->add_option("file", run_opt.file, "scenario file")->required();
  run->add_option("--variant", run_opt.variant, variant_help);
  apps::add_seed_option(*run, run_opt.seed, "seed of the random draws (default: the scenario's)");
  run->add_option("--json", run_opt.json_out, "write the result JSON (firedrill.result/1); - for stdout (then no table)");
  run->add_option("--trace", run_opt.trace_out,
                  "write every event as a Chrome/Perfetto trace (JSON)");
  run->add_option("--disaster", run_opt.disasters, "only these disasters (repeatable)");
  run->add_option("--trial", run_opt.trial,
                  "replay this trial (0-based) of a sweep with the same seed, with its timeline")
      ->capture_default_str();
  run->add_option("--timeline", run_opt.timeline, "events shown per disaster (0: none)")
      ->capture_default_str();
  run->add_flag("--quiet,-q", run_opt.quiet, "print nothing; use the exit code and --json");
  apps::add_report_options(*run, run_opt.report);

  SweepCli sweep_opt;
  auto* sweep = app.add_subcommand(
      "sweep", "Monte Carlo: many trials of each disaster; percentiles and miss probabilities");
  sweep->add_option("file", sweep_opt.file, "scenario file")->required();
  sweep->add_option("--variant", sweep_opt.variant, variant_help);
  sweep->add_option("--trials", sweep_opt.trials, "trials per disaster")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100000000}));
  apps::add_seed_option(*sweep, sweep_opt.seed, "seed (default: the scenario's)");
  sweep->add_option("--jobs,-j", sweep_opt.jobs, "trial processes at once")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1024u));
  sweep->add_option("--trial-log", sweep_opt.trial_log,
                    "also write every trial's result as one JSON line to this file, in trial order "
                    "(disaster by disaster; line N of a disaster is its trial N, as run --trial N)");
  sweep->add_option("--batch", sweep_opt.batch,
                    "trials a process runs side by side in one engine (0: automatic, up to 128; "
                    "results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 100000u));
  sweep->add_option("--shard", sweep_opt.shard,
                    "run one slice K/N of the sweep (trials K-1, K-1+N, ...); merge the parts");
  sweep->add_option("--json", sweep_opt.json_out, "write the result JSON; - for stdout (then no table)");
  sweep->add_option("--disaster", sweep_opt.disasters, "only these disasters (repeatable)");
  sweep->add_flag("--quiet,-q", sweep_opt.quiet, "no table, no progress bar");
  apps::add_report_options(*sweep, sweep_opt.report);
  sweep->add_option("--emit", sweep_opt.emit,
                    "print a script that runs the sweep as --shards parts on a cluster and merges "
                    "them: a Slurm job array (slurm) or a Kubernetes Indexed Job (k8s)")
      ->check(CLI::IsMember({"slurm", "k8s"}));
  sweep->add_option("--shards", sweep_opt.shards, "with --emit: number of parts")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100000u));
  sweep->add_option("--out-dir", sweep_opt.out_dir, "with --emit: where parts and the result go")
      ->capture_default_str();

  std::vector<std::string> merge_files;
  std::string merge_out;
  bool merge_quiet = false;
  auto* merge = app.add_subcommand("merge", "merge the shard parts of one sweep into the whole");
  merge->add_option("parts", merge_files, "part files written by sweep --shard K/N")->required();
  merge->add_option("--json", merge_out, "write the merged result JSON; - for stdout");
  merge->add_flag("--quiet,-q", merge_quiet, "no table");

  SweepCli compare_opt;
  std::vector<std::string> compare_files;
  auto* compare = app.add_subcommand(
      "compare", "sweep the same disasters across topology variants and show them side by side");
  compare->add_option("files", compare_files,
                      "scenario files: one per topology, or one file with named variants (its "
                      "base, labelled with the scenario name, then every variant as "
                      "SCENARIO/VARIANT); each file with variants brings them all")
      ->required();
  compare->add_option("--variants", compare_opt.variants,
                      "with one file: only these of its variants, in this order, comma-separated "
                      "(\"base\" for the base scenario)")
      ->delimiter(',')
      ->allow_extra_args(false);
  compare->add_option("--trials", compare_opt.trials, "trials per disaster and variant")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100000000}));
  apps::add_seed_option(*compare, compare_opt.seed, "seed (default: the first scenario's)");
  compare->add_option("--jobs,-j", compare_opt.jobs, "trial processes at once")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1024u));
  compare->add_option("--batch", compare_opt.batch,
                    "trials a process runs side by side in one engine (0: automatic, up to 128; "
                    "results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 100000u));
  compare->add_option("--json", compare_opt.json_out, "write the comparison JSON; - for stdout");
  compare->add_flag("--quiet,-q", compare_opt.quiet, "no table, no progress bar");

  apps::HistoryCli history;
  history.add_command(app);
  for (CLI::App* recorded : {run, sweep, merge, compare}) history.add_recording_options(*recorded);
  apps::ReportCli report_cli;
  auto* report = apps::add_report_command(app, report_cli);

  apps::LiveCli live;
  live.add_command(app);
  history.add_recording_options(*live.command());
  apps::CompareLiveCli compare_live;
  compare_live.add_command(app);

  auto* schema = app.add_subcommand("schema", "print the JSON Schema of scenario files");
  auto* models_cmd = app.add_subcommand("models", "list component kinds and their parameters");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kInvalid;
  }
  std::ostringstream command;
  command << "firedrill";
  for (int i = 1; i < argc; ++i) command << " " << argv[i];

  if (*validate) return cmd_validate(validate_files, registry);
  if (*run) return cmd_run(run_opt, registry, command.str(), history);
  if (*sweep) return cmd_sweep(sweep_opt, registry, self_path(argv[0]), command.str(), history);
  if (*merge) return cmd_merge(merge_files, merge_out, merge_quiet, command.str(), history, registry);
  if (history.selected()) return history.run();
  if (live.selected()) return live.run(registry, command.str(), history);
  if (compare_live.selected()) return compare_live.run();
  if (*compare) return cmd_compare(compare_opt, compare_files, registry, command.str(), history);
  if (*report) return apps::run_report_command(report_cli);
  if (*schema) {
    std::cout << sim::scenario_json_schema(registry);
    return kMet;
  }
  if (*models_cmd) return cmd_models(registry);
  return kInvalid;
}
