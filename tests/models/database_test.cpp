#include "tests/models/harness.hpp"

#include <cmath>

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

std::string db_scenario(const std::string& db_params, const std::string& disasters,
                        const std::string& runbooks = "[]") {
  return preamble("db") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "people": 1, "response": "10m"},
    {"name": "mon", "kind": "monitoring", "region": "r1", "pages": "oncall",
     "check_interval": "1m", "failures": 1, "alert_delay": "0s"},
    {"name": "db", "kind": "database", )" + db_params + R"(}
  ],
  "services": [{"name": "app", "depends": ["db"], "writes": "10/s", "data": ["db"],
                "targets": {"default": {"rto": "1h", "rpo": "1m"}}}],
  "runbooks": )" + runbooks + R"(,
  "disasters": )" + disasters + "}";
}

}  // namespace

TEST_CASE("database: synchronous standby, automatic failover: no write lost") {
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a", "r1-b"], "replication": "sync", "check_interval": "10s",
         "check_failures": 3, "failover_time": "60s")",
      R"([{"name": "crash", "class": "component",
           "faults": [{"kind": "component_crash", "target": "db"}]}])"));
  for (std::uint64_t trial = 0; trial < 5; ++trial) {
    const auto r = testing::run(s, "crash", trial);
    const auto& o = outcome(r, "app");
    REQUIRE(o.rto_s.has_value());
    // Detection after 2 to 3 check intervals, then 60s of promotion.
    CHECK(*o.rto_s >= 80.0 - 1e-9);
    CHECK(*o.rto_s < 90.0);
    CHECK(*o.rpo_s == 0.0);
    CHECK(*o.lost_writes == 0.0);
    CHECK(o.recovered_from == "db: standby@r1-b");
  }
}

TEST_CASE("database: asynchronous standby loses the writes inside its lag") {
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a", "r1-b"], "replication": "async", "replication_lag": "2s",
         "failover_time": "60s")",
      R"([{"name": "crash", "class": "component",
           "faults": [{"kind": "component_crash", "target": "db"}]}])"));
  const auto r = testing::run(s, "crash");
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == doctest::Approx(2.0));
  CHECK(*o.lost_writes == doctest::Approx(20.0).epsilon(0.06));  // 10/s for 2s, +-1
}

TEST_CASE("database: snapshot-only restore loses the writes since the last snapshot") {
  // 36 GB at 10 MB/s: the transfer alone takes 3600 s.
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a"], "size": "36GB", "restore_throughput": "10MB/s",
         "failover": "none", "snapshots": {"interval": "24h", "retention": "7d"})",
      R"([{"name": "corrupt", "class": "data", "runbooks": ["restore"],
           "faults": [{"kind": "data_corruption", "target": "db", "detected_after": "1h"}]}])",
      R"([{"name": "restore", "team": "oncall", "steps": [
           {"id": "restore", "duration": "5m", "action": {"restore": "db", "from": "snapshot"}}]}])"));
  for (std::uint64_t trial = 0; trial < 6; ++trial) {
    const auto r = testing::run(s, "corrupt", trial);
    const auto& o = outcome(r, "app");
    REQUIRE(o.rpo_s.has_value());
    CHECK(*o.rpo_s >= 0.0);
    CHECK(*o.rpo_s < 86400.0);
    const auto start = event_time(r, "restore-start", "db");
    const auto done = event_time(r, "restored", "db");
    REQUIRE(start.has_value());
    REQUIRE(done.has_value());
    // Noticed after 1h, 10 min response, 5 min of work, then the transfer.
    CHECK(*start == doctest::Approx(3600.0 + 600.0 + 300.0));
    CHECK(*done - *start == doctest::Approx(3600.0).epsilon(0.001));
    // Lost: every write from the snapshot to the restore start (the app kept writing).
    const double expected = 10.0 * (*o.rpo_s + *start);
    CHECK(std::abs(*o.lost_writes - expected) <= 1.0);
    CHECK(*o.rto_s == doctest::Approx(*done));
    CHECK_FALSE(o.met);
  }
}

