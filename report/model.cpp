#include "report/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "models/register.hpp"
#include "sim/hash.hpp"
#include "sim/json_values.hpp"
#include "sim/loader.hpp"
#include "sim/loader_internal.hpp"
#include "sim/result.hpp"
#include "sim/stats.hpp"
#include "sim/units.hpp"

namespace firedrill::report {

using nlohmann::json;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Thrown inside the builder, turned into an InputError at its edge.
struct Bad {
  std::string pointer, expected, found;
};

enum class Type { object, array, string, number, boolean, whole, number_or_null };

const char* expected_of(Type t) {
  switch (t) {
    case Type::object: return "an object";
    case Type::array: return "an array";
    case Type::string: return "a string";
    case Type::number: return "a number";
    case Type::boolean: return "true or false";
    case Type::whole: return "a whole number";
    case Type::number_or_null: return "a number or null";
  }
  return "";
}

bool is(const json& j, Type t) {
  switch (t) {
    case Type::object: return j.is_object();
    case Type::array: return j.is_array();
    case Type::string: return j.is_string();
    case Type::number: return j.is_number();
    case Type::boolean: return j.is_boolean();
    case Type::whole: return j.is_number_unsigned() || (j.is_number_integer() && j.get<std::int64_t>() >= 0);
    case Type::number_or_null: return j.is_number() || j.is_null();
  }
  return false;
}

// The member `key` of the object at `at`, of type `t`.
const json& need(const json& parent, const std::string& at, const std::string& key, Type t) {
  const std::string pointer = sim::pointer_join(at, key);
  auto it = parent.find(key);
  if (it == parent.end()) throw Bad{pointer, expected_of(t), "nothing"};
  if (!is(*it, t)) throw Bad{pointer, expected_of(t), sim::render_found(*it)};
  return *it;
}

std::string text_of(const json& parent, const std::string& at, const std::string& key) {
  return need(parent, at, key, Type::string).get<std::string>();
}
double number_of(const json& parent, const std::string& at, const std::string& key) {
  return need(parent, at, key, Type::number).get<double>();
}
std::uint64_t whole_of(const json& parent, const std::string& at, const std::string& key) {
  return need(parent, at, key, Type::whole).get<std::uint64_t>();
}
std::optional<double> optional_of(const json& parent, const std::string& at, const std::string& key) {
  const json& j = need(parent, at, key, Type::number_or_null);
  return j.is_null() ? std::nullopt : std::optional<double>(j.get<double>());
}

// value / target, infinity when not recovered or above a zero target.
double ratio(const std::optional<double>& value, double target) {
  if (!value) return kInf;
  if (target <= 0) return *value > 1e-9 ? kInf : 0;
  return *value / target;
}

std::string s_of(double seconds) { return sim::format_duration(std::round(seconds * 1000) / 1000); }

// Latencies are often below a millisecond: "0.2ms", "80ms", "1.5s".
std::string latency_text(double seconds) {
  if (seconds <= 0 || seconds >= 1) return s_of(seconds);
  std::ostringstream out;
  out << seconds * 1000 << "ms";
  return out.str();
}

const std::size_t kOutside = sim::phase_index("outside");

const char* phase_advice(const std::string& phase) {
  if (phase == "detect") return "detect it sooner (shorter health-check or monitoring intervals, fewer failed checks before alerting)";
  if (phase == "respond") return "page faster or automate the first response (people's response time dominates)";
  if (phase == "restore") return "make the failover or restore itself faster (automatic failover, a warm standby, a closer copy, more restore bandwidth)";
  if (phase == "outside") return "stop waiting for the provider or third party (a standby or copy in another region or provider, a second supplier, a way to work without it)";
  if (phase == "propagate") return "shorten propagation (a lower DNS TTL, health-checked DNS)";
  if (phase == "drain") return "drain the backlog faster (more consumers, a higher drain rate)";
  return "";
}

// The compared RTO of a cell: a run's value; a sweep's p95 (none when more than 5% of trials
// did not recover).
std::optional<double> compared(const Quantiles& q, std::uint64_t trials) {
  if (trials > 0 && static_cast<double>(q.not_recovered) > 0.05 * static_cast<double>(trials)) {
    return std::nullopt;
  }
  return q.p95;
}

// RTO driver, RPO driver and advice of an affected cell.
void explain(Cell& c, bool sweep, const std::vector<std::string>& data_stores) {
  if (c.affected == 0) {
    c.rto_driver = "not affected";
    return;
  }
  const std::optional<double> rto = compared(c.rto, c.trials);
  double total = 0;
  for (double p : c.phases_s) total += p;
  std::string phases;
  for (std::size_t k = 0; k < charts::kPhaseCount; ++k) {
    if (c.phases_s[k] <= 0) continue;
    phases += (phases.empty() ? "" : ", ") + std::string(charts::kPhases[k]) + " " + s_of(c.phases_s[k]);
  }
  const std::string of = sweep ? " (medians over the trials)" : "";
  if (c.dominant_phase == "none" || total <= 0) {
    c.rto_driver = rto ? "no phase measured" : "not recovered within the horizon";
  } else {
    const std::size_t k = sim::phase_index(c.dominant_phase);
    const double share = k < charts::kPhaseCount ? c.phases_s[k] / total : 0;
    c.rto_driver = c.dominant_phase + " dominates, " + std::to_string(static_cast<int>(std::round(share * 100))) +
                   "% of the phases" + of + ": " + phases;
  }
  const std::optional<double> rpo = sweep ? compared(c.rpo, c.trials) : c.rpo.p95;
  if (!rpo) {
    c.rpo_driver = "data not recovered" + std::string(sweep ? " in more than 5% of trials" : "");
  } else if (!c.recovered_from.empty()) {
    c.rpo_driver = "bounded by the copy restored: " + c.recovered_from + " (RPO " + s_of(*rpo) + ")";
  } else if (*rpo <= 0) {
    c.rpo_driver = "no acknowledged write lost";
  } else {
    std::string stores;
    for (const auto& d : data_stores) stores += (stores.empty() ? "" : ", ") + d;
    c.rpo_driver = "RPO " + std::string(sweep ? "p95 " : "") + s_of(*rpo) +
                   (stores.empty() ? "" : "; bounded by the copies of " + stores);
  }
  std::vector<std::string> advice;
  if (c.rto_missed) {
    if (!rto) {
      advice.push_back("nothing brings " + c.service + " back within the horizon" +
                       std::string(sweep ? " in more than 5% of trials" : "") +
                       ": add a recovery path (a runbook that restores or rebuilds what it needs, "
                       "from a copy outside the failure domain)");
    } else if (c.dominant_phase == "outside") {
      // Their outage is not the team's to shorten: say what it costs, never "halve it".
      const double wait = c.phases_s[sim::phase_index("outside")];
      advice.push_back(std::string(phase_advice("outside")) + ": the wait for it is about " + s_of(wait) +
                       (sweep ? " (median)" : "") + " of an RTO" + (sweep ? " p95" : "") + " of about " +
                       s_of(*rto) + " (target " + s_of(c.target_rto_s) + ")");
    } else if (c.dominant_phase != "none") {
      const std::size_t k = sim::phase_index(c.dominant_phase);
      const double halved = *rto - (k < charts::kPhaseCount ? c.phases_s[k] / 2 : 0);
      advice.push_back(std::string(phase_advice(c.dominant_phase)) + ": halving " + c.dominant_phase +
                       " would bring RTO" + (sweep ? " p95" : "") + " from about " + s_of(*rto) +
                       " to " + s_of(std::max(0.0, halved)) + " (target " + s_of(c.target_rto_s) + ")");
    }
  }
  if (c.rpo_missed) {
    advice.push_back(rpo ? "copy data more often or keep a copy the disaster cannot reach: RPO " +
                               s_of(*rpo) + " against a target of " + s_of(c.target_rpo_s)
                         : "keep a copy of the data outside the failure domain, restorable "
                           "without what the disaster takes down");
  }
  for (const auto& a : advice) c.advice += (c.advice.empty() ? "" : "; ") + a;
}

Quantiles quantiles_of(const json& j, const std::string& at) {
  Quantiles q;
  q.mean = optional_of(j, at, "mean");
  q.p50 = optional_of(j, at, "p50");
  q.p90 = optional_of(j, at, "p90");
  q.p95 = optional_of(j, at, "p95");
  q.p99 = optional_of(j, at, "p99");
  q.max = optional_of(j, at, "max");
  q.not_recovered = whole_of(j, at, "not_recovered");
  return q;
}

Quantiles single(const std::optional<double>& v) {
  Quantiles q;
  q.mean = q.p50 = q.p90 = q.p95 = q.p99 = q.max = v;
  q.not_recovered = v ? 0 : 1;
  return q;
}

std::vector<std::pair<double, std::uint64_t>> histogram_of(const json& j, const std::string& at) {
  std::vector<std::pair<double, std::uint64_t>> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = sim::pointer_join(at, i);
    const json& bin = j[i];
    if (!bin.is_array() || bin.size() != 2 || !bin[0].is_number() || !is(bin[1], Type::whole)) {
      throw Bad{p, "a [lower bound, count] pair", sim::render_found(bin)};
    }
    out.emplace_back(bin[0].get<double>(), bin[1].get<std::uint64_t>());
  }
  return out;
}

