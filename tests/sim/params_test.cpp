// Params accessors and builders, ModelRegistry, Scenario lookups, fault kind names, sha256.
#include "sim/params.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include "sim/hash.hpp"
#include "sim/model.hpp"
#include "sim/scenario.hpp"

using namespace firedrill::sim;

namespace {

std::string logic_error_text(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "no exception";
}

class NamedModel : public ComponentModel {
 public:
  explicit NamedModel(std::string kind) : kind_(std::move(kind)) {}
  std::string_view kind() const override { return kind_; }
  std::string_view summary() const override { return "a test model"; }
  const std::vector<ParamSpec>& params() const override { return params_; }
  void build(const Component&, const Scenario&, Behaviour&) const override {}

 private:
  std::string kind_;
  std::vector<ParamSpec> params_;
};

}  // namespace

TEST_CASE("params: typed accessors return what the loader stored") {
  Params inner;
  inner.values["interval"] = Value{3600.0};
  Params p;
  p.values["timeout"] = Value{30.0};
  p.values["enabled"] = Value{true};
  p.values["mode"] = Value{std::string("sync")};
  p.values["boot"] = Value{Distribution::uniform(60, 300)};
  p.values["zones"] = Value{std::vector<std::string>{"a", "b"}};
  p.values["backup"] = Value{std::vector<Params>{inner}};
  p.values["unset"] = Value{};

  CHECK(p.has("timeout"));
  CHECK_FALSE(p.has("nothing"));
  CHECK_FALSE(p.has("unset"));
  CHECK(p.number("timeout") == 30.0);
  CHECK(p.boolean("enabled"));
  CHECK(p.text("mode") == "sync");
  CHECK(p.dist("boot").kind() == Distribution::Kind::uniform);
  CHECK(p.list("zones") == std::vector<std::string>{"a", "b"});
  REQUIRE(p.objects("backup").size() == 1);
  REQUIRE(p.object("backup") != nullptr);
  CHECK(p.object("backup")->number("interval") == 3600.0);
  CHECK(p.object("missing") == nullptr);
  CHECK(p.object("unset") == nullptr);
}

TEST_CASE("params: a wrong type or a missing parameter is a logic_error naming it") {
  Params p;
  p.values["timeout"] = Value{30.0};
  p.values["mode"] = Value{std::string("sync")};
  CHECK(logic_error_text([&] { (void)p.number("nope"); }) == "parameter \"nope\" is not set");
  CHECK(logic_error_text([&] { (void)p.text("timeout"); }) ==
        "parameter \"timeout\" is not a text");
  CHECK(logic_error_text([&] { (void)p.number("mode"); }) == "parameter \"mode\" is not a number");
  CHECK(logic_error_text([&] { (void)p.boolean("mode"); }) ==
        "parameter \"mode\" is not a boolean");
  CHECK(logic_error_text([&] { (void)p.dist("mode"); }) ==
        "parameter \"mode\" is not a distribution");
  CHECK(logic_error_text([&] { (void)p.list("mode"); }) ==
        "parameter \"mode\" is not a list of names");
  CHECK(logic_error_text([&] { (void)p.objects("mode"); }) ==
        "parameter \"mode\" is not an object or a list of objects");
  CHECK(logic_error_text([&] { (void)p.object("mode"); }) == "parameter \"mode\" is not an object");
}

TEST_CASE("params: type names are distinct snake_case words") {
  const std::vector<ParamType> all{
      ParamType::duration,      ParamType::size,           ParamType::rate,
      ParamType::bandwidth,     ParamType::integer,        ParamType::number,
      ParamType::boolean,       ParamType::choice,         ParamType::text,
      ParamType::duration_dist, ParamType::rate_dist,      ParamType::zone_ref,
      ParamType::region_ref,    ParamType::component_ref,  ParamType::zone_list,
      ParamType::region_list,   ParamType::component_list, ParamType::object,
      ParamType::object_list};
  std::set<std::string_view> names;
  for (ParamType t : all) names.insert(param_type_name(t));
  CHECK(names.size() == all.size());
  CHECK(param_type_name(ParamType::duration_dist) == "duration_dist");
  CHECK(param_type_name(ParamType::component_list) == "component_list");
  CHECK(param_type_name(ParamType::object_list) == "object_list");
}

