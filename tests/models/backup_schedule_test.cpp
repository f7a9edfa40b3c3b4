// Copy jobs on the clock (issue 18, part 5): snapshots at a time of day, a fault at a time of
// day, one-off snapshots before the fault, and silently broken jobs caught by restore tests.
// Every RPO here is a closed form: the fault's clock time minus the restorable point's.
#include <cmath>
#include <string>

#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;

namespace {

constexpr double kHour = 3600, kDay = 86400;

// A database in r1-a (no standby) with `db_params`, a deletion (`fault_extra` added to the
// fault) noticed after 10 minutes and restored from a snapshot.
std::string scenario(const std::string& db_params, const std::string& fault_extra) {
  return testing::preamble("backups") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "people": 1, "response": "1m"},
    {"name": "db", "kind": "database", "zones": ["r1-a"], "size": "1GB", "failover": "none")" +
         (db_params.empty() ? "" : ", " + db_params) + R"(}
  ],
  "services": [{"name": "app", "depends": ["db"], "writes": "10/s", "data": ["db"],
                "targets": {"default": {"rto": "1h", "rpo": "1m"}}}],
  "runbooks": [{"name": "restore", "team": "oncall", "trigger": "start", "steps": [
    {"id": "restore", "duration": "5m", "action": {"restore": "db", "from": "snapshot"}}]}],
  "disasters": [{"name": "wipe", "class": "data", "runbooks": ["restore"],
    "faults": [{"kind": "operator_deletion", "target": "db", "detected_after": "10m")" +
         (fault_extra.empty() ? "" : ", " + fault_extra) + R"(}]}]
  })";
}

double rpo(const sim::Scenario& s, std::uint64_t trial = 0) {
  const auto r = testing::run(s, "wipe", trial);
  const auto& o = outcome(r, "app");
  REQUIRE(o.rpo_s.has_value());
  return *o.rpo_s;
}

sim::Loaded load(const std::string& json) {
  return sim::load_scenario_text(json, "test.json", testing::registry());
}