// What run and sweep outcomes share: disaster, service, class and target.
Cell cell_of(const json& o, const std::string& at) {
  if (!o.is_object()) throw Bad{at, "an object", sim::render_found(o)};
  Cell c;
  c.disaster = text_of(o, at, "disaster");
  c.service = text_of(o, at, "service");
  c.disruption = text_of(o, at, "disruption");
  const std::string tp = at + "/target";
  const json& t = need(o, at, "target", Type::object);
  c.target_rto_s = number_of(t, tp, "rto_s");
  c.target_rpo_s = number_of(t, tp, "rpo_s");
  c.target_inferred = need(t, tp, "inferred", Type::boolean).get<bool>();
  if (t.contains("note")) c.target_note = text_of(t, tp, "note");
  return c;
}

Cell run_cell(const json& o, const std::string& at) {
  Cell c = cell_of(o, at);
  c.affected = need(o, at, "affected", Type::boolean).get<bool>() ? 1 : 0;
  const json& a = need(o, at, "achieved", Type::object);
  const std::optional<double> rto = optional_of(a, at + "/achieved", "rto_s");
  const std::optional<double> rpo = optional_of(a, at + "/achieved", "rpo_s");
  c.rto = single(rto);
  c.rpo = single(rpo);
  c.lost = single(optional_of(a, at + "/achieved", "lost_writes"));
  const json& ph = need(o, at, "phases", Type::object);
  for (std::size_t k = 0; k < charts::kPhaseCount; ++k) {
    const std::string key = std::string(charts::kPhases[k]) + "_s";
    // Results written before the outside phase existed counted that wait as restore.
    c.phases_s[k] = k == kOutside && !ph.contains(key) ? 0.0 : number_of(ph, at + "/phases", key);
  }
  c.dominant_phase = text_of(ph, at + "/phases", "dominant");
  c.recovered_from = text_of(o, at, "recovered_from");
  const bool met = need(o, at, "met", Type::boolean).get<bool>();
  c.rpo_missed = !(rpo && *rpo <= c.target_rpo_s + 1e-9);
  c.rto_missed = !(rto && *rto <= c.target_rto_s + 1e-9);
  if (met == c.missed()) {
    throw Bad{at + "/met", std::string(met ? "false" : "true") + " (achieved against target says so)",
              met ? "true" : "false"};
  }
  c.p_miss = c.p_miss_lo = c.p_miss_hi = met ? 0 : 1;
  c.p_miss_rto = c.rto_missed ? 1 : 0;
  c.p_miss_rpo = c.rpo_missed ? 1 : 0;
  return c;
}

