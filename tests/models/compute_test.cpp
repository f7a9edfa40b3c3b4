#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

TEST_CASE("compute: autoscaling replaces lost capacity in the surviving zones") {
  const auto s = load_text(preamble("asg") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "api", "kind": "compute", "zones": ["r1-a", "r1-b", "r1-c"],
     "instances_per_zone": 2, "min_healthy": 5, "replacement_time": "4m"}
  ],
  "services": [{"name": "web", "depends": ["api"],
                "targets": {"zone": {"rto": "5m", "rpo": "0s"}}}],
  "disasters": [{"name": "zone-a", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "r1-a"}]}]
  })");
  const auto r = testing::run(s, "zone-a");
  const auto& o = outcome(r, "web");
  REQUIRE(o.rto_s.has_value());
  // 4 of 6 instances survive, 5 are needed: the first replacement restores service at 4m.
  CHECK(*o.rto_s == doctest::Approx(240.0));
  CHECK(event_time(r, "replaced", "api").has_value());
  CHECK(o.met);
}

TEST_CASE("compute: enough instances in the other zones means no disruption") {
  const auto s = load_text(preamble("spare") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "api", "kind": "compute", "zones": ["r1-a", "r1-b", "r1-c"],
     "instances_per_zone": 2, "min_healthy": 4}
  ],
  "services": [{"name": "web", "depends": ["api"],
                "targets": {"zone": {"rto": "0s", "rpo": "0s"}}}],
  "disasters": [{"name": "zone-a", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "r1-a"}]}]
  })");
  const auto r = testing::run(s, "zone-a");
  const auto& o = outcome(r, "web");
  CHECK_FALSE(o.affected);
  CHECK(*o.rto_s == 0.0);
  CHECK(o.met);
}
