// Each service's phases come from its own path: the detections and responses about what it
// needs, not the trial's first ones.
#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

TEST_CASE("phases: two databases lost in one zone each keep their own detection") {
  // db-a's health checks notice within 2 s; db-b's after 60-90 s; both promote in 60 s.
  const auto s = load_text(preamble("two-dbs") + R"(
  "components": [
    {"name": "db-a", "kind": "database", "zones": ["r1-a", "r1-b"], "replication": "sync",
     "check_interval": "2s", "check_failures": 1, "failover_time": "60s"},
    {"name": "db-b", "kind": "database", "zones": ["r1-a", "r1-b"], "replication": "sync",
     "check_interval": "30s", "check_failures": 3, "failover_time": "60s"}
  ],
  "services": [
    {"name": "a", "depends": ["db-a"], "data": ["db-a"], "targets": {"zone": {"rto": "1h", "rpo": "0s"}}},
    {"name": "b", "depends": ["db-b"], "data": ["db-b"], "targets": {"zone": {"rto": "1h", "rpo": "0s"}}}
  ],
  "disasters": [{"name": "zone-a", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "r1-a"}]}]
  })");
  for (std::uint64_t trial = 0; trial < 8; ++trial) {
    CAPTURE(trial);
    const auto r = testing::run(s, "zone-a", trial);
    const auto& a = outcome(r, "a");
    const auto& b = outcome(r, "b");
    REQUIRE(a.rto_s.has_value());
    REQUIRE(b.rto_s.has_value());
    CHECK(a.phases.detect_s <= 2.0);
    CHECK(b.phases.detect_s >= 60.0 - 1e-9);
    CHECK(b.phases.detect_s <= 90.0);
    // What follows its own detection is its own promotion, never more.
    CHECK(a.phases.restore_s == doctest::Approx(60.0));
    CHECK(b.phases.restore_s == doctest::Approx(60.0));
    CHECK(b.phases.respond_s == 0.0);
  }
}

TEST_CASE("phases: a service's response is the response of the team working on its path") {
  // Both servers crash; a quick team repairs api-a, a slow one api-b.
  const auto s = load_text(preamble("two-teams") + R"(
  "components": [
    {"name": "quick", "kind": "team", "response": "1m"},
    {"name": "slow", "kind": "team", "response": "30m"},
    {"name": "api-a", "kind": "compute", "zones": ["r1-a"], "autoscaling": false},
    {"name": "api-b", "kind": "compute", "zones": ["r1-b"], "autoscaling": false}
  ],
  "services": [
    {"name": "a", "depends": ["api-a"], "targets": {"component": {"rto": "1h", "rpo": "0s"}}},
    {"name": "b", "depends": ["api-b"], "targets": {"component": {"rto": "1h", "rpo": "0s"}}}
  ],
  "runbooks": [
    {"name": "fix-a", "team": "quick", "trigger": "start",
     "steps": [{"id": "repair", "duration": "10m", "action": {"repair": "api-a"}}]},
    {"name": "fix-b", "team": "slow", "trigger": "start",
     "steps": [{"id": "repair", "duration": "10m", "action": {"repair": "api-b"}}]}
  ],
  "disasters": [{"name": "both", "class": "component", "runbooks": ["fix-a", "fix-b"],
                 "faults": [{"kind": "component_crash", "target": "api-a"},
                            {"kind": "component_crash", "target": "api-b"}]}]
  })");
  const auto r = testing::run(s, "both");
  const auto& a = outcome(r, "a");
  const auto& b = outcome(r, "b");
  REQUIRE(a.rto_s.has_value());
  REQUIRE(b.rto_s.has_value());
  CHECK(*a.rto_s == doctest::Approx(660.0));
  CHECK(a.phases.respond_s == doctest::Approx(60.0));
  CHECK(a.phases.restore_s == doctest::Approx(600.0));
  CHECK(*b.rto_s == doctest::Approx(2400.0));
  CHECK(b.phases.respond_s == doctest::Approx(1800.0));
  CHECK(b.phases.restore_s == doctest::Approx(600.0));
}

