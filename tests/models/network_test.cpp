#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

std::string split_scenario(const std::string& fault) {
  return preamble("net") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "db", "kind": "database", "zones": ["r1-b"], "size": "10GB",
     "restore_throughput": "10GB/s", "failover": "none"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"], "depends": ["db"],
     "autoscaling": false}
  ],
  "services": [{"name": "web", "depends": ["api"],
                "targets": {"network": {"rto": "5m", "rpo": "0s"}}}],
  "disasters": [{"name": "split", "class": "network", "faults": [)" + fault + R"(]}]
  })";
}

}  // namespace

TEST_CASE("network: a partition between two zones cuts the service path while it lasts") {
  const auto r = testing::run(load_text(split_scenario(
      R"({"kind": "network_partition", "target": "r1-a", "peer": "r1-b", "duration": "10m"})")),
                              "split");
  const auto& o = outcome(r, "web");
  CHECK(o.affected);
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == doctest::Approx(600.0));
  CHECK_FALSE(o.met);
}

TEST_CASE("network: a partition elsewhere does not touch the service") {
  const auto r = testing::run(load_text(split_scenario(
      R"({"kind": "network_partition", "target": "r1-c", "peer": "r1-b", "duration": "10m"})")),
                              "split");
  CHECK_FALSE(outcome(r, "web").affected);
}

TEST_CASE("network: a degraded inter-region link slows a restore across it") {
  // 10GB restored from r2 into r1 over the inter-region link (625MB/s by default): 16 s;
  // at a tenth of the bandwidth, 160 s.
  auto text = [](const std::string& degrade) {
    return preamble("slow") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "0s"},
    {"name": "db", "kind": "database", "zones": ["r1-a"], "size": "10GB",
     "restore_throughput": "10GB/s", "failover": "none",
     "snapshots": {"interval": "1h", "retention": "1d", "locations": ["r2"], "copy_size": "1MB"}}
  ],
  "services": [{"name": "app", "depends": ["db"], "data": ["db"],
                "targets": {"data": {"rto": "1h", "rpo": "1h"}}}],
  "runbooks": [{"name": "restore", "team": "oncall", "steps": [
     {"id": "restore", "duration": "0s", "action": {"restore": "db", "from": "snapshot"}}]}],
  "disasters": [{"name": "corrupt", "class": "data", "runbooks": ["restore"],
                 "faults": [{"kind": "data_corruption", "target": "db", "detected_after": "0s"})" +
           degrade + R"(]}]
  })";
  };
  auto transfer = [](const sim::TrialResult& r) {
    return *event_time(r, "restored", "db") - *event_time(r, "restore-start", "db");
  };
  const double fast = transfer(testing::run(load_text(text("")), "corrupt"));
  const double slow = transfer(testing::run(
      load_text(text(R"(, {"kind": "network_degradation", "target": "r1", "peer": "r2",
                         "bandwidth_factor": 0.1})")),
      "corrupt"));
  CHECK(fast == doctest::Approx(16.0).epsilon(0.02));
  CHECK(slow == doctest::Approx(160.0).epsilon(0.02));
}
