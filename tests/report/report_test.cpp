// The report model on results of really running the simulator on shipped scenarios: the
// committed golden run results and a sweep run here. Expected verdicts are recomputed from
// the result JSON itself, not written down.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "models/register.hpp"
#include "report/model.hpp"
#include "report/render.hpp"
#include "sim/engine.hpp"
#include "sim/loader.hpp"
#include "sim/sweep.hpp"

using namespace firedrill;
using nlohmann::json;

namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::string(FIREDRILL_SOURCE_DIR) + "/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot read " << relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

report::Report build(const std::string& text, const report::Options& options = {}) {
  report::InputError error;
  auto r = report::build_report(text, "result.json", options, error);
  REQUIRE_MESSAGE(r.has_value(), error.to_string());
  return *r;
}

report::InputError refused(const std::string& text) {
  report::InputError error;
  CHECK_FALSE(report::build_report(text, "bad.json", {}, error).has_value());
  return error;
}

// A small sweep of a shipped plan, run here.
const std::string& sweep_text() {
  static const std::string text = [] {
    sim::ModelRegistry registry;
    models::register_builtin_models(registry);
    sim::Loaded loaded = sim::load_scenario_file(
        std::string(FIREDRILL_SOURCE_DIR) + "/scenarios/plans/managed-aws.json", registry);
    REQUIRE(loaded.scenario);
    sim::SweepOptions opt;
    opt.trials = 40;
    opt.seed = 3;
    opt.jobs = 2;
    sim::SweepResult r = sim::run_sweep(*loaded.scenario, registry, opt);
    sim::replay_representatives(r, *loaded.scenario, registry);
    return sim::sweep_result_json(r);
  }();
  return text;
}

std::tuple<bool, double, double> key(const report::Cell& c) { return {c.missed(), c.p_miss, c.excess()}; }

void check_worst_first(const report::Report& r) {
  REQUIRE_FALSE(r.summary.empty());
  for (std::size_t i = 1; i < r.summary.size(); ++i) {
    CHECK(key(r.cells[r.summary[i - 1].worst]) >= key(r.cells[r.summary[i].worst]));
  }
  for (const auto& line : r.summary) {
    bool any = false;
    for (const auto& c : r.cells) {
      if (c.service != line.service || c.disruption != line.disruption) continue;
      any = any || c.missed();
      CHECK(key(c) <= key(r.cells[line.worst]));  // the line shows its worst disaster
    }
    CHECK(line.missed == any);
  }
}

// testcase (classname, name) -> has a failure, from the JUnit text.
std::map<std::pair<std::string, std::string>, bool> junit_cases(const std::string& xml) {
  std::map<std::pair<std::string, std::string>, bool> cases;
  const std::regex testcase(R"re(<testcase classname="([^"]*)" name="([^"]*)" time="0"(/?)>)re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), testcase); it != std::sregex_iterator(); ++it) {
    cases[{(*it)[1], (*it)[2]}] = (*it)[3] != "/";
  }
  return cases;
}

}  // namespace

TEST_CASE("a run's report: verdicts from the result, worst miss first") {
  for (const char* name : {"managed-aws", "gcp-analytics-s3-registry", "multi-az"}) {
    CAPTURE(name);
    const std::string text = read(std::string("tests/golden/") + name + ".result.json");
    const json j = json::parse(text);
    const report::Report r = build(text);
    CHECK(r.kind == "run");
    REQUIRE(r.cells.size() == j["outcomes"].size());
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      CHECK(r.cells[i].missed() == !j["outcomes"][i]["met"].get<bool>());
    }
    check_worst_first(r);
    const auto cases = junit_cases(report::to_junit(r));
    CHECK(cases.size() == j["outcomes"].size());
    for (const auto& o : j["outcomes"]) {
      auto it = cases.find({o["disaster"].get<std::string>(), o["service"].get<std::string>()});
      REQUIRE(it != cases.end());
      CHECK(it->second == !o["met"].get<bool>());
    }
  }
}

TEST_CASE("a missed line comes before every met line, the not recovered first") {
  const report::Report r = build(read("tests/golden/managed-aws.result.json"));
  // managed-aws misses a zone outage by minutes and never recovers from a region outage.
  REQUIRE(r.summary.front().missed);
  CHECK(r.cells[r.summary.front().worst].excess() == std::numeric_limits<double>::infinity());
  bool seen_met = false;
  for (const auto& line : r.summary) {
    if (!line.missed) seen_met = true;
    CHECK_FALSE((seen_met && line.missed));
  }
}

