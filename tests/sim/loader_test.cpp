// The scenario loader against a small fake registry: a valid file in JSON and YAML, every
// error path with its pointer (and line:column), and inputs that must never crash it.
#include "sim/loader.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "sim/hash.hpp"

using namespace firedrill::sim;
using nlohmann::json;

namespace {

// ---- a fake registry ---------------------------------------------------------------------------

class FakeModel : public ComponentModel {
 public:
  FakeModel(std::string kind, std::vector<ParamSpec> params,
            PlacementRule rule = PlacementRule::required, bool data = false)
      : kind_(std::move(kind)), params_(std::move(params)), rule_(rule), data_(data) {}
  std::string_view kind() const override { return kind_; }
  std::string_view summary() const override { return "a fake model"; }
  const std::vector<ParamSpec>& params() const override { return params_; }
  PlacementRule placement_rule() const override { return rule_; }
  bool holds_data() const override { return data_; }
  void check(const Component& c, const Scenario& s, const std::string& file,
             Diagnostics& out) const override {
    // A check that needs the whole scenario: a label naming the scenario is refused.
    if (c.params.has("label") && c.params.text("label") == "no-slash") {
      // A model that writes a malformed pointer must not break the loader.
      out.add(Diagnostic{file, "components", 0, 0, "a pointer", "none", ""});
    }
    if (c.params.has("label") && c.params.text("label") == s.name) {
      out.add(Diagnostic{file, c.pointer + "/label", 0, 0, "a label other than the scenario name",
                         "\"" + s.name + "\"", ""});
    }
  }
  void build(const Component&, const Scenario&, Behaviour&) const override {}

 private:
  std::string kind_;
  std::vector<ParamSpec> params_;
  PlacementRule rule_;
  bool data_;
};

std::vector<ParamSpec> box_params() {
  ParamSpec timeout = param("timeout", ParamType::duration, "s", "\"1m\"", "Time before giving up");
  timeout.min = 1;
  timeout.max = 3600;
  ParamSpec instances =
      param("instances", ParamType::integer, "instances", "2", "instances per zone");
  instances.min = 1;
  instances.max = 10;
  ParamSpec ratio = param("ratio", ParamType::number, "", "0.5", "share of the traffic");
  ratio.max = 1;
  ParamSpec boot = param("boot", ParamType::duration_dist, "s", "\"1m\"", "boot time");
  boot.max = 86400;
  ParamSpec backup =
      object_param("backup", false,
                   {required_param("interval", ParamType::duration, "s", "Time between backups"),
                    param("keep", ParamType::integer, "copies", "7", "copies kept")},
                   "nightly backups");
  ParamSpec copies =
      object_param("copies", true,
                   {required_param("to", ParamType::region_ref, "", "destination region"),
                    param("every", ParamType::duration, "s", "\"1d\"", "copy interval")},
                   "copies to other regions", "[]");
  return {timeout,
          param("size", ParamType::size, "bytes", "\"10GB\"", "data size"),
          param("writes", ParamType::rate, "1/s", "\"10/s\"", "write rate"),
          param("nic", ParamType::bandwidth, "B/s", "\"1Gbps\"", "nic bandwidth"),
          instances,
          ratio,
          param("enabled", ParamType::boolean, "", "true", "enabled"),
          choice_param("mode", {"sync", "async"}, "\"async\"", "replication mode"),
          param("label", ParamType::text, "", "\"\"", "a free label"),
          boot,
          param("load", ParamType::rate_dist, "1/s", "\"5/s\"", "offered load"),
          param("home", ParamType::zone_ref, "", "", "home zone"),
          param("home_region", ParamType::region_ref, "", "", "home region"),
          param("peer", ParamType::component_ref, "", "", "peer component"),
          param("spread", ParamType::zone_list, "", "[]", "zones to spread over"),
          param("regions", ParamType::region_list, "", "[]", "regions served"),
          param("targets", ParamType::component_list, "", "[]", "backends"),
          backup,
          copies};
}

const ModelRegistry& registry() {
  static const std::unique_ptr<ModelRegistry> r = [] {
    auto reg = std::make_unique<ModelRegistry>();
    reg->add(std::make_unique<FakeModel>("box", box_params()));
    reg->add(
        std::make_unique<FakeModel>("store",
                                    std::vector<ParamSpec>{required_param(
                                        "capacity", ParamType::size, "bytes", "Stored data size")},
                                    PlacementRule::required, true));
    reg->add(
        std::make_unique<FakeModel>("team",
                                    std::vector<ParamSpec>{param("people", ParamType::integer,
                                                                 "people", "1", "people on call")},
                                    PlacementRule::none));
    return reg;
  }();
  return *r;
}

// ---- the valid scenario, in JSON and in YAML ----------------------------------------------------

const char* const kValidJson = R"({
  "format": "firedrill.scenario/1",
  "name": "shop",
  "title": "Shop",
  "seed": 7,
  "horizon": "2d",
  "network": {"inter_region_latency": "50ms"},
  "providers": [
    {"name": "aws", "regions": [
      {"name": "east", "zones": ["east-a", "east-b"]},
      {"name": "west", "zones": ["west-a"]}]},
    {"name": "github", "kind": "saas"}
  ],
  "credentials": [{"name": "root-key", "description": "AWS root"}],
  "components": [
    {"name": "oncall", "kind": "team", "people": 3},
    {"name": "db", "kind": "store", "zones": ["east-a", "east-b"], "capacity": "500GB",
     "credentials": ["root-key"], "monthly_cost": 100},
    {"name": "web", "kind": "box", "zones": ["east-a", "west-a"], "depends": ["db"],
     "monthly_cost": 50.5, "timeout": "30s", "boot": {"uniform": ["1m", "5m"]},
     "home": "east-a", "targets": ["db"], "backup": {"interval": "1h"},
     "copies": [{"to": "west"}], "mode": "sync", "label": "42"},
    {"name": "repo", "kind": "box", "provider": "github"}
  ],
  "services": [
    {"name": "api", "depends": ["web"],
     "queued": [{"component": "repo", "drain_rate": "50/s"}],
     "writes": "20/s", "data": ["db"],
     "targets": {"default": {"rto": "1h", "rpo": "15m"},
                 "zone": {"rto": "5m", "rpo": "0s", "inferred": true, "note": "n"}}}
  ],
  "runbooks": [
    {"name": "restore-db", "team": "oncall", "steps": [
      {"id": "page", "title": "page", "duration": "5m"},
      {"id": "restore", "duration": {"lognormal": {"p50": "20m", "p95": "1h"}},
       "after": ["page"], "requires": ["repo"],
       "action": {"restore": "db", "to": "west-a", "from": "snapshot"}},
      {"id": "switch", "kind": "automated", "duration": "30s", "after": ["restore"],
       "action": {"switch": "web", "to": "db"  }}
    ]}
  ],
  "disasters": [
    {"name": "zone-a", "class": "zone",
     "faults": [{"kind": "zone_outage", "target": "east-a", "duration": "2h"}]},
    {"name": "oops", "class": "data", "claim": "RPO 5 min",
     "faults": [{"kind": "operator_deletion", "target": "db",
                 "at": {"uniform": ["0s", "1d"]}, "detected_after": "30m"}],
     "runbooks": ["restore-db"]},
    {"name": "slow", "class": "network",
     "faults": [{"kind": "network_degradation", "target": "east", "peer": "west",
                 "bandwidth_factor": 0.5, "extra_latency": "100ms"}]}
  ]
}
)";

const char* const kValidYaml = R"(# the same scenario as kValidJson
format: firedrill.scenario/1
name: shop
title: Shop
seed: 7
horizon: 2d
network:
  inter_region_latency: 50ms
providers:
  - name: aws
    regions:
      - name: east
        zones: [east-a, east-b]
      - name: west
        zones:
          - west-a
  - name: github
    kind: saas
credentials:
  - {name: root-key, description: AWS root}
components:
  - name: oncall
    kind: team
    people: 3
  - name: db
    kind: store
    zones: [east-a, east-b]
    capacity: 500GB
    credentials: [root-key]
    monthly_cost: 100
  - name: web
    kind: box
    zones: [east-a, west-a]
    depends: [db]
    monthly_cost: 50.5
    timeout: 30s
    boot: {uniform: [1m, 5m]}
    home: east-a
    targets: [db]
    backup:
      interval: 1h
    copies:
      - to: west
    mode: sync
    label: "42"
  - name: repo
    kind: box
    provider: github
services:
  - name: api
    depends: [web]
    queued:
      - component: repo
        drain_rate: 50/s
    writes: 20/s
    data: [db]
    targets:
      default: {rto: 1h, rpo: 15m}
      zone:
        rto: 5m
        rpo: 0s
        inferred: true
        note: n
runbooks:
  - name: restore-db
    team: oncall
    steps:
      - id: page
        title: page
        duration: 5m
      - id: restore
        duration:
          lognormal: {p50: 20m, p95: 1h}
        after: [page]
        requires: [repo]
        action: {restore: db, to: west-a, from: snapshot}
      - id: switch
        kind: automated
        duration: 30s
        after: [restore]
        action:
          switch: web
          to: db
disasters:
  - name: zone-a
    class: zone
    faults:
      - kind: zone_outage
        target: east-a
        duration: 2h
  - name: oops
    class: data
    claim: 'RPO 5 min'
    faults:
      - kind: operator_deletion
        target: db
        at: {uniform: [0s, 1d]}
        detected_after: 30m
    runbooks: [restore-db]
  - name: slow
    class: network
    faults:
      - kind: network_degradation
        target: east
        peer: west
        bandwidth_factor: 0.5
        extra_latency: 100ms
)";

// ---- helpers ------------------------------------------------------------------------------------

Loaded load(const std::string& text, const std::string& path = "t.json") {
  return load_scenario_text(text, path, registry());
}

json params_json(const Params& p);

json value_json(const Value& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, Distribution>) {
          return x.to_json_text();
        } else if constexpr (std::is_same_v<T, std::vector<Params>>) {
          json out = json::array();
          for (const Params& p : x) out.push_back(params_json(p));
          return out;
        } else {
          return x;
        }
      },
      v.v);
}

json params_json(const Params& p) {
  json out = json::object();
  for (const auto& [name, value] : p.values) out[name] = value_json(value);
  return out;
}

// Everything a loaded scenario holds except file and sha256, for comparisons.
json describe(const Scenario& s) {
  json out;
  out["name"] = s.name;
  out["title"] = s.title;
  out["source"] = s.source;
  out["description"] = s.description;
  out["seed"] = s.seed;
  out["horizon"] = s.horizon_s;
  out["cost"] = s.monthly_cost;
  const Network& n = s.network;
  out["network"] = {n.zone_latency_s,         n.zone_bandwidth_Bps,
                    n.inter_zone_latency_s,   n.inter_zone_bandwidth_Bps,
                    n.inter_region_latency_s, n.inter_region_bandwidth_Bps};
  for (const Provider& p : s.providers) {
    out["providers"].push_back({p.name, p.kind, p.regions, p.pointer});
  }
  for (const Region& r : s.regions)
    out["regions"].push_back({r.name, r.provider, r.zones, r.pointer});
  out["zone_region"] = s.zone_region;
  for (const Credential& c : s.credentials) out["credentials"].push_back({c.name, c.description});
  for (const Component& c : s.components) {
    out["components"].push_back({c.name, c.kind, c.description, c.placement.zones,
                                 c.placement.region, c.placement.provider, c.depends, c.credentials,
                                 c.monthly_cost, params_json(c.params), c.pointer});
  }
  for (const Service& v : s.services) {
    json targets = json::object();
    for (const auto& [cls, t] : v.targets) targets[cls] = {t.rto_s, t.rpo_s, t.inferred, t.note};
    json queued = json::array();
    for (const auto& q : v.queued) queued.push_back({q.component, q.drain_rate});
    out["services"].push_back(
        {v.name, v.description, v.depends, queued, v.writes_per_s, v.data, targets, v.pointer});
  }
  for (const Runbook& r : s.runbooks) {
    json steps = json::array();
    for (const Step& st : r.steps) {
      steps.push_back({st.id, st.title, st.manual, st.team, st.duration.to_json_text(), st.after,
                       st.requires_up, static_cast<int>(st.action.verb), st.action.component,
                       st.action.to, st.action.from, st.pointer});
    }
    out["runbooks"].push_back({r.name, r.description, r.trigger, steps, r.pointer});
  }
  for (const Disaster& d : s.disasters) {
    json faults = json::array();
    for (const Fault& f : d.faults) {
      faults.push_back({fault_kind_name(f.kind), f.target, f.peer, f.at.to_json_text(),
                        f.duration ? f.duration->to_json_text() : "",
                        f.detected_after ? f.detected_after->to_json_text() : "",
                        f.bandwidth_factor, f.extra_latency_s, f.pointer});
    }
    out["disasters"].push_back(
        {d.name, d.cls, d.description, d.claim, faults, d.runbooks, d.pointer});
  }
  return out;
}

