#include "live/bindings.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "live/driver.hpp"
#include "live/secrets.hpp"
#include "sim/input_file.hpp"
#include "sim/loader_internal.hpp"
#include "sim/units.hpp"

namespace firedrill::live {

namespace {

using nlohmann::json;
using sim::pointer_join;

const std::vector<std::string> kTopKeys{"format", "components", "services", "faults", "steps", "guards"};
const std::vector<std::string> kCallKeys{"driver", "action", "params", "undo", "component"};
const std::vector<std::string> kProbeKeys{"driver", "params", "interval", "passes", "failures", "name"};

std::string found_text(const json* v) {
  if (v == nullptr) return "nothing";
  if (is_secret_ref(*v)) return "a secret reference";
  std::string s = v->dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

class Reader {
 public:
  Reader(const std::string& file, const sim::detail::SourceMap& map, const DriverRegistry& drivers,
         sim::Diagnostics& out)
      : file_(file), map_(map), drivers_(drivers), out_(out) {}

  void error(const std::string& pointer, const std::string& expected, const std::string& found,
             const std::string& hint = "") {
    const auto pos = map_.value_pos(pointer);
    out_.add({file_, pointer, pos.line, pos.column, expected, found, hint});
  }

  bool object(const json& v, const std::string& p, const std::vector<std::string>& keys) {
    if (!v.is_object()) {
      error(p, "an object", found_text(&v));
      return false;
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) {
        error(pointer_join(p, it.key()), "one of the keys " + sim::detail::join(keys),
              sim::detail::quote_text(it.key()), sim::detail::unknown_key_hint(it.key(), keys));
      }
    }
    return true;
  }

  // A name among `names` (plural: what they are), else an error at `p`.
  bool known(const std::string& name, const std::vector<std::string>& names, const std::string& p,
             const std::string& plural) {
    if (std::find(names.begin(), names.end(), name) != names.end()) return true;
    error(p, "the name of one of the scenario's " + plural, sim::detail::quote_text(name),
          sim::detail::names_hint(name, names, plural));
    return false;
  }

  const Driver* driver(const json& v, const std::string& p) {
    if (!v.is_string()) {
      error(p, "a driver name", found_text(&v));
      return nullptr;
    }
    const Driver* d = drivers_.find(v.get<std::string>());
    if (d == nullptr) {
      error(p, "one of the drivers " + sim::detail::join(drivers_.names()),
            sim::detail::quote_text(v.get<std::string>()),
            sim::detail::names_hint(v.get<std::string>(), drivers_.names(), "drivers"));
    }
    return d;
  }

  // The driver's check, whose message is "/key: expected X, found Y".
  void check_params(const Driver& d, const std::string& action, const json& params,
                    const std::string& p) {
    const std::string e = d.check(action, params);
    if (e.empty()) return;
    const auto colon = e.find(": expected ");
    const auto found = e.rfind(", found ");
    if (colon == std::string::npos || found == std::string::npos || found < colon) {
      error(p, "params the driver takes", e);
      return;
    }
    error(p + e.substr(0, colon), e.substr(colon + 11, found - colon - 11), e.substr(found + 8));
  }

  // A call: driver (or `inherited`'s), action when `want_action`, params merged over inherited.
  std::optional<Call> call(const json& v, const std::string& p, bool want_action,
                           const Call* inherited = nullptr) {
    if (!object(v, p, kCallKeys)) return std::nullopt;
    Call c;
    c.pointer = p;
    const Driver* d = nullptr;
    if (v.contains("driver")) {
      d = driver(v["driver"], pointer_join(p, "driver"));
    } else if (inherited != nullptr) {
      d = drivers_.find(inherited->driver);
    } else {
      error(pointer_join(p, "driver"), "a driver name", "nothing");
    }
    if (d == nullptr) return std::nullopt;
    c.driver = d->name();
    if (inherited != nullptr && inherited->driver == c.driver) c.params = inherited->params;
    if (v.contains("params")) {
      if (!v["params"].is_object()) {
        error(pointer_join(p, "params"), "an object", found_text(&v["params"]));
        return std::nullopt;
      }
      for (auto it = v["params"].begin(); it != v["params"].end(); ++it) c.params[it.key()] = *it;
    }
    if (want_action) {
      const json* a = v.contains("action") ? &v["action"] : nullptr;
      const auto acts = d->actions();
      if (a == nullptr || !a->is_string() ||
          std::find(acts.begin(), acts.end(), a->get<std::string>()) == acts.end()) {
        error(pointer_join(p, "action"),
              acts.empty() ? "no action: driver " + c.driver + " only probes"
                           : "one of the actions of driver " + c.driver + ": " + sim::detail::join(acts),
              found_text(a));
        return std::nullopt;
      }
      c.action = a->get<std::string>();
    }
    const std::size_t before = out_.size();
    check_params(*d, c.action, c.params, pointer_join(p, "params"));
    if (out_.size() != before) return std::nullopt;
    return c;
  }

  std::optional<Probe> probe(const json& v, const std::string& p) {
    if (!object(v, p, kProbeKeys)) return std::nullopt;
    Probe pr;
    json call_part = json::object();
    for (const char* k : {"driver", "params"}) {
      if (v.contains(k)) call_part[k] = v[k];
    }
    auto c = call(call_part, p, false);
    if (!c) return std::nullopt;
    if (!drivers_.find(c->driver)->can_probe()) {
      error(pointer_join(p, "driver"), "a driver that probes", sim::detail::quote_text(c->driver));
      return std::nullopt;
    }
    pr.call = *c;
    if (v.contains("interval")) {
      const auto s = v["interval"].is_string() ? sim::parse_duration(v["interval"].get<std::string>())
                                               : std::nullopt;
      if (!s || *s < 0.05) {
        error(pointer_join(p, "interval"), "a duration of at least 50ms like \"1s\"", found_text(&v["interval"]));
      } else {
        pr.interval_s = *s;
      }
    }
    for (auto [key, field] : {std::pair{"passes", &pr.passes}, std::pair{"failures", &pr.failures}}) {
      if (!v.contains(key)) continue;
      if (!v[key].is_number_integer() || v[key] < 1 || v[key] > 1000) {
        error(pointer_join(p, key), "a whole number from 1 to 1000", found_text(&v[key]));
      } else {
        *field = v[key].get<int>();
      }
    }
    if (v.contains("name")) pr.name = v["name"].is_string() ? v["name"].get<std::string>() : "";
    return pr;
  }

  // A service's write workload: {driver, params} of a driver that can write.
  std::optional<Call> workload(const json& v, const std::string& p) {
    if (!object(v, p, {"driver", "params"})) return std::nullopt;
    if (!v.contains("driver")) {
      error(pointer_join(p, "driver"), "a driver that runs a write workload", "nothing");
      return std::nullopt;
    }
    const Driver* d = driver(v["driver"], pointer_join(p, "driver"));
    if (d == nullptr) return std::nullopt;
    if (!d->can_write()) {
      error(pointer_join(p, "driver"), "a driver that runs a write workload (postgres)",
            sim::detail::quote_text(d->name()));
      return std::nullopt;
    }
    Call c;
    c.pointer = p;
    c.driver = d->name();
    c.action = "workload";
    if (v.contains("params")) {
      if (!v["params"].is_object()) {
        error(pointer_join(p, "params"), "an object", found_text(&v["params"]));
        return std::nullopt;
      }
      c.params = v["params"];
    }
    const std::size_t before = out_.size();
    check_params(*d, c.action, c.params, pointer_join(p, "params"));
    if (out_.size() != before) return std::nullopt;
    return c;
  }

  [[nodiscard]] const DriverRegistry& registry() const { return drivers_; }

 private:
  const std::string& file_;
  const sim::detail::SourceMap& map_;
  const DriverRegistry& drivers_;
  sim::Diagnostics& out_;
};

std::vector<std::string> names_of(const auto& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.name);
  return out;
}

void read_faults(const json& faults, const sim::Scenario& s, Reader& r, Bindings& b) {
  if (!r.object(faults, "/faults", names_of(s.disasters))) return;
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    const sim::Disaster* d = s.disaster(it.key());
    if (d == nullptr) continue;  // reported as an unknown key
    const std::string p = pointer_join("/faults", it.key());
    if (!it->is_array() || it->size() != d->faults.size()) {
      r.error(p, "a list of " + std::to_string(d->faults.size()) +
                     " fault bindings (one per fault of the disaster, in order)",
              found_text(&*it));
      continue;
    }
    std::vector<Call> calls;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      const std::string fp = pointer_join(p, i);
      // The component whose binding it builds on: "component", else the fault's target.
      std::string comp = d->faults[i].target;
      if (v.is_object() && v.contains("component") && v["component"].is_string()) {
        comp = v["component"].get<std::string>();
        if (!r.known(comp, names_of(s.components), pointer_join(fp, "component"), "components")) continue;
      }
      const auto cb = b.components.find(comp);
      auto c = r.call(v, fp, true, cb == b.components.end() ? nullptr : &cb->second);
      if (!c) continue;
      const json* undo = v.contains("undo") ? &v["undo"] : nullptr;
      if (undo != nullptr && undo->is_object()) {
        auto u = r.call(*undo, pointer_join(fp, "undo"), true);
        if (!u) continue;
        c->undo = {{"driver", u->driver}, {"action", u->action}, {"params", u->params}};
      } else if (undo != nullptr && *undo == "none") {
        c->undo = "none";
      } else if (undo != nullptr || !r.registry().find(c->driver)->undoes_itself(c->action)) {
        r.error(pointer_join(fp, "undo"),
                "how to undo \"" + c->action + "\": a call {driver, action, params}, or \"none\"",
                found_text(undo));
        continue;
      }
      calls.push_back(std::move(*c));
    }
    if (calls.size() == d->faults.size()) b.faults[it.key()] = std::move(calls);
  }
}

}  // namespace

