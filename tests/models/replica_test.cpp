// Replicas that were already broken before the disaster (`replication_stale`, `stale`) and data
// faults that replicas do or do not receive (`scope`), against closed forms.
#include "tests/models/harness.hpp"

#include <cmath>

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

// A database `db` (params given), 10 writes/s, a team paged by a monitor in r2 (which a
// region outage of r1 spares), a 2-day horizon (trials that never recover end early).
std::string scenario(const std::string& db_params, const std::string& disasters,
                     const std::string& runbooks = "[]") {
  return preamble("replicas") + R"(
  "horizon": "2d",
  "components": [
    {"name": "oncall", "kind": "team", "people": 1, "response": "10m"},
    {"name": "mon", "kind": "monitoring", "region": "r2", "pages": "oncall",
     "check_interval": "1m", "failures": 1, "alert_delay": "0s"},
    {"name": "db", "kind": "database", "size": "1GB", )" + db_params + R"(}
  ],
  "services": [{"name": "app", "depends": ["db"], "writes": "10/s", "data": ["db"],
                "targets": {"default": {"rto": "1h", "rpo": "1m"}}}],
  "runbooks": )" + runbooks + R"(,
  "disasters": )" + disasters + "}";
}

const char* kZoneOutage = R"([{"name": "zone", "class": "zone",
    "faults": [{"kind": "zone_outage", "target": "r1-a"}]}])";

// A deletion of db at T0, noticed after 30 min, and the runbook `rb`.
std::string deletion(const std::string& scope) {
  return R"([{"name": "delete", "class": "data", "runbooks": ["rb"],
    "faults": [{"kind": "operator_deletion", "target": "db", "detected_after": "30m")" +
         (scope.empty() ? std::string{} : R"(, "scope": ")" + scope + "\"") + "}]}]";
}

std::string runbook(const std::string& action) {
  return R"([{"name": "rb", "team": "oncall", "steps": [
    {"id": "recover", "duration": "5m", "action": )" + action + "}]}]";
}

// One trial of `disaster`: the service recovered its data with exactly `rpo` lost, from `from`.
void check_recovery(const sim::Scenario& s, const std::string& disaster, double rpo,
                    const std::string& from) {
  const auto r = testing::run(s, disaster);
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == rpo);
  CHECK(o.recovered_from == from);
}

std::string diagnostics(const std::string& text) {
  return sim::load_scenario_text(text, "a.json", testing::registry()).diagnostics.to_string();
}

}  // namespace

TEST_CASE("stale standby: an automatic failover to it succeeds and loses everything since") {
  // Synchronous standby whose replication stopped 2h before the zone outage: the failover
  // takes its usual 80-90 s, and the promoted standby lacks the 2 h before T0.
  const auto s = load_text(scenario(
      R"("zones": ["r1-a", "r1-b"], "replication": "sync", "failover_time": "60s",
         "replication_stale": {"probability": 1, "since": "2h"})",
      kZoneOutage));
  for (std::uint64_t trial = 0; trial < 4; ++trial) {
    const auto r = testing::run(s, "zone", trial);
    const auto& o = outcome(r, "app");
    REQUIRE(o.rto_s.has_value());
    CHECK(*o.rto_s >= 80.0);
    CHECK(*o.rto_s < 90.0);
    REQUIRE(o.rpo_s.has_value());
    CHECK(*o.rpo_s == 7200.0);
    CHECK(std::abs(*o.lost_writes - 72000.0) <= 1.0);
    CHECK(o.recovered_from == "db: standby@r1-b");
  }
}

TEST_CASE("stale standby: an asynchronous one also lacks its lag") {
  const auto s = load_text(scenario(
      R"("zones": ["r1-a", "r1-b"], "replication": "async", "replication_lag": "1s",
         "replication_stale": {"since": "2h"})",
      kZoneOutage));
  const auto r = testing::run(s, "zone");
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == 7201.0);
}

TEST_CASE("stale standby: probability 0 changes nothing, since drawn from its distribution") {
  const std::string zones = R"("zones": ["r1-a", "r1-b"], "replication": "sync", )";
  const auto never = load_text(scenario(
      zones + R"("replication_stale": {"probability": 0, "since": "2h"})", kZoneOutage));
  const auto ranged = load_text(scenario(
      zones + R"("replication_stale": {"since": {"uniform": ["1h", "3d"]}})", kZoneOutage));
  for (std::uint64_t trial = 0; trial < 8; ++trial) {
    const auto ra = testing::run(never, "zone", trial);
    const auto& a = outcome(ra, "app");
    REQUIRE(a.rpo_s.has_value());
    CHECK(*a.rpo_s == 0.0);
    const auto rb = testing::run(ranged, "zone", trial);
    const auto& b = outcome(rb, "app");
    REQUIRE(b.rpo_s.has_value());
    CHECK(*b.rpo_s >= 3600.0);
    CHECK(*b.rpo_s <= 3 * 86400.0);
  }
}