TEST_CASE("database: a restore step whose duration includes the transfer lasts max(both)") {
  // As above: noticed at 1h, 10 min response, so the step starts at 4200 s; the transfer of
  // 36 GB at 10 MB/s takes 3600 s.
  auto scenario = [](const std::string& step) {
    return db_scenario(
        R"("zones": ["r1-a"], "size": "36GB", "restore_throughput": "10MB/s",
           "failover": "none", "snapshots": {"interval": "24h", "retention": "7d"})",
        R"([{"name": "corrupt", "class": "data", "runbooks": ["restore"],
             "faults": [{"kind": "data_corruption", "target": "db", "detected_after": "1h"}]}])",
        R"([{"name": "restore", "team": "oncall", "steps": [{"id": "restore", )" + step +
            R"(, "action": {"restore": "db", "from": "snapshot"}}]}])");
  };
  struct Case {
    std::string step;
    double restored;  // since T0
  };
  const Case cases[] = {
      // The duration before the transfer (the default): 4200 + 2h + 3600.
      {R"("duration": "2h")", 4200.0 + 7200.0 + 3600.0},
      {R"("duration": "2h", "duration_includes_transfer": false)", 4200.0 + 7200.0 + 3600.0},
      // The whole restore declared as 2 h: the transfer is within it.
      {R"("duration": "2h", "duration_includes_transfer": true)", 4200.0 + 7200.0},
      // Declared shorter than the transfer: the transfer's 3600 s.
      {R"("duration": "5m", "duration_includes_transfer": true)", 4200.0 + 3600.0},
  };
  for (const Case& c : cases) {
    INFO(c.step);
    const auto s = load_text(scenario(c.step));
    const auto r = testing::run(s, "corrupt");
    const auto start = event_time(r, "restore-start", "db");
    const auto done = event_time(r, "restored", "db");
    const auto step_done = event_time(r, "step-done", "restore/restore");
    REQUIRE(start.has_value());
    REQUIRE(done.has_value());
    REQUIRE(step_done.has_value());
    const bool includes = c.step.find("true") != std::string::npos;
    CHECK(*start == doctest::Approx(includes ? 4200.0 : 4200.0 + 7200.0));
    CHECK(*done == doctest::Approx(c.restored).epsilon(1e-6));
    CHECK(*step_done == doctest::Approx(c.restored).epsilon(1e-6));
    const auto& o = outcome(r, "app");
    REQUIRE(o.rto_s.has_value());
    CHECK(*o.rto_s == doctest::Approx(c.restored).epsilon(1e-6));
    // Lost: every write from the snapshot to the restore start.
    CHECK(std::abs(*o.lost_writes - 10.0 * (*o.rpo_s + *start)) <= 1.0);
  }
}

TEST_CASE("database: duration_includes_transfer only on a step that moves data") {
  const std::string text = db_scenario(
      R"("zones": ["r1-a"])",
      R"([{"name": "crash", "class": "component", "runbooks": ["rb"],
           "faults": [{"kind": "component_crash", "target": "db"}]}])",
      R"([{"name": "rb", "team": "oncall", "steps": [
           {"id": "a", "duration": "5m", "duration_includes_transfer": true,
            "action": {"failover": "db"}},
           {"id": "b", "duration": "5m", "duration_includes_transfer": true},
           {"id": "c", "duration": "5m", "duration_includes_transfer": true,
            "action": {"restore": "db"}},
           {"id": "d", "duration": "5m", "duration_includes_transfer": true,
            "action": {"rebuild": "db", "to": ["r1-b"]}}]}])");
  const sim::Loaded loaded = sim::load_scenario_text(text, "a.json", testing::registry());
  const std::string d = loaded.diagnostics.to_string();
  CHECK(d.find("/runbooks/0/steps/0/duration_includes_transfer: expected a step that moves data "
               "(restore, or rebuild of a component that holds data), found action \"failover\" "
               "on \"db\" (only a data transfer can happen within the step's duration)") !=
        std::string::npos);
  CHECK(d.find("/runbooks/0/steps/1/duration_includes_transfer: expected a step that moves data "
               "(restore, or rebuild of a component that holds data), found a step without an "
               "action") != std::string::npos);
  CHECK(d.find("/steps/2/") == std::string::npos);
  CHECK(d.find("/steps/3/") == std::string::npos);
  // Not a boolean: an error of its own (the checks above need a scenario that reads).
  std::string bad = text;
  bad.replace(bad.find("true,\n            \"action\": {\"restore\""), 4, "\"yes\"");
  const std::string b =
      sim::load_scenario_text(bad, "a.json", testing::registry()).diagnostics.to_string();
  CHECK(b.find("/runbooks/0/steps/2/duration_includes_transfer: expected") != std::string::npos);
}