// A diagnostic at `pointer` whose expectation mentions `expected`.
bool has_diagnostic(const sim::Loaded& l, const std::string& pointer, bool warning,
                    const std::string& expected) {
  for (const auto& d : (warning ? l.warnings : l.diagnostics).items()) {
    if (d.pointer == pointer && d.warning == warning &&
        d.expected.find(expected) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("backup schedule: daily snapshots at 17:20, a deletion at 23:00: RPO exactly 5h40m") {
  const auto s = load_text(scenario(R"("snapshots": {"interval": "24h", "at": "17:20"})",
                                    R"("time_of_day": "23:00")"));
  for (std::uint64_t trial = 0; trial < 4; ++trial) {
    const auto r = testing::run(s, "wipe", trial);
    CHECK(*outcome(r, "app").rpo_s == 5 * kHour + 40 * 60);
    CHECK(outcome(r, "app").recovered_from == "db: snapshots@r1");
    CHECK(event_time(r, "clock").has_value());
  }
}

TEST_CASE("backup schedule: interval 12h at 17:20 also runs at 05:20") {
  const std::string snaps = R"("snapshots": {"interval": "12h", "at": "17:20"})";
  // 06:00: 40 minutes after the 05:20 run; 04:00: 10h40m after the 17:20 run.
  CHECK(rpo(load_text(scenario(snaps, R"("time_of_day": "06:00")"))) == 40 * 60);
  CHECK(rpo(load_text(scenario(snaps, R"("time_of_day": "04:00")"))) == 10 * kHour + 40 * 60);
}

TEST_CASE("backup schedule: a fault's at delay moves it, not its clock time") {
  const std::string snaps = R"("snapshots": {"interval": "24h", "at": "17:20"})";
  const auto s = load_text(scenario(snaps, R"("time_of_day": "23:00", "at": {"uniform": ["1h", "30h"]})"));
  for (std::uint64_t trial = 0; trial < 4; ++trial) CHECK(rpo(s, trial) == 5 * kHour + 40 * 60);
}

TEST_CASE("backup schedule: weekly snapshots at 17:20: a whole number of days more") {
  const auto s = load_text(scenario(R"("snapshots": {"interval": "7d", "retention": "30d", "at": "17:20"})",
                                    R"("time_of_day": "23:00")"));
  bool other_day = false;
  for (std::uint64_t trial = 0; trial < 12; ++trial) {
    const double days = (rpo(s, trial) - (5 * kHour + 40 * 60)) / kDay;
    CHECK(days == std::floor(days));
    CHECK(days >= 0);
    CHECK(days <= 6);
    other_day = other_day || days > 0;
  }
  CHECK(other_day);
}

TEST_CASE("backup schedule: without a fault's time of day the clock is drawn") {
  const auto s = load_text(scenario(R"("snapshots": {"interval": "24h", "at": "17:20"})", ""));
  double first = rpo(s, 0);
  bool differs = false;
  for (std::uint64_t trial = 1; trial < 8; ++trial) {
    const double x = rpo(s, trial);
    CHECK(x >= 0);
    CHECK(x < kDay);
    differs = differs || x != first;
  }
  CHECK(differs);
}

TEST_CASE("backup schedule: time of day and intervals that do not fit a day are refused") {
  CHECK(has_diagnostic(load(scenario(R"("snapshots": {"interval": "7h", "at": "17:20"})", "")),
                       "/components/1/snapshots/interval", false, "divides 24h"));
  CHECK(has_diagnostic(load(scenario(R"("snapshots": {"at": "24:00"})", "")),
                       "/components/1/snapshots/at", false, "time of day"));
  CHECK(has_diagnostic(load(scenario("", R"("time_of_day": "5pm")")),
                       "/disasters/0/faults/0/time_of_day", false, "time of day"));
  // Two faults fixing the clock.
  std::string two = scenario("", R"("time_of_day": "23:00")");
  const std::string fault = R"({"kind": "operator_deletion", "target": "db", "detected_after": "10m", "time_of_day": "23:00"})";
  two.replace(two.find("\"faults\": [") + 11, 0, fault + ", ");
  CHECK(has_diagnostic(load(two), "/disasters/0/faults/1/time_of_day", false, "at most one"));
}

TEST_CASE("backup schedule: a one-off snapshot 6h before the fault is restorable") {
  // The daily 17:20 run is 23h40m old at 17:00; the one-off one 6h.
  const auto s = load_text(scenario(
      R"("snapshots": {"interval": "24h", "at": "17:20"},
         "one_off_snapshots": [{"before_fault": "6h"}])",
      R"("time_of_day": "17:00")"));
  const auto r = testing::run(s, "wipe");
  CHECK(*outcome(r, "app").rpo_s == 6 * kHour);
  CHECK(outcome(r, "app").recovered_from == "db: one-off-6h@r1");
  // Alone, in another region, whatever the fault's instant.
  const auto alone = load_text(scenario(
      R"("one_off_snapshots": [{"before_fault": "6h", "locations": ["r2"]}])",
      R"("at": {"uniform": ["0s", "3d"]})"));
  for (std::uint64_t trial = 0; trial < 3; ++trial) CHECK(rpo(alone, trial) == 6 * kHour);
}

TEST_CASE("backup schedule: a broken job counts up to its last restore test") {
  // Daily 17:20 runs, daily restore tests at 03:00, the fault at 23:00: the last test passed
  // 20h before the fault, the last run before it was 17:20 the day before.
  const auto daily = load_text(scenario(
      R"("snapshots": {"interval": "24h", "at": "17:20", "failure_probability": 1,
                        "verify_every": "24h", "verify_at": "03:00"})",
      R"("time_of_day": "23:00")"));
  CHECK(rpo(daily) == 29 * kHour + 40 * 60);
  CHECK(event_time(testing::run(daily, "wipe"), "copy-broken", "db").has_value());
  // Weekly tests at 03:00: 0 to 6 days more.
  const auto weekly = load_text(scenario(
      R"("snapshots": {"interval": "24h", "retention": "30d", "at": "17:20",
                        "failure_probability": 1, "verify_every": "7d", "verify_at": "03:00"})",
      R"("time_of_day": "23:00")"));
  for (std::uint64_t trial = 0; trial < 8; ++trial) {
    const double days = (rpo(weekly, trial) - (29 * kHour + 40 * 60)) / kDay;
    CHECK(days == std::floor(days));
    CHECK(days >= 0);
    CHECK(days <= 6);
  }
  // A last good run older than the retention: nothing to restore.
  const auto short_retention = load_text(scenario(
      R"("snapshots": {"interval": "24h", "retention": "1d", "at": "17:20",
                        "failure_probability": 1, "verify_every": "24h", "verify_at": "03:00"})",
      R"("time_of_day": "23:00")"));
  CHECK_FALSE(outcome(testing::run(short_retention, "wipe"), "app").rto_s.has_value());
}

