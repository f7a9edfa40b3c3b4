// Runbook fallbacks: a step that runs in place of another whose precondition fails when it
// becomes ready (docs/scenario-format.md, Runbooks).
#include "tests/models/harness.hpp"

using namespace firedrill;
using firedrill::testing::event_time;
using firedrill::testing::load_text;
using firedrill::testing::outcome;

namespace {

// A bucket of 10 GB restored at 100 MB/s (100 s), under credential "prod"; object-locked
// versions and a nightly copy in r2 that "prod" can delete; a runbook started at T0 whose
// first step takes 5 min, then `steps`. The service also needs "api", which only a runbook's
// repair brings back when a fault crashes it (so that steps after the restore count).
std::string bucket(const std::string& steps, const std::string& faults,
                   const std::string& trigger = "start") {
  return testing::preamble("fallback") + R"(
  "credentials": [{"name": "prod"}],
  "components": [
    {"name": "oncall", "kind": "team", "response": "10m"},
    {"name": "vault", "kind": "external", "region": "r1"},
    {"name": "api", "kind": "compute", "zones": ["r1-a"], "autoscaling": false},
    {"name": "content", "kind": "object_store", "region": "r1", "size": "10GB",
     "restore_throughput": "100MB/s", "credentials": ["prod"],
     "versioning": true, "object_lock": true,
     "copies": {"interval": "24h", "retention": "30d", "locations": ["r2"]}}
  ],
  "services": [{"name": "files", "depends": ["content", "api"], "writes": "1/s", "data": ["content"],
                "targets": {"default": {"rto": "4h", "rpo": "24h"}}}],
  "runbooks": [{"name": "rb", "trigger": ")" + trigger + R"(", "steps": [
     {"id": "assess", "kind": "automated", "duration": "5m"},)" + steps + R"(]}],
  "disasters": [{"name": "d", "class": "data", "runbooks": ["rb"], "faults": [)" + faults + R"(]}]
  })";
}

const std::string kCompromise = R"({"kind": "credential_compromise", "target": "prod"})";
const std::string kApiCrash = R"(, {"kind": "component_crash", "target": "api"})";

std::string diagnostics_of(const std::string& text) {
  const sim::Loaded loaded = sim::load_scenario_text(text, "a.json", testing::registry());
  CHECK_FALSE(loaded.scenario.has_value());
  return loaded.diagnostics.to_string();
}

}  // namespace

TEST_CASE("fallback: the copy is gone, the object-locked versions restore at an exact time") {
  const auto r = testing::run(load_text(bucket(R"(
     {"id": "from-copy", "kind": "automated", "duration": "10m", "after": ["assess"],
      "action": {"restore": "content", "from": "copy"}},
     {"id": "from-versions", "kind": "automated", "duration": "10m",
      "fallback_for": "from-copy", "action": {"restore": "content", "from": "versions"}},
     {"id": "api", "kind": "automated", "duration": "1m", "after": ["from-copy"],
      "action": {"repair": "api"}})",
                                                kCompromise + kApiCrash)),
                              "d");
  // Ready at 5 min: the copy (deletable by "prod") is destroyed, so the step is skipped and
  // its fallback starts then: 10 min of work, 100 s of transfer.
  CHECK(event_time(r, "step-skipped", "rb/from-copy") == 300.0);
  CHECK(event_time(r, "fallback", "rb/from-versions") == 300.0);
  CHECK_FALSE(event_time(r, "step-start", "rb/from-copy").has_value());
  CHECK(event_time(r, "restore-start", "content") == 900.0);
  CHECK(event_time(r, "restored", "content") == 1000.0);
  // The step after the skipped one follows the fallback's completion.
  CHECK(event_time(r, "step-start", "rb/api") == 1000.0);
  CHECK(event_time(r, "step-done", "rb/api") == 1060.0);
  const auto& o = outcome(r, "files");
  REQUIRE(o.rto_s.has_value());
  CHECK(*o.rto_s == 1060.0);
  REQUIRE(o.rpo_s.has_value());
  CHECK(*o.rpo_s == 0.0);  // the versions hold every write up to the compromise
  CHECK(o.recovered_from == "content: versions");
}

TEST_CASE("fallback: without one, the same restore waits forever") {
  const auto r = testing::run(load_text(bucket(R"(
     {"id": "from-copy", "kind": "automated", "duration": "10m", "after": ["assess"],
      "action": {"restore": "content", "from": "copy"}})",
                                                kCompromise)),
                              "d");
  CHECK(event_time(r, "restore-blocked", "content").has_value());
  CHECK_FALSE(outcome(r, "files").rto_s.has_value());
}

