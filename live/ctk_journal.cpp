#include "live/ctk_journal.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "live/journal.hpp"
#include "live/secrets.hpp"
#include "sim/input_file.hpp"
#include "sim/result.hpp"

namespace firedrill::live {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using TimePoint = std::chrono::system_clock::time_point;

// "2026-12-02T01:15:00.123456" (as utc_timestamp writes it) back to a time point.
TimePoint parse_utc(const std::string& text, TimePoint fallback) {
  std::tm tm{};
  const char* rest = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return fallback;
  TimePoint t = std::chrono::system_clock::from_time_t(::timegm(&tm));
  if (*rest == '.') t += std::chrono::microseconds(std::atoll(rest + 1));
  return t;
}

TimePoint plus_seconds(TimePoint t, double s) {
  return t + std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(s));
}

double seconds_between(TimePoint a, TimePoint b) {
  return std::round(std::chrono::duration<double>(b - a).count() * 1e6) / 1e6;
}

// A Chaos Toolkit provider for a driver call: http and command map onto Chaos Toolkit's own
// http and process providers; the other drivers are shown as python providers of a module
// named after the driver. Secret references stay references.
ordered_json provider(const std::string& driver, const std::string& action, const json& params) {
  const json shown = show_refs(params);
  if (driver == "http") {
    return {{"type", "http"}, {"url", shown.value("url", std::string())}, {"method", "GET"}};
  }
  if (driver == "command") {
    ordered_json p{{"type", "process"}};
    if (shown.contains("shell")) {
      p["path"] = "/bin/sh";
      p["arguments"] = {"-c", shown["shell"]};
    } else {
      p["path"] = shown["argv"].at(0);
      p["arguments"] = json(std::vector<json>(shown["argv"].begin() + 1, shown["argv"].end()));
    }
    return p;
  }
  return {{"type", "python"},
          {"module", "firedrill.live." + driver},
          {"func", action.empty() ? "probe" : action},
          {"arguments", shown}};
}

ordered_json activity(const char* type, const std::string& name, const std::string& driver,
                      const std::string& action, const json& params) {
  ordered_json a{{"type", type}, {"name", name}, {"provider", provider(driver, action, params)}};
  if (std::string(type) == "probe") a["tolerance"] = true;
  return a;
}

ordered_json operator_activity(const std::string& key, const std::string& title) {
  return {{"type", "action"},
          {"name", "manual step " + key + ": " + title},
          {"provider",
           {{"type", "python"}, {"module", "firedrill.live.operator"}, {"func", "wait_for_done"},
            {"arguments", {{"step", key}}}}}};
}

ordered_json record(const ordered_json& act, bool ok, const ordered_json& output, TimePoint start,
                    TimePoint end, const std::string& error = "") {
  end = std::max(start, end);  // times from the journal and the timeline: a few µs apart
  ordered_json r{{"activity", act},
                 {"status", ok ? "succeeded" : "failed"},
                 {"output", output},
                 {"start", utc_timestamp(start)},
                 {"end", utc_timestamp(end)},
                 {"duration", seconds_between(start, end)}};
  if (!ok) r["exception"] = ordered_json::array({error.empty() ? std::string("failed") : error});
  return r;
}

std::string platform_text() {
  utsname u{};
  if (::uname(&u) != 0) return "unknown";
  return std::string(u.sysname) + "-" + u.release + "-" + u.machine;
}

std::string node_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "unknown";
  return host;
}

// The time of the journal's "start" line: T0 follows it at once.
TimePoint journal_start(const std::string& dir, TimePoint fallback) {
  auto text = sim::read_input_file(dir + "/journal.jsonl", "journal");
  if (const auto* d = std::get_if<sim::Diagnostic>(&text)) throw std::runtime_error(d->to_string());
  std::istringstream in(std::get<std::string>(text));
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(dir + ": expected a journal, found none");
  const json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || j.value("type", "") != "start") {
    throw std::runtime_error(dir + "/journal.jsonl:1: expected the start line, found damage");
  }
  return parse_utc(j.value("at", ""), fallback);
}

}  // namespace