TEST_CASE("phases: waiting for a third party to come back is outside, not restore") {
  const auto s = load_text(R"({"format": "firedrill.scenario/1", "name": "tp",
  "providers": [{"name": "aws", "regions": [{"name": "r1", "zones": ["r1-a"]}]},
                {"name": "payco", "kind": "saas"}],
  "components": [
    {"name": "api", "kind": "compute", "zones": ["r1-a"]},
    {"name": "processor", "kind": "third_party", "provider": "payco"}
  ],
  "services": [{"name": "payments", "depends": ["api", "processor"],
                "targets": {"third_party": {"rto": "30m", "rpo": "0s"}}}],
  "disasters": [{"name": "payco-down", "class": "third_party",
                 "faults": [{"kind": "third_party_outage", "target": "processor",
                             "duration": "1h"}]}]
  })");
  const auto& o = outcome(testing::run(s, "payco-down"), "payments");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == doctest::Approx(3600.0));
  CHECK(o.phases.outside_s == doctest::Approx(3600.0));
  CHECK(o.phases.restore_s == 0.0);
  CHECK(o.phases.dominant() == "outside");
}

namespace {

// api in zone a, watched by monitoring in zone a; the on-call engineer (10 min to respond)
// rebuilds it in zone b in `rebuild`; the zone is out for `outage`.
std::string zone_scenario(const std::string& outage, const std::string& rebuild) {
  return preamble("zone") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "10m"},
    {"name": "mon", "kind": "monitoring", "zones": ["r1-a"], "pages": "oncall",
     "check_interval": "1m", "failures": 1, "alert_delay": "0s", "fallback_detection": "20m"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"], "autoscaling": false}
  ],
  "services": [{"name": "web", "depends": ["api"], "targets": {"zone": {"rto": "1h", "rpo": "0s"}}}],
  "runbooks": [{"name": "rebuild", "team": "oncall", "steps": [
     {"id": "api", "duration": ")" + rebuild + R"(", "action": {"rebuild": "api", "to": ["r1-b"]}}]}],
  "disasters": [{"name": "zone-a", "class": "zone", "runbooks": ["rebuild"],
                 "faults": [{"kind": "zone_outage", "target": "r1-a", "duration": ")" + outage + R"("}]}]
  })";
}

}  // namespace

TEST_CASE("phases: noticed without monitoring is detection; the team's work is restore") {
  // The monitoring went down with the zone: people notice after 20 min.
  const auto& o = outcome(testing::run(load_text(zone_scenario("6h", "30m")), "zone-a"), "web");
  REQUIRE(o.rto_s.has_value());
  CHECK(o.phases.detect_s == doctest::Approx(1200.0));
  CHECK(o.phases.respond_s == doctest::Approx(600.0));
  CHECK(o.phases.restore_s == doctest::Approx(1800.0));
  CHECK(o.phases.outside_s == 0.0);
}

TEST_CASE("phases: a zone back before the rebuild is done: the rest was a wait for the provider") {
  const auto& o = outcome(testing::run(load_text(zone_scenario("45m", "2h")), "zone-a"), "web");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == doctest::Approx(2700.0));
  CHECK(o.phases.detect_s == doctest::Approx(1200.0));
  CHECK(o.phases.respond_s == doctest::Approx(600.0));
  CHECK(o.phases.outside_s == doctest::Approx(900.0));
  CHECK(o.phases.restore_s == 0.0);
}

TEST_CASE("phases: a start-triggered runbook knows of the disruption at once") {
  std::string text = zone_scenario("6h", "30m");
  text.replace(text.find(R"("name": "rebuild", )"), 19, R"("name": "rebuild", "trigger": "start", )");
  const auto& o = outcome(testing::run(load_text(text), "zone-a"), "web");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == doctest::Approx(2400.0));
  CHECK(o.phases.detect_s == 0.0);
  CHECK(o.phases.respond_s == doctest::Approx(600.0));
  CHECK(o.phases.restore_s == doctest::Approx(1800.0));
}