TEST_CASE("database: point-in-time restore stops just before the corruption") {
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a"], "size": "1GB", "failover": "none",
         "snapshots": {"interval": "24h", "retention": "7d"},
         "log_shipping": {"interval": "5m", "retention": "7d"})",
      R"([{"name": "corrupt", "class": "data", "runbooks": ["restore"],
           "faults": [{"kind": "data_corruption", "target": "db", "detected_after": "30m"}]}])",
      R"([{"name": "restore", "team": "oncall", "steps": [
           {"id": "restore", "duration": "5m", "action": {"restore": "db", "from": "pitr"}}]}])"));
  const auto r = testing::run(s, "corrupt");
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  // The oldest missing write is just after the corruption: RPO ~ 0, but every write
  // acknowledged between the corruption and the restore is lost.
  CHECK(*o.rpo_s < 1e-6);
  const auto start = event_time(r, "restore-start", "db");
  REQUIRE(start.has_value());
  CHECK(std::abs(*o.lost_writes - 10.0 * *start) <= 1.0);
}

TEST_CASE("database: snapshots kept only in the failed region cannot be restored elsewhere") {
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a", "r1-b"], "size": "1GB",
         "snapshots": {"interval": "24h", "retention": "3d"})",
      R"([{"name": "region", "class": "region", "runbooks": ["rebuild"],
           "faults": [{"kind": "region_outage", "target": "r1", "duration": "6h"}]}])",
      R"([{"name": "rebuild", "team": "oncall", "steps": [
           {"id": "restore", "duration": "30m",
            "action": {"restore": "db", "to": "r2-a", "from": "snapshot"}}]}])"));
  const auto r = testing::run(s, "region");
  const auto& o = outcome(r, "app");
  CHECK(event_time(r, "restore-blocked", "db").has_value());
  REQUIRE(o.rto_s.has_value());
  // The region (and the primary with its data) comes back first.
  CHECK(*o.rto_s >= 6 * 3600.0);
  CHECK(*o.rpo_s == 0.0);
}

TEST_CASE("database: a snapshot copy in another region survives a region outage") {
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a", "r1-b"], "size": "1GB", "restore_throughput": "100MB/s",
         "snapshots": {"interval": "24h", "retention": "3d", "locations": ["r2"]})",
      R"([{"name": "region", "class": "region", "runbooks": ["rebuild"],
           "faults": [{"kind": "region_outage", "target": "r1"}]}])",
      R"([{"name": "rebuild", "team": "oncall", "steps": [
           {"id": "restore", "duration": "30m",
            "action": {"restore": "db", "to": "r2-a", "from": "snapshot"}}]}])"));
  const auto r = testing::run(s, "region");
  const auto& o = outcome(r, "app");
  REQUIRE(o.rto_s.has_value());
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s < 86400.0);
  CHECK(o.recovered_from == "db: snapshots@r2");
  // Monitoring is in the failed region: noticed by the fallback (15m-1h), 10m response,
  // 30m of work, 10 s of transfer.
  CHECK(*o.rto_s > 15 * 60 + 10 * 60 + 30 * 60);
  CHECK(*o.rto_s < 60 * 60 + 10 * 60 + 30 * 60 + 11);
}

TEST_CASE("database: a credential compromise spares only backups under other credentials") {
  const std::string base = R"("zones": ["r1-a", "r1-b"], "size": "1GB", "credentials": ["prod"],
         "snapshots": {"interval": "24h", "retention": "7d", "locations": ["r2"],
                       "credentials": )";
  const std::string rest = R"([{"name": "attack", "class": "data", "runbooks": ["restore"],
           "faults": [{"kind": "credential_compromise", "target": "prod"}]}])";
  const std::string rb = R"([{"name": "restore", "team": "oncall", "steps": [
           {"id": "restore", "duration": "1h", "action": {"restore": "db", "to": "r2-a"}}]}])";
  auto with_creds = [&](const std::string& cred) {
    auto text = db_scenario(base + "\"" + cred + "\"}", rest, rb);
    text.insert(text.find("\"components\""),
                R"("credentials": [{"name": "prod"}, {"name": "backup"}], )");
    return load_text(text);
  };
  const auto separate = testing::run(with_creds("backup"), "attack");
  CHECK(outcome(separate, "app").rto_s.has_value());
  CHECK(outcome(separate, "app").rpo_s.has_value());
  const auto shared = testing::run(with_creds("prod"), "attack");
  CHECK_FALSE(outcome(shared, "app").rto_s.has_value());  // nothing left to restore
  CHECK_FALSE(outcome(shared, "app").rpo_s.has_value());
  CHECK(event_time(shared, "restore-blocked", "db").has_value());
}

