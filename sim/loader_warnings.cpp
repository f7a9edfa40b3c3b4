// Warnings of the scenario loader: a valid scenario that will not do what its author meant.
// Each warning is certain, never a guess: the rules over-approximate what a trial can do.
#include <algorithm>
#include <map>
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
  for (const AnyOf& group : c.depends_any) out.insert(group.components.begin(), group.components.end());
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

// For each name, the components that name it (names_in()).
using NamedBy = std::map<std::string, std::vector<std::size_t>>;

// Whether a trial of `d` can raise an alert. The engine alerts when a data fault is noticed,
// and when a monitoring component sees a component it watches stop serving (or the monitor is
// down and its fallback detection notices). A component can stop serving only through a fault
// of the disaster (its failure domain, the component itself, a credential, a network fault:
// anything), a runbook that starts at T0 acting on it, or something it names going down.
bool can_alert(const Scenario& s, const std::vector<Monitor>& monitors, const NamedBy& named_by,
               const Disaster& d) {
  if (monitors.empty()) {
    return std::any_of(d.faults.begin(), d.faults.end(), [](const Fault& f) {
      return f.kind == FaultKind::data_corruption || f.kind == FaultKind::operator_deletion;
    });
  }
  std::set<std::string> down;      // components that may stop serving
  std::vector<std::string> queue;  // names hit whose namers are not looked at yet
  auto stop = [&](const std::string& component) {
    if (down.insert(component).second) queue.push_back(component);
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
        for (const std::string& n : outage_names(s, f.kind, f.target)) queue.push_back(n);
        break;
      case FaultKind::credential_compromise:
        queue.push_back(f.target);
        break;
      case FaultKind::component_compromise:
        if (const Component* c = s.component(f.target)) {
          for (const std::string& cred : c->uses_credentials) queue.push_back(cred);
        }
        break;
      case FaultKind::component_crash:
      case FaultKind::third_party_outage:
        stop(f.target);
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
      stop(step.action.component);
      for (const std::string& n : step.action.to) stop(n);
    }
  }
  // What names something hit may stop serving too (breadth first: each name once).
  std::set<std::string> seen;
  while (!queue.empty()) {
    const std::string n = std::move(queue.back());
    queue.pop_back();
    if (!seen.insert(n).second) continue;
    if (const auto it = named_by.find(n); it != named_by.end()) {
      for (const std::size_t i : it->second) stop(s.components[i].name);
    }
  }
  for (const Monitor& m : monitors) {
    if (m.watches.empty()) {
      if (down.size() > down.count(m.name)) return true;
      continue;
    }
    for (const std::string& c : m.watches) {
      if (c != m.name && down.count(c) != 0) return true;
    }
  }
  return false;
}

}  // namespace

void warn_unraisable_alerts(const Scenario& s, const ModelRegistry& registry,
                            const std::string& path, Diagnostics& out) {
  if (std::none_of(s.runbooks.begin(), s.runbooks.end(),
                   [](const Runbook& rb) { return rb.trigger == "alert"; })) {
    return;
  }
  std::vector<Monitor> monitors;
  NamedBy named_by;
  for (std::size_t i = 0; i < s.components.size(); ++i) {
    const Component& c = s.components[i];
    for (const std::string& n : names_in(c)) named_by[n].push_back(i);
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
      if (can[di] < 0) can[di] = can_alert(s, monitors, named_by, d) ? 1 : 0;
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
                 "runbook " + quote_text(rb.name) +
                     " with trigger \"alert\", which nothing raises in " +
                     (never.size() == 1 ? "disaster " : "disasters ") + list,
                 (monitors.empty() ? std::string("the scenario has no monitoring")
                                   : std::string("no monitoring watches a component that its "
                                                 "faults can stop")) +
                     " and no data is damaged, so its steps never run and a service that needs "
                     "them stays down to the horizon; give it \"trigger\": \"start\" or add "
                     "monitoring"};
    w.warning = true;
    out.add(std::move(w));
  }
}

void warn_undrainable_queues(const Scenario& s, const std::string& path, Diagnostics& out) {
  for (const Service& svc : s.services) {
    for (std::size_t k = 0; k < svc.queued.size(); ++k) {
      const QueuedDependency& q = svc.queued[k];
      if (svc.writes_per_s <= 0 || q.drain_rate > svc.writes_per_s) continue;
      Diagnostic w{path,
                   pointer_join(pointer_join(pointer_join(svc.pointer, "queued"), k), "drain_rate"),
                   0,
                   0,
                   "a drain_rate above the service's writes (" + format_rate(svc.writes_per_s) + ")",
                   format_rate(q.drain_rate),
                   "a backlog shrinks at drain_rate less the writes still arriving: once " +
                       quote_text(q.component) + " has been down, " + quote_text(svc.name) +
                       " never recovers"};
      w.warning = true;
      out.add(std::move(w));
    }
  }
}

}  // namespace firedrill::sim::detail
