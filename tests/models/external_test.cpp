#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;

// Seed 003: a GCP shop whose container registry lives on S3 waits for S3 to redeploy.
TEST_CASE("external: a runbook step that needs an unreachable dependency waits for it") {
  const auto s = load_text(R"({"format": "firedrill.scenario/1", "name": "ext",
  "providers": [{"name": "gcp", "regions": [{"name": "eu", "zones": ["eu-a", "eu-b"]}]},
                {"name": "aws", "regions": [{"name": "us-east-1", "zones": ["use1-a"]}]}],
  "components": [
    {"name": "oncall", "kind": "team", "response": "0s"},
    {"name": "registry", "kind": "external", "region": "us-east-1", "role": "container registry"},
    {"name": "app", "kind": "compute", "zones": ["eu-a"], "autoscaling": false}
  ],
  "services": [{"name": "web", "depends": ["app"],
                "targets": {"default": {"rto": "1h", "rpo": "0s"}}}],
  "runbooks": [{"name": "redeploy", "trigger": "start", "team": "oncall", "steps": [
     {"id": "deploy", "duration": "10m", "requires": ["registry"],
      "action": {"rebuild": "app", "to": ["eu-b"]}}]}],
  "disasters": [{"name": "zone-and-s3", "class": "zone", "runbooks": ["redeploy"],
                 "faults": [{"kind": "zone_outage", "target": "eu-a"},
                            {"kind": "region_outage", "target": "us-east-1", "duration": "4h"}]}]
  })");
  const auto r = testing::run(s, "zone-and-s3");
  CHECK(event_time(r, "step-blocked").has_value());
  const auto& o = outcome(r, "web");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == doctest::Approx(4 * 3600.0 + 600.0));
  CHECK_FALSE(o.met);
}