TEST_CASE("database: a promoted standby behind a load balancer rejoins after its rise checks") {
  const auto s = load_text(preamble("db-lb") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "db", "kind": "database", "zones": ["r1-a", "r1-b"], "replication": "sync",
     "check_interval": "10s", "check_failures": 3, "failover_time": "30s"},
    {"name": "proxy", "kind": "load_balancer", "region": "r1", "targets": ["db"],
     "check_interval": "2s", "rise": 2, "fall": 3}
  ],
  "services": [{"name": "app", "depends": ["proxy"], "writes": "1/s", "data": ["db"],
                "targets": {"default": {"rto": "2m", "rpo": "0s"}}}],
  "disasters": [{"name": "crash", "class": "component",
                 "faults": [{"kind": "component_crash", "target": "db"}]}]
  })");
  const auto r = testing::run(s, "crash");
  const auto& o = outcome(r, "app");
  REQUIRE(o.rto_s.has_value());
  const auto promoted = event_time(r, "failover", "db");
  REQUIRE(promoted.has_value());
  // Back 2 to 4 seconds (rise 2 at inter 2s) after the promotion.
  CHECK(*o.rto_s >= *promoted + 2.0 - 1e-9);
  CHECK(*o.rto_s < *promoted + 4.0);
  CHECK(o.met);
}

TEST_CASE("database: a snapshot copy still in transit when the region fails does not count") {
  // Hourly snapshots copied to r2: 1125GB at the inter-region 625MB/s take 30 minutes (the
  // database's own throughput is higher, so the inter-region link is the bottleneck).
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a"], "size": "10GB", "failover": "none", "restore_throughput": "10GB/s",
         "snapshots": {"interval": "1h", "retention": "1d", "locations": ["r2"],
                       "copy_size": "1125GB"})",
      R"([{"name": "region", "class": "region", "runbooks": ["rebuild"],
           "faults": [{"kind": "region_outage", "target": "r1"}]}])",
      R"([{"name": "rebuild", "team": "oncall", "steps": [
           {"id": "restore", "duration": "30m",
            "action": {"restore": "db", "to": "r2-a", "from": "snapshot"}}]}])"));
  int cut = 0, arrived = 0;
  for (std::uint64_t trial = 0; trial < 12; ++trial) {
    const auto r = testing::run(s, "region", trial);
    const auto& o = outcome(r, "app");
    REQUIRE(o.rpo_s.has_value());
    // The newest snapshot that arrived is at least 30 minutes old at T0.
    CHECK(*o.rpo_s >= 1800.0);
    CHECK(*o.rpo_s < 5400.0 + 1.0);
    if (event_time(r, "copy-failed", "db").has_value()) {
      ++cut;
      CHECK(*o.rpo_s >= 3600.0);  // the one before it
    } else {
      ++arrived;
      CHECK(*o.rpo_s < 3600.0 + 1.0);
    }
  }
  CHECK(cut > 0);
  CHECK(arrived > 0);
}

TEST_CASE("database: snapshot jobs towards a failed region lose their runs, and nothing crashes") {
  // Snapshots copied to r2 and kept in r1; r2 fails, then r1: the jobs to r2 find it off.
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a"], "size": "1GB", "failover": "none",
         "snapshots": {"interval": "1h", "retention": "1d", "locations": ["r1", "r2"]})",
      R"([{"name": "both", "class": "region", "runbooks": ["rebuild"],
           "faults": [{"kind": "region_outage", "target": "r2", "duration": "3h"},
                      {"kind": "region_outage", "target": "r1", "at": "2h"}]}])",
      R"([{"name": "rebuild", "team": "oncall", "steps": [
           {"id": "restore", "duration": "10m",
            "action": {"restore": "db", "to": "r2-a", "from": "snapshot"}}]}])"));
  const auto r = testing::run(s, "both");
  CHECK(event_time(r, "copy-failed", "db").has_value());
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  // r2's newest snapshot predates its own outage (T0): RPO under an hour, and every write
  // acknowledged until r1 failed two hours later is lost too.
  CHECK(*o.rpo_s < 3600.0 + 1.0);
  CHECK(*o.lost_writes >= 10.0 * (2 * 3600.0 + *o.rpo_s) - 1.0);
}

