#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

std::string index_scenario(const std::string& snapshots) {
  return preamble("search") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "0s"},
    {"name": "db", "kind": "database", "zones": ["r1-a"], "size": "10GB"},
    {"name": "search", "kind": "search_index", "zones": ["r1-b"], "source": "db",
     "size": "36GB", "rebuild_rate": "10MB/s", "restore_throughput": "100MB/s")" + snapshots + R"(}
  ],
  "services": [{"name": "find", "depends": ["search"], "writes": "10/s", "data": ["search"],
                "targets": {"data": {"rto": "2h", "rpo": "0s"}}}],
  "runbooks": [{"name": "restore", "team": "oncall", "steps": [
     {"id": "restore", "duration": "0s", "action": {"restore": "search"}}]}],
  "disasters": [{"name": "corrupt", "class": "data", "runbooks": ["restore"],
                 "faults": [{"kind": "data_corruption", "target": "search",
                             "detected_after": "10m"}]}]
  })";
}

}  // namespace

TEST_CASE("search index: without snapshots it is rebuilt from its source; derived data is not lost") {
  const auto r = testing::run(load_text(index_scenario("")), "corrupt");
  const auto& o = outcome(r, "find");
  REQUIRE(o.rto_s.has_value());
  // 10 min to notice, then 36GB indexed at 10MB/s: one hour.
  CHECK(*o.rto_s == doctest::Approx(600.0 + 3600.0));
  CHECK(*o.rpo_s == 0.0);
  CHECK(*o.lost_writes == 0.0);
  CHECK(o.recovered_from == "search: rebuild from db");
}

TEST_CASE("search index: a snapshot restores faster than a rebuild") {
  const auto r = testing::run(
      load_text(index_scenario(R"(, "snapshots": {"interval": "1h", "retention": "1d"})")),
      "corrupt");
  const auto& o = outcome(r, "find");
  REQUIRE(o.rto_s.has_value());
  // 36GB at 100MB/s: 360 s of transfer (plus latency).
  CHECK(*o.rto_s == doctest::Approx(600.0 + 360.0).epsilon(0.001));
  CHECK(*o.lost_writes == 0.0);
  CHECK(o.recovered_from == "search: snapshots@r1");
}
