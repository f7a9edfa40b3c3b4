#include "sim/result.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <xbt/base.h>
#include <simgrid/version.h>

namespace firedrill::sim {

using nlohmann::ordered_json;

std::string Phases::dominant() const {
  const auto v = values();
  const char* best = "none";
  double best_v = 0;
  for (std::size_t k = 0; k < kPhaseCount; ++k) {
    if (v[k] > best_v) best = kPhaseNames[k], best_v = v[k];
  }
  return best;
}

std::string firedrill_version() { return "0.1.0"; }

std::string simgrid_version() {
  return std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR) +
         (SIMGRID_VERSION_PATCH > 0 ? "." + std::to_string(SIMGRID_VERSION_PATCH) : "");
}

namespace {

// Seconds rounded to the microsecond, so that results print the same bytes every run.
double round_s(double v) { return std::round(v * 1e6) / 1e6; }

ordered_json optional_number(const std::optional<double>& v) {
  return v ? ordered_json(round_s(*v)) : ordered_json(nullptr);
}

ordered_json outcome_json(const Outcome& o) {
  ordered_json j;
  j["disaster"] = o.disaster;
  j["service"] = o.service;
  j["disruption"] = o.disruption;
  j["target"] = {{"rto_s", round_s(o.target.rto_s)},
                 {"rpo_s", round_s(o.target.rpo_s)},
                 {"inferred", o.target.inferred}};
  if (!o.target.note.empty()) j["target"]["note"] = o.target.note;
  j["affected"] = o.affected;
  j["achieved"] = {{"rto_s", optional_number(o.rto_s)},
                   {"rpo_s", optional_number(o.rpo_s)},
                   {"lost_writes", optional_number(o.lost_writes)}};
  const auto phases = o.phases.values();
  j["phases"] = ordered_json::object();
  for (std::size_t k = 0; k < kPhaseCount; ++k) {
    j["phases"][std::string(kPhaseNames[k]) + "_s"] = round_s(phases[k]);
  }
  j["phases"]["dominant"] = o.phases.dominant();
  j["recovered_from"] = o.recovered_from;
  j["met"] = o.met;
  return j;
}

ordered_json event_json(const TimelineEvent& e) {
  return {{"t_s", round_s(e.t_s)},
          {"disaster", e.disaster},
          {"event", e.event},
          {"subject", e.subject},
          {"detail", e.detail}};
}

std::optional<double> read_optional(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<double>();
}

}  // namespace

std::string trial_to_json_text(const TrialResult& r, bool with_timeline) {
  ordered_json j;
  j["disaster"] = r.disaster;
  j["trial"] = r.trial;
  j["t0_s"] = round_s(r.t0_s);
  j["end_s"] = round_s(r.end_s);
  j["horizon_reached"] = r.horizon_reached;
  j["outcomes"] = ordered_json::array();
  for (const auto& o : r.outcomes) j["outcomes"].push_back(outcome_json(o));
  j["timeline"] = ordered_json::array();
  if (with_timeline) {
    for (const auto& e : r.timeline) j["timeline"].push_back(event_json(e));
  }
  return j.dump();
}

TrialResult trial_from_json_text(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    TrialResult r;
    r.disaster = j.at("disaster").get<std::string>();
    r.trial = j.at("trial").get<std::uint64_t>();
    r.t0_s = j.at("t0_s").get<double>();
    r.end_s = j.at("end_s").get<double>();
    r.horizon_reached = j.at("horizon_reached").get<bool>();
    for (const auto& jo : j.at("outcomes")) {
      Outcome o;
      o.disaster = jo.at("disaster").get<std::string>();
      o.service = jo.at("service").get<std::string>();
      o.disruption = jo.at("disruption").get<std::string>();
      o.target.rto_s = jo.at("target").at("rto_s").get<double>();
      o.target.rpo_s = jo.at("target").at("rpo_s").get<double>();
      o.target.inferred = jo.at("target").at("inferred").get<bool>();
      o.target.note = jo.at("target").value("note", "");
      o.affected = jo.at("affected").get<bool>();
      o.rto_s = read_optional(jo.at("achieved").at("rto_s"));
      o.rpo_s = read_optional(jo.at("achieved").at("rpo_s"));
      o.lost_writes = read_optional(jo.at("achieved").at("lost_writes"));
      const auto& ph = jo.at("phases");
      std::array<double, kPhaseCount> phases{};
      for (std::size_t k = 0; k < kPhaseCount; ++k) {
        phases[k] = ph.at(std::string(kPhaseNames[k]) + "_s").get<double>();
      }
      o.phases = Phases::of(phases);
      o.recovered_from = jo.at("recovered_from").get<std::string>();
      o.met = jo.at("met").get<bool>();
      r.outcomes.push_back(std::move(o));
    }
    for (const auto& je : j.at("timeline")) {
      r.timeline.push_back({je.at("t_s").get<double>(), je.at("disaster").get<std::string>(),
                            je.at("event").get<std::string>(), je.at("subject").get<std::string>(),
                            je.at("detail").get<std::string>()});
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed trial result: ") + e.what());
  }
}

namespace {

// The wire form: fixed-size numbers in this machine's byte order (parent and child are one
// program on one machine), strings as a length and bytes, optionals as a flag and a number.
class WireWriter {
 public:
  explicit WireWriter(std::string& out) : out_(out) {}
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void flag(bool v) { out_.push_back(v ? '\1' : '\0'); }
  // What JSON would print: rounded to the microsecond; JSON has no infinity or NaN (a number
  // that is neither finite nor optional fails to read back, as it would from JSON).
  void seconds(double v) {
    const bool finite = std::isfinite(v);
    flag(finite);
    const double r = finite ? round_s(v) : 0.0;
    raw(&r, sizeof r);
  }
  void optional_seconds(const std::optional<double>& v) { seconds(v ? *v : kNan); }
  void text(const std::string& v) {
    u64(v.size());
    raw(v.data(), v.size());
  }

