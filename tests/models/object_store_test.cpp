#include "tests/models/harness.hpp"

#include <cmath>

using namespace firedrill;
using firedrill::testing::load_text;
using firedrill::testing::outcome;
using firedrill::testing::preamble;

namespace {

std::string bucket_scenario(const std::string& params, const std::string& from) {
  return preamble("bucket") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "10m"},
    {"name": "content", "kind": "object_store", "region": "r1", "size": "10GB",
     "restore_throughput": "100MB/s", )" + params + R"(}
  ],
  "services": [{"name": "courses", "depends": ["content"], "writes": "1/s",
                "data": ["content"], "targets": {"data": {"rto": "4h", "rpo": "24h"}}}],
  "runbooks": [{"name": "restore", "team": "oncall", "steps": [
     {"id": "restore", "duration": "10m", "action": {"restore": "content", "from": ")" + from + R"("}}]}],
  "disasters": [{"name": "deleted", "class": "data", "runbooks": ["restore"],
                 "faults": [{"kind": "operator_deletion", "target": "content",
                             "detected_after": "1h"}]}]
  })";
}

}  // namespace

TEST_CASE("object store: versioning brings deleted objects back with nothing lost before") {
  const auto r = testing::run(load_text(bucket_scenario(R"("versioning": true)", "versions")),
                              "deleted");
  const auto& o = outcome(r, "courses");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s < 1e-6);
  CHECK(*o.lost_writes == 0.0);  // deletion stops writes at once: nothing after it to lose
  // 1h to notice, 10m response, 10m of work, 100 s to rewrite 10GB at 100MB/s.
  CHECK(*o.rto_s == doctest::Approx(3600 + 600 + 600 + 100));
  CHECK(o.met);
}

TEST_CASE("object store: a nightly copy bounds the loss to a day") {
  const auto r = testing::run(
      load_text(bucket_scenario(R"("copies": {"interval": "24h", "retention": "30d",
                                              "locations": ["r2"]})", "copy")),
      "deleted");
  const auto& o = outcome(r, "courses");
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s > 0.0);
  CHECK(*o.rpo_s < 86400.0);
  CHECK(std::abs(*o.lost_writes - *o.rpo_s) <= 1.0);  // 1 write a second
  CHECK(o.recovered_from == "content: copy@r2");
}

TEST_CASE("object store preset s3-rtc: replication within the published 15 minutes") {
  const std::string disasters = R"(
  "services": [{"name": "files", "depends": ["b"], "writes": "1/s", "data": ["b"],
                "targets": {"region": {"rto": "4h", "rpo": "15m"}}}],
  "runbooks": [{"name": "restore", "team": "oncall", "steps": [
     {"id": "restore", "duration": "10m",
      "action": {"restore": "b", "to": "r2-a", "from": "replica"}}]}],
  "disasters": [{"name": "region", "class": "region", "runbooks": ["restore"],
                 "faults": [{"kind": "region_outage", "target": "r1", "duration": "24h"}]}]
  })";
  const auto s = load_text(preamble("rtc") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "10m"},
    {"name": "mon", "kind": "monitoring", "region": "r2", "pages": "oncall"},
    {"name": "b", "kind": "object_store", "region": "r1", "size": "1GB", "preset": "s3-rtc",
     "replication": {"to": "r2"}}
  ],)" + disasters);
  const sim::Params* rep = s.component("b")->params.object("replication");
  REQUIRE(rep != nullptr);
  CHECK(rep->values.at("lag").origin == sim::ValueOrigin::preset);
  CHECK(rep->values.at("to").origin == sim::ValueOrigin::scenario);
  double worst = 0;
  for (std::uint64_t trial = 0; trial < 20; ++trial) {
    const auto& o = outcome(testing::run(s, "region", trial), "files");
    REQUIRE(o.rpo_s.has_value());
    CHECK(*o.rpo_s <= 15 * 60.0 + 1e-6);
    worst = std::max(worst, *o.rpo_s);
  }
  CHECK(worst > 5 * 60.0);  // the lag is drawn over the whole 15 minutes
  // Without a destination the preset makes no replication (it knows no region).
  const auto plain = load_text(preamble("rtc") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "10m"},
    {"name": "b", "kind": "object_store", "region": "r1", "preset": "s3-rtc"}
  ],)" + disasters);
  CHECK(plain.component("b")->params.object("replication") == nullptr);
}
