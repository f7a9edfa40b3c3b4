#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

std::string queue_scenario(const std::string& params) {
  return preamble("queue") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "jobs", "kind": "queue", "zones": ["r1-a", "r1-b"], )" + params + R"(}
  ],
  "services": [{"name": "ingest", "depends": ["jobs"], "writes": "100/s", "data": ["jobs"],
                "targets": {"zone": {"rto": "1m", "rpo": "0s"}}}],
  "disasters": [{"name": "zone-a", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "r1-a", "duration": "1h"}]}]
  })";
}

}  // namespace

TEST_CASE("queue: a replicated queue fails over to its synchronous replica, losing nothing") {
  const auto r = testing::run(load_text(queue_scenario(R"("replicated": true)")), "zone-a");
  const auto& o = outcome(r, "ingest");
  REQUIRE(o.rto_s.has_value());
  // Checked every 5s, 2 failures, 5s to switch: back within [10s, 15s).
  CHECK(*o.rto_s >= 10.0 - 1e-9);
  CHECK(*o.rto_s < 15.0);
  CHECK(*o.rpo_s == 0.0);
  CHECK(*o.lost_writes == 0.0);
  CHECK(o.met);
}

TEST_CASE("queue: an unreplicated queue waits for its zone; durable messages survive") {
  const auto r = testing::run(load_text(queue_scenario(R"("replicated": false)")), "zone-a");
  const auto& o = outcome(r, "ingest");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == doctest::Approx(3600.0));
  CHECK(*o.lost_writes == 0.0);
}

TEST_CASE("queue: a non-durable queue loses what it held when it restarts") {
  const auto r = testing::run(
      load_text(queue_scenario(R"("replicated": false, "durable": false, "message_age": "30s")")),
      "zone-a");
  const auto& o = outcome(r, "ingest");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == doctest::Approx(30.0));
  CHECK(*o.lost_writes == doctest::Approx(3000.0).epsilon(0.001));
  CHECK_FALSE(o.met);
}