double probability_of(const json& pm, const std::string& at, const std::string& key) {
  const json& p = need(pm, at, key, Type::object);
  const double v = number_of(p, at + "/" + key, "p");
  if (v < 0 || v > 1) throw Bad{at + "/" + key + "/p", "a probability in [0, 1]", sim::render_found(p.at("p"))};
  return v;
}

Cell sweep_cell(const json& o, const std::string& at, double threshold) {
  Cell c = cell_of(o, at);
  c.trials = whole_of(o, at, "trials");
  c.affected = whole_of(o, at, "affected");
  const json& a = need(o, at, "achieved", Type::object);
  c.rto = quantiles_of(need(a, at + "/achieved", "rto_s", Type::object), at + "/achieved/rto_s");
  c.rpo = quantiles_of(need(a, at + "/achieved", "rpo_s", Type::object), at + "/achieved/rpo_s");
  c.lost = quantiles_of(need(a, at + "/achieved", "lost_writes", Type::object), at + "/achieved/lost_writes");
  const std::string pp = at + "/p_miss";
  const json& pm = need(o, at, "p_miss", Type::object);
  c.p_miss = probability_of(pm, pp, "any");
  const json& ci = need(pm.at("any"), pp + "/any", "ci95", Type::array);
  if (ci.size() != 2 || !ci[0].is_number() || !ci[1].is_number()) {
    throw Bad{pp + "/any/ci95", "a [low, high] pair of numbers", sim::render_found(ci)};
  }
  c.p_miss_lo = ci[0].get<double>();
  c.p_miss_hi = ci[1].get<double>();
  c.p_miss_rto = probability_of(pm, pp, "rto");
  c.p_miss_rpo = probability_of(pm, pp, "rpo");
  c.rto_missed = c.p_miss_rto > threshold;
  c.rpo_missed = c.p_miss_rpo > threshold;
  c.dominant_phase = text_of(o, at, "dominant_phase");
  const json& h = need(o, at, "histograms", Type::object);
  c.rto_histogram = histogram_of(need(h, at + "/histograms", "rto_s", Type::array), at + "/histograms/rto_s");
  c.rpo_histogram = histogram_of(need(h, at + "/histograms", "rpo_s", Type::array), at + "/histograms/rpo_s");
  // Each phase's median from the mergeable state the sweep keeps.
  const json& st = need(o, at, "state", Type::object);
  const json& phases = need(st, at + "/state", "phases", Type::array);
  // Sweeps written before the outside phase existed keep five: all but outside, in order.
  const bool without_outside = phases.size() == charts::kPhaseCount - 1;
  if (phases.size() != charts::kPhaseCount && !without_outside) {
    throw Bad{at + "/state/phases", std::to_string(charts::kPhaseCount) + " phase summaries",
              std::to_string(phases.size())};
  }
  for (std::size_t k = 0, i = 0; k < charts::kPhaseCount; ++k) {
    if (without_outside && k == kOutside) continue;
    try {
      c.phases_s[k] = sim::Summary::from_json(phases[i]).quantile(0.5);
    } catch (const std::exception& e) {
      throw Bad{sim::pointer_join(at + "/state/phases", i), "a phase summary", e.what()};
    }
    ++i;
  }
  return c;
}

