// Runbook actions checked against the kinds they act on (needs the real models).
#include "tests/models/harness.hpp"

using namespace firedrill;

namespace {

std::string with_action(const std::string& action) {
  return testing::preamble("actions") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"]},
    {"name": "api-2", "kind": "compute", "zones": ["r2-a"]},
    {"name": "other", "kind": "compute", "zones": ["r2-b"]},
    {"name": "db", "kind": "database", "zones": ["r1-a"]},
    {"name": "dns", "kind": "dns", "provider": "aws", "targets": ["api", "api-2"]}
  ],
  "services": [{"name": "web", "depends": ["dns", "db"],
                "targets": {"default": {"rto": "1h", "rpo": "0s"}}}],
  "runbooks": [{"name": "rb", "team": "oncall", "steps": [
     {"id": "s", "duration": "1m", "action": )" + action + R"(}]}],
  "disasters": [{"name": "d", "class": "zone", "runbooks": ["rb"],
                 "faults": [{"kind": "zone_outage", "target": "r1-a"}]}]
  })";
}

std::string diagnostics_of(const std::string& text) {
  const sim::Loaded loaded = sim::load_scenario_text(text, "a.json", testing::registry());
  CHECK_FALSE(loaded.scenario.has_value());
  return loaded.diagnostics.to_string();
}

}  // namespace

TEST_CASE("actions: a valid switch loads") {
  const sim::Loaded loaded = sim::load_scenario_text(
      with_action(R"({"switch": "dns", "to": "api-2"})"), "a.json", testing::registry());
  CHECK(loaded.diagnostics.to_string() == "");
  CHECK(loaded.scenario.has_value());
}

TEST_CASE("actions: switch to a component that is not one of the targets") {
  const std::string d = diagnostics_of(with_action(R"({"switch": "dns", "to": "other"})"));
  CHECK(d.find("/runbooks/0/steps/0/action/to: expected one of the targets of \"dns\": api, "
               "api-2, found \"other\"") != std::string::npos);
}

TEST_CASE("actions: switch on a component without targets") {
  const std::string d = diagnostics_of(with_action(R"({"switch": "api", "to": "api-2"})"));
  CHECK(d.find("/runbooks/0/steps/0/action/switch: expected a component with targets to switch "
               "between (dns), found \"api\" of kind \"compute\"") != std::string::npos);
}

TEST_CASE("actions: restore and failover need a component that holds data") {
  const std::string d = diagnostics_of(with_action(R"({"restore": "api"})"));
  CHECK(d.find("/runbooks/0/steps/0/action/restore: expected a component that holds data") !=
        std::string::npos);
  CHECK(d.find("use \"rebuild\" for stateless components") != std::string::npos);
  const std::string f = diagnostics_of(with_action(R"({"failover": "dns"})"));
  CHECK(f.find("/action/failover: expected a component that holds data") != std::string::npos);
}

TEST_CASE("actions: a team is not something a runbook acts on") {
  const std::string d = diagnostics_of(with_action(R"({"repair": "oncall"})"));
  CHECK(d.find("/action/repair: expected a component a runbook can act on (not a team), found "
               "\"oncall\" of kind \"team\"") != std::string::npos);
}