TEST_CASE("scope and assumptions come from the scenario embedded in the result") {
  const report::Report r = build(read("tests/golden/managed-aws.result.json"));
  REQUIRE(r.scenario_embedded);
  bool zones = false;
  for (const auto& p : r.topology.providers) {
    for (const auto& reg : p.regions) zones = zones || (p.name == "aws" && reg.name == "ap-southeast-2" && reg.zones.size() == 3);
  }
  CHECK(zones);
  bool from_file = false, from_default = false;
  for (const auto& a : r.assumptions) {
    from_file = from_file || a.origin.rfind("scenario /components/", 0) == 0;
    from_default = from_default || a.origin.rfind("default of kind ", 0) == 0;
    CHECK_FALSE(a.value.empty());
  }
  CHECK(from_file);
  CHECK(from_default);
}

TEST_CASE("a result written before results carried the scenario text still reports") {
  json j = json::parse(read("tests/golden/managed-aws.result.json"));
  j["scenario"].erase("text");
  const report::Report r = build(j.dump());
  CHECK_FALSE(r.scenario_embedded);
  CHECK(r.assumptions.empty());
  CHECK(r.topology.providers.empty());
  REQUIRE(r.scope_notes.size() == 1);
  CHECK(r.scope_notes[0].find("does not carry its scenario text") != std::string::npos);
  CHECK(r.cells.size() == j["outcomes"].size());
  const std::string md = report::to_markdown(r);
  CHECK(md.find("Not available: the result does not carry its scenario text.") != std::string::npos);
}

TEST_CASE("a sweep's JUnit failures follow the miss-probability rule") {
  const json j = json::parse(sweep_text());
  for (double threshold : {0.0, 0.05, 0.5, 1.0}) {
    CAPTURE(threshold);
    report::Options options;
    options.max_miss_probability = threshold;
    const report::Report r = build(sweep_text(), options);
    CHECK(r.kind == "sweep");
    check_worst_first(r);
    const auto cases = junit_cases(report::to_junit(r));
    REQUIRE(cases.size() == j["outcomes"].size());
    std::size_t failures = 0;
    for (const auto& o : j["outcomes"]) {
      const bool missed = o["p_miss"]["rto"]["p"].get<double>() > threshold ||
                          o["p_miss"]["rpo"]["p"].get<double>() > threshold;
      failures += missed ? 1 : 0;
      CHECK(cases.at({o["disaster"].get<std::string>(), o["service"].get<std::string>()}) == missed);
    }
    if (threshold == 1.0) CHECK(failures == 0);
    if (threshold == 0.0) CHECK(failures > 0);  // the plan loses a region for good
  }
}

TEST_CASE("a sweep's representative is its median trial, with its timeline") {
  const json j = json::parse(sweep_text());
  const report::Report r = build(sweep_text());
  REQUIRE(r.representatives.size() == r.disasters.size());
  REQUIRE(j["representatives"].size() == r.disasters.size());
  for (std::size_t i = 0; i < r.representatives.size(); ++i) {
    const auto& rep = r.representatives[i];
    const json& trial = j["representatives"][i];
    CHECK(rep.disaster == trial["disaster"]);
    CHECK(rep.label.find("--trial " + std::to_string(trial["trial"].get<std::uint64_t>())) != std::string::npos);
    CHECK(rep.events.size() == trial["timeline"].size());
    CHECK_FALSE(rep.events.empty());  // at least the fault
    std::size_t affected = 0;
    for (const auto& o : trial["outcomes"]) affected += o["affected"].get<bool>() ? 1 : 0;
    CHECK(rep.gantt.rows.size() == affected);
  }
  // Which copy bounds RPO: the copies data came back from in the median trial.
  std::size_t restored = 0;
  for (const auto& trial : j["representatives"]) {
    for (const auto& o : trial["outcomes"]) {
      const std::string from = o["recovered_from"];
      if (from.empty() || !o["affected"].get<bool>()) continue;
      ++restored;
      for (const auto& c : r.cells) {
        if (c.disaster == o["disaster"] && c.service == o["service"]) CHECK(c.rpo_driver.find(from) != std::string::npos);
      }
    }
  }
  CHECK(restored > 0);  // the zone outage promotes the database's standby
  CHECK_FALSE(r.disasters.front().cls.empty());  // filled in from the embedded scenario
}