// --- the scenario embedded in the result: scope and assumptions ---

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string value_text(const sim::ParamSpec& spec, const sim::Value& value) {
  using sim::ParamType;
  if (const auto* d = std::get_if<double>(&value.v)) {
    switch (spec.type) {
      case ParamType::duration: return sim::format_duration(*d);
      case ParamType::time_of_day: return sim::format_time_of_day(*d);
      case ParamType::size: return sim::format_size(*d);
      case ParamType::rate: return sim::format_rate(*d);
      case ParamType::bandwidth: return sim::format_bandwidth(*d);
      default: {
        std::ostringstream out;
        out << *d;
        return out.str() + (spec.unit.empty() ? "" : " " + spec.unit);
      }
    }
  }
  if (const auto* b = std::get_if<bool>(&value.v)) return *b ? "true" : "false";
  if (const auto* s = std::get_if<std::string>(&value.v)) return s->empty() ? "\"\"" : *s;
  if (const auto* dist = std::get_if<sim::Distribution>(&value.v)) {
    return dist->describe(spec.type == ParamType::rate_dist ? sim::Unit::rate : sim::Unit::duration);
  }
  if (const auto* list = std::get_if<std::vector<std::string>>(&value.v)) return "[" + join(*list) + "]";
  return "";
}

const json* at_pointer(const json& root, const std::string& pointer) {
  try {
    const json& j = root.at(json::json_pointer(pointer));
    return &j;
  } catch (const json::exception&) {
    return nullptr;
  }
}

// Where a value came from: the scenario (its pointer), the component's preset (its name and
// the figure it cites) or the kind's plain default.
std::string origin_text(const sim::Value& value, const std::string& pointer, const std::string& kind,
                        const sim::Preset* preset) {
  switch (value.origin) {
    case sim::ValueOrigin::scenario: return "scenario " + pointer;
    case sim::ValueOrigin::preset:
      if (preset != nullptr) return "preset " + preset->name + ": " + preset->description;
      break;
    case sim::ValueOrigin::kind_default: break;
  }
  return "default of kind " + kind;
}

// Rows for the parameters `specs` of `params`, nested objects flattened as "name[i].field".
void param_rows(const std::string& subject, const std::vector<sim::ParamSpec>& specs,
                const sim::Params& params, const std::string& prefix, const std::string& pointer,
                const std::string& kind, const sim::Preset* preset, std::vector<Assumption>& out) {
  for (const auto& spec : specs) {
    auto it = params.values.find(spec.name);
    if (it == params.values.end()) continue;
    const std::string ptr = sim::pointer_join(pointer, spec.name);
    if (const auto* objects = std::get_if<std::vector<sim::Params>>(&it->second.v)) {
      const bool single = spec.type == sim::ParamType::object;
      for (std::size_t i = 0; i < objects->size(); ++i) {
        const std::string name = prefix + spec.name + (single ? "" : "[" + std::to_string(i) + "]") + ".";
        param_rows(subject, spec.fields, (*objects)[i], name, single ? ptr : sim::pointer_join(ptr, i),
                   kind, preset, out);
      }
      continue;
    }
    out.push_back({subject, prefix + spec.name, value_text(spec, it->second),
                   origin_text(it->second, ptr, kind, preset), spec.description});
  }
}

std::string fault_text(const sim::Fault& f) {
  std::string t = std::string(sim::fault_kind_name(f.kind)) + " of " + f.target;
  if (!f.peer.empty()) t += " and " + f.peer;
  if (f.scope == sim::Fault::Scope::filesystem) t += " (filesystem: not replicated)";
  return t;
}

