// "Either of" dependencies: {"any_of": [a, b]} in a component's or a service's depends is
// satisfied while one of them serves.
#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

// Workers in r1-b that can use the queue in r1-a or the one in r2-a.
std::string workers_scenario(const std::string& service_depends, const std::string& faults) {
  return preamble("any-of") + R"(
  "components": [
    {"name": "queue-eu", "kind": "compute", "zones": ["r1-a"], "autoscaling": false},
    {"name": "queue-us", "kind": "compute", "zones": ["r2-a"], "autoscaling": false},
    {"name": "workers", "kind": "compute", "zones": ["r1-b"],
     "depends": [{"any_of": ["queue-eu", "queue-us"]}]}
  ],
  "services": [{"name": "jobs", "depends": )" + service_depends + R"(,
                "targets": {"default": {"rto": "1h", "rpo": "0s"}}}],
  "disasters": [{"name": "d", "class": "zone", "faults": [)" + faults + R"(]}]
  })";
}

const char* kZoneA = R"({"kind": "zone_outage", "target": "r1-a", "duration": "1h"})";
const char* kBoth = R"({"kind": "zone_outage", "target": "r1-a", "duration": "1h"},
                      {"kind": "zone_outage", "target": "r2-a", "duration": "2h"})";

std::string diagnostics(const std::string& text) {
  const sim::Loaded loaded = sim::load_scenario_text(text, "test.json", testing::registry());
  CHECK_FALSE(loaded.scenario.has_value());
  return loaded.diagnostics.to_string();
}

}  // namespace

TEST_CASE("any_of: a component serves while one of its either-of dependencies serves") {
  const auto one = testing::run(load_text(workers_scenario(R"(["workers"])", kZoneA)), "d");
  CHECK_FALSE(outcome(one, "jobs").affected);  // queue-us carries on
  CHECK(*outcome(one, "jobs").rto_s == 0.0);
  const auto both = testing::run(load_text(workers_scenario(R"(["workers"])", kBoth)), "d");
  REQUIRE(outcome(both, "jobs").rto_s.has_value());
  CHECK(*outcome(both, "jobs").rto_s == 3600.0);  // back with the first queue, r1-a's
}

TEST_CASE("any_of: in a service's depends") {
  const std::string deps = R"(["workers", {"any_of": ["queue-eu", "queue-us"]}])";
  const auto one = testing::run(load_text(workers_scenario(deps, kZoneA)), "d");
  CHECK_FALSE(outcome(one, "jobs").affected);
  const auto both = testing::run(load_text(workers_scenario(deps, kBoth)), "d");
  REQUIRE(outcome(both, "jobs").rto_s.has_value());
  CHECK(*outcome(both, "jobs").rto_s == 3600.0);
}

TEST_CASE("any_of: errors point at the entry") {
  std::string text = workers_scenario(R"(["workers"])", kZoneA);
  auto with = [&](const std::string& entry) {
    std::string t = text;
    const std::string from = R"([{"any_of": ["queue-eu", "queue-us"]}])";
    t.replace(t.find(from), from.size(), entry);
    return diagnostics(t);
  };
  CHECK(with(R"([{"any_of": ["queue-eu", "queue-uk"]}])")
            .find("/components/2/depends/0/any_of/1: expected the name of a component, found "
                  "\"queue-uk\"") != std::string::npos);
  CHECK(with(R"([{"any_of": ["queue-eu"]}])")
            .find("/components/2/depends/0/any_of: expected a list of at least two component "
                  "names") != std::string::npos);
  CHECK(with(R"([{"anyof": ["queue-eu", "queue-us"]}])").find("/components/2/depends/0/anyof") !=
        std::string::npos);
  // A cycle through an either-of member, reported at the entry.
  const std::string cycle = preamble("cycle") + R"(
  "components": [
    {"name": "workers", "kind": "compute", "zones": ["r1-b"],
     "depends": ["queue-us", {"any_of": ["queue-eu", "queue-us"]}]},
    {"name": "queue-eu", "kind": "compute", "zones": ["r1-a"], "depends": ["workers"]},
    {"name": "queue-us", "kind": "compute", "zones": ["r2-a"]}
  ],
  "services": [{"name": "jobs", "depends": ["workers"],
                "targets": {"default": {"rto": "1h", "rpo": "0s"}}}],
  "disasters": [{"name": "d", "class": "zone", "faults": [)" + std::string(kZoneA) + R"(]}]
  })";
  CHECK(diagnostics(cycle).find("/components/0/depends/1: expected no cycle in hard "
                                "dependencies, found workers -> queue-eu -> workers") !=
        std::string::npos);
}