// ---- presets: vendors' end-to-end failover figures -------------------------------------------

namespace {

// From the primary's crash (T0) to the standby's promotion, over `trials` trials: {min, max}.
std::pair<double, double> failover_span(const std::string& db_params, int trials = 40) {
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a", "r1-b"], )" + db_params,
      R"([{"name": "crash", "class": "component",
           "faults": [{"kind": "component_crash", "target": "db"}]}])"));
  double lo = 1e300, hi = -1e300;
  for (int trial = 0; trial < trials; ++trial) {
    const auto r = testing::run(s, "crash", static_cast<std::uint64_t>(trial));
    const auto t = event_time(r, "failover", "db");
    REQUIRE(t.has_value());
    const auto& o = outcome(r, "app");
    REQUIRE(o.rto_s.has_value());
    CHECK(*o.rto_s == doctest::Approx(*t));  // the service is back when the standby is
    CHECK(*o.lost_writes == 0.0);
    lo = std::min(lo, *t);
    hi = std::max(hi, *t);
  }
  return {lo, hi};
}

const sim::Component& component(const sim::Scenario& s, const std::string& name) {
  const sim::Component* c = s.component(name);
  REQUIRE(c != nullptr);
  return *c;
}

const sim::Value& value(const sim::Params& p, const std::string& name) {
  const auto it = p.values.find(name);
  REQUIRE(it != p.values.end());
  return it->second;
}

std::string load_errors(const std::string& text) {
  const sim::Loaded loaded = sim::load_scenario_text(text, "test.json", testing::registry());
  CHECK_FALSE(loaded.scenario.has_value());
  return loaded.diagnostics.to_string();
}

}  // namespace

TEST_CASE("database presets: the end-to-end failover falls within the vendor's figure") {
  struct Case {
    std::string preset;
    double lo, hi;  // the published interval, from the primary's failure to the standby serving
  };
  // RDS Multi-AZ instance typically 60-120 s; Multi-AZ DB cluster under 35 s; Aurora with a
  // replica under 60 s; Cloud SQL HA about 60 s (read as within 10%).
  for (const Case& c : {Case{"rds-multi-az-instance", 60, 120}, Case{"rds-multi-az-cluster", 0, 35},
                        Case{"aurora", 0, 60}, Case{"cloud-sql-ha", 54, 66}}) {
    CAPTURE(c.preset);
    const auto [lo, hi] = failover_span(R"("preset": ")" + c.preset + "\"");
    CHECK(lo >= c.lo - 1e-9);
    CHECK(hi <= c.hi + 1e-9);
    CHECK(hi - lo > 0.25 * (c.hi - c.lo));  // a spread over the interval, not one value
  }
}

TEST_CASE("database: the plain defaults total the 60-120 s their description claims") {
  const auto [lo, hi] = failover_span(R"("replication": "sync")");
  CHECK(lo >= 60.0 - 1e-9);
  CHECK(hi <= 120.0 + 1e-9);
  const sim::ParamSpec* spec = nullptr;
  for (const auto& p : testing::registry().find("database")->params()) {
    if (p.name == "failover_time") spec = &p;
  }
  REQUIRE(spec != nullptr);
  CHECK(spec->description.find("60-120s") != std::string::npos);
}

TEST_CASE("database presets: what the component writes wins over the preset") {
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a", "r1-b"], "preset": "rds-multi-az-instance", "check_failures": 1,
         "failover_time": "5s")",
      R"([{"name": "crash", "class": "component",
           "faults": [{"kind": "component_crash", "target": "db"}]}])"));
  const sim::Component& db = component(s, "db");
  CHECK(db.preset == "rds-multi-az-instance");
  CHECK(value(db.params, "check_interval").origin == sim::ValueOrigin::preset);
  CHECK(db.params.number("check_interval") == 10.0);
  CHECK(value(db.params, "check_failures").origin == sim::ValueOrigin::scenario);
  CHECK(value(db.params, "failover_time").origin == sim::ValueOrigin::scenario);
  CHECK(value(db.params, "size").origin == sim::ValueOrigin::kind_default);
  for (std::uint64_t trial = 0; trial < 8; ++trial) {
    const auto t = event_time(testing::run(s, "crash", trial), "failover", "db");
    REQUIRE(t.has_value());
    // One failed check of 10 s (0-10 s), then 5 s: not the preset's 60-120 s.
    CHECK(*t >= 5.0 - 1e-9);
    CHECK(*t < 15.0);
  }
}