void scenario_rows(const sim::Scenario& s, const sim::ModelRegistry& registry, const json& root,
                   std::vector<Assumption>& out) {
  const sim::Network defaults;
  const json* network = at_pointer(root, "/network");
  auto net = [&](const char* name, const std::string& value, double v, double d, const char* what) {
    const bool given = network != nullptr && network->contains(name);
    out.push_back({"network", name, value, given ? std::string("scenario /network/") + name
                                                 : (v == d ? "firedrill default" : "scenario"),
                   what});
  };
  const auto& n = s.network;
  net("zone_latency", latency_text(n.zone_latency_s), n.zone_latency_s, defaults.zone_latency_s, "latency inside one zone");
  net("zone_bandwidth", sim::format_bandwidth(n.zone_bandwidth_Bps), n.zone_bandwidth_Bps, defaults.zone_bandwidth_Bps, "bandwidth of a host inside one zone");
  net("inter_zone_latency", latency_text(n.inter_zone_latency_s), n.inter_zone_latency_s, defaults.inter_zone_latency_s, "latency between zones of a region");
  net("inter_zone_bandwidth", sim::format_bandwidth(n.inter_zone_bandwidth_Bps), n.inter_zone_bandwidth_Bps, defaults.inter_zone_bandwidth_Bps, "bandwidth between zones of a region");
  net("inter_region_latency", latency_text(n.inter_region_latency_s), n.inter_region_latency_s, defaults.inter_region_latency_s, "latency between regions");
  net("inter_region_bandwidth", sim::format_bandwidth(n.inter_region_bandwidth_Bps), n.inter_region_bandwidth_Bps, defaults.inter_region_bandwidth_Bps, "bandwidth between regions (restores and copies across regions follow it)");
  out.push_back({"scenario", "horizon", sim::format_duration(s.horizon_s),
                 at_pointer(root, "/horizon") ? "scenario /horizon" : "firedrill default",
                 "a trial ends here; a service still down is not recovered"});
  for (const auto& c : s.components) {
    const sim::ComponentModel* model = registry.find(c.kind);
    if (model == nullptr) continue;
    param_rows("component " + c.name + " (" + c.kind + ")", model->params(), c.params, "", c.pointer,
               c.kind, registry.find_preset(c.kind, c.preset), out);
  }
  for (const auto& svc : s.services) {
    if (svc.writes_per_s > 0) {
      out.push_back({"service " + svc.name, "writes", sim::format_rate(svc.writes_per_s),
                     "scenario " + svc.pointer, "acknowledged writes per second (RPO counts the lost ones)"});
    }
  }
  for (const auto& rb : s.runbooks) {
    for (const auto& st : rb.steps) {
      out.push_back({"runbook " + rb.name + " / step " + st.id, "duration",
                     st.duration.describe(sim::Unit::duration), "scenario " + st.pointer,
                     st.title + (st.manual ? " (manual, by " + st.team + ")" : " (automated)")});
    }
  }
  for (const auto& d : s.disasters) {
    for (const auto& f : d.faults) {
      const std::string subject = "disaster " + d.name;
      out.push_back({subject, "fault", fault_text(f), "scenario " + f.pointer,
                     "starts " + f.at.describe(sim::Unit::duration) + " after the trial start"});
      out.push_back({subject, "fault duration",
                     f.duration ? f.duration->describe(sim::Unit::duration) : "until people recover it",
                     "scenario " + f.pointer, fault_text(f)});
      if (f.detected_after) {
        out.push_back({subject, "detected after", f.detected_after->describe(sim::Unit::duration),
                       "scenario " + f.pointer, "until someone notices the data fault"});
      }
    }
  }
}

// What a service depends on, an "either of" group as "either of a or b".
std::vector<std::string> needs(const sim::Service& svc) {
  std::vector<std::string> out = svc.depends;
  for (const auto& group : svc.depends_any) out.push_back("either of " + join(group.components, " or "));
  return out;
}

charts::Topology topology_of(const sim::Scenario& s) {
  charts::Topology t;
  t.title = "Scope: " + s.name;
  for (const auto& p : s.providers) {
    charts::TopologyProvider tp{p.name, p.kind, {}, {}};
    for (const auto& rn : p.regions) {
      const sim::Region* r = s.region(rn);
      if (r == nullptr) continue;
      charts::TopologyRegion tr{r->name, {}, {}};
      for (const auto& z : r->zones) tr.zones.push_back({z, {}});
      tp.regions.push_back(std::move(tr));
    }
    t.providers.push_back(std::move(tp));
  }
  auto provider = [&](const std::string& name) -> charts::TopologyProvider* {
    for (auto& p : t.providers) if (p.name == name) return &p;
    return nullptr;
  };
  for (const auto& c : s.components) {
    const auto& pl = c.placement;
    if (pl.empty()) {
      t.unplaced.push_back(c.name + " (" + c.kind + ")");
      continue;
    }
    if (!pl.provider.empty()) {
      if (auto* p = provider(pl.provider)) p->components.push_back(c.name);
      continue;
    }
    for (auto& p : t.providers) {
      for (auto& r : p.regions) {
        if (r.name == pl.region) r.components.push_back(c.name);
        for (auto& z : r.zones) {
          if (std::find(pl.zones.begin(), pl.zones.end(), z.name) != pl.zones.end()) z.components.push_back(c.name);
        }
      }
    }
  }
  // A provider given without regions has one implicit region and zone named after it: show
  // its components as the provider's own.
  for (auto& p : t.providers) {
    if (p.regions.size() == 1 && p.regions[0].name == p.name) {
      for (auto& z : p.regions[0].zones) p.components.insert(p.components.end(), z.components.begin(), z.components.end());
      p.components.insert(p.components.end(), p.regions[0].components.begin(), p.regions[0].components.end());
      p.regions.clear();
    }
  }
  return t;
}

