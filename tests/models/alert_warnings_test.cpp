// The loader's warning for a runbook with trigger "alert" that nothing can start, checked with
// the real models against what the engine does: where the loader warns, a trial raises no
// alert; where a trial raises one, the loader does not warn.
#include <nlohmann/json.hpp>

#include "tests/models/harness.hpp"

using namespace firedrill;

namespace {

// A team, an API in r1-a, a spare in r2-a (for service "batch"), a database; `monitoring` (a
// component, or "") and `disasters` complete it. Runbook "rb" (trigger `trigger`) repairs the
// API; "other" is a runbook with trigger "start" that fails the database over.
std::string scenario(const std::string& monitoring, const std::string& disasters,
                     const std::string& trigger = "alert") {
  return testing::preamble("alerts") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},)" +
         monitoring + R"(
    {"name": "api", "kind": "compute", "zones": ["r1-a"], "autoscaling": false},
    {"name": "spare", "kind": "compute", "zones": ["r2-a"], "autoscaling": false},
    {"name": "db", "kind": "database", "zones": ["r1-b"]}
  ],
  "services": [{"name": "web", "depends": ["api", "db"],
                "targets": {"default": {"rto": "1h", "rpo": "1h"}}},
               {"name": "batch", "depends": ["spare"],
                "targets": {"default": {"rto": "1h", "rpo": "1h"}}}],
  "runbooks": [
    {"name": "rb", "team": "oncall", "trigger": ")" + trigger + R"(", "steps": [
       {"id": "s", "duration": "1m", "action": {"repair": "api"}}]},
    {"name": "other", "team": "oncall", "trigger": "start", "steps": [
       {"id": "s", "duration": "1m", "action": {"failover": "db"}}]}
  ],
  "disasters": [)" + disasters + R"(]
  })";
}

const std::string kCrash = R"(
  {"name": "crash", "class": "component", "runbooks": ["rb"],
   "faults": [{"kind": "component_crash", "target": "api"}]})";

std::string watching(const std::string& watches) {
  return R"({"name": "mon", "kind": "monitoring", "region": "r1", "pages": "oncall",
     "check_interval": "1m", "alert_delay": "30s", "watches": )" + watches + "},";
}

sim::Loaded load(const std::string& text) {
  sim::Loaded loaded = sim::load_scenario_text(text, "a.json", testing::registry());
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.scenario.has_value());
  return loaded;
}

bool alerted(const sim::Scenario& s, const std::string& disaster) {
  return testing::event_time(testing::run(s, disaster), "alert").has_value();
}

}  // namespace

TEST_CASE("alert warnings: no monitoring and no damaged data: the runbook never starts") {
  const sim::Loaded loaded = load(scenario("", kCrash));
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.warnings.size() == 1);
  const sim::Diagnostic& w = loaded.warnings.items().front();
  CHECK(w.warning);
  CHECK(w.file == "a.json");
  CHECK(w.pointer == "/runbooks/0");
  CHECK(w.line > 0);
  CHECK(w.to_string().find("/runbooks/0: warning: expected a runbook that its disasters can "
                           "start, found runbook \"rb\" with trigger \"alert\", which nothing "
                           "raises in disaster \"crash\" (the scenario has no monitoring") !=
        std::string::npos);
  CHECK(w.hint.find("\"trigger\": \"start\"") != std::string::npos);
  CHECK(sim::warnings_of(loaded, "").to_string() == loaded.warnings.to_string());
  // The engine agrees: no alert, the API is never repaired.
  const sim::TrialResult r = testing::run(*loaded.scenario, "crash");
  CHECK_FALSE(testing::event_time(r, "alert").has_value());
  CHECK_FALSE(testing::event_time(r, "runbook-start", "rb").has_value());
}

TEST_CASE("alert warnings: trigger start, or monitoring that watches the crash: no warning") {
  CHECK(load(scenario("", kCrash, "start")).warnings.empty());
  for (const char* watches : {"[\"api\"]", "[]"}) {
    const sim::Loaded loaded = load(scenario(watching(watches), kCrash));
    CHECK(loaded.warnings.empty());
    CHECK(alerted(*loaded.scenario, "crash"));
  }
}

