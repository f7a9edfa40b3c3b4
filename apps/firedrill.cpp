// firedrill: the command line. A thin front end over sim/ and models/.
//
// Exit codes: 0 every target met, 1 a target missed, 2 invalid input or usage, 3 runtime
// failure.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/table.hpp"
#include "models/register.hpp"
#include "sim/engine.hpp"
#include "sim/loader.hpp"
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

std::optional<sim::Scenario> load(const std::string& path, const sim::ModelRegistry& registry) {
  sim::Loaded loaded = sim::load_scenario_file(path, registry);
  if (!loaded.scenario) {
    std::cerr << loaded.diagnostics.to_string();
    return std::nullopt;
  }
  return std::move(loaded.scenario);
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
    const auto& s = *loaded.scenario;
    std::cout << f << ": ok (" << s.components.size() << " components, " << s.services.size()
              << " services, " << s.disasters.size() << " disasters)\n";
  }
  return rc;
}

struct RunOptions {
  std::string file;
  std::optional<std::uint64_t> seed;
  std::string json_out, trace_out;
  std::vector<std::string> disasters;
  std::size_t timeline = 12;
  bool quiet = false;
};

int cmd_run(const RunOptions& opt, const sim::ModelRegistry& registry, const std::string& command) {
  auto scenario = load(opt.file, registry);
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
    for (const auto* d : selected) trials.push_back(sim::run_trial_isolated(s, registry, *d, 0));
  } catch (const std::exception& e) {
    std::cerr << "firedrill: " << e.what() << "\n";
    return kFailure;
  }
  if (!opt.quiet && opt.json_out != "-") {
    std::cout << s.name << (s.title.empty() ? "" : ": " + s.title) << "\n";
    if (!s.source.empty()) std::cout << "source: " << s.source << "\n";
    std::cout << "seed " << s.seed << ", one trial per disaster\n\n";
    apps::print_outcome_table(std::cout, s, trials);
    if (opt.timeline > 0) apps::print_timelines(std::cout, trials, opt.timeline);
  }
  sim::RunInfo info{s.seed, command};
  if (!opt.json_out.empty() && !write_file(opt.json_out, sim::run_result_json(s, info, trials))) {
    return kFailure;
  }
  if (!opt.trace_out.empty() && !write_file(opt.trace_out, trace_json(trials))) return kFailure;
  for (const auto& t : trials) {
    for (const auto& o : t.outcomes) {
      if (!o.met) return kMissed;
    }
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
  }
  return kMet;
}

}  // namespace

int main(int argc, char** argv) {
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
  run->add_option("file", run_opt.file, "scenario file")->required();
  run->add_option("--seed", run_opt.seed, "seed of the random draws (default: the scenario's)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--json", run_opt.json_out, "write the result JSON (firedrill.result/1); - for stdout (then no table)");
  run->add_option("--trace", run_opt.trace_out,
                  "write every event as a Chrome/Perfetto trace (JSON)");
  run->add_option("--disaster", run_opt.disasters, "only these disasters (repeatable)");
  run->add_option("--timeline", run_opt.timeline, "events shown per disaster (0: none)")
      ->capture_default_str();
  run->add_flag("--quiet,-q", run_opt.quiet, "print nothing; use the exit code and --json");

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
  if (*run) return cmd_run(run_opt, registry, command.str());
  if (*schema) {
    std::cout << sim::scenario_json_schema(registry);
    return kMet;
  }
  if (*models_cmd) return cmd_models(registry);
  return kInvalid;
}