const Diagnostic* find_at(const Loaded& loaded, const std::string& pointer) {
  for (const Diagnostic& d : loaded.diagnostics.items()) {
    if (d.pointer == pointer) return &d;
  }
  return nullptr;
}

// The 1-based line:column of the first occurrence of `needle` after `after` in `text`.
std::pair<int, int> pos_of(const std::string& text, const std::string& needle,
                           const std::string& after = "") {
  std::size_t from = after.empty() ? 0 : text.find(after);
  REQUIRE(from != std::string::npos);
  const std::size_t at = text.find(needle, from);
  REQUIRE(at != std::string::npos);
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

json valid_doc() { return json::parse(kValidJson); }

struct Expect {
  std::string pointer;
  std::string expected;
  std::string found;
  std::string hint;
};

// Loads the valid document changed by `mutate`, as JSON and as YAML (JSON text is flow YAML),
// and checks that each reports exactly `e` (with a position) and nothing else.
void check_one(const std::function<void(json&)>& mutate, const Expect& e, std::size_t count = 1) {
  json doc = valid_doc();
  mutate(doc);
  const std::string text = doc.dump(1);
  for (const std::string path : {"t.json", "t.yaml"}) {
    const Loaded loaded = load(text, path);
    INFO(path, "\n", loaded.diagnostics.to_string());
    CHECK_FALSE(loaded.scenario.has_value());
    CHECK(loaded.diagnostics.size() == count);
    const Diagnostic* d = find_at(loaded, e.pointer);
    REQUIRE(d != nullptr);
    CHECK(d->file == path);
    CHECK(d->expected == e.expected);
    CHECK(d->found == e.found);
    CHECK(d->hint == e.hint);
    CHECK(d->line > 0);
    CHECK(d->column > 0);
  }
}

json& at(json& doc, const std::string& pointer) { return doc[json::json_pointer(pointer)]; }

void erase(json& doc, const std::string& pointer, const std::string& key) {
  at(doc, pointer).erase(key);
}

// The scenario is set exactly when there are no diagnostics.
void check_consistent(const Loaded& loaded) {
  CHECK(loaded.scenario.has_value() == loaded.diagnostics.empty());
  for (const Diagnostic& d : loaded.diagnostics.items()) {
    CHECK_FALSE(d.to_string().empty());
  }
}

const std::string kKnownTop =
    "known keys: components, credentials, description, disasters, format, horizon, "
    "monthly_cost, name, network, providers, runbooks, seed, services, source, title, variants";

}  // namespace

// ---- valid input -------------------------------------------------------------------------------

TEST_CASE("loader: a valid json scenario loads completely, defaults applied") {
  const Loaded loaded = load(kValidJson, "shop.json");
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE(loaded.scenario.has_value());
  const Scenario& s = *loaded.scenario;
  CHECK(s.file == "shop.json");
  CHECK(s.sha256 == sha256_hex(kValidJson));
  CHECK(s.name == "shop");
  CHECK(s.title == "Shop");
  CHECK(s.seed == 7);
  CHECK(s.horizon_s == 2 * 86400.0);
  CHECK(s.network.inter_region_latency_s == doctest::Approx(0.05));
  CHECK(s.network.zone_latency_s == Network{}.zone_latency_s);
  CHECK(s.monthly_cost == 150.5);

  REQUIRE(s.providers.size() == 2);
  CHECK(s.providers[0].regions == std::vector<std::string>{"east", "west"});
  CHECK(s.providers[0].kind == "cloud");
  CHECK(s.providers[1].kind == "saas");
  CHECK(s.providers[1].regions == std::vector<std::string>{"github"});
  REQUIRE(s.regions.size() == 3);
  CHECK(s.regions[2].name == "github");
  CHECK(s.regions[2].zones == std::vector<std::string>{"github"});
  CHECK(s.regions[2].pointer == "/providers/1");
  CHECK(s.regions[0].pointer == "/providers/0/regions/0");
  CHECK(s.zone_region.at("east-b") == "east");
  CHECK(s.zone_region.at("west-a") == "west");
  CHECK(s.zone_region.at("github") == "github");

  const Component* web = s.component("web");
  REQUIRE(web != nullptr);
  CHECK(web->pointer == "/components/2");
  CHECK(web->placement.zones == std::vector<std::string>{"east-a", "west-a"});
  CHECK(web->depends == std::vector<std::string>{"db"});
  const Params& p = web->params;
  CHECK(p.number("timeout") == 30);
  CHECK(p.number("size") == 10e9);
  CHECK(p.number("writes") == 10);
  CHECK(p.number("nic") == 1.25e8);
  CHECK(p.number("instances") == 2);
  CHECK(p.number("ratio") == 0.5);
  CHECK(p.boolean("enabled"));
  CHECK(p.text("mode") == "sync");
  CHECK(p.text("label") == "42");
  CHECK(p.dist("boot").kind() == Distribution::Kind::uniform);
  CHECK(p.dist("boot").parameters() == std::vector<double>{60, 300});
  CHECK(p.dist("load").is_fixed());
  CHECK(p.dist("load").mean() == 5);
  CHECK(p.text("home") == "east-a");
  CHECK_FALSE(p.has("home_region"));
  CHECK_FALSE(p.has("peer"));
  CHECK(p.list("spread").empty());
  CHECK(p.list("targets") == std::vector<std::string>{"db"});
  REQUIRE(p.object("backup") != nullptr);
  CHECK(p.object("backup")->number("interval") == 3600);
  CHECK(p.object("backup")->number("keep") == 7);
  REQUIRE(p.objects("copies").size() == 1);
  CHECK(p.objects("copies")[0].text("to") == "west");
  CHECK(p.objects("copies")[0].number("every") == 86400);
  CHECK(s.component("repo")->params.object("backup") == nullptr);
  CHECK(s.component("repo")->placement.provider == "github");
  CHECK(s.component("oncall")->params.number("people") == 3);
  CHECK(s.component("oncall")->placement.empty());
  CHECK(s.component("db")->params.number("capacity") == 500e9);
  CHECK(s.component("db")->credentials == std::vector<std::string>{"root-key"});

  REQUIRE(s.services.size() == 1);
  const Service& api = s.services[0];
  CHECK(api.writes_per_s == 20);
  CHECK(api.data == std::vector<std::string>{"db"});
  REQUIRE(api.queued.size() == 1);
  CHECK(api.queued[0].component == "repo");
  CHECK(api.queued[0].drain_rate == 50);
  CHECK(s.target(api, "zone")->rto_s == 300);
  CHECK(s.target(api, "zone")->inferred);
  CHECK(s.target(api, "zone")->note == "n");
  CHECK(s.target(api, "data")->rpo_s == 900);
  CHECK_FALSE(s.target(api, "data")->inferred);

  const Runbook* rb = s.runbook("restore-db");
  REQUIRE(rb != nullptr);
  CHECK(rb->trigger == "alert");
  REQUIRE(rb->steps.size() == 3);
  CHECK(rb->steps[0].manual);
  CHECK(rb->steps[0].team == "oncall");
  CHECK(rb->steps[0].duration.mean() == 300);
  CHECK(rb->steps[0].action.verb == ActionVerb::none);
  CHECK(rb->steps[1].after == std::vector<std::string>{"page"});
  CHECK(rb->steps[1].requires_up == std::vector<std::string>{"repo"});
  CHECK(rb->steps[1].duration.kind() == Distribution::Kind::lognormal);
  CHECK(rb->steps[1].action.verb == ActionVerb::restore);
  CHECK(rb->steps[1].action.component == "db");
  CHECK(rb->steps[1].action.to == std::vector<std::string>{"west-a"});
  CHECK(rb->steps[1].action.from == "snapshot");
  CHECK_FALSE(rb->steps[2].manual);
  CHECK(rb->steps[2].team.empty());
  CHECK(rb->steps[2].action.verb == ActionVerb::switch_to);
  CHECK(rb->steps[2].action.to == std::vector<std::string>{"db"});
  CHECK(rb->steps[2].pointer == "/runbooks/0/steps/2");

  REQUIRE(s.disasters.size() == 3);
  const Fault& zone = s.disasters[0].faults.at(0);
  CHECK(zone.kind == FaultKind::zone_outage);
  CHECK(zone.target == "east-a");
  CHECK(zone.at.mean() == 0);
  REQUIRE(zone.duration.has_value());
  CHECK(zone.duration->mean() == 7200);
  CHECK_FALSE(zone.detected_after.has_value());
  const Fault& oops = s.disasters[1].faults.at(0);
  CHECK(oops.kind == FaultKind::operator_deletion);
  CHECK(oops.at.kind() == Distribution::Kind::uniform);
  CHECK_FALSE(oops.duration.has_value());
  REQUIRE(oops.detected_after.has_value());
  CHECK(oops.detected_after->mean() == 1800);
  CHECK(s.disasters[1].claim == "RPO 5 min");
  CHECK(s.disasters[1].runbooks == std::vector<std::string>{"restore-db"});
  const Fault& slow = s.disasters[2].faults.at(0);
  CHECK(slow.peer == "west");
  CHECK(slow.bandwidth_factor == 0.5);
  CHECK(slow.extra_latency_s == doctest::Approx(0.1));
  CHECK(slow.pointer == "/disasters/2/faults/0");
}

TEST_CASE("loader: the same scenario in yaml loads to an equal scenario") {
  const Loaded from_json = load(kValidJson, "shop.json");
  const Loaded from_yaml = load(kValidYaml, "shop.yaml");
  INFO(from_yaml.diagnostics.to_string());
  REQUIRE(from_json.scenario.has_value());
  REQUIRE(from_yaml.scenario.has_value());
  CHECK(describe(*from_yaml.scenario).dump(1) == describe(*from_json.scenario).dump(1));
  CHECK(from_yaml.scenario->sha256 == sha256_hex(kValidYaml));
  CHECK(from_yaml.scenario->file == "shop.yaml");
  // .yml and upper-case extensions are YAML too; the JSON text is also valid flow YAML.
  CHECK(load(kValidYaml, "shop.YML").scenario.has_value());
  const Loaded flow = load(kValidJson, "shop.yml");
  REQUIRE(flow.scenario.has_value());
  CHECK(describe(*flow.scenario) == describe(*from_json.scenario));
}

TEST_CASE("loader: yaml scalars: quoted strings stay strings, plain ones are typed") {
  std::string text = kValidYaml;
  // A quoted number where a string is wanted stays a string ("42" above); a quoted number
  // where a number is wanted is an error; an unquoted one where a string is wanted too.
  text.replace(text.find("seed: 7"), 7, "seed: \"7\"");
  text.replace(text.find("label: \"42\""), 11, "label: 42");
  const Loaded loaded = load(text, "t.yaml");
  REQUIRE(loaded.diagnostics.size() == 2);
  CHECK(loaded.diagnostics.items()[0].to_string() ==
        "t.yaml:5:7: /seed: expected a non-negative integer, found \"7\"");
  CHECK(loaded.diagnostics.items()[1].to_string() ==
        "t.yaml:45:12: /components/2/label: expected a string, found 42");

  // Anchors and aliases are expanded; null, booleans and floats resolve like YAML 1.2.
  std::string anchored = kValidYaml;
  anchored.replace(anchored.find("zones: [east-a, east-b]\n    capacity"), 23,
                   "zones: &both [east-a, east-b]");
  anchored.replace(anchored.find("zones: [east-a, west-a]"), 23, "zones: *both");
  const Loaded with_alias = load(anchored, "t.yaml");
  INFO(with_alias.diagnostics.to_string());
  REQUIRE(with_alias.scenario.has_value());
  CHECK(with_alias.scenario->component("web")->placement.zones ==
        std::vector<std::string>{"east-a", "east-b"});

  std::string typed = kValidYaml;
  typed.replace(typed.find("title: Shop"), 11, "title: ~");
  typed.replace(typed.find("inferred: true"), 14, "inferred: yes");
  typed.replace(typed.find("bandwidth_factor: 0.5"), 21, "bandwidth_factor: .5e0");
  const Loaded t = load(typed, "t.yaml");
  REQUIRE(t.diagnostics.size() == 2);
  CHECK(t.diagnostics.items()[0].to_string() ==
        "t.yaml:4:8: /title: expected a string, found null");
  CHECK(t.diagnostics.items()[1].to_string() ==
        "t.yaml:62:19: /services/0/targets/zone/inferred: expected true or false, found \"yes\"");
}

// ---- positions ---------------------------------------------------------------------------------