 private:
  static constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  std::string& out_;
};

class WireReader {
 public:
  WireReader(const std::string& in, std::size_t& pos) : in_(in), pos_(pos) {}
  void raw(void* p, std::size_t n) {
    if (in_.size() - pos_ < n) throw std::runtime_error("malformed trial result: truncated");
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  bool flag() {
    char c = 0;
    raw(&c, 1);
    return c != 0;
  }
  std::optional<double> optional_seconds() {
    const bool finite = flag();
    double v = 0;
    raw(&v, sizeof v);
    return finite ? std::optional<double>(v) : std::nullopt;
  }
  double seconds() {
    const auto v = optional_seconds();
    if (!v) throw std::runtime_error("malformed trial result: a number is not finite");
    return *v;
  }
  std::string text() {
    const std::uint64_t n = u64();
    if (in_.size() - pos_ < n) throw std::runtime_error("malformed trial result: truncated");
    std::string v = in_.substr(pos_, n);
    pos_ += n;
    return v;
  }

 private:
  const std::string& in_;
  std::size_t& pos_;
};

}  // namespace

void trial_to_wire(const TrialResult& r, bool with_timeline, std::string& out) {
  WireWriter w(out);
  w.text(r.disaster);
  w.u64(r.trial);
  w.seconds(r.t0_s);
  w.seconds(r.end_s);
  w.flag(r.horizon_reached);
  w.u64(r.outcomes.size());
  for (const auto& o : r.outcomes) {
    w.text(o.disaster);
    w.text(o.service);
    w.text(o.disruption);
    w.seconds(o.target.rto_s);
    w.seconds(o.target.rpo_s);
    w.flag(o.target.inferred);
    w.text(o.target.note);
    w.flag(o.affected);
    w.optional_seconds(o.rto_s);
    w.optional_seconds(o.rpo_s);
    w.optional_seconds(o.lost_writes);
    for (const double v : o.phases.values()) w.seconds(v);
    w.text(o.recovered_from);
    w.flag(o.met);
  }
  w.u64(with_timeline ? r.timeline.size() : 0);
  if (!with_timeline) return;
  for (const auto& e : r.timeline) {
    w.seconds(e.t_s);
    w.text(e.disaster);
    w.text(e.event);
    w.text(e.subject);
    w.text(e.detail);
  }
}

TrialResult trial_from_wire(const std::string& in, std::size_t& pos) {
  WireReader rd(in, pos);
  TrialResult r;
  r.disaster = rd.text();
  r.trial = rd.u64();
  r.t0_s = rd.seconds();
  r.end_s = rd.seconds();
  r.horizon_reached = rd.flag();
  const std::uint64_t outcomes = rd.u64();
  for (std::uint64_t k = 0; k < outcomes; ++k) {
    Outcome o;
    o.disaster = rd.text();
    o.service = rd.text();
    o.disruption = rd.text();
    o.target.rto_s = rd.seconds();
    o.target.rpo_s = rd.seconds();
    o.target.inferred = rd.flag();
    o.target.note = rd.text();
    o.affected = rd.flag();
    o.rto_s = rd.optional_seconds();
    o.rpo_s = rd.optional_seconds();
    o.lost_writes = rd.optional_seconds();
    std::array<double, kPhaseCount> phases{};
    for (double& v : phases) v = rd.seconds();
    o.phases = Phases::of(phases);
    o.recovered_from = rd.text();
    o.met = rd.flag();
    r.outcomes.push_back(std::move(o));
  }
  const std::uint64_t events = rd.u64();
  for (std::uint64_t k = 0; k < events; ++k) {
    TimelineEvent e;
    e.t_s = rd.seconds();
    e.disaster = rd.text();
    e.event = rd.text();
    e.subject = rd.text();
    e.detail = rd.text();
    r.timeline.push_back(std::move(e));
  }
  return r;
}

std::string run_result_json(const Scenario& s, const RunInfo& info,
                            const std::vector<TrialResult>& trials) {
  ordered_json j;
  j["schema"] = kResultSchema;
  j["kind"] = "run";
  j["scenario"] = {{"name", s.name}, {"title", s.title}, {"file", s.file}, {"sha256", s.sha256},
                   {"source", s.source}};
  if (!s.variant.empty()) j["scenario"]["variant"] = s.variant;
  j["scenario"]["text"] = s.text;
  j["seed"] = info.seed;
  j["trials"] = 1;
  j["horizon_s"] = round_s(s.horizon_s);
  j["versions"] = {{"firedrill", firedrill_version()}, {"simgrid", simgrid_version()}};
  j["command"] = info.command;
  j["disasters"] = ordered_json::array();
  for (const auto& d : s.disasters) {
    j["disasters"].push_back({{"name", d.name},
                              {"class", d.cls},
                              {"description", d.description},
                              {"claim", d.claim}});
  }
  j["outcomes"] = ordered_json::array();
  j["timeline"] = ordered_json::array();
  j["trial_summaries"] = ordered_json::array();
  for (const auto& t : trials) {
    for (const auto& o : t.outcomes) j["outcomes"].push_back(outcome_json(o));
    for (const auto& e : t.timeline) j["timeline"].push_back(event_json(e));
    j["trial_summaries"].push_back({{"disaster", t.disaster},
                                    {"trial", t.trial},
                                    {"t0_s", round_s(t.t0_s)},
                                    {"end_s", round_s(t.end_s)},
                                    {"horizon_reached", t.horizon_reached}});
  }
  return j.dump(2) + "\n";
}

}  // namespace firedrill::sim
