// The history store against real databases: a SQLite file in a temporary folder, and (test
// cases "postgres: ...", run by tests/history/pg_test.sh) a PostgreSQL server on loopback
// whose URI is in $FIREDRILL_TEST_POSTGRES. The results recorded are real result documents,
// written by sim/'s own serialisers from outcomes chosen here.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "history/store.hpp"
#include "history/trend.hpp"
#include "sim/hash.hpp"
#include "sim/result.hpp"
#include "sim/sweep.hpp"

using namespace firedrill;
using history::HistoryError;
using history::Query;
using history::Record;
using history::Store;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/firedrill-history-test.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// One (disaster, service) outcome of a run: achieved RTO/RPO (nullopt: not recovered).
struct Cell {
  std::string disaster, service;
  std::optional<double> rto_s, rpo_s;
  double target_rto_s = 600, target_rpo_s = 300;
};

sim::Scenario scenario_named(const std::string& name) {
  sim::Scenario s;
  s.name = name;
  s.file = "scenarios/" + name + ".json";
  s.sha256 = sim::sha256_hex(name);
  return s;
}

// A "firedrill run" result document, one trial per disaster.
std::string run_json(const std::string& scenario, std::uint64_t seed, const std::vector<Cell>& cells) {
  std::vector<sim::TrialResult> trials;
  for (const Cell& c : cells) {
    if (trials.empty() || trials.back().disaster != c.disaster) {
      trials.emplace_back();
      trials.back().disaster = c.disaster;
    }
    sim::Outcome o;
    o.disaster = c.disaster;
    o.service = c.service;
    o.disruption = "zone";
    o.target = {c.target_rto_s, c.target_rpo_s, false, ""};
    o.affected = true;
    o.rto_s = c.rto_s;
    o.rpo_s = c.rpo_s;
    o.lost_writes = c.rpo_s ? std::optional<double>(*c.rpo_s * 10) : std::nullopt;
    o.met = c.rto_s && c.rpo_s && *c.rto_s <= c.target_rto_s && *c.rpo_s <= c.target_rpo_s;
    trials.back().outcomes.push_back(o);
  }
  return sim::run_result_json(scenario_named(scenario), {seed, "firedrill run " + scenario}, trials);
}

// A "firedrill sweep" result of one disaster and service whose trials achieved these RTOs
// (RPO a tenth of each), with the cell statistics it was made from.
std::pair<std::string, sim::CellStats> sweep_json(const std::string& scenario, const std::string& disaster,
                                                  const std::string& service, const std::vector<double>& rtos) {
  sim::SweepResult r;
  r.scenario_name = scenario;
  r.scenario_file = "scenarios/" + scenario + ".json";
  r.scenario_sha256 = sim::sha256_hex(scenario);
  r.variant = "multi-az";
  r.seed = 11;
  r.trials = rtos.size();
  r.disasters = {disaster};
  sim::CellStats c;
  c.disaster = disaster;
  c.service = service;
  c.disruption = "zone";
  c.target = {600, 300, false, ""};
  for (double rto : rtos) {
    sim::Outcome o;
    o.disaster = disaster;
    o.service = service;
    o.affected = true;
    o.rto_s = rto;
    o.rpo_s = rto / 10;
    o.lost_writes = 0;
    o.met = rto <= 600;
    c.add(o);
  }
  r.cells.push_back(c);
  return {sim::sweep_result_json(r), c};
}

history::Provenance who(const std::string& when, const std::string& variant = "") {
  return {when, "alice", "drillhost", "firedrill test", variant};
}

// A backend under test: opens a store on one fresh database.
struct Backend {
  std::string location;
  [[nodiscard]] std::unique_ptr<Store> open() const { return history::open_store(location); }
};

Backend sqlite_backend(const TempDir& dir) { return {(dir.path / "sub" / "history.sqlite").string()}; }

Backend postgres_backend() {
  const char* uri = std::getenv("FIREDRILL_TEST_POSTGRES");
  REQUIRE_MESSAGE((uri != nullptr && *uri != '\0'),
                  "set FIREDRILL_TEST_POSTGRES to a PostgreSQL URI (tests/history/pg_test.sh does)");
  Backend b{uri};
  b.open()->query("DROP TABLE IF EXISTS records");  // a fresh chain per test case
  return b;
}