const char* const kSmallJson = R"({
  "format": "firedrill.scenario/1",
  "name": "x",
  "providers": [{"name": "p"}],
  "components": [
    {"name": "a", "kind": "bxo", "provider": "p"}
  ],
  "services": [{"name": "s", "depends": ["a"],
                "targets": {"default": {"rto": "1h", "rpo": "1h"}}}],
  "disasters": [{"name": "d", "class": "zone",
                 "faults": [{"kind": "zone_outage", "target": "q"}]}],
  "colour": 1
}
)";

const char* const kSmallYaml = R"(format: firedrill.scenario/1
name: x
providers:
  - name: p
components:
  - name: a
    kind: bxo
    provider: p
services:
  - name: s
    depends: [a]
    targets:
      default: {rto: 1h, rpo: 1h}
disasters:
  - name: d
    class: zone
    faults:
      - kind: zone_outage
        target: q
colour: 1
)";

TEST_CASE("loader: diagnostics carry line:column in json and in yaml") {
  const Loaded j = load(kSmallJson, "small.json");
  REQUIRE(j.diagnostics.size() == 3);
  CHECK(j.diagnostics.items()[0].to_string() ==
        "small.json:12:3: /colour: expected a known key, found \"colour\" (" + kKnownTop + ")");
  CHECK(j.diagnostics.items()[1].to_string() ==
        "small.json:6:27: /components/0/kind: expected a component kind, found \"bxo\" "
        "(did you mean \"box\"? known kinds: box, store, team)");
  CHECK(j.diagnostics.items()[2].to_string() ==
        "small.json:11:63: /disasters/0/faults/0/target: expected the name of a zone, found \"q\" "
        "(did you mean \"p\"?)");
  // The same positions found independently.
  CHECK(std::make_pair(j.diagnostics.items()[1].line, j.diagnostics.items()[1].column) ==
        pos_of(kSmallJson, "\"bxo\""));
  CHECK(std::make_pair(j.diagnostics.items()[2].line, j.diagnostics.items()[2].column) ==
        pos_of(kSmallJson, "\"q\""));

  const Loaded y = load(kSmallYaml, "small.yaml");
  REQUIRE(y.diagnostics.size() == 3);
  CHECK(y.diagnostics.items()[0].to_string() ==
        "small.yaml:20:1: /colour: expected a known key, found \"colour\" (" + kKnownTop + ")");
  CHECK(y.diagnostics.items()[1].to_string() ==
        "small.yaml:7:11: /components/0/kind: expected a component kind, found \"bxo\" "
        "(did you mean \"box\"? known kinds: box, store, team)");
  CHECK(y.diagnostics.items()[2].to_string() ==
        "small.yaml:19:17: /disasters/0/faults/0/target: expected the name of a zone, found \"q\" "
        "(did you mean \"p\"?)");
}

TEST_CASE("loader: a missing key is reported at its object's position") {
  std::string text = kSmallYaml;
  text.replace(text.find("    kind: bxo\n"), 14, "");
  const Loaded y = load(text, "m.yaml");
  REQUIRE(y.diagnostics.size() == 3);  // and the unknown key and the dangling zone
  CHECK(y.diagnostics.items()[1].to_string() ==
        "m.yaml:6:5: /components/0/kind: expected a component kind, found nothing");
}

TEST_CASE("loader: malformed json reports line:column") {
  const Loaded a = load("{\n  \"format\": \"x\",\n  \"name\": tru\n}\n", "bad.json");
  REQUIRE(a.diagnostics.size() == 1);
  CHECK(
      a.diagnostics.items()[0].to_string() ==
      "bad.json:3:14: (document): expected valid json, found invalid literal while parsing value");
  const Loaded b = load("{\n  \"format\": \"x\",\n  \"name\": \"y\"\n", "bad.json");
  REQUIRE(b.diagnostics.size() == 1);
  CHECK(b.diagnostics.items()[0].to_string() ==
        "bad.json:4:1: (document): expected '}', found unexpected end of input while parsing "
        "object");
  const Loaded c = load("", "empty.json");
  REQUIRE(c.diagnostics.size() == 1);
  CHECK(c.diagnostics.items()[0].to_string() ==
        "empty.json:1:1: (document): expected '[', '{', or a literal, found unexpected end of "
        "input while parsing value");
  const Loaded d = load("{\"a\": 1,\n \"b\": [1, 2,]}", "bad.json");
  REQUIRE(d.diagnostics.size() == 1);
  CHECK(d.diagnostics.items()[0].line == 2);
  CHECK(d.diagnostics.items()[0].column == 13);
}

TEST_CASE("loader: malformed yaml reports yaml-cpp's mark") {
  const Loaded a = load("format: x\nname: [a, b\nproviders: 1\n", "bad.yaml");
  REQUIRE(a.diagnostics.size() == 1);
  const Diagnostic& d = a.diagnostics.items()[0];
  CHECK(d.pointer.empty());
  CHECK(d.expected == "valid yaml");
  CHECK(d.found == "end of sequence flow not found");
  CHECK(d.line == 3);  // where yaml-cpp noticed
  CHECK(d.column == 10);

  const Loaded b = load("format: x\n  name: y\n", "bad.yaml");
  REQUIRE(b.diagnostics.size() == 1);
  CHECK(b.diagnostics.items()[0].to_string() ==
        "bad.yaml:2:7: (document): expected valid yaml, found illegal map value");

  const Loaded c = load("format: x\n---\nname: y\n", "two.yaml");
  REQUIRE(c.diagnostics.size() == 1);
  CHECK(c.diagnostics.items()[0].to_string() ==
        "two.yaml:2:1: (document): expected a single yaml document, found a second document");

  const Loaded e = load("", "empty.yaml");
  REQUIRE(e.diagnostics.size() == 1);
  CHECK(e.diagnostics.items()[0].to_string() ==
        "empty.yaml:1:1: (document): expected an object with the keys format, name, providers, "
        "components, services and disasters, found nothing");
}

TEST_CASE("loader: duplicate keys are errors in json and yaml") {
  const Loaded j = load("{\"format\": 1,\n \"format\": \"firedrill.scenario/1\"}", "d.json");
  const Diagnostic* dj = find_at(j, "/format");
  REQUIRE(dj != nullptr);
  CHECK(dj->to_string() ==
        "d.json:2:2: /format: expected each key once in an object, found a "
        "second \"format\"");
  const Loaded y = load("format: 1\nformat: firedrill.scenario/1\n", "d.yaml");
  const Diagnostic* dy = find_at(y, "/format");
  REQUIRE(dy != nullptr);
  CHECK(dy->to_string() ==
        "d.yaml:2:1: /format: expected each key once in a mapping, found a "
        "second \"format\"");
}

TEST_CASE("loader: a duplicate key in a nested object is found there, sibling objects not") {
  // Parsing spots duplicates per object (only then does the position pass run, which reports
  // them): one inside an array's object must be found; the same key in sibling objects is fine.
  const Loaded j = load("{\"providers\": [{\"name\": \"a\"},\n {\"name\": \"b\", \"name\": \"c\"}]}",
                        "n.json");
  std::vector<std::string> duplicates;
  for (const Diagnostic& d : j.diagnostics.items()) {
    if (d.expected == "each key once in an object") duplicates.push_back(d.to_string());
  }
  REQUIRE(duplicates.size() == 1);
  CHECK(duplicates[0] ==
        "n.json:2:16: /providers/1/name: expected each key once in an object, found a second "
        "\"name\"");
}

// ---- top level ---------------------------------------------------------------------------------

TEST_CASE("loader: top-level errors") {
  check_one([](json& d) { d["colour"] = 1; }, {"/colour", "a known key", "\"colour\"", kKnownTop});
  check_one([](json& d) { d["titel"] = "x"; },
            {"/titel", "a known key", "\"titel\"", "did you mean \"title\"? " + kKnownTop});
  check_one([](json& d) { d.erase("format"); },
            {"/format", "\"firedrill.scenario/1\"", "nothing", ""});
  check_one([](json& d) { d["format"] = "firedrill.scenario/2"; },
            {"/format", "\"firedrill.scenario/1\"", "\"firedrill.scenario/2\"", ""});
  const std::string name_expected =
      "a name of lower-case letters, digits, \".\", \"_\" and \"-\" like \"shop-aws\"";
  check_one([](json& d) { d.erase("name"); }, {"/name", name_expected, "nothing", ""});
  check_one([](json& d) { d["name"] = "Shop"; }, {"/name", name_expected, "\"Shop\"", ""});
  check_one([](json& d) { d["name"] = "-shop"; }, {"/name", name_expected, "\"-shop\"", ""});
  check_one([](json& d) { d["title"] = 3; }, {"/title", "a string", "3", ""});
  check_one([](json& d) { d["seed"] = -1; }, {"/seed", "a non-negative integer", "-1", ""});
  check_one([](json& d) { d["seed"] = 1.5; }, {"/seed", "a non-negative integer", "1.5", ""});
  check_one([](json& d) { d["horizon"] = "soon"; },
            {"/horizon", "a duration like \"24h\"", "\"soon\"", ""});
  check_one([](json& d) { d["horizon"] = "0s"; }, {"/horizon", "a duration above 0", "\"0s\"", ""});
  check_one([](json& d) { d["monthly_cost"] = -3; },
            {"/monthly_cost", "a non-negative number", "-3", ""});
  check_one([](json& d) { d["network"] = "fast"; }, {"/network", "an object", "\"fast\"", ""});
  check_one([](json& d) { d["network"]["zone_latncy"] = "1ms"; },
            {"/network/zone_latncy", "a known key", "\"zone_latncy\"",
             "did you mean \"zone_latency\"? known keys: inter_region_bandwidth, "
             "inter_region_latency, inter_zone_bandwidth, inter_zone_latency, zone_bandwidth, "
             "zone_latency"});
  check_one([](json& d) { d["network"]["zone_bandwidth"] = "0Gbps"; },
            {"/network/zone_bandwidth", "a bandwidth above 0", "\"0Gbps\"", ""});
  check_one([](json& d) { d["network"]["inter_zone_latency"] = 5; },
            {"/network/inter_zone_latency", "a duration like \"24h\"", "5", ""});
}

TEST_CASE("loader: a document that is not an object") {
  const Loaded a = load("[1, 2]", "a.json");
  REQUIRE(a.diagnostics.size() == 1);
  CHECK(a.diagnostics.items()[0].to_string() ==
        "a.json:1:1: (document): expected an object with the keys format, name, providers, "
        "components, services and disasters, found an array of 2 items");
  const Loaded b = load("just text\n", "b.yaml");
  REQUIRE(b.diagnostics.size() == 1);
  CHECK(b.diagnostics.items()[0].found == "\"just text\"");
}

// ---- providers, regions, zones, credentials ----------------------------------------------------

TEST_CASE("loader: provider, region and zone errors") {
  check_one([](json& d) { d.erase("providers"); },
            {"/providers", "a non-empty list of providers", "nothing", ""},
            12);  // and every reference to a zone, region or provider
  check_one([](json& d) { d["providers"][1]["kind"] = "sass"; },
            {"/providers/1/kind", "one of \"cloud\", \"saas\", \"on-prem\"", "\"sass\"",
             "did you mean \"saas\"?"});
  check_one([](json& d) { d["providers"][1]["regions"] = json::array(); },
            {"/providers/1/regions", "a non-empty list of regions", "an empty array",
             "leave \"regions\" out for a provider with one implicit region and zone"});
  check_one([](json& d) { erase(d, "/providers/0/regions/1", "zones"); },
            {"/providers/0/regions/1/zones", "a non-empty list of zone names", "nothing", ""},
            1 + 1 + 1);  // and west-a is now unknown to web and to the restore step
  check_one([](json& d) { at(d, "/providers/0/regions/1/zones/0") = "east-b"; },
            {"/providers/0/regions/1/zones/0", "a zone name not used before", "\"east-b\"",
             "already used at /providers/0/regions/0/zones/1"},
            3);
  check_one([](json& d) { at(d, "/providers/0/regions/1/zones").push_back("east"); },
            {"/providers/0/regions/1/zones/1", "a zone name not used by a region", "\"east\"",
             "a region of that name is declared at /providers/0/regions/0/name"});
  check_one(
      [](json& d) {
        d["providers"].push_back({{"name", "aws"}});
      },
      {"/providers/2/name", "a provider name not used before", "\"aws\"",
       "already used at /providers/0"});
  // An implicit region clashes with a declared one of the same name.
  check_one(
      [](json& d) {
        d["providers"].push_back({{"name", "east"}});
      },
      {"/providers/2/name", "a region name not used before", "\"east\"",
       "already used at /providers/0/regions/0/name"});
  check_one([](json& d) { at(d, "/providers/0/regions/0/nam") = "x"; },
            {"/providers/0/regions/0/nam", "a known key", "\"nam\"",
             "did you mean \"name\"? known keys: name, zones"});
  check_one([](json& d) { d["providers"][0] = "aws"; },
            {"/providers/0", "a provider: an object with a name", "\"aws\"", ""}, 11);
  check_one(
      [](json& d) {
        d["credentials"].push_back({{"name", "root-key"}});
      },
      {"/credentials/1/name", "a credential name not used before", "\"root-key\"",
       "already used at /credentials/0"});
  check_one([](json& d) { d["credentials"][0]["name"] = ""; },
            {"/credentials/0/name", "a non-empty credential name", "\"\"", ""}, 2);
}

