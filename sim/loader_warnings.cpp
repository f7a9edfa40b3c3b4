// Warnings of the scenario loader: a valid scenario that will not do what its author meant.
// Each warning is certain, never a guess: the rules over-approximate what a trial can do.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "sim/behaviour.hpp"
#include "sim/loader_internal.hpp"

namespace firedrill::sim::detail {

namespace {

// Every string a component names: its placement, dependencies, credentials and each string in
// its parameters (nested ones too), whatever the parameter means: more names than it really
// refers to, never fewer.
std::set<std::string> names_in(const Component& c) {
  std::set<std::string> out(c.placement.zones.begin(), c.placement.zones.end());
  for (const std::string* n : {&c.placement.region, &c.placement.provider}) {
    if (!n->empty()) out.insert(*n);
  }
  out.insert(c.depends.begin(), c.depends.end());
  out.insert(c.credentials.begin(), c.credentials.end());
  std::vector<const Params*> todo{&c.params};
  while (!todo.empty()) {
    const Params* p = todo.back();
    todo.pop_back();
    for (const auto& [key, value] : p->values) {
      if (const auto* s = std::get_if<std::string>(&value.v)) out.insert(*s);
      if (const auto* l = std::get_if<std::vector<std::string>>(&value.v)) {
        out.insert(l->begin(), l->end());
      }
      if (const auto* o = std::get_if<std::vector<Params>>(&value.v)) {
        for (const Params& nested : *o) todo.push_back(&nested);
      }
    }
  }
  return out;
}

// The zone that a provider's globally placed components live in: a SaaS provider with one
// region of one zone (engine.cpp, provider_location); "" for a provider-wide service.
std::string provider_zone(const Scenario& s, const std::string& provider) {
  for (const Provider& p : s.providers) {
    if (p.name != provider || p.kind != "saas" || p.regions.size() != 1) continue;
    const Region* r = s.region(p.regions.front());
    if (r != nullptr && r->zones.size() == 1) return r->zones.front();
  }
  return "";
}

// The names of the placements whose hosts an outage of zone, region or provider `target`
// turns off (engine.cpp, fault_hosts): the zones, the regions (regional services) and the
// providers (global services) it covers.
std::set<std::string> outage_names(const Scenario& s, FaultKind kind, const std::string& target) {
  std::set<std::string> zones, out;
  auto add_region = [&](const std::string& name) {
    out.insert(name);
    if (const Region* r = s.region(name)) zones.insert(r->zones.begin(), r->zones.end());
  };
  if (kind == FaultKind::zone_outage) zones.insert(target);
  if (kind == FaultKind::region_outage) add_region(target);
  if (kind == FaultKind::provider_outage) {
    out.insert(target);
    for (const Provider& p : s.providers) {
      if (p.name != target) continue;
      for (const std::string& r : p.regions) add_region(r);
    }
  }
  for (const Provider& p : s.providers) {
    const std::string z = provider_zone(s, p.name);
    if (!z.empty() && zones.count(z) != 0) out.insert(p.name);
  }
  out.insert(zones.begin(), zones.end());
  return out;
}

struct Monitor {
  std::string name;
  std::vector<std::string> watches;  // empty: every component
};

// Whether a trial of `d` can raise an alert. The engine alerts when a data fault is noticed,
// and when a monitoring component sees a component it watches stop serving (or the monitor is
// down and its fallback detection notices). A component can stop serving only through a fault
// of the disaster (its failure domain, the component itself, a credential, a network fault:
// anything), a runbook that starts at T0 acting on it, or something it names going down.
bool can_alert(const Scenario& s, const std::vector<Monitor>& monitors,
               const std::vector<std::set<std::string>>& names, const Disaster& d) {
  if (monitors.empty()) {
    return std::any_of(d.faults.begin(), d.faults.end(), [](const Fault& f) {
      return f.kind == FaultKind::data_corruption || f.kind == FaultKind::operator_deletion;
    });
  }
  std::set<std::string> down;  // components that may stop serving
  auto take_down_naming = [&](const std::set<std::string>& hit) {
    for (std::size_t i = 0; i < s.components.size(); ++i) {
      for (const std::string& n : names[i]) {
        if (hit.count(n) != 0) down.insert(s.components[i].name);
      }
    }
  };
  for (const Fault& f : d.faults) {
    switch (f.kind) {
      case FaultKind::data_corruption:
      case FaultKind::operator_deletion:
      case FaultKind::network_partition:
      case FaultKind::network_degradation:
        return true;  // noticed by people; or reachability anywhere
      case FaultKind::zone_outage:
      case FaultKind::region_outage:
      case FaultKind::provider_outage:
        take_down_naming(outage_names(s, f.kind, f.target));
        break;
      case FaultKind::credential_compromise:
        take_down_naming({f.target});
        break;
      case FaultKind::component_crash:
      case FaultKind::third_party_outage:
        down.insert(f.target);
        break;
      case FaultKind::team_unavailable:
      case FaultKind::office_unavailable:
        break;  // a team always serves (engine.cpp, eval): people only slow the steps

    }
  }
  for (const std::string& rb_name : d.runbooks) {
    const Runbook* rb = s.runbook(rb_name);
    if (rb == nullptr || rb->trigger != "start") continue;
    for (const Step& step : rb->steps) {
      if (step.action.verb == ActionVerb::none) continue;
      down.insert(step.action.component);
      down.insert(step.action.to.begin(), step.action.to.end());
    }
  }
  // What names a component that may stop serving may stop serving too.
  for (std::size_t before = 0; before != down.size();) {
    before = down.size();
    take_down_naming(down);
  }
  for (const Monitor& m : monitors) {
    for (const std::string& c : down) {
      if (c == m.name) continue;
      if (m.watches.empty() || std::find(m.watches.begin(), m.watches.end(), c) != m.watches.end()) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void warn_unraisable_alerts(const Scenario& s, const ModelRegistry& registry,
                            const std::string& path, Diagnostics& out) {
  std::vector<Monitor> monitors;
  std::vector<std::set<std::string>> names;
  for (const Component& c : s.components) {
    names.push_back(names_in(c));
    const ComponentModel* model = registry.find(c.kind);
    if (model == nullptr) continue;
    Behaviour b;
    model->build(c, s, b);
    if (b.monitor) monitors.push_back({c.name, b.monitor->watches});
  }
  // Whether each disaster can raise an alert, found once a disaster has an alert runbook.
  std::vector<int> can(s.disasters.size(), -1);
  for (const Runbook& rb : s.runbooks) {
    if (rb.trigger != "alert") continue;
    std::vector<std::string> never;  // the disasters listing it where it never starts
    for (std::size_t di = 0; di < s.disasters.size(); ++di) {
      const Disaster& d = s.disasters[di];
      if (std::find(d.runbooks.begin(), d.runbooks.end(), rb.name) == d.runbooks.end()) continue;
      if (can[di] < 0) can[di] = can_alert(s, monitors, names, d) ? 1 : 0;
      if (can[di] == 0) never.push_back(quote_text(d.name));
    }
    if (never.empty()) continue;
    std::string list;
    for (std::size_t k = 0; k < never.size(); ++k) {
      list += (k == 0 ? "" : k + 1 == never.size() ? " and " : ", ") + never[k];
    }
    Diagnostic w{path,
                 rb.pointer,
                 0,
                 0,
                 "a runbook that its disasters can start",
                 "runbook " + quote_text(rb.name) + " with trigger \"alert\", which nothing raises in " +
                     (never.size() == 1 ? "disaster " : "disasters ") + list,
                 (monitors.empty() ? std::string("the scenario has no monitoring")
                                   : std::string("no monitoring watches a component that its "
                                                 "faults can stop")) +
                     " and no data is damaged, so the runbook never starts and such a trial runs "
                     "to the horizon; give it \"trigger\": \"start\" or add monitoring"};
    w.warning = true;
    out.add(std::move(w));
  }
}

}  // namespace firedrill::sim::detail