TEST_CASE("stale standby: with probability 0.5, about half the trials lose exactly 2 h") {
  const auto s = load_text(scenario(
      R"("zones": ["r1-a", "r1-b"], "replication": "sync",
         "replication_stale": {"probability": 0.5, "since": "2h"})",
      kZoneOutage));
  int stale = 0;
  for (std::uint64_t trial = 0; trial < 40; ++trial) {
    const auto r = testing::run(s, "zone", trial);
    const auto& o = outcome(r, "app");
    REQUIRE(o.rpo_s.has_value());
    CHECK((*o.rpo_s == 0.0 || *o.rpo_s == 7200.0));
    if (*o.rpo_s == 7200.0) ++stale;
  }
  // Binomial(40, 0.5): 20 +- 3.2; [10, 30] is over 3 standard deviations wide each way.
  CHECK(stale >= 10);
  CHECK(stale <= 30);
}

TEST_CASE("stale standby: a runbook failover promotes the fresher read replica instead") {
  // The standby stopped 2h before T0; the read replica in r1-c lags 1 s: promoting the
  // freshest copy loses 1 s.
  const auto s = load_text(scenario(
      R"("zones": ["r1-a", "r1-b"], "replication": "sync", "failover": "none",
         "replication_stale": {"since": "2h"},
         "replicas": [{"zone": "r1-c", "mode": "async", "lag": "1s"}])",
      R"([{"name": "zone", "class": "zone", "runbooks": ["rb"],
           "faults": [{"kind": "zone_outage", "target": "r1-a"}]}])",
      runbook(R"({"failover": "db"})")));
  check_recovery(s, "zone", 1.0, "db: replica@r1-c");
}

TEST_CASE("stale read replica: promoting it after a region outage loses since + lag") {
  const auto s = load_text(scenario(
      R"("zones": ["r1-a"], "failover": "none",
         "replicas": [{"zone": "r2-a", "mode": "async", "lag": "1s",
                       "stale": {"probability": 1, "since": "30m"}}])",
      R"([{"name": "region", "class": "region", "runbooks": ["rb"],
           "faults": [{"kind": "region_outage", "target": "r1"}]}])",
      runbook(R"({"failover": "db"})")));
  check_recovery(s, "region", 1801.0, "db: replica@r2-a");
}

TEST_CASE("stale bucket replication: the destination lacks everything since it stopped") {
  const auto s = load_text(preamble("bucket") + R"(
  "horizon": "2d",
  "components": [
    {"name": "oncall", "kind": "team", "people": 1, "response": "10m"},
    {"name": "mon", "kind": "monitoring", "region": "r2", "pages": "oncall",
     "check_interval": "1m", "failures": 1, "alert_delay": "0s"},
    {"name": "b", "kind": "object_store", "region": "r1", "size": "1GB",
     "replication": {"to": "r2", "lag": "1s", "stale": {"since": "1h"}}}],
  "services": [{"name": "app", "depends": ["b"], "writes": "10/s", "data": ["b"],
                "targets": {"default": {"rto": "1h", "rpo": "1m"}}}],
  "runbooks": [{"name": "rb", "team": "oncall", "steps": [
    {"id": "promote", "duration": "5m", "action": {"failover": "b"}}]}],
  "disasters": [{"name": "region", "class": "region", "runbooks": ["rb"],
                 "faults": [{"kind": "region_outage", "target": "r1"}]}]})");
  check_recovery(s, "region", 3601.0, "b: replica@r2");
}

TEST_CASE("filesystem deletion: a failover to the standby loses exactly its lag") {
  const auto s = load_text(scenario(R"("zones": ["r1-a", "r1-b"], "replication": "async",
                                       "replication_lag": "1s")",
                                    deletion("filesystem"), runbook(R"({"failover": "db"})")));
  const auto r = testing::run(s, "delete");
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == 1.0);
  CHECK(std::abs(*o.lost_writes - 10.0) <= 1.0);
  CHECK(o.recovered_from == "db: standby@r1-b");
  // Noticed after 30 min, 10 min response, 5 min of work; then the promotion is instant.
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == doctest::Approx(1800.0 + 600.0 + 300.0));
}