// ---- components --------------------------------------------------------------------------------

TEST_CASE("loader: component errors") {
  check_one([](json& d) { d["components"][2]["kind"] = "boxx"; },
            {"/components/2/kind", "a component kind", "\"boxx\"",
             "did you mean \"box\"? known kinds: box, store, team"});
  check_one(
      [](json& d) { d["components"][2]["kind"] = "database"; },
      {"/components/2/kind", "a component kind", "\"database\"", "known kinds: box, store, team"});
  check_one([](json& d) { d["components"][3]["name"] = "web"; },
            {"/components/3/name", "a component name not used before", "\"web\"",
             "already used at /components/2"},
            3);  // and "repo" is gone: the queued dependency and the step
  check_one([](json& d) { erase(d, "/components/3", "provider"); },
            {"/components/3", "a placement: one of \"zones\", \"region\" or \"provider\"",
             "nothing", ""});
  check_one([](json& d) { d["components"][3]["region"] = "east"; },
            {"/components/3/provider", "only one of \"zones\", \"region\" or \"provider\"",
             "both \"region\" and \"provider\"", ""});
  check_one([](json& d) { d["components"][0]["zones"] = {"east-a"}; },
            {"/components/0/zones", "no placement (a component of kind \"team\" is placed nowhere)",
             "an array of 1 item", ""});
  check_one(
      [](json& d) { d["components"][2]["zones"][1] = "west-b"; },
      {"/components/2/zones/1", "the name of a zone", "\"west-b\"", "did you mean \"west-a\"?"});
  check_one([](json& d) { d["components"][2]["zones"] = json::array(); },
            {"/components/2/zones", "a non-empty list of zone names", "an empty array", ""});
  check_one([](json& d) { d["components"][2]["zones"][1] = "east-a"; },
            {"/components/2/zones/1", "each zone once", "\"east-a\" again", ""});
  check_one([](json& d) { d["components"][3]["provider"] = "gitlab"; },
            {"/components/3/provider", "the name of a provider", "\"gitlab\"",
             "did you mean \"github\"?"});
  check_one(
      [](json& d) {
        erase(d, "/components/3", "provider");
        d["components"][3]["region"] = "north";
      },
      {"/components/3/region", "the name of a region", "\"north\"",
       "known regions: east, west, github"});
  check_one(
      [](json& d) { d["components"][2]["depends"] = {"dbb"}; },
      {"/components/2/depends/0", "the name of a component", "\"dbb\"", "did you mean \"db\"?"});
  check_one([](json& d) { d["components"][1]["credentials"] = {"admin"}; },
            {"/components/1/credentials/0", "the name of a credential", "\"admin\"",
             "known credentials: root-key"});
  check_one([](json& d) { d["components"][1]["monthly_cost"] = "100"; },
            {"/components/1/monthly_cost", "a non-negative number", "\"100\"", ""});
  check_one([](json& d) { d["components"][2]["timeuot"] = "1m"; },
            {"/components/2/timeuot", "a known key", "\"timeuot\"",
             "did you mean \"timeout\"? known keys: backup, boot, copies, credentials, depends, "
             "description, enabled, home, home_region, instances, kind, label, load, mode, "
             "monthly_cost, name, nic, peer, provider, ratio, region, regions, size, spread, "
             "targets, timeout, uses_credentials, writes, zones"});
  check_one([](json& d) { erase(d, "/components/1", "capacity"); },
            {"/components/1/capacity", "stored data size (a size like \"500GB\")", "nothing", ""});
}

TEST_CASE("loader: parameter errors, one per parameter type") {
  auto web = [](const std::string& key, json value) {
    return [key, value](json& d) { d["components"][2][key] = value; };
  };
  const std::string p = "/components/2/";
  check_one(web("timeout", "5 minutes"),
            {p + "timeout", "a duration like \"24h\"", "\"5 minutes\"", ""});
  check_one(web("timeout", "2h"), {p + "timeout", "a duration between 1s and 1h", "\"2h\"", ""});
  check_one(web("timeout", "500ms"),
            {p + "timeout", "a duration between 1s and 1h", "\"500ms\"", ""});
  check_one(web("size", 500), {p + "size", "a size like \"500GB\"", "500", ""});
  check_one(web("writes", "20 per second"),
            {p + "writes", "a rate like \"200/s\"", "\"20 per second\"", ""});
  check_one(web("nic", "fast"), {p + "nic", "a bandwidth like \"1Gbps\"", "\"fast\"", ""});
  check_one(web("instances", 2.5), {p + "instances", "an integer between 1 and 10", "2.5", ""});
  check_one(web("instances", 0), {p + "instances", "an integer between 1 and 10", "0", ""});
  check_one(web("instances", "3"), {p + "instances", "an integer between 1 and 10", "\"3\"", ""});
  check_one(web("ratio", 1.5), {p + "ratio", "a number of at most 1", "1.5", ""});
  check_one(web("ratio", -0.1), {p + "ratio", "a number of at most 1", "-0.1", ""});
  check_one(web("enabled", "yes"), {p + "enabled", "true or false", "\"yes\"", ""});
  check_one(web("mode", "syncc"),
            {p + "mode", "one of \"sync\", \"async\"", "\"syncc\"", "did you mean \"sync\"?"});
  check_one(web("mode", 1), {p + "mode", "one of \"sync\", \"async\"", "1", ""});
  check_one(web("label", false), {p + "label", "a string", "false", ""});
  check_one(
      web("boot", json{{"uniform", {"5m", "1m"}}}),
      {p + "boot/uniform/1", "a duration not less than the lower bound \"5m\"", "\"1m\"", ""});
  check_one(web("boot", json{{"uniform", {"1m", "2d"}}}),
            {p + "boot", "a duration like \"24h\" or a distribution of durations of at most 1d",
             "an object", ""});
  check_one(web("boot", json{{"exponential", {{"mean", "1m"}}}}),
            {p + "boot", "a duration like \"24h\" or a distribution of durations of at most 1d",
             "an object", ""});
  check_one(web("boot", json{{"gauss", "1m"}}),
            {p + "boot",
             "a duration like \"5m\" or one of {\"fixed\", \"uniform\", \"normal\", "
             "\"lognormal\", \"exponential\", \"triangular\", \"empirical\"}",
             "an object with an unknown key \"gauss\"", ""});
  check_one(web("load", "fast"), {p + "load", "a rate like \"200/s\"", "\"fast\"", ""});
  check_one(web("load", json{{"fixed", "fast"}}),
            {p + "load/fixed", "a rate like \"200/s\"", "\"fast\"", ""});
  check_one(web("home", "east-c"),
            {p + "home", "the name of a zone", "\"east-c\"", "did you mean \"east-a\"?"});
  check_one(web("home", 1), {p + "home", "the name of a zone", "1", ""});
  check_one(web("home_region", "eastt"),
            {p + "home_region", "the name of a region", "\"eastt\"", "did you mean \"east\"?"});
  check_one(web("peer", "rpeo"),
            {p + "peer", "the name of a component", "\"rpeo\"", "did you mean \"repo\"?"});
  check_one(web("spread", "east-a"), {p + "spread", "a list of zone names", "\"east-a\"", ""});
  check_one(web("regions", json{"east", "wst"}),
            {p + "regions/1", "the name of a region", "\"wst\"", "did you mean \"west\"?"});
  check_one(web("targets", json{"db", "nope"}),
            {p + "targets/1", "the name of a component", "\"nope\"",
             "known components: oncall, db, web, repo"});
  check_one(
      web("backup", json::object()),
      {p + "backup/interval", "time between backups (a duration like \"24h\")", "nothing", ""});
  check_one(web("backup", json{{"interval", "1h"}, {"kep", 3}}),
            {p + "backup/kep", "a known key", "\"kep\"",
             "did you mean \"keep\"? known keys: interval, keep"});
  check_one(web("backup", json{{"interval", "1h"}, {"keep", -1}}),
            {p + "backup/keep", "a non-negative integer", "-1", ""});
  check_one(web("backup", "nightly"),
            {p + "backup", "an object with the keys interval, keep", "\"nightly\"", ""});
  check_one(web("copies", json{{{"to", "west"}}, 3}),
            {p + "copies/1", "an object with the keys to, every", "3", ""});
  check_one(web("copies", json{{{"to", "wst"}}}),
            {p + "copies/0/to", "the name of a region", "\"wst\"", "did you mean \"west\"?"});
  check_one(web("copies", json{{{"to", "west"}, {"every", "often"}}}),
            {p + "copies/0/every", "a duration like \"24h\"", "\"often\"", ""});
  check_one(web("copies", json{{"to", "west"}}),
            {p + "copies", "a list of objects", "an object", ""});
}

TEST_CASE("loader: model checks run once everything else is valid, with positions") {
  json doc = valid_doc();
  doc["components"][3]["label"] = "shop";  // the model refuses the scenario's own name
  const std::string text = doc.dump(2);
  const Loaded loaded = load(text, "c.json");
  REQUIRE(loaded.diagnostics.size() == 1);
  const Diagnostic& d = loaded.diagnostics.items()[0];
  CHECK(d.pointer == "/components/3/label");
  CHECK(d.expected == "a label other than the scenario name");
  CHECK(std::make_pair(d.line, d.column) == pos_of(text, "\"shop\"", "\"label\": \"shop\""));

  doc["components"][3]["label"] = "no-slash";
  const Loaded odd = load(doc.dump(2), "c.json");
  REQUIRE(odd.diagnostics.size() == 1);
  CHECK(odd.diagnostics.items()[0].line == 1);

  // Not run while anything else is wrong.
  doc["title"] = 1;
  const Loaded other = load(doc.dump(2), "c.json");
  REQUIRE(other.diagnostics.size() == 1);
  CHECK(other.diagnostics.items()[0].pointer == "/title");
}

TEST_CASE("loader: hard dependency cycles are named") {
  check_one([](json& d) { d["components"][1]["depends"] = {"web"}; },
            {"/components/1/depends", "no cycle in hard dependencies", "db -> web -> db", ""});
  check_one(
      [](json& d) {
        d["components"][2]["depends"] = {"repo"};
        d["components"][2]["targets"] = json::array();
        d["components"][3]["depends"] = {"db"};
        d["components"][1]["depends"] = {"web"};
      },
      {"/components/1/depends", "no cycle in hard dependencies", "db -> web -> repo -> db", ""});
  // Through a "targets" component list (web -> db by targets, db -> web by depends).
  check_one(
      [](json& d) {
        d["components"][2]["depends"] = json::array();
        d["components"][1]["depends"] = {"web"};
      },
      {"/components/1/depends", "no cycle in hard dependencies", "db -> web -> db", ""});
  check_one(
      [](json& d) {
        d["components"][2]["depends"] = json::array();
        d["components"][2]["targets"] = {"web"};
      },
      {"/components/2/targets", "no cycle in hard dependencies", "web -> web", ""});
  check_one([](json& d) { d["components"][3]["depends"] = {"repo"}; },
            {"/components/3/depends", "no cycle in hard dependencies", "repo -> repo", ""});
}

// ---- services ----------------------------------------------------------------------------------