std::string chaostoolkit_journal(const sim::Scenario& s, const sim::Disaster& d, const Bindings& b,
                                 const DriverRegistry& drivers, const CtkRun& run) {
  const json result = json::parse(run.result_json, nullptr, false);
  if (result.is_discarded() || !result.contains("live")) {
    throw std::runtime_error("expected a live result, found something else");
  }
  const Journal journal = Journal::open(run.journal_dir);
  const auto entries = journal.entries();
  // T0 lies between the journal's start line and its first action line (written right after
  // T0, before the first fault acts); the action line is the closer.
  TimePoint t0 = journal_start(run.journal_dir, run.start);
  if (!entries.empty()) t0 = parse_utc(entries.front().at, t0);
  const json& live = result["live"];
  const json& timeline = result["timeline"];
  const auto at = [&](const json& ev) { return plus_seconds(t0, ev.value("t_s", 0.0)); };
  double end_s = 0;
  for (const auto& t : result.value("trial_summaries", json::array())) end_s = t.value("end_s", 0.0);
  const TimePoint drill_end = plus_seconds(t0, end_s);

  // The experiment, as Chaos Toolkit would declare the drill.
  ordered_json probes = ordered_json::array();
  std::map<std::string, ordered_json> probe_of;
  for (const auto& svc : s.services) {
    const Probe& p = b.probes.at(svc.name);
    probe_of[svc.name] = activity("probe", "service " + svc.name + " passes its probe", p.call.driver, "",
                                  p.call.params);
    probes.push_back(probe_of[svc.name]);
  }
  ordered_json method = ordered_json::array();
  const auto& calls = b.faults.at(d.name);
  std::vector<ordered_json> fault_acts;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    fault_acts.push_back(activity("action",
                                  "fault " + d.name + "/" + std::to_string(i) + " (" +
                                      std::string(sim::fault_kind_name(d.faults[i].kind)) + " " +
                                      d.faults[i].target + ")",
                                  calls[i].driver, calls[i].action, calls[i].params));
    method.push_back(fault_acts.back());
  }
  std::map<std::string, ordered_json> step_acts;
  for (const auto& name : d.runbooks) {
    const sim::Runbook* rb = s.runbook(name);
    if (rb == nullptr) continue;
    for (const auto& st : rb->steps) {
      const std::string key = rb->name + "/" + st.id;
      if (st.manual) {
        step_acts[key] = operator_activity(key, st.title);
      } else {
        const Call& c = b.steps.at(key);
        step_acts[key] = activity("action", "step " + key + ": " + st.title, c.driver, c.action, c.params);
      }
      method.push_back(step_acts[key]);
    }
  }
  ordered_json rollback_acts = ordered_json::array();
  std::map<int, ordered_json> rollback_of;
  for (const auto& e : entries) {
    if (!e.undo.is_object()) continue;
    rollback_of[e.id] = activity("action", "undo " + e.what, e.undo.value("driver", ""),
                                 e.undo.value("action", ""), e.undo.value("params", json::object()));
    rollback_acts.push_back(rollback_of[e.id]);
  }
  ordered_json experiment{
      {"version", "1.0.0"},
      {"title", (s.title.empty() ? s.name : s.title) + ": live drill of " + d.name},
      {"description", !d.description.empty() ? d.description : d.claim},
      {"tags", {"firedrill", "live", d.cls}},
      {"steady-state-hypothesis", {{"title", "every service passes its probe"}, {"probes", probes}}},
      {"method", method},
      {"rollbacks", rollback_acts},
      {"extensions",
       ordered_json::array({ordered_json{{"name", "firedrill"},
         {"run_id", live.value("run_id", "")},
         {"scenario", s.name},
         {"scenario_file", s.file},
         {"scenario_sha256", s.sha256},
         {"disaster", d.name},
         {"bindings", b.file},
         {"journal", run.journal_dir},
         {"outcomes", result.value("outcomes", json::array())}}})}};

  // The run: every journaled action (faults and automated steps) and every manual step, in
  // the order they started.
  std::vector<ordered_json> runs;
  std::size_t fault_seen = 0;
  std::vector<const json*> fault_events;
  for (const auto& ev : timeline) {
    if (ev.value("event", "") == "fault") fault_events.push_back(&ev);
  }
  const auto event_of = [&](const char* kind, const std::string& subject) -> const json* {
    for (const auto& ev : timeline) {
      if (ev.value("event", "") == kind && ev.value("subject", "") == subject) return &ev;
    }
    return nullptr;
  };
  const std::string abort_reason = live.value("abort_reason", "");
  std::map<std::string, bool> journaled_steps;
  for (const auto& e : entries) {
    const TimePoint start = parse_utc(e.at, t0);
    if (e.what.rfind("fault ", 0) == 0) {
      const std::size_t i = std::min(fault_seen++, fault_acts.size() - 1);
      const json* ev = i < fault_events.size() && !e.failed ? fault_events[i] : nullptr;
      runs.push_back(record(fault_acts[i], ev != nullptr, ev ? ordered_json((*ev)["detail"]) : ordered_json(),
                            start, ev ? at(*ev) : parse_utc(e.marked_at, start), abort_reason));
    } else if (e.what.rfind("step ", 0) == 0) {
      const std::string key = e.what.substr(5);
      journaled_steps[key] = true;
      const json* done = e.failed ? nullptr : event_of("step-done", key);
      const auto act = step_acts.contains(key) ? step_acts[key] : ordered_json{{"type", "action"}, {"name", e.what}};
      runs.push_back(record(act, done != nullptr, done ? ordered_json((*done)["detail"]) : ordered_json(), start,
                            done ? at(*done) : e.failed ? parse_utc(e.marked_at, drill_end) : drill_end,
                            abort_reason));
    }
  }
  for (const auto& ev : timeline) {  // manual steps: announced, then done by the operator
    if (ev.value("event", "") != "step-start") continue;
    const std::string key = ev.value("subject", "");
    if (journaled_steps.contains(key) || !step_acts.contains(key)) continue;
    const json* done = event_of("step-done", key);
    runs.push_back(record(step_acts[key], done != nullptr, done ? ordered_json((*done)["detail"]) : ordered_json(),
                          at(ev), done ? at(*done) : drill_end, abort_reason));
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const auto& x, const auto& y) { return x["start"].template get<std::string>() <
                                                             y["start"].template get<std::string>(); });

  // Steady states: before (every probe passed once before T0, or the drill would not have
  // begun); after (each service restored when the drill ended), unless it was cut short.
  const bool aborted = live.value("aborted", false);
  const bool interrupted = abort_reason.rfind("interrupted by", 0) == 0;
  ordered_json before{{"steady_state_met", true}, {"probes", ordered_json::array()}};
  for (const auto& svc : s.services) {
    auto r = record(probe_of[svc.name], true, true, run.start, t0);
    r["tolerance_met"] = true;
    before["probes"].push_back(r);
  }
  ordered_json after = nullptr;
  bool deviated = false;
  if (!aborted) {
    after = {{"steady_state_met", true}, {"probes", ordered_json::array()}};
    for (const auto& o : result.value("outcomes", json::array())) {
      const std::string svc = o.value("service", "");
      if (!probe_of.contains(svc)) continue;
      const bool up = o["achieved"]["rto_s"].is_number();
      const json* ev = event_of("service-up", svc);
      auto r = record(probe_of[svc], true, up, ev ? at(*ev) : drill_end, drill_end);
      r["tolerance_met"] = up;
      after["probes"].push_back(r);
      if (!up) after["steady_state_met"] = false;
    }
    deviated = !after["steady_state_met"].get<bool>();
  }

  // Rollbacks, in the order they ran (newest action first), each ending when it was marked.
  ordered_json rollbacks = ordered_json::array();
  TimePoint rb_start = drill_end;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (!rollback_of.contains(it->id) || it->failed) continue;
    const TimePoint end = it->undone ? parse_utc(it->marked_at, rb_start) : rb_start;
    rollbacks.push_back(record(rollback_of[it->id], it->undone, it->undone ? ordered_json("undone") : ordered_json(),
                               rb_start, end,
                               "not undone: see `firedrill live recover --journal " + run.journal_dir + "`"));
    rb_start = end;
  }

  ordered_json j;
  j["chaoslib-version"] = "firedrill " + sim::firedrill_version();
  j["platform"] = platform_text();
  j["node"] = node_name();
  j["experiment"] = experiment;
  j["start"] = utc_timestamp(run.start);
  j["end"] = utc_timestamp(run.end);
  j["duration"] = seconds_between(run.start, run.end);
  j["status"] = interrupted ? "interrupted" : aborted ? "aborted" : deviated ? "failed" : "completed";
  j["deviated"] = deviated;
  j["steady_states"] = {{"before", before}, {"after", after}, {"during", ordered_json::array()}};
  j["run"] = runs;
  j["rollbacks"] = rollbacks;
  return j.dump(2) + "\n";
}

}  // namespace firedrill::live