TEST_CASE("filesystem deletion: a restore from the replica loses exactly its lag") {
  // 1 GB at the default 100 MB/s: 10 s of transfer over the zones' link or faster.
  const auto s = load_text(scenario(
      R"("zones": ["r1-a", "r1-b"], "replication": "async", "replication_lag": "1s",
         "failover": "manual")",
      deletion("filesystem"), runbook(R"({"restore": "db", "from": "replica"})")));
  const auto r = testing::run(s, "delete");
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == 1.0);
  CHECK(o.recovered_from == "db: standby@r1-b");
  const auto start = event_time(r, "restore-start", "db");
  REQUIRE(start.has_value());
  CHECK(*start == doctest::Approx(1800.0 + 600.0 + 300.0));
}

TEST_CASE("deletion with a stale standby: the GitLab.com 2017 case, whatever the scope") {
  // db1's data directory wiped; db2's replication had stopped 2h before: failing over to it
  // loses those 2 h (+ its 1 s lag). A logical DELETE at T0 never reached it either.
  for (const char* scope : {"filesystem", "logical"}) {
    CAPTURE(scope);
    const auto s = load_text(scenario(R"("zones": ["r1-a", "r1-b"], "replication": "async",
                                         "replication_lag": "1s",
                                         "replication_stale": {"since": "2h"})",
                                      deletion(scope), runbook(R"({"failover": "db"})")));
    check_recovery(s, "delete", 7201.0, "db: standby@r1-b");
  }
}

TEST_CASE("logical deletion: replicated to the standby, which cannot serve a recovery") {
  const auto s = load_text(scenario(R"("zones": ["r1-a", "r1-b"], "replication": "async",
                                       "replication_lag": "1s")",
                                    deletion("logical"),
                                    runbook(R"({"restore": "db", "from": "replica"})")));
  const auto r = testing::run(s, "delete");
  const auto& o = outcome(r, "app");
  CHECK_FALSE(o.rto_s.has_value());
  CHECK_FALSE(o.rpo_s.has_value());
  CHECK(event_time(r, "restore-blocked", "db").has_value());
  CHECK_FALSE(event_time(r, "restore-start", "db").has_value());
}

TEST_CASE("filesystem corruption: the standby kept receiving the writes, a failover loses its lag") {
  // The primary keeps acknowledging writes on its corrupted disk; the standby has them up to
  // its lag: 1 s of writes lost at the promotion, none from before T0.
  const auto s = load_text(scenario(
      R"("zones": ["r1-a", "r1-b"], "replication": "async", "replication_lag": "1s")",
      R"([{"name": "corrupt", "class": "data", "runbooks": ["rb"],
           "faults": [{"kind": "data_corruption", "target": "db", "detected_after": "30m",
                       "scope": "filesystem"}]}])",
      runbook(R"({"failover": "db"})")));
  const auto r = testing::run(s, "corrupt");
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == 0.0);
  CHECK(std::abs(*o.lost_writes - 10.0) <= 1.0);
  CHECK(o.recovered_from == "db: standby@r1-b");
}

TEST_CASE("scope and stale: bad input is refused where it was written") {
  const std::string db = R"("zones": ["r1-a", "r1-b"])";
  CHECK(diagnostics(scenario(db, deletion("filesytem")))
            .find("/disasters/0/faults/0/scope: expected one of \"logical\", \"filesystem\"") !=
        std::string::npos);
  CHECK(diagnostics(scenario(db, deletion("filesytem"))).find("did you mean \"filesystem\"?") !=
        std::string::npos);
  const std::string zone_scope = R"([{"name": "zone", "class": "zone",
      "faults": [{"kind": "zone_outage", "target": "r1-a", "scope": "filesystem"}]}])";
  CHECK(diagnostics(scenario(db, zone_scope))
            .find("/disasters/0/faults/0/scope: expected no scope for a zone_outage fault") !=
        std::string::npos);
  const std::string p = diagnostics(
      scenario(db + R"(, "replication_stale": {"probability": 1.5, "since": "1h"})", kZoneOutage));
  CHECK(p.find("/components/2/replication_stale/probability") != std::string::npos);
  const std::string since =
      diagnostics(scenario(db + R"(, "replication_stale": {"probability": 0.5})", kZoneOutage));
  CHECK(since.find("/components/2/replication_stale/since") != std::string::npos);
}