TEST_CASE("a sweep without median trials shows each phase's median") {
  json j = json::parse(sweep_text());
  j.erase("representatives");
  const report::Report r = build(j.dump());
  REQUIRE(r.representatives.size() == r.disasters.size());
  for (const auto& rep : r.representatives) {
    CHECK(rep.label.find("median of each phase") != std::string::npos);
    CHECK(rep.events.empty());
    std::size_t affected = 0;
    for (const auto& c : r.cells) affected += c.disaster == rep.disaster && c.affected > 0 ? 1 : 0;
    CHECK(rep.gantt.rows.size() == affected);
  }
}

TEST_CASE("results a report cannot use are refused with file, pointer, expected and found") {
  CHECK(refused("not json").to_string() == "bad.json: expected a firedrill result (JSON), found text that is not valid json");
  CHECK(refused(R"({"schema": "firedrill.scenario/1"})").pointer == "/schema");
  json compare = json::parse(read("tests/golden/minimal.result.json"));
  compare["kind"] = "compare";
  const auto e = refused(compare.dump());
  CHECK(e.pointer == "/kind");
  CHECK(e.found == "\"compare\"");
  json no_outcomes = json::parse(read("tests/golden/minimal.result.json"));
  no_outcomes.erase("outcomes");
  CHECK(refused(no_outcomes.dump()).to_string() == "bad.json: /outcomes: expected an array, found nothing");
  json wrong = json::parse(read("tests/golden/minimal.result.json"));
  wrong["outcomes"][0]["achieved"]["rto_s"] = "fast";
  CHECK(refused(wrong.dump()).pointer == "/outcomes/0/achieved/rto_s");
  json edited = json::parse(read("tests/golden/minimal.result.json"));
  edited["scenario"]["text"] = edited["scenario"]["text"].get<std::string>() + " ";
  CHECK(refused(edited.dump()).pointer == "/scenario/text");
  json shard = json::parse(sweep_text());
  shard["shard"] = {{"index", 1}, {"count", 2}};
  CHECK(refused(shard.dump()).pointer == "/shard");
}

TEST_CASE("formats from names and extensions") {
  CHECK(report::format_from_path("out/report.PDF") == report::Format::pdf);
  CHECK(report::format_from_path("r.xml") == report::Format::junit);
  CHECK(report::format_from_path("r.htm") == report::Format::html);
  CHECK_FALSE(report::format_from_path("report").has_value());
  CHECK_FALSE(report::format_from_name("docx").has_value());
}

TEST_CASE("assumptions name the preset a value came from, the scenario's and the kind's") {
  sim::ModelRegistry registry;
  models::register_builtin_models(registry);
  const std::string text = R"({"format": "firedrill.scenario/1", "name": "preset-report",
  "providers": [{"name": "aws", "regions": [{"name": "r1", "zones": ["r1-a", "r1-b"]}]}],
  "components": [
    {"name": "db", "kind": "database", "zones": ["r1-a", "r1-b"],
     "preset": "rds-multi-az-instance", "check_failures": 2}],
  "services": [{"name": "app", "depends": ["db"], "targets": {"default": {"rto": "5m", "rpo": "0s"}}}],
  "disasters": [{"name": "crash", "class": "component",
                 "faults": [{"kind": "component_crash", "target": "db"}]}]})";
  const sim::Loaded loaded = sim::load_scenario_text(text, "preset-report.json", registry);
  REQUIRE_MESSAGE(loaded.scenario, loaded.diagnostics.to_string());
  const sim::Scenario& s = *loaded.scenario;
  const auto trial = sim::run_trial_isolated(s, registry, s.disasters.front(), 0);
  const report::Report r = build(sim::run_result_json(s, {7, "test"}, {trial}));
  std::map<std::string, std::string> origin;
  for (const auto& a : r.assumptions) {
    if (a.subject == "component db (database)") origin[a.parameter] = a.origin;
  }
  CHECK(origin["failover_time"].rfind("preset rds-multi-az-instance: AWS RDS User Guide, "
                                      "'Failing over a Multi-AZ DB instance': failover times are "
                                      "typically 60-120 s", 0) == 0);
  CHECK(origin["check_interval"] == origin["failover_time"]);
  CHECK(origin["check_failures"] == "scenario /components/0/check_failures");
  CHECK(origin["size"] == "default of kind database");
  // Every format shows it (here the markdown).
  const std::string md = report::render(r, report::Format::md);
  CHECK(md.find("preset rds-multi-az-instance: AWS RDS User Guide") != std::string::npos);
}