void read_embedded_scenario(const json& root, Report& r, std::map<std::string, std::vector<std::string>>& data) {
  const json& sc = root.at("scenario");
  if (!sc.contains("text")) {
    r.scope_notes.push_back("this result does not carry its scenario text (written by an older firedrill): "
                            "scope and assumptions are not available from it");
    return;
  }
  const std::string text = text_of(sc, "/scenario", "text");
  const std::string base_sha = sim::sha256_hex(text);
  const std::string sha = r.variant.empty() ? base_sha : sim::sha256_hex(base_sha + "/" + r.variant);
  if (sha != r.scenario_sha256) {
    throw Bad{"/scenario/text", "the scenario text whose sha-256 is /scenario/sha256 (" + r.scenario_sha256.substr(0, 12) + "...)",
              "text whose sha-256 is " + sha.substr(0, 12) + "... (the result was edited)"};
  }
  sim::ModelRegistry registry;
  models::register_builtin_models(registry);
  const sim::Loaded loaded = sim::load_scenario_text(text, r.scenario_file, registry);
  const sim::Scenario* s = loaded.scenario ? sim::find_variant(loaded, r.variant) : nullptr;
  if (s == nullptr) {
    throw Bad{"/scenario/text", "a scenario this firedrill can load" + std::string(r.variant.empty() ? "" : " with variant " + r.variant),
              loaded.diagnostics.empty() ? "no such variant" : loaded.diagnostics.items().front().to_string()};
  }
  json parsed;
  sim::detail::SourceMap map;
  sim::Diagnostics ignored;
  const bool yaml = r.scenario_file.ends_with(".yaml") || r.scenario_file.ends_with(".yml");
  if (!(yaml ? sim::detail::parse_yaml_source(text, r.scenario_file, parsed, map, ignored)
             : sim::detail::parse_json_source(text, r.scenario_file, parsed, map, ignored))) {
    parsed = json::object();
  }
  r.scenario_embedded = true;
  r.description = s->description;
  for (auto& d : r.disasters) {  // a sweep lists disaster names only
    const sim::Disaster* sd = s->disaster(d.name);
    if (sd != nullptr && d.cls.empty()) d = {sd->name, sd->cls, sd->description, sd->claim};
  }
  if (r.horizon_s <= 0) r.horizon_s = s->horizon_s;
  r.topology = topology_of(*s);
  std::size_t regions = 0, zones = 0;
  for (const auto& reg : s->regions) ++regions, zones += reg.zones.size();
  r.scope_notes.push_back(std::to_string(s->providers.size()) + " providers, " + std::to_string(regions) +
                          " regions, " + std::to_string(zones) + " zones, " + std::to_string(s->components.size()) +
                          " components, " + std::to_string(s->services.size()) + " services, " +
                          std::to_string(s->disasters.size()) + " disasters, " + std::to_string(s->runbooks.size()) +
                          " runbooks");
  if (s->monthly_cost > 0) {
    std::ostringstream cost;
    cost << "monthly cost stated: " << s->monthly_cost;
    r.scope_notes.push_back(cost.str());
  }
  for (const auto& svc : s->services) {
    r.scope_notes.push_back("service " + svc.name + (svc.description.empty() ? "" : ": " + svc.description) +
                            " (needs " + join(needs(svc)) + (svc.data.empty() ? "" : "; data in " + join(svc.data)) + ")");
    data[svc.name] = svc.data;
  }
  scenario_rows(*s, registry, parsed, r.assumptions);
}

std::tuple<bool, double, double> severity(const Cell& c) { return {c.missed(), c.p_miss, c.excess()}; }

void summarise(Report& r) {
  std::map<std::pair<std::string, std::string>, std::size_t> line_of;
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    const Cell& c = r.cells[i];
    auto [it, fresh] = line_of.try_emplace({c.service, c.disruption}, r.summary.size());
    if (fresh) r.summary.push_back({c.service, c.disruption, {}, false, i});
    SummaryLine& line = r.summary[it->second];
    line.disasters.push_back(c.disaster);
    line.missed = line.missed || c.missed();
    if (severity(c) > severity(r.cells[line.worst])) line.worst = i;
  }
  std::stable_sort(r.summary.begin(), r.summary.end(), [&](const SummaryLine& a, const SummaryLine& b) {
    return severity(r.cells[a.worst]) > severity(r.cells[b.worst]);
  });
}