TEST_CASE("database presets: an object the component writes keeps the preset's other fields") {
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a"], "preset": "azure-sql",
         "log_shipping": {"retention": "35d", "locations": ["r1", "r2"]})",
      R"([{"name": "crash", "class": "component",
           "faults": [{"kind": "component_crash", "target": "db"}]}])"));
  const sim::Component& db = component(s, "db");
  const sim::Params* logs = db.params.object("log_shipping");
  REQUIRE(logs != nullptr);
  CHECK(logs->number("interval") == 3600.0);  // the preset's
  CHECK(value(*logs, "interval").origin == sim::ValueOrigin::preset);
  CHECK(logs->number("retention") == 35 * 86400.0);  // the component's
  CHECK(value(*logs, "retention").origin == sim::ValueOrigin::scenario);
  CHECK(value(*logs, "credentials").origin == sim::ValueOrigin::kind_default);
  // Not written at all: the preset's whole object.
  const sim::Params* snapshots = db.params.object("snapshots");
  REQUIRE(snapshots != nullptr);
  CHECK(snapshots->number("interval") == 12 * 3600.0);
  CHECK(value(db.params, "snapshots").origin == sim::ValueOrigin::preset);
  CHECK(value(*snapshots, "retention").origin == sim::ValueOrigin::preset);
  CHECK(value(*snapshots, "locations").origin == sim::ValueOrigin::kind_default);
}

TEST_CASE("database preset azure-sql: geo-restore loses at most the published hour") {
  // The region is lost; the database is restored in the paired region from the backups there.
  const auto s = load_text(db_scenario(
      R"("zones": ["r1-a"], "size": "1GB", "preset": "azure-sql",
         "snapshots": {"locations": ["r1", "r2"]}, "log_shipping": {"locations": ["r1", "r2"]})",
      R"([{"name": "region", "class": "region", "runbooks": ["geo-restore"],
           "faults": [{"kind": "region_outage", "target": "r1", "duration": "24h"}]}])",
      R"([{"name": "geo-restore", "team": "oncall", "steps": [
           {"id": "restore", "duration": "30m",
            "action": {"restore": "db", "to": "r2-a", "from": "pitr"}}]}])"));
  double worst = 0;
  for (std::uint64_t trial = 0; trial < 30; ++trial) {
    const auto& o = outcome(testing::run(s, "region", trial), "app");
    REQUIRE(o.rpo_s.has_value());
    CHECK(*o.rpo_s <= 3600.0 + 1e-6);
    worst = std::max(worst, *o.rpo_s);
    REQUIRE(o.rto_s.has_value());
    CHECK(*o.rto_s < 12 * 3600.0);  // the restore and its runbook: within the published 12 h
  }
  CHECK(worst > 1800.0);  // hourly as the paired region sees them, not the 5-10 min logs
}

TEST_CASE("database presets: an unknown preset is an input error naming the known ones") {
  const std::string text = db_scenario(
      R"("zones": ["r1-a", "r1-b"], "preset": "auroa")",
      R"([{"name": "crash", "class": "component",
           "faults": [{"kind": "component_crash", "target": "db"}]}])");
  const std::string errors = load_errors(text);
  CHECK(errors.find("/components/2/preset: expected a preset of kind \"database\", found "
                    "\"auroa\" (did you mean \"aurora\"? known presets: "
                    "rds-multi-az-instance, rds-multi-az-cluster, aurora, cloud-sql-ha, "
                    "azure-sql)") != std::string::npos);
  const std::string not_text = load_errors(db_scenario(
      R"("zones": ["r1-a"], "preset": 3)",
      R"([{"name": "crash", "class": "component",
           "faults": [{"kind": "component_crash", "target": "db"}]}])"));
  CHECK(not_text.find("/components/2/preset: expected a preset of kind \"database\", found 3")
        != std::string::npos);
  // A kind without presets has no "preset" key.
  const std::string team = load_errors(preamble("t") + R"(
    "components": [{"name": "oncall", "kind": "team", "preset": "aurora"}],
    "services": [{"name": "s", "depends": ["oncall"]}],
    "disasters": [{"name": "d", "class": "component",
                   "faults": [{"kind": "team_unavailable", "target": "oncall"}]}]})");
  CHECK(team.find("/components/0/preset: expected a known key, found \"preset\"") !=
        std::string::npos);
}
