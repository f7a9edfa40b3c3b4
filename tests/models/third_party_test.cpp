#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::load_text;
using firedrill::testing::outcome;

TEST_CASE("third party: work queues during the outage and drains after it") {
  const auto s = load_text(R"({"format": "firedrill.scenario/1", "name": "tp",
  "providers": [{"name": "aws", "regions": [{"name": "r1", "zones": ["r1-a"]}]},
                {"name": "payco", "kind": "saas"}],
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"]},
    {"name": "processor", "kind": "third_party", "provider": "payco"}
  ],
  "services": [
    {"name": "payments", "depends": ["api"], "writes": "10/s",
     "queued": [{"component": "processor", "drain_rate": "50/s"}],
     "targets": {"third_party": {"rto": "2h", "rpo": "0s"}}},
    {"name": "browse", "depends": ["api"], "targets": {"default": {"rto": "1m", "rpo": "0s"}}}
  ],
  "disasters": [{"name": "payco-down", "class": "third_party",
                 "faults": [{"kind": "third_party_outage", "target": "processor",
                             "duration": "1h"}]}]
  })");
  const auto r = testing::run(s, "payco-down");
  const auto& pay = outcome(r, "payments");
  REQUIRE(pay.rto_s.has_value());
  // 36000 queued payments drain at 50/s: 720 s after the processor returns.
  CHECK(*pay.rto_s == doctest::Approx(3600.0 + 720.0));
  CHECK(pay.phases.drain_s == doctest::Approx(720.0));
  CHECK(*pay.rpo_s == 0.0);
  CHECK(pay.met);
  const auto& browse = outcome(r, "browse");
  CHECK_FALSE(browse.affected);
  CHECK(*browse.rto_s == 0.0);
}