// The phases of every service the disaster took down, with its RTO target.
charts::Gantt gantt_of(const std::vector<Cell>& cells, const std::string& disaster, const std::string& title) {
  charts::Gantt g;
  g.title = title + disaster;
  for (const auto& c : cells) {
    if (c.disaster != disaster || c.affected == 0) continue;
    charts::GanttRow row;
    row.label = c.service + (c.rto.p50 ? "" : " (not recovered)");
    std::copy(std::begin(c.phases_s), std::end(c.phases_s), row.phases_s);
    row.target_s = c.target_rto_s;
    g.rows.push_back(row);
  }
  return g;
}

// The events of `disaster` in the timeline array at `at`.
std::vector<TimelineEvent> events_of(const json& timeline, const std::string& at, const std::string& disaster) {
  std::vector<TimelineEvent> events;
  for (std::size_t k = 0; k < timeline.size(); ++k) {
    const std::string tp = sim::pointer_join(at, k);
    if (text_of(timeline[k], tp, "disaster") != disaster) continue;
    events.push_back({number_of(timeline[k], tp, "t_s"), text_of(timeline[k], tp, "event"),
                      text_of(timeline[k], tp, "subject"), text_of(timeline[k], tp, "detail")});
  }
  return events;
}

std::string replay_command(const Report& r, std::uint64_t trial) {
  return "firedrill run " + r.scenario_file + (r.variant.empty() ? "" : " --variant " + r.variant) + " --seed " +
         std::to_string(r.seed) + " --trial " + std::to_string(trial);
}

void representatives_of_run(const json& root, Report& r) {
  const json& timeline = need(root, "", "timeline", Type::array);
  const json& summaries = need(root, "", "trial_summaries", Type::array);
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const std::string at = sim::pointer_join("/trial_summaries", i);
    Representative rep;
    rep.disaster = text_of(summaries[i], at, "disaster");
    rep.horizon_reached = need(summaries[i], at, "horizon_reached", Type::boolean).get<bool>();
    rep.label = "the run's trial " + std::to_string(whole_of(summaries[i], at, "trial")) + " (seed " +
                std::to_string(r.seed) + ")";
    rep.gantt = gantt_of(r.cells, rep.disaster, "Recovery phases: ");
    rep.events = events_of(timeline, "/timeline", rep.disaster);
    r.representatives.push_back(std::move(rep));
  }
}

// A sweep's median trial of each disaster, replayed with its timeline by the sweep; for a
// disaster without one (a result written before sweeps kept them), each phase's median.
// `median_from` gets the copies data came back from in those trials, by (disaster, service).
void representatives_of_sweep(const json& root, Report& r,
                              std::map<std::pair<std::string, std::string>, std::string>& median_from) {
  std::map<std::string, Representative> replayed;
  if (root.contains("representatives")) {
    const json& trials = need(root, "", "representatives", Type::array);
    for (std::size_t i = 0; i < trials.size(); ++i) {
      const std::string at = sim::pointer_join("/representatives", i);
      const json& t = trials[i];
      if (!t.is_object()) throw Bad{at, "a trial result", sim::render_found(t)};
      Representative rep;
      rep.disaster = text_of(t, at, "disaster");
      const std::uint64_t trial = whole_of(t, at, "trial");
      rep.horizon_reached = need(t, at, "horizon_reached", Type::boolean).get<bool>();
      rep.label = "trial " + std::to_string(trial) + ", the median trial (its longest RTO is the median of the " +
                  std::to_string(r.trials) + " trials); replay it with: " + replay_command(r, trial);
      std::vector<Cell> cells;
      const json& outcomes = need(t, at, "outcomes", Type::array);
      for (std::size_t k = 0; k < outcomes.size(); ++k) {
        cells.push_back(run_cell(outcomes[k], sim::pointer_join(at + "/outcomes", k)));
        median_from[{cells.back().disaster, cells.back().service}] = cells.back().recovered_from;
      }
      rep.gantt = gantt_of(cells, rep.disaster, "Recovery phases of the median trial: ");
      rep.events = events_of(need(t, at, "timeline", Type::array), at + "/timeline", rep.disaster);
      replayed[rep.disaster] = std::move(rep);
    }
  }
  for (const auto& d : r.disasters) {
    if (auto it = replayed.find(d.name); it != replayed.end()) {
      r.representatives.push_back(std::move(it->second));
      continue;
    }
    Representative rep;
    rep.disaster = d.name;
    rep.label = "the median of each phase over the trials in which a service went down and recovered "
                "(this result keeps no median trial; replay one trial with: " + replay_command(r, 0) + ")";
    rep.gantt = gantt_of(r.cells, d.name, "Median recovery phases: ");
    r.representatives.push_back(std::move(rep));
  }
}

