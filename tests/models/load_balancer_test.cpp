#include "tests/models/harness.hpp"

#include <set>

using namespace firedrill;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

// Two API instances in two zones behind an HAProxy-like balancer (inter 2s, fall 3, rise 2).
sim::Scenario lb_scenario() {
  return load_text(preamble("lb") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "api", "kind": "compute", "zones": ["r1-a", "r1-b"], "autoscaling": false},
    {"name": "lb", "kind": "load_balancer", "region": "r1", "targets": ["api"],
     "check_interval": "2s", "fall": 3, "rise": 2}
  ],
  "services": [{"name": "web", "depends": ["lb"],
                "targets": {"zone": {"rto": "1m", "rpo": "0s"}}}],
  "disasters": [{"name": "zone-a", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "r1-a", "duration": "1h"}]}]
  })");
}

}  // namespace

TEST_CASE("load balancer: a lost backend is taken out after (fall-1)*inter to fall*inter") {
  const auto s = lb_scenario();
  std::set<double> seen;
  for (std::uint64_t trial = 0; trial < 12; ++trial) {
    const auto r = testing::run(s, "zone-a", trial);
    const auto& o = outcome(r, "web");
    CHECK(o.affected);
    REQUIRE(o.rto_s.has_value());
    CHECK(*o.rto_s >= 4.0 - 1e-9);
    CHECK(*o.rto_s < 6.0);
    CHECK(o.phases.dominant() == "detect");
    CHECK(*o.rpo_s == 0.0);
    CHECK(o.met);
    seen.insert(*o.rto_s);
  }
  // The check phase is drawn per trial: detection times differ between trials.
  CHECK(seen.size() > 6);
}

TEST_CASE("load balancer: same seed and trial give the same result") {
  const auto s = lb_scenario();
  const auto a = testing::run(s, "zone-a", 3);
  const auto b = testing::run(s, "zone-a", 3);
  CHECK(sim::trial_to_json_text(a) == sim::trial_to_json_text(b));
}

TEST_CASE("load balancer: losing every backend is an outage until the zone returns") {
  auto s = load_text(preamble("lb-all") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"], "autoscaling": false},
    {"name": "lb", "kind": "load_balancer", "region": "r1", "targets": ["api"]}
  ],
  "services": [{"name": "web", "depends": ["lb"],
                "targets": {"zone": {"rto": "10m", "rpo": "0s"}}}],
  "disasters": [{"name": "zone-a", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "r1-a", "duration": "30m"}]}]
  })");
  const auto r = testing::run(s, "zone-a");
  const auto& o = outcome(r, "web");
  REQUIRE(o.rto_s.has_value());
  // Back when the zone returns and the balancer has seen `rise` good checks: 30m + [2s, 4s).
  CHECK(*o.rto_s >= 1800.0 + 2.0 - 1e-9);
  CHECK(*o.rto_s < 1800.0 + 4.0);
  CHECK_FALSE(o.met);
}

TEST_CASE("load balancer: with a backup backend, losing the main one is a blip until detection") {
  const auto s = load_text(preamble("lb-backup") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "main", "kind": "compute", "zones": ["r1-a"], "autoscaling": false},
    {"name": "backup", "kind": "compute", "zones": ["r1-b"], "autoscaling": false},
    {"name": "lb", "kind": "load_balancer", "zones": ["r1-c"], "targets": ["main", "backup"],
     "check_interval": "2s", "fall": 3}
  ],
  "services": [{"name": "web", "depends": ["lb"],
                "targets": {"component": {"rto": "5m", "rpo": "0s"}}}],
  "disasters": [{"name": "crash", "class": "component",
                 "faults": [{"kind": "component_crash", "target": "main"}]}]
  })");
  const auto r = testing::run(s, "crash");
  const auto& o = outcome(r, "web");
  CHECK(o.affected);
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s >= 4.0 - 1e-9);
  CHECK(*o.rto_s < 6.0);
  CHECK(o.met);
}

TEST_CASE("load balancer presets: a lost backend leaves rotation after (fall-1) to fall intervals") {
  for (const auto& [preset, lo, hi] : {std::tuple{"haproxy", 4.0, 6.0}, std::tuple{"aws-alb", 30.0, 60.0}}) {
    CAPTURE(preset);
    const auto s = load_text(preamble("lb") + R"(
    "components": [
      {"name": "oncall", "kind": "team"},
      {"name": "api", "kind": "compute", "zones": ["r1-a", "r1-b"], "autoscaling": false},
      {"name": "lb", "kind": "load_balancer", "region": "r1", "targets": ["api"], "preset": ")" +
                             std::string(preset) + R"("}
    ],
    "services": [{"name": "web", "depends": ["lb"], "targets": {"zone": {"rto": "1m", "rpo": "0s"}}}],
    "disasters": [{"name": "zone-a", "class": "zone",
                   "faults": [{"kind": "zone_outage", "target": "r1-a", "duration": "1h"}]}]
    })");
    for (std::uint64_t trial = 0; trial < 6; ++trial) {
      const auto& o = outcome(testing::run(s, "zone-a", trial), "web");
      REQUIRE(o.rto_s.has_value());
      CHECK(*o.rto_s >= lo - 1e-9);
      CHECK(*o.rto_s < hi);
    }
  }
}