// Three records: two runs of "shop" (payments-api met, then not recovered) and a sweep of
// "bank". Returns what was appended.
std::vector<Record> append_three(Store& store) {
  std::vector<Record> out;
  out.push_back(store.append(history::content_from_result(
      run_json("shop", 7, {{"zone-outage", "payments-api", 120, 30}, {"zone-outage", "web", 60, 0}}),
      who("2026-12-01T10:00:00Z"))));
  out.push_back(store.append(history::content_from_result(
      run_json("shop", 8, {{"zone-outage", "payments-api", std::nullopt, std::nullopt},
                           {"region-outage", "payments-api", 900, 200}}),
      who("2026-12-01T11:00:00Z", "single-az"))));
  out.push_back(store.append(history::content_from_result(
      sweep_json("bank", "zone-outage", "payments-api", {100, 200, 300, 700}).first,
      who("2026-12-01T12:00:00Z"))));
  return out;
}

void check_append_list_show(const Backend& b) {
  auto store = b.open();
  const std::vector<Record> appended = append_three(*store);
  for (std::size_t i = 0; i < appended.size(); ++i) {
    CHECK(appended[i].id == static_cast<std::int64_t>(i + 1));
    CHECK(appended[i].hash == history::record_hash(appended[i]));
    CHECK(appended[i].prev_hash == (i == 0 ? "" : appended[i - 1].hash));
  }
  // Persisted: a new connection reads back the same records, byte for byte.
  auto again = b.open();
  const auto all = again->records({});
  REQUIRE(all.size() == 3);
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].hash == appended[i].hash);
    CHECK(all[i].result_json == appended[i].result_json);
    CHECK(history::record_hash(all[i]) == all[i].hash);
  }
  CHECK(all[0].kind == "run");
  CHECK(all[2].kind == "sweep");
  CHECK(all[1].variant == "single-az");
  CHECK(all[2].variant == "multi-az");
  CHECK(all[1].seed == 8);
  CHECK(all[2].trials == 4);
  CHECK(all[0].user == "alice");
  CHECK(all[0].scenario_sha256 == sim::sha256_hex("shop"));

  std::vector<std::int64_t> visited;
  again->for_each([&](const Record& r) {
    CHECK(r.result_json == appended.at(visited.size()).result_json);
    visited.push_back(r.id);
  }, 2);  // two pages
  CHECK(visited == std::vector<std::int64_t>{1, 2, 3});

  Query shop;
  shop.scenario = "shop";
  CHECK(again->records(shop).size() == 2);
  Query last_two;
  last_two.limit = 2;
  const auto tail = again->records(last_two);
  REQUIRE(tail.size() == 2);
  CHECK(tail[0].id == 2);
  CHECK(tail[1].id == 3);
  Query light;
  light.with_result = false;
  CHECK(again->records(light).at(0).result_json.empty());

  const Record second = again->get(2);
  CHECK(second.recorded_at == "2026-12-01T11:00:00Z");
  const auto summary = nlohmann::json::parse(second.summary_json);
  CHECK(summary.at("met") == 0);
  CHECK(summary.at("missed") == 2);
  CHECK(summary.at("cells").at(0).at("rto_s").is_null());
  try {
    again->get(99);
    FAIL("get(99) returned a record");
  } catch (const HistoryError& e) {
    CHECK(std::string(e.what()).find("no record 99") != std::string::npos);
  }
}

