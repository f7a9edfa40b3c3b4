// firedrill: the command line. A thin front end over sim/ and models/: builds the
// application from the commands (apps/cmd_*.cpp) and runs the one given.
//
// Exit codes: 0 every target met, 1 a target missed, 2 invalid input or usage, 3 runtime
// failure.
#include <CLI/CLI.hpp>

#include <sstream>

#include "apps/cmd_compare.hpp"
#include "apps/cmd_compare_live.hpp"
#include "apps/cmd_history.hpp"
#include "apps/cmd_live.hpp"
#include "apps/cmd_merge.hpp"
#include "apps/cmd_models.hpp"
#include "apps/cmd_report.hpp"
#include "apps/cmd_run.hpp"
#include "apps/cmd_schema.hpp"
#include "apps/cmd_sweep.hpp"
#include "apps/cmd_validate.hpp"
#include "apps/common.hpp"
#include "apps/reexec.hpp"
#include "models/register.hpp"
#include "sim/model.hpp"
#include "sim/result.hpp"

using namespace firedrill;

int main(int argc, char** argv) {
  apps::reexec_with_heap_huge_pages(argc, argv);
  sim::ModelRegistry registry;
  models::register_builtin_models(registry);

  CLI::App app{"firedrill: will we really recover within our RTO and lose no more than our RPO?\n"
               "Exit codes: 0 all targets met, 1 a target missed, 2 invalid input or usage, "
               "3 runtime failure."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "firedrill " + sim::firedrill_version() + " (SimGrid " +
                                        sim::simgrid_version() + ")");

  // The commands, in the order --help lists them.
  apps::ValidateCli validate;
  validate.add_command(app);
  apps::RunCli run;
  run.add_command(app);
  apps::SweepCli sweep;
  sweep.add_command(app);
  apps::MergeCli merge;
  merge.add_command(app);
  apps::CompareCli compare;
  compare.add_command(app);

  apps::HistoryCli history;
  history.add_command(app);
  for (CLI::App* recorded : {run.command(), sweep.command(), merge.command(), compare.command()}) {
    history.add_recording_options(*recorded);
  }
  apps::ReportCli report_cli;
  auto* report = apps::add_report_command(app, report_cli);

  apps::LiveCli live;
  live.add_command(app);
  history.add_recording_options(*live.command());
  apps::CompareLiveCli compare_live;
  compare_live.add_command(app);

  apps::SchemaCli schema;
  schema.add_command(app);
  apps::ModelsCli models_cmd;
  models_cmd.add_command(app);

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
    return apps::kInvalid;
  }
  std::ostringstream command;
  command << "firedrill";
  for (int i = 1; i < argc; ++i) command << " " << argv[i];

  if (validate.selected()) return validate.run(registry);
  if (run.selected()) return run.run(registry, command.str(), history);
  if (sweep.selected()) return sweep.run(registry, argv[0], command.str(), history);
  if (merge.selected()) return merge.run(registry, command.str(), history);
  if (history.selected()) return history.run();
  if (live.selected()) return live.run(registry, command.str(), history);
  if (compare_live.selected()) return compare_live.run();
  if (compare.selected()) return compare.run(registry, command.str(), history);
  if (*report) return apps::run_report_command(report_cli);
  if (schema.selected()) return schema.run(registry);
  if (models_cmd.selected()) return models_cmd.run(registry);
  return apps::kInvalid;
}