TEST_CASE("loader: service errors") {
  check_one([](json& d) { d["services"] = json::array(); },
            {"/services", "a non-empty list of services", "an empty array", ""});
  check_one([](json& d) { d["services"].push_back(d["services"][0]); },
            {"/services/1/name", "a service name not used before", "\"api\"",
             "already used at /services/0"});
  check_one([](json& d) { erase(d, "/services/0", "depends"); },
            {"/services/0/depends", "a non-empty list of component names", "nothing", ""});
  check_one([](json& d) { d["services"][0]["depends"] = json::array(); },
            {"/services/0/depends", "a non-empty list of component names", "an empty array", ""});
  check_one([](json& d) { erase(d, "/services/0/queued/0", "drain_rate"); },
            {"/services/0/queued/0/drain_rate", "a rate like \"200/s\"", "nothing", ""});
  check_one([](json& d) { at(d, "/services/0/queued/0/drain_rate") = "0/s"; },
            {"/services/0/queued/0/drain_rate", "a rate above 0", "\"0/s\"", ""});
  check_one([](json& d) { at(d, "/services/0/queued/0/component") = "rep"; },
            {"/services/0/queued/0/component", "the name of a component", "\"rep\"",
             "did you mean \"repo\"?"});
  check_one([](json& d) { d["services"][0]["writes"] = 20; },
            {"/services/0/writes", "a rate like \"200/s\"", "20", ""});
  check_one(
      [](json& d) {
        d["services"][0]["data"] = {"db", "web"};
      },
      {"/services/0/data/1", "a component that holds data", "\"web\"",
       "components that hold data: db"});
  check_one(
      [](json& d) {
        at(d, "/services/0/targets/Zone") = {{"rto", "1m"}, {"rpo", "1m"}};
      },
      {"/services/0/targets/Zone",
       "a disruption class of lower-case letters and \"_\" or \"default\"", "\"Zone\"", ""});
  check_one([](json& d) { erase(d, "/services/0/targets/zone", "rto"); },
            {"/services/0/targets/zone/rto", "a duration like \"24h\"", "nothing", ""});
  check_one([](json& d) { at(d, "/services/0/targets/zone/inferred") = "true"; },
            {"/services/0/targets/zone/inferred", "true or false", "\"true\"", ""});
  check_one([](json& d) { at(d, "/services/0/targets/zone/rtoo") = "1m"; },
            {"/services/0/targets/zone/rtoo", "a known key", "\"rtoo\"",
             "did you mean \"rto\"? known keys: inferred, note, rpo, rto"});
  // Every disaster class needs a target or a default.
  check_one([](json& d) { erase(d, "/services/0/targets", "default"); },
            {"/services/0/targets", "a target for disaster class \"data\" or a \"default\" target",
             "targets for \"zone\"", ""},
            2);  // "data" and "network"
  check_one([](json& d) { erase(d, "/services/0", "targets"); },
            {"/services/0/targets", "a target for disaster class \"zone\" or a \"default\" target",
             "nothing", ""},
            3);
}

TEST_CASE("loader: a misspelled disruption class or target key is an error, not the default") {
  const std::string standard =
      "zone, region, provider, component, network, data, credential, third_party, people";
  // A disaster's class that no service's targets name and that is not standard.
  check_one([](json& d) { at(d, "/disasters/0/class") = "regoin"; },
            {"/disasters/0/class", "a standard disruption class or one that a service's targets name",
             "\"regoin\"", "did you mean \"region\"?"});
  check_one([](json& d) { at(d, "/disasters/0/class") = "api_server"; },
            {"/disasters/0/class", "a standard disruption class or one that a service's targets name",
             "\"api_server\"", "known classes: " + standard});
  // Without a default the class's missing target is not reported again.
  check_one(
      [](json& d) {
        erase(d, "/services/0/targets", "default");
        at(d, "/services/0/targets/data") = {{"rto", "1h"}, {"rpo", "1h"}};
        at(d, "/disasters/2/class") = "netwrok";
      },
      {"/disasters/2/class", "a standard disruption class or one that a service's targets name",
       "\"netwrok\"", "did you mean \"network\"?"});
  // A target key that no disaster uses and that is not standard.
  const std::string key_expected =
      "\"default\", a standard disruption class or the class of a disaster";
  auto rename_zone_target = [](const std::string& key) {
    return [key](json& d) {
      at(d, "/services/0/targets/" + key) = at(d, "/services/0/targets/zone");
      erase(d, "/services/0/targets", "zone");
    };
  };
  check_one(rename_zone_target("zoen"),
            {"/services/0/targets/zoen", key_expected, "\"zoen\"", "did you mean \"zone\"?"});
  check_one(rename_zone_target("defualt"), {"/services/0/targets/defualt", key_expected,
                                            "\"defualt\"", "did you mean \"default\"?"});
  // Without a default: the key's error, and the other classes' missing targets; not one for
  // "zone", which the misspelled key stood for.
  check_one(
      [&](json& d) {
        rename_zone_target("zoen")(d);
        erase(d, "/services/0/targets", "default");
      },
      {"/services/0/targets/zoen", key_expected, "\"zoen\"", "did you mean \"zone\"?"}, 3);
  {
    json d = valid_doc();
    rename_zone_target("zoen")(d);
    erase(d, "/services/0/targets", "default");
    const Loaded loaded = load(d.dump(1));
    INFO(loaded.diagnostics.to_string());
    CHECK(loaded.diagnostics.to_string().find("class \"zone\"") == std::string::npos);
    CHECK(loaded.diagnostics.to_string().find("class \"data\"") != std::string::npos);
  }
  // A misspelled key inside a target is an error too.
  check_one(
      [](json& d) {
        at(d, "/services/0/targets/zone") = {{"rto", "1h"}, {"rop", "5m"}};
      },
      {"/services/0/targets/zone/rop", "a known key", "\"rop\"",
       "did you mean \"rpo\"? known keys: inferred, note, rpo, rto"},
      2);  // and "rpo" missing
}

TEST_CASE("loader: disruption classes a file uses consistently are known, in its variants too") {
  // A class of the plan's own, named by a disaster and by a target: fine; so is a standard
  // target no disaster uses yet.
  json d = valid_doc();
  at(d, "/disasters/0/class") = "storage";
  at(d, "/services/0/targets/storage") = {{"rto", "1h"}, {"rpo", "0s"}};
  at(d, "/services/0/targets/provider") = {{"rto", "1d"}, {"rpo", "1h"}};
  // A target whose class only a variant's disaster uses, and a variant's target for a class
  // only the base's disasters use.
  at(d, "/services/0/targets/workers") = {{"rto", "1h"}, {"rpo", "0s"}};
  d["variants"] = json::parse(R"([
    {"name": "v", "add_disasters": [{"name": "w", "class": "workers",
       "faults": [{"kind": "component_crash", "target": "web"}]}],
     "services": {"api": {"targets": {"storage": {"rto": "2h"}}}}}])");
  const Loaded loaded = load(d.dump(1));
  INFO(loaded.diagnostics.to_string());
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.variants.size() == 1);
  // In a variant, the same rule, pointing into the variant.
  d["variants"][0]["add_disasters"][0]["class"] = "wrokers";
  const Loaded bad = load(d.dump(1));
  const Diagnostic* e = find_at(bad, "/variants/0/add_disasters/0/class");
  INFO(bad.diagnostics.to_string());
  REQUIRE(e != nullptr);
  CHECK(e->hint == "did you mean \"workers\"?; in variant \"v\"");
}

// ---- runbooks ----------------------------------------------------------------------------------

TEST_CASE("loader: runbook and step errors") {
  const std::string s = "/runbooks/0/steps/";
  check_one([](json& d) { at(d, "/runbooks/0/trigger") = "alarm"; },
            {"/runbooks/0/trigger", "one of \"alert\", \"start\"", "\"alarm\"",
             "did you mean \"alert\"?"});
  check_one([](json& d) { at(d, "/runbooks/0/steps") = json::array(); },
            {"/runbooks/0/steps", "a non-empty list of steps", "an empty array", ""});
  check_one([](json& d) { at(d, "/runbooks/0/team") = "db"; },
            {"/runbooks/0/team", "a team (a component of kind \"team\")", "\"db\"",
             "\"db\" is a component of kind \"store\""});
  check_one([](json& d) { at(d, "/runbooks/0/team") = "ops"; },
            {"/runbooks/0/team", "the name of a team", "\"ops\"", "known teams: oncall"});
  check_one(
      [](json& d) { erase(d, "/runbooks/0", "team"); },
      {s + "0/team", "a team for this manual step (in the step or in the runbook)", "nothing", ""},
      2);  // steps 0 and 1 are manual
  check_one(
      [](json& d) { at(d, "/runbooks/0/steps/1/id") = "page"; },
      {s + "1/id", "a step id not used before", "\"page\"", "already used at /runbooks/0/steps/0"},
      2);  // and "restore" is no longer a step id
  check_one([](json& d) { erase(d, "/runbooks/0/steps/0", "id"); },
            {s + "0/id", "a non-empty step id", "nothing", ""}, 2);
  check_one(
      [](json& d) { erase(d, "/runbooks/0/steps/0", "duration"); },
      {s + "0/duration", "a duration like \"24h\" or a distribution of durations", "nothing", ""});
  check_one([](json& d) { at(d, "/runbooks/0/steps/0/kind") = "auto"; },
            {s + "0/kind", "one of \"manual\", \"automated\"", "\"auto\"", ""});
  check_one([](json& d) { at(d, "/runbooks/0/steps/1/after") = {"paeg"}; },
            {s + "1/after/0", "the name of a step", "\"paeg\"", "did you mean \"page\"?"});
  check_one([](json& d) { at(d, "/runbooks/0/steps/1/requires") = {"rpo"}; },
            {s + "1/requires/0", "the name of a component", "\"rpo\"", "did you mean \"repo\"?"});
  check_one([](json& d) { at(d, "/runbooks/0/steps/0/after") = {"switch"}; },
            {s + "0/after", "steps whose \"after\" has no cycle",
             "page -> switch -> restore -> page", ""});
  check_one([](json& d) { at(d, "/runbooks/0/steps/1/after") = {"restore"}; },
            {s + "1/after", "steps whose \"after\" has no cycle", "restore -> restore", ""});
  check_one([](json& d) { at(d, "/runbooks/0/steps/0/titel") = "x"; },
            {s + "0/titel", "a known key", "\"titel\"",
             "did you mean \"title\"? known keys: action, after, duration, "
             "duration_includes_transfer, fallback_for, id, kind, requires, team, title"});
}

TEST_CASE("loader: action errors") {
  const std::string a = "/runbooks/0/steps/1/action";
  auto action = [](json value) {
    return [value](json& d) { at(d, "/runbooks/0/steps/1/action") = value; };
  };
  check_one(
      action(json::object()),
      {a, "an action with one verb: failover, restore, rebuild, switch, bypass, repair, wait_for",
       "an empty object", ""});
  check_one(action("restore db"),
            {a,
             "an action: an object with one verb: failover, restore, rebuild, switch, bypass, "
             "repair, wait_for",
             "\"restore db\"", ""});
  check_one(action({{"restore", "db"}, {"failover", "db"}}),
            {a + "/restore", "one verb per action", "both \"failover\" and \"restore\"", ""});
  check_one(action({{"failover", "db"}, {"to", "west-a"}}),
            {a + "/to", "a known key", "\"to\"", "known keys for \"failover\": failover"});
  check_one(action({{"restore", "db"}, {"form", "pitr"}}),
            {a + "/form", "a known key", "\"form\"",
             "did you mean \"from\"? known keys for \"restore\": from, restore, to"});
  check_one(
      action({{"restore", "db"}, {"from", "tape"}}),
      {a + "/from", "one of \"any\", \"replica\", \"snapshot\", \"pitr\", \"copy\", \"versions\"",
       "\"tape\"", ""});
  check_one(action({{"restore", "db"}, {"to", {"west-a", "mars"}}}),
            {a + "/to/1", "the name of a zone", "\"mars\"",
             "known zones: east-a, east-b, west-a, github"});
  check_one(action({{"rebuild", "web"}}),
            {a + "/to", "a non-empty list of zone names", "nothing", ""});
  check_one(action({{"switch", "web"}}), {a + "/to", "the name of a component", "nothing", ""});
  check_one(action({{"switch", "web"}, {"to", "web"}}),
            {a + "/to", "a component other than the one switched", "\"web\"", ""});
  check_one(action({{"bypass", "dbx"}}),
            {a + "/bypass", "the name of a component", "\"dbx\"", "did you mean \"db\"?"});
  check_one(action({{"wait_for", 3}}), {a + "/wait_for", "the name of a component", "3", ""});

  json doc = valid_doc();
  at(doc, "/runbooks/0/steps/1/action") = {{"rebuild", "web"}, {"to", "west-a"}};
  const Loaded loaded = load(doc.dump(), "a.json");
  REQUIRE(loaded.scenario.has_value());
  const Action& act = loaded.scenario->runbooks[0].steps[1].action;
  CHECK(act.verb == ActionVerb::rebuild);
  CHECK(act.to == std::vector<std::string>{"west-a"});
}

// ---- disasters ---------------------------------------------------------------------------------