LoadedBindings load_bindings_text(const std::string& text, const std::string& path,
                                  const sim::Scenario& s, const DriverRegistry& drivers) {
  LoadedBindings out;
  json root;
  sim::detail::SourceMap map;
  const bool yaml = path.ends_with(".yaml") || path.ends_with(".yml");
  const bool parsed = yaml ? sim::detail::parse_yaml_source(text, path, root, map, out.diagnostics)
                           : sim::detail::parse_json_source(text, path, root, map, out.diagnostics);
  if (!parsed || !out.diagnostics.empty()) return out;
  Reader r(path, map, drivers, out.diagnostics);
  if (!r.object(root, "", kTopKeys)) return out;
  Bindings b;
  b.file = path;
  if (root.value("format", json()) != kBindingsFormat) {
    r.error("/format", std::string("\"") + kBindingsFormat + "\"",
            found_text(root.contains("format") ? &root["format"] : nullptr));
  }
  std::vector<std::string> step_names;
  for (const auto& rb : s.runbooks) {
    for (const auto& st : rb.steps) step_names.push_back(rb.name + "/" + st.id);
  }
  const json empty = json::object();
  const json& comps = root.contains("components") ? root["components"] : empty;
  if (r.object(comps, "/components", names_of(s.components))) {
    for (auto it = comps.begin(); it != comps.end(); ++it) {
      if (s.component(it.key()) == nullptr) continue;
      if (auto c = r.call(*it, pointer_join("/components", it.key()), false)) b.components[it.key()] = *c;
    }
  }
  const json& services = root.contains("services") ? root["services"] : empty;
  if (r.object(services, "/services", names_of(s.services))) {
    for (auto it = services.begin(); it != services.end(); ++it) {
      const std::string p = pointer_join("/services", it.key());
      if (!r.object(*it, p, {"probe", "workload"})) continue;
      if (it->contains("workload")) {
        if (auto w = r.workload((*it)["workload"], pointer_join(p, "workload"))) b.workloads[it.key()] = *w;
      }
      if (!it->contains("probe")) {
        r.error(pointer_join(p, "probe"), "a probe {driver, params, interval, passes}", "nothing");
      } else if (auto pr = r.probe((*it)["probe"], pointer_join(p, "probe"))) {
        b.probes[it.key()] = *pr;
      }
    }
  }
  const json& steps = root.contains("steps") ? root["steps"] : empty;
  if (r.object(steps, "/steps", step_names)) {
    for (auto it = steps.begin(); it != steps.end(); ++it) {
      if (std::find(step_names.begin(), step_names.end(), it.key()) == step_names.end()) continue;
      if (auto c = r.call(*it, pointer_join("/steps", it.key()), true)) b.steps[it.key()] = *c;
    }
  }
  if (root.contains("faults")) read_faults(root["faults"], s, r, b);
  if (root.contains("guards")) {
    if (!root["guards"].is_array()) {
      r.error("/guards", "a list of guard probes", found_text(&root["guards"]));
    } else {
      for (std::size_t i = 0; i < root["guards"].size(); ++i) {
        if (auto g = r.probe(root["guards"][i], pointer_join("/guards", i))) {
          if (g->name.empty()) g->name = "guard " + std::to_string(i);
          b.guards.push_back(*g);
        }
      }
    }
  }
  if (out.diagnostics.empty()) out.bindings = std::move(b);
  return out;
}

