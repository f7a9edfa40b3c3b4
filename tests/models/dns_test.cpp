#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

std::string dns_scenario(bool health_checked) {
  return preamble("dns") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "5m"},
    {"name": "mon", "kind": "monitoring", "region": "r2", "pages": "oncall",
     "check_interval": "1m", "failures": 1, "alert_delay": "0s"},
    {"name": "site-1", "kind": "compute", "zones": ["r1-a"], "autoscaling": false},
    {"name": "site-2", "kind": "compute", "zones": ["r2-a"], "autoscaling": false},
    {"name": "dns", "kind": "dns", "region": "r2", "targets": ["site-1", "site-2"],
     "ttl": "60s", "health_checked": )" + std::string(health_checked ? "true" : "false") + R"(,
     "check_interval": "30s", "failure_threshold": 3}
  ],
  "services": [{"name": "web", "depends": ["dns"],
                "targets": {"region": {"rto": "5m", "rpo": "0s"}}}],
  "runbooks": [{"name": "switch", "team": "oncall", "steps": [
     {"id": "switch", "duration": "2m", "action": {"switch": "dns", "to": "site-2"}}]}],
  "disasters": [{"name": "r1-down", "class": "region", "runbooks": ["switch"],
                 "faults": [{"kind": "region_outage", "target": "r1"}]}]
  })";
}

}  // namespace

TEST_CASE("dns: a health-checked record fails over by itself, then clients wait the TTL") {
  const auto s = load_text(dns_scenario(true));
  for (std::uint64_t trial = 0; trial < 5; ++trial) {
    const auto r = testing::run(s, "r1-down", trial);
    const auto& o = outcome(r, "web");
    REQUIRE(o.rto_s.has_value());
    // Detected after 2 to 3 intervals of 30s, then 60s of TTL.
    CHECK(*o.rto_s >= 60.0 + 60.0 - 1e-9);
    CHECK(*o.rto_s < 90.0 + 60.0);
    CHECK(o.phases.propagate_s == doctest::Approx(60.0));
    CHECK(o.phases.dominant() != "respond");
  }
}

TEST_CASE("dns: a manual switch waits for monitoring, the on-call engineer and the TTL") {
  const auto s = load_text(dns_scenario(false));
  const auto r = testing::run(s, "r1-down");
  const auto& o = outcome(r, "web");
  REQUIRE(o.rto_s.has_value());
  const auto alert = event_time(r, "alert");
  REQUIRE(alert.has_value());
  CHECK(*alert <= 60.0);
  // alert + 5m response + 2m switch + 60s TTL
  CHECK(*o.rto_s == doctest::Approx(*alert + 300 + 120 + 60));
  CHECK(o.phases.respond_s == doctest::Approx(300.0));
  CHECK(o.phases.propagate_s == doctest::Approx(60.0));
  CHECK(o.phases.dominant() == "respond");
}

TEST_CASE("dns presets: Route 53 health checks switch 2 to 3 request intervals after the failure") {
  for (const auto& [preset, interval] : {std::pair{"route53", 30.0}, std::pair{"route53-fast", 10.0}}) {
    CAPTURE(preset);
    std::string text = dns_scenario(false);
    // The preset turns the health checks on and sets them: drop the written ones.
    const std::string written = R"("health_checked": false,
     "check_interval": "30s", "failure_threshold": 3)";
    const auto at = text.find(written);
    REQUIRE(at != std::string::npos);
    text.replace(at, written.size(), std::string(R"("preset": ")") + preset + "\"");
    const auto s = load_text(text);
    for (std::uint64_t trial = 0; trial < 6; ++trial) {
      const auto& o = outcome(testing::run(s, "r1-down", trial), "web");
      REQUIRE(o.rto_s.has_value());
      CHECK(*o.rto_s >= 2 * interval + 60.0 - 1e-9);  // then the 60 s TTL
      CHECK(*o.rto_s < 3 * interval + 60.0);
      CHECK(o.phases.dominant() != "respond");  // no one had to switch it
    }
  }
}
