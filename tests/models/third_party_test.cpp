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
  // 36000 queued payments; the processor takes 50/s while 10/s keep arriving: the backlog
  // shrinks by 40/s and is gone 900 s after the processor returns.
  CHECK(*pay.rto_s == doctest::Approx(3600.0 + 900.0));
  CHECK(pay.phases.drain_s == doctest::Approx(900.0));
  CHECK(*pay.rpo_s == 0.0);
  CHECK(pay.met);
  const auto& browse = outcome(r, "browse");
  CHECK_FALSE(browse.affected);
  CHECK(*browse.rto_s == 0.0);
}

TEST_CASE("third party: a consumer no faster than the arrivals never drains the backlog") {
  const std::string text = R"({"format": "firedrill.scenario/1", "name": "tp",
  "providers": [{"name": "aws", "regions": [{"name": "r1", "zones": ["r1-a"]}]},
                {"name": "payco", "kind": "saas"}],
  "components": [
    {"name": "api", "kind": "compute", "zones": ["r1-a"]},
    {"name": "processor", "kind": "third_party", "provider": "payco"}
  ],
  "services": [
    {"name": "payments", "depends": ["api"], "writes": "10/s",
     "queued": [{"component": "processor", "drain_rate": "RATE"}],
     "targets": {"third_party": {"rto": "2h", "rpo": "0s"}}}
  ],
  "disasters": [{"name": "payco-down", "class": "third_party",
                 "faults": [{"kind": "third_party_outage", "target": "processor",
                             "duration": "10m"}]}]
  })";
  for (const std::string rate : {"10/s", "5/s"}) {
    CAPTURE(rate);
    std::string t = text;
    t.replace(t.find("RATE"), 4, rate);
    const auto r = testing::run(load_text(t), "payco-down");
    const auto& pay = outcome(r, "payments");
    CHECK(pay.affected);
    CHECK_FALSE(pay.rto_s.has_value());
    CHECK_FALSE(pay.met);
    CHECK(r.horizon_reached);
  }
  // Just faster than the arrivals: 6000 queued, shrinking by 1/s.
  std::string t = text;
  t.replace(t.find("RATE"), 4, "11/s");
  const auto& pay = outcome(testing::run(load_text(t), "payco-down"), "payments");
  REQUIRE(pay.rto_s.has_value());
  CHECK(*pay.rto_s == doctest::Approx(600.0 + 6000.0));
}
