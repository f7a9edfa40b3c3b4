#include "sim/result.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

using firedrill::sim::Outcome;
using firedrill::sim::TrialResult;
namespace sim = firedrill::sim;

namespace {

TrialResult sample_result() {
  TrialResult r;
  r.disaster = "region-outage";
  r.trial = 123456789012345ULL;
  r.t0_s = 3600.1234567891;  // rounded to the microsecond by both forms
  r.end_s = 7200.5;
  r.horizon_reached = true;
  Outcome o;
  o.disaster = r.disaster;
  o.service = "checkout";
  o.disruption = "region";
  o.target = {900.0, 300.0, true, "a note with \"quotes\", a newline\nand UTF-8: \xc3\xa9"};
  o.affected = true;
  o.rto_s = 1234.5678901234;
  o.rpo_s = std::nullopt;
  o.lost_writes = std::numeric_limits<double>::infinity();  // JSON prints null: none
  o.phases = {1.25, 2.0000004, 3.0, 0.0, 1e-7};
  o.recovered_from = "";
  o.met = false;
  r.outcomes.push_back(o);
  o.service = "search";
  o.target.note.clear();
  o.rpo_s = 0.1 + 0.2;
  o.met = true;
  r.outcomes.push_back(o);
  r.timeline.push_back({-5.5, r.disaster, "fault", "zone-a", ""});
  r.timeline.push_back({0.000000449, r.disaster, "detected", "lb", "health checks failed"});
  return r;
}

}  // namespace

TEST_CASE("a trial read back from the wire equals the trial read back from JSON") {
  const TrialResult r = sample_result();
  for (const bool with_timeline : {false, true}) {
    CAPTURE(with_timeline);
    std::string wire = "ok\n";
    sim::trial_to_wire(r, with_timeline, wire);
    sim::trial_to_wire(r, with_timeline, wire);  // two in a row, as a batch sends them
    std::size_t pos = 3;
    const TrialResult a = sim::trial_from_wire(wire, pos);
    const TrialResult b = sim::trial_from_wire(wire, pos);
    CHECK(pos == wire.size());
    const TrialResult j = sim::trial_from_json_text(sim::trial_to_json_text(r, with_timeline));
    // Compared through JSON: every field, numbers to the bit (shortest round-trip printing).
    CHECK(sim::trial_to_json_text(a) == sim::trial_to_json_text(j));
    CHECK(sim::trial_to_json_text(b) == sim::trial_to_json_text(j));
    CHECK(a.t0_s == j.t0_s);
    CHECK(a.outcomes.at(0).rto_s == j.outcomes.at(0).rto_s);
    CHECK(!a.outcomes.at(0).lost_writes.has_value());
    CHECK(a.outcomes.at(0).target.note == r.outcomes.at(0).target.note);
    CHECK(a.timeline.size() == (with_timeline ? 2U : 0U));
  }
}

TEST_CASE("a truncated or non-finite wire result is an error, not a default") {
  const TrialResult r = sample_result();
  std::string wire;
  sim::trial_to_wire(r, true, wire);
  for (const std::size_t cut : {std::size_t{0}, std::size_t{5}, wire.size() / 2, wire.size() - 1}) {
    CAPTURE(cut);
    const std::string part = wire.substr(0, cut);
    std::size_t pos = 0;
    CHECK_THROWS_AS(sim::trial_from_wire(part, pos), std::runtime_error);
  }
  TrialResult bad = r;
  bad.end_s = std::nan("");
  std::string w2;
  sim::trial_to_wire(bad, false, w2);
  std::size_t pos = 0;
  CHECK_THROWS_WITH_AS(sim::trial_from_wire(w2, pos), doctest::Contains("not finite"),
                       std::runtime_error);
}
