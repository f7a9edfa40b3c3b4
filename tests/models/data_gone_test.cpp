// A service is down while the data it needs is gone: a store it writes to (`data`) that was
// deleted, corrupted (once noticed) or destroyed, until the store is restored.
#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

// `api` does not depend on `db`: the service needs db's data only through `data`.
std::string store_scenario(const std::string& service_depends, const std::string& fault,
                           const std::string& trigger = "alert") {
  return preamble("gone") + R"(
  "credentials": [{"name": "prod"}, {"name": "backup"}],
  "components": [
    {"name": "oncall", "kind": "team", "response": "0s"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"]},
    {"name": "db", "kind": "database", "zones": ["r1-a"], "size": "10GB", "credentials": ["prod"],
     "restore_throughput": "100MB/s", "failover": "none",
     "snapshots": {"interval": "1h", "retention": "1d", "credentials": "backup"}}
  ],
  "services": [{"name": "shop", "depends": )" + service_depends + R"(, "writes": "1/s",
                "data": ["db"], "targets": {"default": {"rto": "4h", "rpo": "1h"}}}],
  "runbooks": [{"name": "restore", "team": "oncall", "trigger": ")" + trigger + R"(", "steps": [
     {"id": "restore", "duration": "0s", "action": {"restore": "db", "from": "snapshot"}}]}],
  "disasters": [{"name": "d", "class": "data", "runbooks": ["restore"],
                 "faults": [)" + fault + R"(]}]
  })";
}

constexpr double kRestore = 10e9 / 100e6;  // 10GB at 100MB/s

}  // namespace

TEST_CASE("data gone: a deleted store takes down the service writing to it until restored") {
  const auto r = testing::run(
      load_text(store_scenario(R"(["api"])", R"({"kind": "operator_deletion", "target": "db",
                                                  "detected_after": "10m"})")),
      "d");
  const auto& o = outcome(r, "shop");
  CHECK(o.affected);
  CHECK(event_time(r, "service-down", "shop") == 0.0);  // deletion: down at once
  REQUIRE(o.rto_s.has_value());
  // Noticed after 10 min, then the snapshot's 10GB moved at 100MB/s.
  CHECK(*o.rto_s == doctest::Approx(600.0 + kRestore).epsilon(0.001));
}

TEST_CASE("data gone: corrupt data is served until noticed, then down until restored") {
  const auto r = testing::run(
      load_text(store_scenario(R"(["db"])", R"({"kind": "data_corruption", "target": "db",
                                                 "detected_after": "10m"})")),
      "d");
  const auto& o = outcome(r, "shop");
  CHECK(event_time(r, "stopped-serving", "db") == 600.0);
  CHECK(event_time(r, "service-down", "shop") == 600.0);
  REQUIRE(o.rto_s.has_value());
  // RTO still counts from T0: the wrong answers before detection were part of the outage.
  CHECK(*o.rto_s == doctest::Approx(600.0 + kRestore).epsilon(0.001));
}

TEST_CASE("data gone: a store destroyed by a compromised credential takes the service down") {
  const auto r = testing::run(
      load_text(store_scenario(R"(["api"])",
                               R"({"kind": "credential_compromise", "target": "prod"})", "start")),
      "d");
  const auto& o = outcome(r, "shop");
  CHECK(o.affected);
  CHECK(event_time(r, "service-down", "shop") == 0.0);
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == doctest::Approx(kRestore).epsilon(0.001));
}
