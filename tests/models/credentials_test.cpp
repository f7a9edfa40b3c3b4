// Credentials: what a component holds (uses_credentials, leaked by a component_compromise),
// what destroys it (credentials), and copies under object lock that no credential deletes.
#include "tests/models/harness.hpp"

#include "sim/blast_radius.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;

namespace {

// "app" holds `held`; the bucket (10 GB restored at 100 MB/s: 100 s) and its versions are
// destroyed by "prod"; the database and its snapshots in r2 by "prod" and "backup". A
// runbook started at T0 restores both after 5 min of assessment and 10 min of work.
std::string scenario(const std::string& held, const std::string& bucket_extra,
                     const std::string& snapshot_extra, const std::string& fault) {
  return testing::preamble("creds") + R"(
  "credentials": [{"name": "prod"}, {"name": "backup"}, {"name": "ci"}],
  "components": [
    {"name": "app", "kind": "compute", "zones": ["r1-a"], "uses_credentials": )" + held + R"(},
    {"name": "content", "kind": "object_store", "region": "r1", "size": "10GB",
     "restore_throughput": "100MB/s", "credentials": ["prod"], "versioning": true)" +
         bucket_extra + R"(},
    {"name": "db", "kind": "database", "zones": ["r1-a"], "size": "1GB", "credentials": ["prod"],
     "snapshots": {"interval": "24h", "retention": "7d", "locations": ["r2"],
                   "credentials": "backup")" + snapshot_extra + R"(}}
  ],
  "services": [{"name": "files", "depends": ["content"], "writes": "1/s", "data": ["content"],
                "targets": {"default": {"rto": "4h", "rpo": "24h"}}},
               {"name": "orders", "depends": ["db"], "writes": "1/s", "data": ["db"],
                "targets": {"default": {"rto": "4h", "rpo": "24h"}}}],
  "runbooks": [{"name": "rb", "trigger": "start", "steps": [
     {"id": "assess", "kind": "automated", "duration": "5m"},
     {"id": "bucket", "kind": "automated", "duration": "10m", "after": ["assess"],
      "action": {"restore": "content", "from": "versions"}},
     {"id": "db", "kind": "automated", "duration": "10m", "after": ["assess"],
      "action": {"restore": "db", "to": "r2-a", "from": "snapshot"}}]}],
  "disasters": [{"name": "d", "class": "data", "runbooks": ["rb"], "faults": [)" + fault + R"(]}]
  })";
}

const std::string kAppCompromise = R"({"kind": "component_compromise", "target": "app"})";

}  // namespace

TEST_CASE("credentials: a compromised component leaks what it holds, and only that") {
  // app holds prod: the bucket, its versions and the database go; the snapshots under
  // "backup" stay and restore the database.
  const auto r = testing::run(load_text(scenario(R"(["prod"])", "", "", kAppCompromise)), "d");
  CHECK(event_time(r, "credential-compromised", "prod") == 0.0);
  CHECK(event_time(r, "restore-blocked", "content").has_value());
  CHECK_FALSE(outcome(r, "files").rto_s.has_value());
  CHECK(outcome(r, "orders").recovered_from == "db: snapshots@r2");
  // app holds prod and backup: the snapshots go too.
  const auto both =
      testing::run(load_text(scenario(R"(["prod", "backup"])", "", "", kAppCompromise)), "d");
  CHECK_FALSE(outcome(both, "orders").rto_s.has_value());
  // app holds ci only: nothing it holds destroys anything; no service goes down.
  const auto ci = testing::run(load_text(scenario(R"(["ci"])", "", "", kAppCompromise)), "d");
  REQUIRE(outcome(ci, "files").rto_s.has_value());
  CHECK(*outcome(ci, "files").rto_s == 0.0);
  CHECK(*outcome(ci, "orders").rto_s == 0.0);
}

TEST_CASE("credentials: object-locked versions survive the compromise, restored at an exact time") {
  const auto r = testing::run(
      load_text(scenario(R"(["prod"])", R"(, "object_lock": true)", "", kAppCompromise)), "d");
  const auto& o = outcome(r, "files");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == 300.0 + 600.0 + 100.0);
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == 0.0);  // every write up to the compromise is in a locked version
  CHECK(o.recovered_from == "content: versions");
}

TEST_CASE("credentials: object-locked snapshots survive a compromise of their own credential") {
  const std::string both = R"({"kind": "credential_compromise", "target": "prod"},
                              {"kind": "credential_compromise", "target": "backup"})";
  const auto plain = testing::run(load_text(scenario("[]", "", "", both)), "d");
  CHECK(event_time(plain, "restore-blocked", "db").has_value());
  CHECK_FALSE(outcome(plain, "orders").rto_s.has_value());
  const auto locked =
      testing::run(load_text(scenario("[]", "", R"(, "object_lock": true)", both)), "d");
  const auto& o = outcome(locked, "orders");
  REQUIRE(o.rto_s.has_value());
  CHECK(o.recovered_from == "db: snapshots@r2");
  // 5 min, 10 min of work, then 1 GB from r2 at the default 100 MB/s (and the link's latency).
  CHECK(*o.rto_s > 910.0);
  CHECK(*o.rto_s < 910.01);
}

TEST_CASE("credentials: the blast radius of each credential") {
  const auto s = load_text(
      scenario(R"(["prod", "backup"])", "", R"(, "object_lock": true)", kAppCompromise));
  const auto radii = sim::blast_radius(s, testing::registry());
  REQUIRE(radii.size() == 3);
  CHECK(radii[0].credential == "prod");
  CHECK(radii[0].destroys ==
        std::vector<std::string>{"content", "content: versions", "db"});
  CHECK(radii[0].held_by == std::vector<std::string>{"app"});
  CHECK(radii[1].destroys.empty());
  CHECK(radii[1].locked == std::vector<std::string>{"db: snapshots@r2"});
  CHECK(radii[2].destroys.empty());
  CHECK(radii[2].held_by.empty());
}

TEST_CASE("credentials: the loader checks uses_credentials and component_compromise") {
  auto diagnostics_of = [](const std::string& text) {
    const sim::Loaded loaded = sim::load_scenario_text(text, "a.json", testing::registry());
    CHECK_FALSE(loaded.scenario.has_value());
    return loaded.diagnostics.to_string();
  };
  CHECK(diagnostics_of(scenario(R"(["prdo"])", "", "", kAppCompromise))
            .find("/components/0/uses_credentials/0: expected") != std::string::npos);
  CHECK(diagnostics_of(scenario("[]", "", "", kAppCompromise))
            .find("/disasters/0/faults/0/target: expected a component that lists "
                  "uses_credentials, found \"app\"") != std::string::npos);
  std::string unversioned = scenario(R"(["prod"])", R"(, "object_lock": true)", "", kAppCompromise);
  unversioned.replace(unversioned.find("\"versioning\": true"), 18, "\"versioning\": false");
  CHECK(diagnostics_of(unversioned)
            .find("/components/1/versioning: expected true (object lock keeps previous "
                  "versions: it needs versioning)") != std::string::npos);
}