TEST_CASE("loader: disaster and fault errors") {
  const std::string f = "/disasters/0/faults/0";
  auto fault = [](json value) {
    return [value](json& d) { at(d, "/disasters/0/faults/0") = value; };
  };
  check_one([](json& d) { d["disasters"] = json::array(); },
            {"/disasters", "a non-empty list of disasters", "an empty array", ""});
  check_one([](json& d) { d["disasters"][1]["name"] = "zone-a"; },
            {"/disasters/1/name", "a disaster name not used before", "\"zone-a\"",
             "already used at /disasters/0"});
  check_one([](json& d) { d["disasters"][0]["class"] = "Zone"; },
            {"/disasters/0/class",
             "a disruption class of lower-case letters and \"_\" like \"zone\"", "\"Zone\"", ""});
  check_one([](json& d) { erase(d, "/disasters/0", "class"); },
            {"/disasters/0/class",
             "a disruption class of lower-case letters and \"_\" like \"zone\"", "nothing", ""});
  check_one([](json& d) { d["disasters"][0]["faults"] = json::array(); },
            {"/disasters/0/faults", "a non-empty list of faults", "an empty array", ""});
  check_one([](json& d) { d["disasters"][1]["runbooks"] = {"restore"}; },
            {"/disasters/1/runbooks/0", "the name of a runbook", "\"restore\"",
             "known runbooks: restore-db"});
  check_one(fault({{"kind", "zone_outtage"}, {"target", "east-a"}}),
            {f + "/kind", "a fault kind", "\"zone_outtage\"",
             "did you mean \"zone_outage\"? fault kinds: zone_outage, region_outage, "
             "provider_outage, component_crash, network_partition, network_degradation, "
             "data_corruption, operator_deletion, credential_compromise, third_party_outage, "
             "team_unavailable, office_unavailable, component_compromise"});
  check_one(fault({{"kind", "zone_outage"}}), {f + "/target", "the name of a zone", "nothing", ""});
  check_one(fault({{"kind", "zone_outage"}, {"target", "east"}}),
            {f + "/target", "the name of a zone", "\"east\"", "did you mean \"east-a\"?"});
  check_one(fault({{"kind", "region_outage"}, {"target", "east-a"}}),
            {f + "/target", "the name of a region", "\"east-a\"", "did you mean \"east\"?"});
  check_one(fault({{"kind", "provider_outage"}, {"target", "azure"}}),
            {f + "/target", "the name of a provider", "\"azure\"", "known providers: aws, github"});
  check_one(fault({{"kind", "component_crash"}, {"target", "east"}}),
            {f + "/target", "the name of a component", "\"east\"",
             "known components: oncall, db, web, repo"});
  check_one(
      fault({{"kind", "data_corruption"}, {"target", "web"}, {"detected_after", "1h"}}),
      {f + "/target", "a component that holds data", "\"web\"", "components that hold data: db"});
  check_one(fault({{"kind", "operator_deletion"}, {"target", "dbb"}, {"detected_after", "1h"}}),
            {f + "/target", "the name of a component", "\"dbb\"", "did you mean \"db\"?"});
  check_one(fault({{"kind", "credential_compromise"}, {"target", "root"}}),
            {f + "/target", "the name of a credential", "\"root\"", "known credentials: root-key"});
  check_one(fault({{"kind", "team_unavailable"}, {"target", "web"}}),
            {f + "/target", "a team (a component of kind \"team\")", "\"web\"",
             "\"web\" is a component of kind \"box\""});
  check_one(fault({{"kind", "office_unavailable"}}),
            {f + "/target", "the name of a team", "nothing", ""});
  check_one(fault({{"kind", "network_partition"}, {"target", "east"}}),
            {f + "/peer", "the name of a zone or region", "nothing", ""});
  check_one(fault({{"kind", "network_partition"}, {"target", "east"}, {"peer", "wst"}}),
            {f + "/peer", "the name of a zone or region", "\"wst\"", "did you mean \"west\"?"});
  check_one(fault({{"kind", "network_partition"}, {"target", "east"}, {"peer", "east"}}),
            {f + "/peer", "a zone or region other than the target", "\"east\"", ""});
  check_one(fault({{"kind", "zone_outage"}, {"target", "east-a"}, {"peer", "west"}}),
            {f + "/peer",
             "no peer for a zone_outage fault (only network_partition and network_degradation "
             "faults have one)",
             "\"west\"", ""});
  check_one(fault({{"kind", "data_corruption"}, {"target", "db"}}),
            {f + "/detected_after", "a duration like \"24h\" or a distribution of durations",
             "nothing", ""});
  check_one(fault({{"kind", "zone_outage"}, {"target", "east-a"}, {"detected_after", "1h"}}),
            {f + "/detected_after",
             "no detected_after for a zone_outage fault (only data_corruption and "
             "operator_deletion faults have one)",
             "\"1h\"", ""});
  check_one(fault({{"kind", "network_degradation"},
                   {"target", "east"},
                   {"peer", "west"},
                   {"bandwidth_factor", 0}}),
            {f + "/bandwidth_factor", "a number above 0 and at most 1", "0", ""});
  check_one(fault({{"kind", "network_degradation"},
                   {"target", "east"},
                   {"peer", "west"},
                   {"bandwidth_factor", 1.5}}),
            {f + "/bandwidth_factor", "a number above 0 and at most 1", "1.5", ""});
  check_one(fault({{"kind", "network_partition"},
                   {"target", "east"},
                   {"peer", "west"},
                   {"bandwidth_factor", 0.5}}),
            {f + "/bandwidth_factor",
             "no bandwidth_factor for a network_partition fault (only network_degradation "
             "faults have one)",
             "0.5", ""});
  check_one(fault({{"kind", "component_crash"}, {"target", "db"}, {"extra_latency", "1s"}}),
            {f + "/extra_latency",
             "no extra_latency for a component_crash fault (only network_degradation faults "
             "have one)",
             "\"1s\"", ""});
  check_one(fault({{"kind", "component_crash"}, {"target", "db"}, {"at", "-1m"}}),
            {f + "/at", "a duration like \"24h\"", "\"-1m\"", ""});
  check_one(
      fault({{"kind", "component_crash"}, {"target", "db"}, {"duration", {{"uniform", {"1m"}}}}}),
      {f + "/duration/uniform", "an array of 2 durations [lo, hi]", "an array of 1 item", ""});
  check_one(fault({{"kind", "component_crash"}, {"target", "db"}, {"when", "1m"}}),
            {f + "/when", "a known key", "\"when\"",
             "known keys: at, bandwidth_factor, detected_after, duration, extra_latency, kind, "
             "peer, scope, target, time_of_day"});

  // Each fault kind accepts its own target.
  json doc = valid_doc();
  doc["disasters"][0]["faults"] = {
      {{"kind", "region_outage"}, {"target", "west"}},
      {{"kind", "provider_outage"}, {"target", "github"}},
      {{"kind", "component_crash"}, {"target", "web"}, {"duration", "10m"}},
      {{"kind", "network_partition"}, {"target", "east-a"}, {"peer", "west"}},
      {{"kind", "data_corruption"},
       {"target", "db"},
       {"detected_after", {{"exponential", {{"mean", "2h"}}}}}},
      {{"kind", "credential_compromise"}, {"target", "root-key"}},
      {{"kind", "third_party_outage"}, {"target", "repo"}},
      {{"kind", "team_unavailable"}, {"target", "oncall"}},
      {{"kind", "office_unavailable"}, {"target", "oncall"}, {"at", "1h"}}};
  const Loaded loaded = load(doc.dump(), "k.json");
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.scenario.has_value());
  const auto& faults = loaded.scenario->disasters[0].faults;
  REQUIRE(faults.size() == 9);
  CHECK(faults[3].peer == "west");
  CHECK(faults[4].detected_after->mean() == 7200);
  CHECK(faults[8].kind == FaultKind::office_unavailable);
  CHECK(faults[8].at.mean() == 3600);
}

// ---- files -------------------------------------------------------------------------------------

TEST_CASE("loader: files: missing, a directory, a readable one") {
  const Loaded missing = load_scenario_file("/nonexistent/shop.json", registry());
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(
      missing.diagnostics.items()[0].to_string() ==
      "/nonexistent/shop.json: (document): expected a readable scenario file, found no such file");
  CHECK_FALSE(missing.scenario.has_value());

  const auto dir = std::filesystem::temp_directory_path();
  const Loaded directory = load_scenario_file(dir.string(), registry());
  REQUIRE(directory.diagnostics.size() == 1);
  CHECK(directory.diagnostics.items()[0].found == "a directory");

  const auto path = dir / ("firedrill_loader_test_" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream out(path, std::ios::binary);
    out << kValidYaml;
  }
  const Loaded file = load_scenario_file(path.string(), registry());
  std::filesystem::remove(path);
  INFO(file.diagnostics.to_string());
  REQUIRE(file.scenario.has_value());
  CHECK(file.scenario->file == path.string());
  CHECK(file.scenario->sha256 == sha256_hex(kValidYaml));
}

namespace {
std::filesystem::path data_dir() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "data";
}
std::string load_data(const std::string& name) {
  const Loaded loaded = load_scenario_file((data_dir() / name).string(), registry());
  CHECK_FALSE(loaded.scenario.has_value());
  std::string text = loaded.diagnostics.to_string();
  // Paths differ between machines: keep only the file name.
  const std::string prefix = (data_dir() / "").string();
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix)) {
    text.erase(at, prefix.size());
  }
  return text;
}
}  // namespace

TEST_CASE("loader: bad scenario files in tests/data") {
  CHECK(load_data("bad_cycle.json") ==
        "bad_cycle.json:7:65: /components/0/depends: expected no cycle in hard dependencies, "
        "found a -> b -> c -> a\n");
  CHECK(load_data("bad_steps.yaml") ==
        "bad_steps.yaml:28:15: /runbooks/0/steps/1/team: expected a team (a component of kind "
        "\"team\"), found \"a\" (\"a\" is a component of kind \"box\")\n"
        "bad_steps.yaml:24:16: /runbooks/0/steps/0/after: expected steps whose \"after\" has no "
        "cycle, found one -> two -> one\n");
  CHECK(load_data("bad_syntax.yaml") ==
        "bad_syntax.yaml:5:3: (document): expected valid yaml, found end of map not found\n");
  CHECK(load_data("bad_types.json") ==
        "bad_types.json:3:11: /seed: expected a non-negative integer, found \"seven\"\n"
        "bad_types.json:6:15: /providers/0/regions/0/zones: expected a non-empty list of zone "
        "names, found \"r-a\"\n"
        "bad_types.json:8:46: /components/0/provider: expected the name of a provider, found "
        "\"aws\" (known providers: gcp)\n"
        "bad_types.json:9:41: /services/0/depends: expected a non-empty list of component names, "
        "found an empty array\n"
        "bad_types.json:10:68: /disasters/0/faults/0/kind: expected a fault kind, found "
        "\"fire\" (fault kinds: zone_outage, region_outage, provider_outage, component_crash, "
        "network_partition, network_degradation, data_corruption, operator_deletion, "
        "credential_compromise, third_party_outage, team_unavailable, office_unavailable, "
        "component_compromise)\n");
}

// ---- never crash, never hang -------------------------------------------------------------------

TEST_CASE("loader fuzz: every truncation of a valid file") {
  const std::string json_text = kValidJson;
  for (std::size_t n = 0; n + 2 < json_text.size(); ++n) {  // the last two bytes are "}\n"
    const Loaded loaded = load(json_text.substr(0, n), "t.json");
    check_consistent(loaded);
    CHECK_FALSE(loaded.diagnostics.empty());
  }
  const std::string yaml_text = kValidYaml;
  for (std::size_t n = 0; n < yaml_text.size(); ++n) {
    check_consistent(load(yaml_text.substr(0, n), "t.yaml"));
  }
}

TEST_CASE("loader fuzz: wrong types at every level") {
  const json doc = valid_doc();
  const json flat = doc.flatten();
  std::vector<std::string> pointers;
  // Every value and every container on the way to it.
  for (const auto& item : flat.items()) {
    std::string p = item.key();
    while (!p.empty()) {
      if (std::find(pointers.begin(), pointers.end(), p) == pointers.end()) pointers.push_back(p);
      p.erase(p.rfind('/'));
    }
  }
  const std::vector<json> replacements{nullptr,
                                       42,
                                       -1.5,
                                       "zzz",
                                       true,
                                       json::array(),
                                       json::object(),
                                       json::parse("[[[{\"a\": [1]}]]]"),
                                       json::parse("{\"uniform\": [\"1m\"]}")};
  for (const std::string& pointer : pointers) {
    for (const json& r : replacements) {
      json changed = doc;
      changed[json::json_pointer(pointer)] = r;
      const std::string text = changed.dump();
      for (const std::string path : {"f.json", "f.yaml"}) {
        const Loaded loaded = load(text, path);
        check_consistent(loaded);
        if (r.is_null()) {
          INFO(pointer, " ", path);
          CHECK_FALSE(loaded.diagnostics.empty());  // null is never a valid value
        }
      }
    }
  }
}