TEST_CASE("fallback: a chain skips each step whose precondition fails") {
  // The first needs the vault (crashed), the second the copy (destroyed): the third runs.
  const auto r = testing::run(
      load_text(bucket(R"(
     {"id": "a", "kind": "automated", "duration": "10m", "after": ["assess"],
      "requires": ["vault"], "action": {"restore": "content", "from": "versions"}},
     {"id": "b", "kind": "automated", "duration": "20m", "fallback_for": "a",
      "action": {"restore": "content", "from": "copy"}},
     {"id": "c", "kind": "automated", "duration": "30m", "fallback_for": "b",
      "action": {"restore": "content", "from": "versions"}},
     {"id": "after-a", "kind": "automated", "duration": "1m", "after": ["a"],
      "action": {"repair": "api"}})",
                       kCompromise + kApiCrash +
                           R"(, {"kind": "component_crash", "target": "vault"})")),
      "d");
  const auto skipped_a = event_time(r, "step-skipped", "rb/a");
  CHECK(skipped_a == 300.0);
  CHECK(event_time(r, "step-skipped", "rb/b") == 300.0);
  CHECK(event_time(r, "fallback", "rb/c") == 300.0);
  CHECK(event_time(r, "restored", "content") == 300.0 + 1800.0 + 100.0);
  CHECK(event_time(r, "step-start", "rb/after-a") == 2200.0);
  CHECK(outcome(r, "files").rto_s == 2260.0);
  bool reason = false;
  for (const auto& e : r.timeline) {
    if (e.event == "step-skipped" && e.subject == "rb/a") {
      reason = e.detail == "vault is not up; its fallback rb/b runs";
    }
  }
  CHECK(reason);
}

TEST_CASE("fallback: not needed when the primary can run") {
  // An operator deletion noticed after 1 h: the copy from before it serves; the fallback is
  // skipped as not needed. Alert at 1 h, 5 min, 10 min of work, then the copy's transfer.
  const auto r = testing::run(
      load_text(bucket(R"(
     {"id": "from-versions", "kind": "automated", "duration": "10m", "after": ["assess"],
      "action": {"restore": "content", "from": "versions"}},
     {"id": "from-copy", "kind": "automated", "duration": "10m",
      "fallback_for": "from-versions", "action": {"restore": "content", "from": "copy"}})",
                       R"({"kind": "operator_deletion", "target": "content", "detected_after": "1h"})",
                       "alert")),
      "d");
  CHECK(event_time(r, "step-skipped", "rb/from-copy") == 3600.0 + 300.0);
  CHECK_FALSE(event_time(r, "fallback").has_value());
  CHECK(event_time(r, "restored", "content") == 3600.0 + 300.0 + 600.0 + 100.0);
  CHECK(outcome(r, "files").recovered_from == "content: versions");
}

TEST_CASE("fallback: the loader checks fallback_for") {
  auto rb = [](const std::string& steps) {
    return bucket(steps, R"({"kind": "credential_compromise", "target": "prod"})");
  };
  const std::string restore = R"("action": {"restore": "content"})";
  // An unknown step.
  CHECK(diagnostics_of(rb(R"({"id": "x", "duration": "1m", "kind": "automated",
                             "fallback_for": "nope"})"))
            .find("/runbooks/0/steps/1/fallback_for: expected the name of a step") !=
        std::string::npos);
  // Itself.
  CHECK(diagnostics_of(rb(R"({"id": "x", "duration": "1m", "kind": "automated", )" + restore +
                          R"(, "fallback_for": "x"})"))
            .find("/runbooks/0/steps/1/fallback_for: expected the id of another step of the "
                  "runbook, found \"x\"") != std::string::npos);
  // A fallback with an "after" (also: after its primary).
  CHECK(diagnostics_of(rb(R"({"id": "x", "duration": "1m", "kind": "automated", )" + restore +
                          R"(}, {"id": "y", "duration": "1m", "kind": "automated",
                              "after": ["x"], "fallback_for": "x"})"))
            .find("/runbooks/0/steps/2/after: expected no \"after\" on a fallback step, found "
                  "[x]") != std::string::npos);
  // A step after a fallback.
  CHECK(diagnostics_of(rb(R"({"id": "x", "duration": "1m", "kind": "automated", )" + restore +
                          R"(}, {"id": "y", "duration": "1m", "kind": "automated",
                              "fallback_for": "x"},
                             {"id": "z", "duration": "1m", "kind": "automated", "after": ["y"]})"))
            .find("/runbooks/0/steps/3/after/0: expected a step that is not a fallback, found "
                  "\"y\" (name the step it replaces, \"x\"") != std::string::npos);
  // Two fallbacks for one step.
  CHECK(diagnostics_of(rb(R"({"id": "x", "duration": "1m", "kind": "automated", )" + restore +
                          R"(}, {"id": "y", "duration": "1m", "kind": "automated",
                              "fallback_for": "x"},
                             {"id": "z", "duration": "1m", "kind": "automated",
                              "fallback_for": "x"})"))
            .find("/runbooks/0/steps/3/fallback_for: expected a step that has no fallback yet, "
                  "found \"x\" (\"y\" is its fallback already") != std::string::npos);
  // A cycle.
  CHECK(diagnostics_of(rb(R"({"id": "x", "duration": "1m", "kind": "automated", )" + restore +
                          R"(, "fallback_for": "y"}, {"id": "y", "duration": "1m",
                              "kind": "automated", )" + restore + R"(, "fallback_for": "x"})"))
            .find("fallback_for: expected fallbacks whose \"fallback_for\" has no cycle, found x "
                  "-> y -> x") != std::string::npos);
  // A primary whose precondition cannot fail.
  CHECK(diagnostics_of(rb(R"({"id": "y", "duration": "1m", "kind": "automated", )" + restore +
                          R"(, "fallback_for": "assess"})"))
            .find("/runbooks/0/steps/1/fallback_for: expected a step whose precondition can "
                  "fail") != std::string::npos);
}