TEST_CASE("alert warnings: monitoring that watches nothing the faults stop") {
  // A zone outage of r1-a stops the API (and what names it); the monitor watches the spare.
  const std::string zone = R"(
    {"name": "zone", "class": "zone", "runbooks": ["rb"],
     "faults": [{"kind": "zone_outage", "target": "r1-a"}]},
    {"name": "zone-b", "class": "zone", "runbooks": ["rb"],
     "faults": [{"kind": "zone_outage", "target": "r1-b"}]},
    {"name": "spare-zone", "class": "zone", "runbooks": ["rb"],
     "faults": [{"kind": "zone_outage", "target": "r2-a"}]})";
  const sim::Loaded loaded = load(scenario(watching("[\"spare\", \"mon\"]"), kCrash + "," + zone));
  REQUIRE(loaded.warnings.size() == 1);
  const std::string w = loaded.warnings.to_string();
  CHECK(w.find("which nothing raises in disasters \"crash\", \"zone\" and \"zone-b\" (no "
               "monitoring watches a component that its faults can stop") != std::string::npos);
  for (const char* d : {"crash", "zone", "zone-b"}) {
    INFO(d);
    CHECK_FALSE(alerted(*loaded.scenario, d));
  }
  CHECK(alerted(*loaded.scenario, "spare-zone"));
}

TEST_CASE("alert warnings: what can still raise an alert") {
  const std::string watch_db = watching("[\"db\"]");
  SUBCASE("damaged data is noticed, with monitoring or without") {
    const std::string data = R"(
      {"name": "dropped", "class": "data", "runbooks": ["rb"],
       "faults": [{"kind": "operator_deletion", "target": "db", "detected_after": "10m"}]})";
    for (const std::string& m : {std::string(), watch_db}) {
      const sim::Loaded loaded = load(scenario(m, data));
      CHECK(loaded.warnings.empty());
      CHECK(alerted(*loaded.scenario, "dropped"));
    }
  }
  SUBCASE("a runbook that starts at T0 stops what the monitor watches") {
    const std::string both = R"(
      {"name": "crash", "class": "component", "runbooks": ["rb", "other"],
       "faults": [{"kind": "component_crash", "target": "api"}]})";
    const sim::Loaded loaded = load(scenario(watch_db, both));
    CHECK(loaded.warnings.empty());
  }
  SUBCASE("a region outage stops a regional monitor, which the monitor does not watch") {
    // An outage of r1 stops the API (r1-a), watched by a second monitor in r2.
    const std::string region = R"(
      {"name": "region", "class": "region", "runbooks": ["rb"],
       "faults": [{"kind": "region_outage", "target": "r1"}]})";
    const std::string two = watch_db + R"(
      {"name": "mon-2", "kind": "monitoring", "region": "r2", "pages": "oncall",
       "watches": ["api"]},)";
    const sim::Loaded loaded = load(scenario(two, region));
    CHECK(loaded.warnings.empty());
    CHECK(alerted(*loaded.scenario, "region"));
  }
}

TEST_CASE("alert warnings: a team fault stops nothing a monitor sees") {
  const std::string people = R"(
    {"name": "away", "class": "people", "runbooks": ["rb"],
     "faults": [{"kind": "team_unavailable", "target": "oncall"}]})";
  const sim::Loaded loaded = load(scenario(watching("[]"), people));
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings.to_string().find("in disaster \"away\"") != std::string::npos);
  CHECK_FALSE(alerted(*loaded.scenario, "away"));
}

TEST_CASE("alert warnings: each variant's own, the file's once") {
  nlohmann::json d = nlohmann::json::parse(scenario("", kCrash));
  d["variants"] = nlohmann::json::parse(R"([
    {"name": "same", "description": "changes nothing the warning depends on", "horizon": "20d"},
    {"name": "watched", "description": "adds monitoring",
     "add_components": [{"name": "mon", "kind": "monitoring", "region": "r1",
                         "pages": "oncall"}]}])");
  const sim::Loaded loaded = load(d.dump());
  REQUIRE(loaded.variants.size() == 2);
  CHECK(loaded.warnings.size() == 1);  // the variant "same" only repeats the base's
  CHECK(sim::warnings_of(loaded, "base").size() == 1);
  REQUIRE(sim::warnings_of(loaded, "same").size() == 1);
  CHECK(sim::warnings_of(loaded, "same").items().front().hint.find("in variant \"same\"") !=
        std::string::npos);
  CHECK(sim::warnings_of(loaded, "watched").empty());
  CHECK(sim::warnings_of(loaded, "no-such").empty());
}

TEST_CASE("alert warnings: a file with errors has errors only") {
  nlohmann::json d = nlohmann::json::parse(scenario("", kCrash));
  d["horizon"] = "-5m";
  const sim::Loaded loaded = sim::load_scenario_text(d.dump(), "a.json", testing::registry());
  CHECK_FALSE(loaded.scenario.has_value());
  CHECK_FALSE(loaded.diagnostics.empty());
  CHECK(loaded.warnings.empty());
  CHECK(loaded.document_warnings.empty());
}