TEST_CASE("loader fuzz: random garbage and random mutations") {
  std::mt19937 rng(20240601);
  const std::string alphabet = "{}[]\":,-\n \t0123456789abcdefxyz&*!|>#'?%@`\\/.~";
  for (int i = 0; i < 400; ++i) {
    std::string text;
    const int length = static_cast<int>(rng() % 200);
    for (int k = 0; k < length; ++k) {
      text +=
          (rng() % 16 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    for (const std::string path : {"g.json", "g.yaml"}) {
      const Loaded loaded = load(text, path);
      check_consistent(loaded);
      CHECK_FALSE(loaded.diagnostics.empty());
    }
  }
  // Byte flips inside a valid file.
  const std::string base = kValidYaml;
  const std::string json_base = kValidJson;
  for (int i = 0; i < 300; ++i) {
    std::string y = base;
    std::string j = json_base;
    for (int k = 0; k < 3; ++k) {
      y[rng() % y.size()] = static_cast<char>(rng() % 256);
      j[rng() % j.size()] = alphabet[rng() % alphabet.size()];
    }
    check_consistent(load(y, "m.yaml"));
    check_consistent(load(j, "m.json"));
  }
}

TEST_CASE("loader fuzz: deep nesting and alias bombs are refused quickly") {
  const Loaded json_deep = load(std::string(100000, '['), "deep.json");
  REQUIRE(json_deep.diagnostics.size() == 1);
  CHECK(
      json_deep.diagnostics.items()[0].to_string() ==
      "deep.json:1:101: (document): expected at most 100 levels of nesting, found deeper nesting");
  const Loaded yaml_deep = load(std::string(100000, '['), "deep.yaml");
  REQUIRE(yaml_deep.diagnostics.size() == 1);
  CHECK(yaml_deep.diagnostics.items()[0].line == 1);

  std::string block;
  for (int i = 0; i < 150; ++i) block += std::string(static_cast<std::size_t>(i) * 2, ' ') + "a:\n";
  const Loaded yaml_block = load(block, "block.yaml");
  REQUIRE(yaml_block.diagnostics.size() == 1);
  CHECK(yaml_block.diagnostics.items()[0].expected == "at most 100 levels of nesting");
  CHECK(yaml_block.diagnostics.items()[0].line == 101);

  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", " : "") + prev;
    bomb += "]\n";
  }
  const Loaded exploded = load(bomb, "bomb.yaml");
  REQUIRE(exploded.diagnostics.size() == 1);
  CHECK(exploded.diagnostics.items()[0].expected == "at most 1000000 values");
}

TEST_CASE("loader: invalid utf-8 in yaml is reported, not passed on") {
  std::string text = kValidYaml;
  text.replace(text.find("title: Shop"), 11, "title: Sh\xff\xfeop");
  const Loaded loaded = load(text, "u.yaml");
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics.items()[0].to_string() ==
        "u.yaml:4:8: /title: expected utf-8 text, found invalid utf-8 bytes");
}

// ---- schema ------------------------------------------------------------------------------------

TEST_CASE("schema: valid json listing every registered kind and parameter") {
  const std::string text = scenario_json_schema(registry());
  REQUIRE_FALSE(text.empty());
  CHECK(text.back() == '\n');
  const json schema = json::parse(text);
  CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  CHECK(schema["properties"]["format"]["const"] == "firedrill.scenario/1");
  CHECK(schema["required"] ==
        json({"format", "name", "providers", "components", "services", "disasters"}));
  CHECK(schema["properties"]["providers"]["minItems"] == 1);
  const json& defs = schema["$defs"];
  CHECK(defs["component"]["properties"]["kind"]["enum"] == json({"box", "store", "team"}));
  CHECK(defs["component"]["allOf"].size() == 3);
  CHECK(defs["component"]["allOf"][0]["then"]["$ref"] == "#/$defs/kind_box");
  for (const std::string kind : {"box", "store", "team"}) {
    REQUIRE(defs.contains("kind_" + kind));
    CHECK(defs["kind_" + kind]["properties"]["kind"]["const"] == kind);
    CHECK(defs["kind_" + kind]["additionalProperties"] == false);
  }
  const json& box = defs["kind_box"]["properties"];
  for (const ParamSpec& spec : box_params()) CHECK(box.contains(spec.name));
  CHECK(box["timeout"]["$ref"] == "#/$defs/duration");
  CHECK(box["timeout"]["description"] == "Time before giving up (unit: s; default: \"1m\")");
  CHECK(box["timeout"]["default"] == "1m");
  CHECK(box["instances"]["type"] == "integer");
  CHECK(box["instances"]["minimum"] == 1);
  CHECK(box["instances"]["maximum"] == 10);
  CHECK(box["mode"]["enum"] == json({"sync", "async"}));
  CHECK(box["boot"]["$ref"] == "#/$defs/duration_distribution");
  CHECK(box["backup"]["required"] == json({"interval"}));
  CHECK(box["copies"]["type"] == "array");
  CHECK(defs["kind_store"]["required"] == json({"name", "kind", "capacity"}));
  CHECK(defs["kind_box"].contains("oneOf"));                       // zones, region or provider
  CHECK_FALSE(defs["kind_team"]["properties"].contains("zones"));  // placed nowhere
  CHECK(defs["duration_distribution"]["oneOf"].size() == 8);
  CHECK(defs["fault"]["properties"]["kind"]["enum"].size() == 13);
  CHECK(defs["duration"]["pattern"].get<std::string>().front() == '^');
  // Every $ref points at a definition that exists.
  const json flat = schema.flatten();
  for (const auto& item : flat.items()) {
    if (item.key().size() >= 5 && item.key().substr(item.key().size() - 5) == "/$ref") {
      const std::string target = item.value().get<std::string>();
      REQUIRE(target.rfind("#/$defs/", 0) == 0);
      CHECK(defs.contains(target.substr(8)));
    }
  }
}

// ---- named variants ----------------------------------------------------------------------------

namespace {

// The valid document with these variants.
json with_variants(json variants) {
  json doc = valid_doc();
  doc["variants"] = std::move(variants);
  return doc;
}

// A variant that takes "repo" away, with what must change for that.
json no_repo_variant() {
  return json::parse(R"({
    "name": "no-repo",
    "remove_components": ["repo"],
    "services": {"api": {"queued": null}},
    "runbooks": {"restore-db": {"steps": [
      {"id": "page", "title": "page", "duration": "5m"},
      {"id": "restore", "duration": "20m", "after": ["page"],
       "action": {"restore": "db", "to": "west-a", "from": "snapshot"}}]}},
    "remove_disasters": ["slow"],
    "disasters": {"oops": {"claim": null}}
  })");
}

// The same as no_repo_variant(), written out in full.
json no_repo_document() {
  json doc = valid_doc();
  doc["components"].erase(3);
  doc["services"][0].erase("queued");
  doc["runbooks"][0]["steps"] = json::parse(R"([
      {"id": "page", "title": "page", "duration": "5m"},
      {"id": "restore", "duration": "20m", "after": ["page"],
       "action": {"restore": "db", "to": "west-a", "from": "snapshot"}}])");
  doc["disasters"].erase(2);
  doc["disasters"][1].erase("claim");
  return doc;
}

std::string in_variant(const std::string& name, const std::string& hint = "") {
  return (hint.empty() ? "" : hint + "; ") + "in variant \"" + name + "\"";
}

// Adds the variant `v` to the valid document; expects exactly `e` (and `count` problems in all).
void check_variant(const json& v, const Expect& e, std::size_t count = 1) {
  check_one([&](json& d) { d["variants"] = json::array({v}); }, e, count);
}

}  // namespace

TEST_CASE("variants: each is the base with its overrides, a complete scenario of its own") {
  const json doc = with_variants(json::parse(R"([
    {"name": "cheap", "title": "Cheap", "monthly_cost": 10,
     "components": {"web": {"timeout": "45s", "label": null, "backup": {"interval": "2h"}}}},
    {"name": "bigger", "monthly_cost": null, "description": "more",
     "add_components": [{"name": "cache", "kind": "box", "zones": ["west-a"], "monthly_cost": 7}],
     "components": {"web": {"depends": ["db", "cache"]}},
     "network": {"inter_region_latency": null, "zone_latency": "1ms"}}
  ])"));
  const std::string text = doc.dump(1);
  const Loaded loaded = load(text, "v.json");
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.scenario.has_value());
  REQUIRE(loaded.variants.size() == 2);

  const Scenario& base = *loaded.scenario;
  CHECK(base.name == "shop");
  CHECK(base.variant.empty());
  CHECK(base.sha256 == sha256_hex(text));
  CHECK(base.monthly_cost == 150.5);
  CHECK(base.component("cache") == nullptr);

  const Scenario& cheap = loaded.variants[0];
  CHECK(cheap.name == "shop/cheap");
  CHECK(cheap.variant == "cheap");
  CHECK(cheap.file == "v.json");
  CHECK(cheap.title == "Cheap");
  CHECK(cheap.description == base.description);
  CHECK(cheap.seed == base.seed);
  CHECK(cheap.monthly_cost == 10);
  const Params& web = cheap.component("web")->params;
  CHECK(web.number("timeout") == 45);
  CHECK(web.text("label").empty());             // removed: the default again
  CHECK(web.object("backup")->number("interval") == 7200);
  CHECK(web.object("backup")->number("keep") == 7);  // the base's, merged
  CHECK(web.text("mode") == "sync");            // untouched

  const Scenario& bigger = loaded.variants[1];
  CHECK(bigger.name == "shop/bigger");
  CHECK(bigger.title == "Shop");
  CHECK(bigger.description == "more");
  CHECK(bigger.monthly_cost == 157.5);  // null: the sum of the components, cache included
  REQUIRE(bigger.components.size() == 5);
  CHECK(bigger.components[4].name == "cache");
  CHECK(bigger.components[4].pointer == "/components/4");
  CHECK(bigger.component("web")->depends == std::vector<std::string>{"db", "cache"});
  CHECK(bigger.network.inter_region_latency_s == Network{}.inter_region_latency_s);
  CHECK(bigger.network.zone_latency_s == doctest::Approx(0.001));

  // Each variant's hash is stable, its own, and derived from the file's.
  CHECK(cheap.sha256 == sha256_hex(sha256_hex(text) + "/cheap"));
  CHECK(bigger.sha256 == sha256_hex(sha256_hex(text) + "/bigger"));
  CHECK(cheap.sha256 != bigger.sha256);
  CHECK(cheap.sha256 != base.sha256);
  CHECK(load(text, "v.json").variants[0].sha256 == cheap.sha256);

  // The same file in YAML loads to equal variants.
  const Loaded yaml = load(text, "v.yaml");
  REQUIRE(yaml.variants.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(describe(yaml.variants[i]) == describe(loaded.variants[i]));
  }

  // Selecting by name.
  CHECK(variant_names(loaded) == std::vector<std::string>{"base", "cheap", "bigger"});
  CHECK(find_variant(loaded, "base") == &*loaded.scenario);
  CHECK(find_variant(loaded, "") == &*loaded.scenario);
  CHECK(find_variant(loaded, "bigger") == &loaded.variants[1]);
  CHECK(find_variant(loaded, "shop/bigger") == nullptr);
  CHECK(find_variant(loaded, "biggr") == nullptr);
  const Loaded plain = load(kValidJson);
  CHECK(plain.variants.empty());
  CHECK(variant_names(plain) == std::vector<std::string>{"base"});
}

TEST_CASE("variants: removals, patches of every section and a written-out file are equal") {
  const Loaded loaded = load(with_variants(json::array({no_repo_variant()})).dump(1));
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.variants.size() == 1);
  const Loaded separate = load(no_repo_document().dump(1));
  INFO(separate.diagnostics.to_string());
  REQUIRE(separate.scenario.has_value());
  json variant = describe(loaded.variants[0]);
  CHECK(variant["name"] == "shop/no-repo");
  variant["name"] = "shop";
  CHECK(variant.dump(1) == describe(*separate.scenario).dump(1));
  // A removed name may come back as a new item, replacing the base's.
  json v = no_repo_variant();
  v["add_components"] = json::parse(R"([{"name": "repo", "kind": "box", "zones": ["east-b"]}])");
  const Loaded readded = load(with_variants(json::array({v})).dump(1));
  INFO(readded.diagnostics.to_string());
  REQUIRE(readded.variants.size() == 1);
  CHECK(readded.variants[0].component("repo")->placement.zones ==
        std::vector<std::string>{"east-b"});
  // Lists that the base does not have can be added to.
  json creds = valid_doc();
  creds.erase("credentials");
  creds["components"][1].erase("credentials");
  creds["variants"] = json::parse(R"([{"name": "keys",
      "add_credentials": [{"name": "k"}], "components": {"db": {"credentials": ["k"]}}}])");
  const Loaded added = load(creds.dump(1));
  INFO(added.diagnostics.to_string());
  REQUIRE(added.variants.size() == 1);
  CHECK(added.variants[0].component("db")->credentials == std::vector<std::string>{"k"});
  CHECK(added.scenario->credentials.empty());
}

