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
