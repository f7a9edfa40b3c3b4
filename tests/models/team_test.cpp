#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

std::string team_scenario(int people, const std::string& extra_fault = "") {
  return preamble("team") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "people": )" + std::to_string(people) + R"(,
     "response": "10m", "remote_capable": true, "remote_setup": "20m"},
    {"name": "mon", "kind": "monitoring", "region": "r1", "pages": "oncall",
     "check_interval": "1m", "failures": 1, "alert_delay": "0s"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"], "autoscaling": false},
    {"name": "worker", "kind": "compute", "zones": ["r1-a"], "autoscaling": false}
  ],
  "services": [{"name": "web", "depends": ["api", "worker"],
                "targets": {"default": {"rto": "2h", "rpo": "0s"}}}],
  "runbooks": [{"name": "rebuild", "team": "oncall", "steps": [
     {"id": "api", "duration": "30m", "action": {"rebuild": "api", "to": ["r1-b"]}},
     {"id": "worker", "duration": "30m", "action": {"rebuild": "worker", "to": ["r1-b"]}}]}],
  "disasters": [{"name": "zone-a", "class": "zone", "runbooks": ["rebuild"],
                 "faults": [{"kind": "zone_outage", "target": "r1-a"})" + extra_fault + R"(]}]
  })";
}

}  // namespace

TEST_CASE("team: manual steps run in parallel only as far as there are people") {
  const auto two = testing::run(load_text(team_scenario(2)), "zone-a");
  const auto one = testing::run(load_text(team_scenario(1)), "zone-a");
  const auto alert2 = event_time(two, "alert");
  const auto alert1 = event_time(one, "alert");
  REQUIRE(alert2.has_value());
  REQUIRE(alert1.has_value());
  CHECK(*outcome(two, "web").rto_s == doctest::Approx(*alert2 + 600 + 1800));
  CHECK(*outcome(one, "web").rto_s == doctest::Approx(*alert1 + 600 + 3600));
}

TEST_CASE("team: a team of nobody is an error, not a team that still performs its steps") {
  const sim::Loaded zero = sim::load_scenario_text(team_scenario(0), "test.json", testing::registry());
  CHECK_FALSE(zero.scenario.has_value());
  const std::string text = zero.diagnostics.to_string();
  CHECK(text.find("/components/0/people: expected an integer of at least 1, found 0\n") != std::string::npos);
  CHECK(text.rfind("test.json:", 0) == 0);
  CHECK_FALSE(sim::load_scenario_text(team_scenario(-1), "test.json", testing::registry()).scenario);
}

TEST_CASE("team: an unavailable office adds the remote set-up time") {
  const auto r = testing::run(
      load_text(team_scenario(2, R"(, {"kind": "office_unavailable", "target": "oncall"})")),
      "zone-a");
  const auto alert = event_time(r, "alert");
  REQUIRE(alert.has_value());
  CHECK(*outcome(r, "web").rto_s == doctest::Approx(*alert + 600 + 1200 + 1800));
}

TEST_CASE("team: an office outage alone disrupts no service") {
  const auto s = load_text(preamble("office") + R"(
  "components": [{"name": "oncall", "kind": "team"},
                 {"name": "api", "kind": "compute", "zones": ["r1-a"]}],
  "services": [{"name": "web", "depends": ["api"],
                "targets": {"people": {"rto": "0s", "rpo": "0s"}}}],
  "disasters": [{"name": "office", "class": "people",
                 "faults": [{"kind": "office_unavailable", "target": "oncall"}]}]
  })");
  const auto r = testing::run(s, "office");
  CHECK_FALSE(outcome(r, "web").affected);
  CHECK(outcome(r, "web").met);
  CHECK(r.end_s == 0.0);
}