TEST_CASE("variants: errors in the variants list and a variant's own keys") {
  const std::string name_expected =
      "a variant name of lower-case letters, digits, \".\", \"_\" and \"-\" like \"multi-az\"";
  check_one([](json& d) { d["variants"] = "all"; }, {"/variants", "a list of variants", "\"all\"", ""});
  check_one([](json& d) { d["variants"] = json::array({3}); },
            {"/variants/0", "a variant: an object with a name and the overrides of the base scenario",
             "3", ""});
  check_variant(json::object({{"title", "x"}}), {"/variants/0/name", name_expected, "nothing", ""});
  check_variant(json::object({{"name", "Multi AZ"}}),
                {"/variants/0/name", name_expected, "\"Multi AZ\"", ""});
  check_variant(json::object({{"name", 5}}), {"/variants/0/name", name_expected, "5", ""});
  check_variant(json::object({{"name", "base"}}),
                {"/variants/0/name", "a variant name other than \"base\"", "\"base\"",
                 "\"base\" names the base scenario"});
  check_one(
      [](json& d) { d["variants"] = json::parse(R"([{"name": "a"}, {"name": "b"}, {"name": "a"}])"); },
      {"/variants/2/name", "a variant name not used before", "\"a\"", "already used at /variants/0"});
  // Unknown keys, with the known ones.
  json v = {{"name", "v"}, {"component", json::object()}};
  json doc = with_variants(json::array({v}));
  const Loaded loaded = load(doc.dump(1), "k.json");
  REQUIRE(loaded.diagnostics.size() == 1);
  const Diagnostic& d = loaded.diagnostics.items()[0];
  CHECK(d.pointer == "/variants/0/component");
  CHECK(d.expected == "a known key");
  CHECK(d.hint.rfind("did you mean \"components\"? known keys: add_components, add_credentials, ",
                     0) == 0);
  CHECK(d.hint.find("remove_services, ") != std::string::npos);
  const std::string suffix = "; in variant \"v\"";
  REQUIRE(d.hint.size() > suffix.size());
  CHECK(d.hint.substr(d.hint.size() - suffix.size()) == suffix);
}

TEST_CASE("variants: errors in patches, removals and additions of named items") {
  const std::string component_name = "the name of a component of the base scenario";
  // Patches.
  check_variant(json::parse(R"({"name": "v", "components": ["db"]})"),
                {"/variants/0/components", "an object of merge patches by component name",
                 "an array of 1 item", in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "components": {"dbb": {"capacity": "1TB"}}})"),
                {"/variants/0/components/dbb", component_name, "\"dbb\"",
                 in_variant("v", "did you mean \"db\"?")});
  check_variant(json::parse(R"({"name": "v", "components": {"zzzzzzzz": {}}})"),
                {"/variants/0/components/zzzzzzzz", component_name, "\"zzzzzzzz\"",
                 in_variant("v", "known components: oncall, db, web, repo")});
  check_variant(json::parse(R"({"name": "v", "components": {"db": null}})"),
                {"/variants/0/components/db", "a merge patch (an object) for component \"db\"",
                 "null", in_variant("v", "remove it with \"remove_components\"")});
  check_variant(json::parse(R"({"name": "v", "components": {"db": "big"}})"),
                {"/variants/0/components/db", "a merge patch (an object) for component \"db\"",
                 "\"big\"", in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "components": {"db": {"name": "db2"}}})"),
                {"/variants/0/components/db/name",
                 "no \"name\" in a patch (to rename, remove the component and add it again)",
                 "\"db2\"", in_variant("v")});
  check_variant(
      json::parse(R"({"name": "v", "remove_components": ["repo"], "components": {"repo": {}}})"),
      {"/variants/0/components/repo", "a component this variant does not remove", "\"repo\"",
       in_variant("v", "removed at /variants/0/remove_components/0")},
      3);  // and what still needs "repo": the service's queue and a runbook step
  check_variant(json::parse(R"({"name": "v", "runbooks": {"restore": {}}})"),
                {"/variants/0/runbooks/restore", "the name of a runbook of the base scenario",
                 "\"restore\"", in_variant("v", "known runbooks: restore-db")});
  check_variant(json::parse(R"({"name": "v", "disasters": {"zone-b": {}}})"),
                {"/variants/0/disasters/zone-b", "the name of a disaster of the base scenario",
                 "\"zone-b\"", in_variant("v", "did you mean \"zone-a\"?")});
  // Removals.
  check_variant(json::parse(R"({"name": "v", "remove_disasters": "slow"})"),
                {"/variants/0/remove_disasters", "a list of disaster names", "\"slow\"",
                 in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "remove_disasters": ["slwo"]})"),
                {"/variants/0/remove_disasters/0", "the name of a disaster of the base scenario",
                 "\"slwo\"", in_variant("v", "did you mean \"slow\"?")});
  check_variant(json::parse(R"({"name": "v", "remove_disasters": [1]})"),
                {"/variants/0/remove_disasters/0", "the name of a disaster of the base scenario",
                 "1", in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "remove_disasters": ["slow", "slow"]})"),
                {"/variants/0/remove_disasters/1", "each disaster once", "\"slow\" again",
                 in_variant("v")});
  // Additions.
  check_variant(json::parse(R"({"name": "v", "add_services": {"name": "x"}})"),
                {"/variants/0/add_services", "a list of services", "an object", in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "add_credentials": [{"name": "root-key"}]})"),
                {"/variants/0/add_credentials/0/name", "a credential name not in the base scenario",
                 "\"root-key\"",
                 in_variant("v", "change it under \"credentials\", or remove it with "
                                 "\"remove_credentials\" first")});
}

TEST_CASE("variants: problems in the patched document point into the variant and name it") {
  // A bad value written in the variant.
  check_variant(json::parse(R"({"name": "v", "components": {"db": {"capacity": "lots"}}})"),
                {"/variants/0/components/db/capacity", "a size like \"500GB\"", "\"lots\"",
                 in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "components": {"web": {"backup": {"keep": 0.5}}}})"),
                {"/variants/0/components/web/backup/keep", "a non-negative integer", "0.5",
                 in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "monthly_cost": -3})"),
                {"/variants/0/monthly_cost", "a non-negative number", "-3", in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "title": 3})"),
                {"/variants/0/title", "a string", "3", in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "network": {"zone_bandwidth": "0Gbps"}})"),
                {"/variants/0/network/zone_bandwidth", "a bandwidth above 0", "\"0Gbps\"",
                 in_variant("v")});
  check_variant(json::parse(R"({"name": "v", "network": "fast"})"),
                {"/variants/0/network", "an object", "\"fast\"", in_variant("v")});
  // An added item, checked like any other.
  check_variant(json::parse(R"({"name": "v", "add_components": [{"name": "c", "kind": "bxo"}]})"),
                {"/variants/0/add_components/0/kind", "a component kind", "\"bxo\"",
                 in_variant("v", "did you mean \"box\"? known kinds: box, store, team")});
  check_variant(json::parse(R"({"name": "v", "add_components": [
                    {"name": "c", "kind": "team"}, {"name": "c", "kind": "team"}]})"),
                {"/variants/0/add_components/1/name", "a component name not used before", "\"c\"",
                 in_variant("v", "already used at /variants/0/add_components/0")});
  // A key the patch removed: reported where the patch is.
  check_variant(json::parse(R"({"name": "v", "components": {"db": {"capacity": null}}})"),
                {"/variants/0/components/db/capacity", "stored data size (a size like \"500GB\")",
                 "nothing", in_variant("v")});
  // A base value that the variant made wrong: where the base wrote it, naming the variant.
  check_variant(json::parse(R"({"name": "v", "remove_components": ["repo"]})"),
                {"/services/0/queued/0/component", "the name of a component", "\"repo\"",
                 in_variant("v", "known components: oncall, db, web")},
                2);  // and the runbook step that requires it
  // Every problem of every variant, each once; the base's own problems are not repeated.
  json doc = with_variants(json::parse(R"([
    {"name": "a", "components": {"db": {"capacity": "lots"}}},
    {"name": "b", "components": {"web": {"timeout": "0s"}}, "remove_disasters": ["nope"]}])"));
  doc["seed"] = "seven";
  const Loaded loaded = load(doc.dump(1), "all.json");
  REQUIRE(loaded.diagnostics.size() == 4);
  CHECK(loaded.diagnostics.items()[0].pointer == "/seed");
  CHECK(loaded.diagnostics.items()[0].hint.empty());
  CHECK(loaded.diagnostics.items()[1].pointer == "/variants/1/remove_disasters/0");
  CHECK(loaded.diagnostics.items()[2].pointer == "/variants/0/components/db/capacity");
  CHECK(loaded.diagnostics.items()[3].pointer == "/variants/1/components/web/timeout");
  CHECK_FALSE(loaded.scenario.has_value());
  CHECK(loaded.variants.empty());
}

TEST_CASE("variants: model checks of a variant point into it") {
  // The fake model refuses a label equal to the scenario's name (the base's, "shop").
  check_variant(json::parse(R"({"name": "v", "components": {"web": {"label": "shop"}}})"),
                {"/variants/0/components/web/label", "a label other than the scenario name",
                 "\"shop\"", in_variant("v")});
}

TEST_CASE("variants: positions in json and yaml are where the variant wrote the value") {
  json doc = with_variants(json::parse(R"([{"name": "v", "components": {"db": {"capacity": "lots"}},
      "add_components": [{"name": "c", "kind": "box", "zones": ["nowhere"]}]}])"));
  const std::string text = doc.dump(1);
  const Loaded j = load(text, "p.json");
  REQUIRE(j.diagnostics.size() == 2);
  const Diagnostic& capacity = j.diagnostics.items()[0];
  CHECK(std::make_pair(capacity.line, capacity.column) == pos_of(text, "\"lots\""));
  const Diagnostic& zone = j.diagnostics.items()[1];
  CHECK(zone.pointer == "/variants/0/add_components/0/zones/0");
  CHECK(std::make_pair(zone.line, zone.column) == pos_of(text, "\"nowhere\""));

  const std::string yaml = std::string(kValidYaml) +
                           "variants:\n"
                           "  - name: v\n"
                           "    components:\n"
                           "      db:\n"
                           "        capacity: lots\n"
                           "      dbx: {}\n";
  const Loaded y = load(yaml, "p.yaml");
  REQUIRE(y.diagnostics.size() == 2);
  CHECK(y.diagnostics.items()[0].to_string() ==
        "p.yaml:" + std::to_string(pos_of(yaml, "dbx").first) +
            ":7: /variants/0/components/dbx: expected the name of a component of the base "
            "scenario, found \"dbx\" (did you mean \"db\"?; in variant \"v\")");
  CHECK(y.diagnostics.items()[1].to_string() ==
        "p.yaml:" + std::to_string(pos_of(yaml, "lots").first) +
            ":19: /variants/0/components/db/capacity: expected a size like \"500GB\", found "
            "\"lots\" (in variant \"v\")");
}

TEST_CASE("schema: variants have the keys the loader knows") {
  const json schema = json::parse(scenario_json_schema(registry()));
  const json& variant = schema["$defs"]["variant"];
  CHECK(variant["required"] == json({"name"}));
  CHECK(schema["properties"]["variants"]["items"]["$ref"] == "#/$defs/variant");
  // The loader's list of known keys, from the hint of an unknown one.
  const Loaded loaded = load(with_variants(json::parse(R"([{"name": "v", "zzz": 1}])")).dump());
  REQUIRE(loaded.diagnostics.size() == 1);
  std::string hint = loaded.diagnostics.items()[0].hint;
  hint = hint.substr(hint.find("known keys: ") + 12);
  hint = hint.substr(0, hint.find(';'));
  std::vector<std::string> known;
  for (std::size_t at = 0; at != std::string::npos;) {
    const std::size_t comma = hint.find(", ", at);
    known.push_back(hint.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    at = comma == std::string::npos ? comma : comma + 2;
  }
  std::vector<std::string> in_schema;
  for (const auto& item : variant["properties"].items()) in_schema.push_back(item.key());
  std::sort(in_schema.begin(), in_schema.end());
  CHECK(known == in_schema);
  CHECK(known.size() == 24);
}

TEST_CASE("loader: names with control characters are refused, and never echoed raw") {
  json doc = valid_doc();
  at(doc, "/components/0/name") = std::string("we\x1b[31mb");
  const Loaded loaded = load(doc.dump());
  check_consistent(loaded);
  CHECK_FALSE(loaded.scenario.has_value());
  const std::string text = loaded.diagnostics.to_string();
  CHECK(text.find("/components/0/name: expected a component name without control characters, found "
                  "\"we\\u001b[31mb\"") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
  json runbook = valid_doc();
  at(runbook, "/runbooks/0/name") = std::string("a\nb");
  CHECK(load(runbook.dump()).diagnostics.to_string().find("/runbooks/0/name: expected a runbook name without "
                                                          "control characters") != std::string::npos);
}