void check_trend(const Backend& b) {
  auto store = b.open();
  append_three(*store);
  const auto points = history::trend(*store, {"payments-api", "", ""});
  REQUIRE(points.size() == 4);  // run 1, run 2 (two disasters), the sweep
  CHECK(points[0].record_id == 1);
  CHECK(points[0].rto_s == 120);
  CHECK(points[0].rpo_s == 30);
  CHECK(points[0].met);
  CHECK(points[0].target_rto_s == 600);
  CHECK(points[1].record_id == 2);
  CHECK(!points[1].rto_s);
  CHECK(!points[1].met);
  CHECK(points[2].disaster == "region-outage");
  CHECK(points[2].rto_s == 900);
  CHECK(!points[2].met);
  CHECK(points[3].kind == "sweep");
  const sim::CellStats stats = sweep_json("bank", "zone-outage", "payments-api", {100, 200, 300, 700}).second;
  CHECK(points[3].rto_s == doctest::Approx(stats.rto.quantile(0.95)));
  CHECK(points[3].rto_p50_s == doctest::Approx(stats.rto.quantile(0.50)));
  CHECK(points[3].p_miss == doctest::Approx(0.25));
  CHECK(!points[3].met);
  CHECK(points[0].recorded_at < points[3].recorded_at);

  CHECK(history::trend(*store, {"payments-api", "shop", ""}).size() == 3);
  CHECK(history::trend(*store, {"payments-api", "", "region-outage"}).size() == 1);
  CHECK(history::trend(*store, {"web", "", ""}).size() == 1);
  CHECK(history::trend(*store, {"nope", "", ""}).empty());
  CHECK(history::services_in(*store) == std::vector<std::string>{"payments-api", "web"});
  CHECK(history::trend(b.location, {"payments-api", "bank", ""}).size() == 1);
}

void check_tampered_result(const Backend& b) {
  auto store = b.open();
  append_three(*store);
  const auto intact = history::verify_chain(store->records({}));
  CHECK(intact.intact());
  CHECK(intact.records == 3);
  CHECK(intact.head_hash == store->get(3).hash);
  // Raw SQL, as someone with write access to the database would: a met target claimed.
  store->query("UPDATE records SET result = replace(result, '\"met\": false', '\"met\": true') WHERE id = 2");
  REQUIRE(store->get(2).result_json.find("\"met\": false") == std::string::npos);
  const auto report = history::verify_chain(b.open()->records({}));
  REQUIRE(!report.intact());
  CHECK(report.problems.front().id == 2);
  CHECK(report.problems.front().what.find("content changed") != std::string::npos);
  CHECK(report.problems.size() == 1);
}

void check_forged_hash(const Backend& b) {
  auto store = b.open();
  append_three(*store);
  // Change the user of record 2 and recompute its hash: record 3 no longer links to it.
  Record forged = store->get(2);
  forged.user = "mallory";
  store->query("UPDATE records SET \"user\" = $1, hash = $2 WHERE id = 2",
               {forged.user, history::record_hash(forged)});
  const auto report = history::verify_chain(store->records({}));
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems.front().id == 3);
  CHECK(report.problems.front().what.find("previous record removed or changed") != std::string::npos);
}

void check_removed_record(const Backend& b) {
  auto store = b.open();
  append_three(*store);
  store->query("DELETE FROM records WHERE id = 2");
  history::ChainVerifier paged;
  std::vector<std::int64_t> visited;
  store->for_each([&](const Record& r) { paged.add(r), visited.push_back(r.id); }, 1);
  CHECK(visited == std::vector<std::int64_t>{1, 3});
  CHECK(paged.finish().problems.size() == 2);  // record 3: ids jump, prev_hash
  const auto report = history::verify_chain(store->records({}));
  REQUIRE(!report.intact());
  CHECK(report.problems.front().id == 3);
  CHECK(report.problems.front().what.find("record 2 removed") != std::string::npos);
  // Appending after a removal does not heal the chain.
  store->append(history::content_from_result(run_json("shop", 9, {{"zone-outage", "web", 1, 0}}),
                                              who("2026-12-01T13:00:00Z")));
  CHECK(!history::verify_chain(store->records({})).intact());
}

