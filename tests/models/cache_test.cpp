// cache: derived data (never lost writes) that serves only after a warm-up once back.
#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

std::string cache_scenario(const std::string& cache) {
  return preamble("cache") + R"(
  "components": [
    {"name": "app", "kind": "compute", "zones": ["r1-c"], "depends": ["redis"]},
    {"name": "redis", "kind": "cache", )" + cache + R"(}
  ],
  "services": [{"name": "shop", "depends": ["app"],
                "targets": {"zone": {"rto": "2h", "rpo": "0s"}}}],
  "disasters": [{"name": "zone-a", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "r1-a", "duration": "1h"}]}]
  })";
}

}  // namespace

TEST_CASE("cache: back with its zone, it serves after its warm-up") {
  const auto r = testing::run(
      load_text(cache_scenario(R"("zones": ["r1-a"], "replacement": false, "warm_up": "10m")")),
      "zone-a");
  const auto& o = outcome(r, "shop");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == 3600.0 + 600.0);  // the zone's hour, then 10 min of warm-up
  CHECK(event_time(r, "warm", "redis") == 4200.0);
  // The warm-up is a propagation delay after the provider's outage.
  CHECK(o.phases.outside_s == 3600.0);
  CHECK(o.phases.propagate_s == 600.0);
}

TEST_CASE("cache: a replacement node warms up before it serves") {
  const auto r = testing::run(
      load_text(cache_scenario(R"("zones": ["r1-a", "r1-b"], "min_healthy": 2,
                                  "replacement_time": "5m", "warm_up": "10m")")),
      "zone-a");
  const auto& o = outcome(r, "shop");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == 300.0 + 600.0);  // replaced in r1-b after 5 min, warm 10 min later
}

TEST_CASE("cache: not a data-holding component, so nothing written through it is lost") {
  const std::string text = preamble("cache") + R"(
  "components": [{"name": "redis", "kind": "cache", "zones": ["r1-a"]}],
  "services": [{"name": "s", "depends": ["redis"], "data": ["redis"], "writes": "1/s",
                "targets": {"default": {"rto": "1h", "rpo": "0s"}}}],
  "disasters": [{"name": "z", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "r1-a", "duration": "1h"}]}]
  })";
  const sim::Loaded loaded = sim::load_scenario_text(text, "test.json", testing::registry());
  CHECK_FALSE(loaded.scenario.has_value());
  CHECK(loaded.diagnostics.to_string().find("/services/0/data/0") != std::string::npos);
}

TEST_CASE("cache: after a crash (a flush) it comes back empty and warms up") {
  std::string text = cache_scenario(R"("zones": ["r1-a"], "replacement": false, "warm_up": "10m")");
  const std::string zone = R"({"kind": "zone_outage", "target": "r1-a", "duration": "1h"})";
  text.replace(text.find(zone), zone.size(),
               R"({"kind": "component_crash", "target": "redis", "duration": "20m"})");
  const auto r = testing::run(load_text(text), "zone-a");
  REQUIRE(outcome(r, "shop").rto_s.has_value());
  CHECK(*outcome(r, "shop").rto_s == 1200.0 + 600.0);
}