TEST_CASE("backup schedule: a job broken and never tested never counts, and validate warns") {
  const std::string text = scenario(
      R"("snapshots": {"interval": "24h", "failure_probability": 1},
         "one_off_snapshots": [{"before_fault": "2h"}])",
      "");
  const auto loaded = load(text);
  REQUIRE(loaded.scenario.has_value());
  CHECK(has_diagnostic(loaded, "/components/1/snapshots/failure_probability", true,
                       "usable copy"));
  // The one-off snapshot is what is left.
  CHECK(rpo(*loaded.scenario) == 2 * kHour);
}

TEST_CASE("backup schedule: failure_probability 0 changes nothing, 0.5 breaks some trials") {
  const auto plain = load_text(scenario(R"("snapshots": {"interval": "24h"})", ""));
  const auto zero = load_text(scenario(
      R"("snapshots": {"interval": "24h", "failure_probability": 0, "verify_every": "7d"})", ""));
  for (std::uint64_t trial = 0; trial < 4; ++trial) {
    const auto a = testing::run(plain, "wipe", trial);
    const auto b = testing::run(zero, "wipe", trial);
    CHECK(*outcome(a, "app").rpo_s == *outcome(b, "app").rpo_s);
    CHECK(a.timeline.size() == b.timeline.size());
  }
  // Half broken: a broken trial's RPO is its good one plus whole days back to the last test.
  const auto half = load_text(scenario(
      R"("snapshots": {"interval": "24h", "retention": "30d", "at": "17:20",
                        "failure_probability": 0.5, "verify_every": "24h", "verify_at": "03:00"})",
      R"("time_of_day": "23:00")"));
  int broken = 0;
  for (std::uint64_t trial = 0; trial < 16; ++trial) {
    const auto r = testing::run(half, "wipe", trial);
    const bool is_broken = event_time(r, "copy-broken", "db").has_value();
    broken += is_broken ? 1 : 0;
    CHECK(*outcome(r, "app").rpo_s == (is_broken ? 29 * kHour : 5 * kHour) + 40 * 60);
  }
  CHECK(broken > 0);
  CHECK(broken < 16);
}

TEST_CASE("backup schedule: an object store's copy jobs at 02:00, a deletion at 08:00: RPO 6h") {
  const std::string text = testing::preamble("bucket") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "1m"},
    {"name": "content", "kind": "object_store", "region": "r1", "size": "10GB",
     "copies": {"interval": "24h", "at": "02:00", "locations": ["r2"]}}
  ],
  "services": [{"name": "courses", "depends": ["content"], "writes": "1/s",
                "data": ["content"], "targets": {"data": {"rto": "4h", "rpo": "24h"}}}],
  "runbooks": [{"name": "restore", "team": "oncall", "trigger": "start", "steps": [
     {"id": "restore", "duration": "10m", "action": {"restore": "content", "from": "copy"}}]}],
  "disasters": [{"name": "deleted", "class": "data", "runbooks": ["restore"],
                 "faults": [{"kind": "operator_deletion", "target": "content",
                             "detected_after": "1h", "time_of_day": "08:00"}]}]
  })";
  const auto r = testing::run(load_text(text), "deleted");
  CHECK(*outcome(r, "courses").rpo_s == 6 * kHour);
  CHECK(outcome(r, "courses").recovered_from == "content: copy@r2");
}

TEST_CASE("backup schedule: point-in-time restore needs a usable base snapshot") {
  // The snapshot job is broken and never tested: no base, so the logs cannot be replayed...
  const std::string logs = R"("log_shipping": {"interval": "5m"})";
  const std::string broken = R"("snapshots": {"interval": "24h", "failure_probability": 1})";
  std::string text = scenario(broken + ", " + logs, "");
  text.replace(text.find(R"("from": "snapshot")"), 18, R"("from": "pitr")");
  CHECK_FALSE(outcome(testing::run(load_text(text), "wipe"), "app").rto_s.has_value());
  // ... until a one-off snapshot 6h before the fault serves as the base: under 5m lost.
  text = scenario(broken + ", " + logs + R"(, "one_off_snapshots": [{"before_fault": "6h"}])", "");
  text.replace(text.find(R"("from": "snapshot")"), 18, R"("from": "pitr")");
  const auto r = testing::run(load_text(text), "wipe");
  CHECK(*outcome(r, "app").rpo_s < 5 * 60);
  CHECK(outcome(r, "app").recovered_from == "db: logs@r1");
}
