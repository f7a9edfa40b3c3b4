#include "sim/result.hpp"

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <xbt/base.h>
#include <simgrid/version.h>

namespace firedrill::sim {

using nlohmann::ordered_json;

std::string Phases::dominant() const {
  const std::pair<const char*, double> all[] = {{"detect", detect_s},
                                                {"respond", respond_s},
                                                {"restore", restore_s},
                                                {"propagate", propagate_s},
                                                {"drain", drain_s}};
  const char* best = "none";
  double best_v = 0;
  for (const auto& [name, v] : all) {
    if (v > best_v) best = name, best_v = v;
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
  j["phases"] = {{"detect_s", round_s(o.phases.detect_s)},
                 {"respond_s", round_s(o.phases.respond_s)},
                 {"restore_s", round_s(o.phases.restore_s)},
                 {"propagate_s", round_s(o.phases.propagate_s)},
                 {"drain_s", round_s(o.phases.drain_s)},
                 {"dominant", o.phases.dominant()}};
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
      o.phases = {ph.at("detect_s").get<double>(), ph.at("respond_s").get<double>(),
                  ph.at("restore_s").get<double>(), ph.at("propagate_s").get<double>(),
                  ph.at("drain_s").get<double>()};
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