void check_removed_last(const Backend& b) {
  auto store = b.open();
  append_three(*store);
  const std::string head = history::verify_chain(store->records({})).head_hash;
  const std::string second = store->get(2).hash;
  store->query("DELETE FROM records WHERE id = 3");
  const auto all = store->records({});
  CHECK(history::verify_chain(all).intact());  // a shorter chain is still a chain
  const auto report = history::verify_chain(all, head);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems.front().id == 0);
  CHECK(report.problems.front().what.find("removed from the end") != std::string::npos);
  CHECK(history::verify_chain(all, head.substr(0, 12)).problems.size() == 1);
  CHECK(history::verify_chain(all, second).intact());             // an older head is still there
  CHECK(history::verify_chain(all, second.substr(0, 16)).intact());
  CHECK_THROWS_AS(history::verify_chain(all, "abc"), HistoryError);
  CHECK_THROWS_AS(history::verify_chain(all, std::string(64, 'x')), HistoryError);
}

void check_concurrent_appends(const Backend& b) {
  b.open().reset();  // the table exists before the writers start
  constexpr int kWriters = 4, kEach = 6;
  const std::string result = run_json("shop", 7, {{"zone-outage", "web", 60, 0}});
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int rc = 0;
      try {
        auto mine = b.open();  // each writer its own connection
        for (int i = 0; i < kEach; ++i) {
          mine->append(history::content_from_result(result, who("2026-12-01T10:00:0" + std::to_string(w) + "Z")));
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %d: %s\n", w, e.what());
        rc = 1;
      }
      std::fflush(stderr);
      ::_exit(rc);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "a writer failed to append");
  }
  const auto all = b.open()->records({});
  CHECK(all.size() == kWriters * kEach);
  const auto report = history::verify_chain(all);
  CHECK(report.intact());
  for (const auto& p : report.problems) MESSAGE("record " << p.id << ": " << p.what);
}

}  // namespace

// The same suite on both backends: "history: sqlite ..." runs everywhere, "postgres: ..." only
// with a server (tests/history/pg_test.sh).
#define ON_BOTH_BACKENDS(name, check)                     \
  TEST_CASE("history: sqlite " name) {                    \
    TempDir dir;                                          \
    check(sqlite_backend(dir));                           \
  }                                                       \
  TEST_CASE("postgres: " name) { check(postgres_backend()); }

ON_BOTH_BACKENDS("append, list and show", check_append_list_show)
ON_BOTH_BACKENDS("trend of a service across records", check_trend)
ON_BOTH_BACKENDS("a result changed with raw SQL breaks the chain at that record", check_tampered_result)
ON_BOTH_BACKENDS("a changed record with a recomputed hash breaks the link after it", check_forged_hash)
ON_BOTH_BACKENDS("a removed record breaks the chain", check_removed_record)
ON_BOTH_BACKENDS("records removed from the end are found with a known head", check_removed_last)
ON_BOTH_BACKENDS("concurrent writers keep one chain", check_concurrent_appends)

TEST_CASE("history: locations") {
  using history::Location;
  CHECK(history::parse_location("/tmp/h.sqlite").kind == Location::Kind::sqlite);
  CHECK(history::parse_location("sqlite:rel/h.db").target == "rel/h.db");
  CHECK(history::parse_location("sqlite:///abs/h.db").target == "/abs/h.db");
  CHECK(history::parse_location("postgresql://u@h/db").kind == Location::Kind::postgres);
  CHECK(history::parse_location("postgres://u@h/db").kind == Location::Kind::postgres);
  CHECK_THROWS_AS(history::parse_location(""), HistoryError);
  CHECK_THROWS_AS(history::parse_location("sqlite:"), HistoryError);
  try {
    history::parse_location("mysql://root:hunter2@db/x");
    FAIL("a mysql URI was accepted");
  } catch (const HistoryError& e) {
    const std::string what = e.what();
    CHECK(what.find("\"mysql\"") != std::string::npos);
    CHECK(what.find("hunter2") == std::string::npos);
  }
  CHECK(history::redact("postgresql://bob:s3cret@db.example:5432/h") == "postgresql://bob:***@db.example:5432/h");
  CHECK(history::redact("postgresql://db/h?user=bob&password=s3cret&x=1") == "postgresql://db/h?user=bob&password=***&x=1");
  CHECK(history::redact("postgresql://bob@db/h") == "postgresql://bob@db/h");
}