void build(const json& root, Report& r) {
  if (!root.is_object()) throw Bad{"", "a firedrill result object", sim::render_found(root)};
  const std::string schema = root.contains("schema") && root["schema"].is_string() ? root["schema"].get<std::string>() : "";
  if (schema != sim::kResultSchema) {
    throw Bad{"/schema", std::string("\"") + sim::kResultSchema + "\" (a result of firedrill run or sweep --json)",
              root.contains("schema") ? sim::render_found(root["schema"]) : "nothing"};
  }
  r.kind = text_of(root, "", "kind");
  if (r.kind != "run" && r.kind != "sweep") {
    throw Bad{"/kind", "\"run\" or \"sweep\"" + std::string(r.kind == "compare" ? " (report each variant's sweep)" : ""),
              sim::render_found(root["kind"])};
  }
  if (root.contains("shard")) {
    throw Bad{"/shard", "a whole sweep (merge the parts first: firedrill merge PARTS --json OUT)",
              "a shard part " + sim::render_found(root["shard"])};
  }
  const json& sc = need(root, "", "scenario", Type::object);
  r.scenario_name = text_of(sc, "/scenario", "name");
  r.scenario_title = text_of(sc, "/scenario", "title");
  r.scenario_file = text_of(sc, "/scenario", "file");
  r.scenario_sha256 = text_of(sc, "/scenario", "sha256");
  r.source_document = text_of(sc, "/scenario", "source");
  if (sc.contains("variant")) r.variant = text_of(sc, "/scenario", "variant");
  r.seed = whole_of(root, "", "seed");
  r.trials = whole_of(root, "", "trials");
  const json& v = need(root, "", "versions", Type::object);
  r.firedrill_version = text_of(v, "/versions", "firedrill");
  r.simgrid_version = text_of(v, "/versions", "simgrid");
  r.command = text_of(root, "", "command");
  const json& outcomes = need(root, "", "outcomes", Type::array);
  const json& disasters = need(root, "", "disasters", Type::array);
  if (r.kind == "run") {
    r.horizon_s = number_of(root, "", "horizon_s");
    for (std::size_t i = 0; i < disasters.size(); ++i) {
      const std::string at = sim::pointer_join("/disasters", i);
      const json& d = disasters[i];
      if (!d.is_object()) throw Bad{at, "an object", sim::render_found(d)};
      r.disasters.push_back({text_of(d, at, "name"), text_of(d, at, "class"), text_of(d, at, "description"),
                             text_of(d, at, "claim")});
    }
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      r.cells.push_back(run_cell(outcomes[i], sim::pointer_join("/outcomes", i)));
    }
  } else {
    for (std::size_t i = 0; i < disasters.size(); ++i) {
      if (!disasters[i].is_string()) {
        throw Bad{sim::pointer_join("/disasters", i), "a disaster name", sim::render_found(disasters[i])};
      }
      r.disasters.push_back({disasters[i].get<std::string>(), "", "", ""});
    }
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      r.cells.push_back(sweep_cell(outcomes[i], sim::pointer_join("/outcomes", i), r.options.max_miss_probability));
    }
  }
  std::map<std::string, std::vector<std::string>> data;
  read_embedded_scenario(root, r, data);
  std::map<std::pair<std::string, std::string>, std::string> median_from;
  if (r.kind == "run") {
    representatives_of_run(root, r);
  } else {
    representatives_of_sweep(root, r, median_from);
  }
  for (auto& c : r.cells) {
    if (r.kind == "sweep") {
      for (auto& d : r.disasters) if (d.name == c.disaster && d.cls.empty()) d.cls = c.disruption;
    }
    explain(c, r.kind == "sweep", data[c.service]);
    const std::string& from = median_from[{c.disaster, c.service}];
    if (!from.empty() && c.affected > 0) c.rpo_driver += "; in the median trial data came back from " + from;
  }
  summarise(r);
}

}  // namespace

double Cell::excess() const {
  const double rto_r = ratio(trials > 1 ? compared(rto, trials) : rto.p95, target_rto_s);
  const double rpo_r = ratio(trials > 1 ? compared(rpo, trials) : rpo.p95, target_rpo_s);
  return std::max(rto_r, rpo_r);
}

bool Report::any_missed() const {
  return std::any_of(cells.begin(), cells.end(), [](const Cell& c) { return c.missed(); });
}

std::string InputError::to_string() const {
  return file + ": " + (pointer.empty() ? "" : pointer + ": ") + "expected " + expected + ", found " + found;
}

std::optional<Report> build_report(const std::string& text, const std::string& file,
                                   const Options& options, InputError& error) {
  const json root = json::parse(text, nullptr, false);
  if (root.is_discarded()) {
    error = {file, "", "a firedrill result (JSON)", "text that is not valid json"};
    return std::nullopt;
  }
  Report r;
  r.options = options;
  r.input_file = file;
  r.input_sha256 = sim::sha256_hex(text);
  try {
    build(root, r);
  } catch (const Bad& b) {
    error = {file, b.pointer, b.expected, b.found};
    return std::nullopt;
  }
  return r;
}

std::string format_seconds(const std::optional<double>& s) {
  return s ? s_of(*s) : "not recovered";
}

std::string format_percent(double p) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(1);
  out << p * 100 << "%";
  return out.str();
}

}  // namespace firedrill::report