TEST_CASE("params: builders fill the declaration") {
  const ParamSpec a = param("replace", ParamType::duration, "s", "\"5m\"", "replacement time");
  CHECK(a.name == "replace");
  CHECK(a.type == ParamType::duration);
  CHECK(a.unit == "s");
  CHECK(a.default_json == "\"5m\"");
  CHECK_FALSE(a.required);
  CHECK(a.description == "replacement time");

  const ParamSpec b = required_param("capacity", ParamType::size, "bytes", "data size");
  CHECK(b.required);
  CHECK(b.default_json.empty());

  const ParamSpec c = choice_param("mode", {"sync", "async"}, "\"async\"", "replication");
  CHECK(c.type == ParamType::choice);
  CHECK(c.choices == std::vector<std::string>{"sync", "async"});
  CHECK_FALSE(c.required);
  CHECK(choice_param("mode", {"a"}, "", "no default").required);

  const ParamSpec d = object_param("backup", false, {a}, "backups");
  CHECK(d.type == ParamType::object);
  CHECK(d.fields.size() == 1);
  CHECK(d.default_json.empty());
  const ParamSpec e = object_param("copies", true, {a, b}, "copies", "[]");
  CHECK(e.type == ParamType::object_list);
  CHECK(e.default_json == "[]");
}

TEST_CASE("model registry: find, sorted kinds, duplicates refused") {
  ModelRegistry registry;
  registry.add(std::make_unique<NamedModel>("zeta"));
  registry.add(std::make_unique<NamedModel>("alpha"));
  registry.add(std::make_unique<NamedModel>("mid"));
  CHECK(registry.kinds() == std::vector<std::string>{"alpha", "mid", "zeta"});
  REQUIRE(registry.find("mid") != nullptr);
  CHECK(registry.find("mid")->kind() == "mid");
  CHECK(registry.find("nope") == nullptr);
  CHECK(registry.models().size() == 3);
  CHECK(logic_error_text([&] { registry.add(std::make_unique<NamedModel>("alpha")); }) ==
        "component kind \"alpha\" is registered twice");
  CHECK(registry.models().size() == 3);
  CHECK_THROWS_AS(registry.add(nullptr), std::logic_error);
}

TEST_CASE("fault kinds: snake_case names round-trip") {
  const auto& names = fault_kind_names();
  REQUIRE(names.size() == 13);
  CHECK(names.front() == "zone_outage");
  CHECK(names.back() == "component_compromise");
  for (const std::string& name : names) {
    const auto kind = fault_kind_from_name(name);
    REQUIRE(kind.has_value());
    CHECK(fault_kind_name(*kind) == name);
  }
  CHECK(fault_kind_name(FaultKind::network_degradation) == "network_degradation");
  CHECK(fault_kind_name(FaultKind::credential_compromise) == "credential_compromise");
  CHECK_FALSE(fault_kind_from_name("zone-outage").has_value());
  CHECK_FALSE(fault_kind_from_name("").has_value());
}

TEST_CASE("scenario lookups and targets by class with a default") {
  Scenario s;
  s.components.push_back(Component{});
  s.components.back().name = "db";
  s.regions.push_back(Region{"east", "aws", {"east-a"}, "/providers/0/regions/0"});
  s.runbooks.push_back(Runbook{});
  s.runbooks.back().name = "rb";
  s.disasters.push_back(Disaster{});
  s.disasters.back().name = "zone-a";
  REQUIRE(s.component("db") != nullptr);
  CHECK(s.component("db")->name == "db");
  CHECK(s.component("web") == nullptr);
  REQUIRE(s.region("east") != nullptr);
  CHECK(s.region("east")->zones == std::vector<std::string>{"east-a"});
  CHECK(s.region("west") == nullptr);
  CHECK(s.runbook("rb") != nullptr);
  CHECK(s.runbook("x") == nullptr);
  CHECK(s.disaster("zone-a") != nullptr);
  CHECK(s.disaster("x") == nullptr);

  Service svc;
  svc.targets["zone"] = Target{60, 0, false, ""};
  CHECK(s.target(svc, "zone")->rto_s == 60);
  CHECK(s.target(svc, "region") == nullptr);
  svc.targets["default"] = Target{3600, 900, true, "guess"};
  CHECK(s.target(svc, "zone")->rto_s == 60);
  REQUIRE(s.target(svc, "region") != nullptr);
  CHECK(s.target(svc, "region")->rpo_s == 900);
}

TEST_CASE("sha256 of known inputs") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(std::string_view("a\0b", 3)) != sha256_hex("ab"));
}