TEST_CASE("history: default location") {
  const auto keep = [](const char* name) {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  const auto history_env = keep("FIREDRILL_HISTORY"), xdg = keep("XDG_DATA_HOME"), home = keep("HOME");
  ::setenv("FIREDRILL_HISTORY", "/x/h.sqlite", 1);
  ::setenv("XDG_DATA_HOME", "/data", 1);
  ::setenv("HOME", "/home/u", 1);
  CHECK(history::default_location() == "/x/h.sqlite");
  ::unsetenv("FIREDRILL_HISTORY");
  CHECK(history::default_location() == "/data/firedrill/history.sqlite");
  ::unsetenv("XDG_DATA_HOME");
  CHECK(history::default_location() == "/home/u/.local/share/firedrill/history.sqlite");
  ::unsetenv("HOME");
  CHECK_THROWS_AS(history::default_location(), HistoryError);
  const auto restore = [](const char* name, const std::optional<std::string>& v) {
    v ? ::setenv(name, v->c_str(), 1) : ::unsetenv(name);
  };
  restore("FIREDRILL_HISTORY", history_env);
  restore("XDG_DATA_HOME", xdg);
  restore("HOME", home);
}

TEST_CASE("history: bad stores and results are errors, not crashes") {
  TempDir dir;
  const auto not_db = dir.path / "notes.txt";
  std::ofstream(not_db) << "these are not the records you are looking for\n";
  CHECK_THROWS_AS(history::open_store(not_db.string()), HistoryError);
  CHECK_THROWS_AS(history::open_store(dir.path.string()), HistoryError);  // a folder
  try {
    history::open_store("postgresql://bob:s3cret@127.0.0.1:1/none?connect_timeout=5");
    FAIL("connected to port 1");
  } catch (const HistoryError& e) {
    const std::string what = e.what();
    CHECK(what.find("s3cret") == std::string::npos);
    CHECK(what.find("postgresql://bob:***@127.0.0.1:1/none") != std::string::npos);
  }
  const history::Provenance p = who("2026-12-01T10:00:00Z");
  CHECK_THROWS_AS(history::content_from_result("not json", p), HistoryError);
  CHECK_THROWS_AS(history::content_from_result(R"({"schema": "other/1"})", p), HistoryError);
  CHECK_THROWS_AS(history::content_from_result(R"({"schema": "firedrill.result/1", "kind": "run"})", p),
                  HistoryError);
}

TEST_CASE("history: the hash covers every field") {
  Record r;
  static_cast<history::RecordContent&>(r) = history::content_from_result(
      run_json("shop", 7, {{"zone-outage", "web", 60, 0}}), who("2026-12-01T10:00:00Z"));
  r.id = 4;
  r.prev_hash = std::string(64, 'a');
  const std::string base = history::record_hash(r);
  CHECK(base.size() == 64);
  const std::vector<std::function<void(Record&)>> changes = {
      [](Record& x) { x.id = 5; },
      [](Record& x) { x.kind = "sweep"; },
      [](Record& x) { x.recorded_at = "2026-12-01T10:00:01Z"; },
      [](Record& x) { x.user = "bob"; },
      [](Record& x) { x.host = "other"; },
      [](Record& x) { x.scenario_name = "x"; },
      [](Record& x) { x.scenario_file = "x"; },
      [](Record& x) { x.scenario_sha256 = "x"; },
      [](Record& x) { x.variant = "x"; },
      [](Record& x) { x.seed = 8; },
      [](Record& x) { x.trials = 2; },
      [](Record& x) { x.firedrill_version = "9"; },
      [](Record& x) { x.command = "x"; },
      [](Record& x) { x.summary_json += " "; },
      [](Record& x) { x.result_json += " "; },
      [](Record& x) { x.prev_hash = std::string(64, 'b'); },
      // Moving bytes from one field to the next changes the hash too.
      [](Record& x) { x.user = "alic"; x.host = "edrillhost"; },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    Record changed = r;
    changes[i](changed);
    CHECK_MESSAGE(history::record_hash(changed) != base, "change " << i);
  }
}
