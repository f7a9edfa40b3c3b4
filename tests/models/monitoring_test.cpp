#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::preamble;

namespace {

std::string monitored(const std::string& monitor_region) {
  return preamble("mon") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "10m"},
    {"name": "mon", "kind": "monitoring", "region": ")" + monitor_region + R"(", "pages": "oncall",
     "check_interval": "1m", "failures": 3, "alert_delay": "30s",
     "fallback_detection": "45m"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"], "autoscaling": false}
  ],
  "services": [{"name": "web", "depends": ["api"],
                "targets": {"default": {"rto": "1h", "rpo": "0s"}}}],
  "disasters": [{"name": "crash", "class": "component",
                 "faults": [{"kind": "component_crash", "target": "api", "duration": "3h"}]},
                {"name": "region", "class": "region",
                 "faults": [{"kind": "region_outage", "target": "r1", "duration": "3h"}]}]
  })";
}

}  // namespace

TEST_CASE("monitoring: alerts after (failures-1) to failures check intervals plus the delay") {
  const auto s = load_text(monitored("r2"));
  for (std::uint64_t trial = 0; trial < 8; ++trial) {
    const auto r = testing::run(s, "crash", trial);
    const auto alert = event_time(r, "alert", "api");
    const auto paged = event_time(r, "paged", "oncall");
    const auto responded = event_time(r, "responded", "oncall");
    REQUIRE(alert.has_value());
    CHECK(*alert >= 120.0 + 30.0 - 1e-9);
    CHECK(*alert < 180.0 + 30.0);
    REQUIRE(paged.has_value());
    CHECK(*paged == doctest::Approx(*alert));
    REQUIRE(responded.has_value());
    CHECK(*responded == doctest::Approx(*alert + 600.0));
  }
}

TEST_CASE("monitoring: when it fails with what it watches, people notice after the fallback") {
  const auto r = testing::run(load_text(monitored("r1")), "region");
  const auto alert = event_time(r, "alert", "api");
  REQUIRE(alert.has_value());
  CHECK(*alert == doctest::Approx(45 * 60.0));
}