LoadedBindings load_bindings_file(const std::string& path, const sim::Scenario& s,
                                  const DriverRegistry& drivers) {
  auto text = sim::read_input_file(path, "bindings file");
  if (auto* d = std::get_if<sim::Diagnostic>(&text)) {
    LoadedBindings out;
    out.diagnostics.add(std::move(*d));
    return out;
  }
  return load_bindings_text(std::get<std::string>(text), path, s, drivers);
}

sim::Diagnostics check_drill(const Bindings& b, const sim::Scenario& s, const sim::Disaster& d) {
  sim::Diagnostics out;
  const auto add = [&](const std::string& p, const std::string& expected) {
    out.add({b.file, p, 0, 0, expected, "nothing", "the drill of \"" + d.name + "\" needs it"});
  };
  if (!b.faults.contains(d.name)) {
    add(pointer_join("/faults", d.name),
        "a binding for each of the disaster's " + std::to_string(d.faults.size()) + " faults");
  }
  for (const auto& rb_name : d.runbooks) {
    const sim::Runbook* rb = s.runbook(rb_name);
    if (rb == nullptr) continue;
    for (const auto& st : rb->steps) {
      if (!st.fallback_for.empty()) {
        // The live executor runs steps in order and checks no precondition: a fallback would
        // run after its primary as one more step, not in its place.
        out.add({s.file, pointer_join(st.pointer, "fallback_for"), 0, 0,
                 "no fallback step in a live drill (the live executor checks no precondition)",
                 "a fallback for \"" + st.fallback_for + "\"",
                 "the drill of \"" + d.name + "\" runs runbook \"" + rb->name +
                     "\": drill its steps without fallbacks, or simulate it"});
      }
      if (!st.manual && !b.steps.contains(rb->name + "/" + st.id)) {
        add(pointer_join("/steps", rb->name + "/" + st.id), "a binding for the automated step");
      }
    }
  }
  for (const auto& svc : s.services) {
    if (!b.probes.contains(svc.name)) {
      add(pointer_join(pointer_join("/services", svc.name), "probe"), "a probe of the service");
    }
  }
  return out;
}

}  // namespace firedrill::live
