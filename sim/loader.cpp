// The scenario loader: reads a JSON or YAML scenario, checks every rule of the format and
// returns a Scenario or all the problems found (see loader.hpp and the format in DESIGN.md).
#include "sim/loader.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "sim/hash.hpp"
#include "sim/input_file.hpp"
#include "sim/json_values.hpp"
#include "sim/loader_internal.hpp"
#include "sim/variants.hpp"

namespace firedrill::sim {

namespace detail {

const std::vector<std::string> kTopKeys{"format",      "name",      "title",       "source",
                                        "description", "seed",      "horizon",     "monthly_cost",
                                        "network",     "providers", "credentials", "components",
                                        "services",    "runbooks",  "disasters",
                                        "variants"};
const std::vector<std::string> kNetworkKeys{"zone_latency",         "zone_bandwidth",
                                            "inter_zone_latency",   "inter_zone_bandwidth",
                                            "inter_region_latency", "inter_region_bandwidth"};
const std::vector<std::string> kProviderKeys{"name", "kind", "regions"};
const std::vector<std::string> kRegionKeys{"name", "zones"};
const std::vector<std::string> kCredentialKeys{"name", "description"};
const std::vector<std::string> kComponentKeys{"name",    "kind",        "description",
                                              "zones",   "region",      "provider",
                                              "depends", "credentials", "monthly_cost",
                                              "uses_credentials"};
const std::vector<std::string> kServiceKeys{"name",   "description", "depends", "queued",
                                            "writes", "data",        "targets"};
const std::vector<std::string> kQueuedKeys{"component", "drain_rate"};
const std::vector<std::string> kTargetKeys{"rto", "rpo", "inferred", "note"};
const std::vector<std::string> kRunbookKeys{"name", "description", "trigger", "team", "steps"};
const std::vector<std::string> kStepKeys{"id",       "title", "kind",     "team",
                                         "duration", "duration_includes_transfer",
                                         "after",    "requires", "action",
                                         "fallback_for"};
const std::vector<std::string> kActionVerbs{"failover", "restore", "rebuild", "switch",
                                            "bypass",   "repair",  "wait_for"};
const std::vector<std::string> kRestoreSources{"any",  "replica", "snapshot",
                                               "pitr", "copy",    "versions"};
const std::vector<std::string> kProviderKinds{"cloud", "saas", "on-prem"};
const std::vector<std::string> kDisasterKeys{"name",  "class",  "description",
                                             "claim", "faults", "runbooks"};
const std::vector<std::string> kFaultKeys{
    "kind",           "target",           "peer",         "at", "time_of_day", "duration",
    "detected_after", "bandwidth_factor", "extra_latency", "scope"};
const std::vector<std::string> kStandardClasses{"zone",    "region",     "provider",
                                                "component", "network", "data",
                                                "credential", "third_party", "people"};

ClassNames class_names(const nlohmann::json& root) {
  ClassNames out;
  auto add_disaster = [&](const nlohmann::json& d) {
    if (!d.is_object()) return;
    const auto c = d.find("class");
    if (c != d.end() && c->is_string()) out.disasters.insert(c->get<std::string>());
  };
  auto add_service = [&](const nlohmann::json& svc) {
    if (!svc.is_object()) return;
    const auto t = svc.find("targets");
    if (t == svc.end() || !t->is_object()) return;
    for (const auto& item : t->items()) {
      if (item.key() != "default" && !item.value().is_null()) out.targets.insert(item.key());
    }
  };
  // `list` is an array of items (the base's, "add_S") or an object of patches by name ("S").
  auto each = [](const nlohmann::json& o, const char* key, const auto& f) {
    if (!o.is_object()) return;
    const auto it = o.find(key);
    if (it == o.end() || !(it->is_array() || it->is_object())) return;
    for (const auto& item : *it) f(item);
  };
  each(root, "disasters", add_disaster);
  each(root, "services", add_service);
  each(root, "variants", [&](const nlohmann::json& v) {
    for (const char* key : {"disasters", "add_disasters"}) each(v, key, add_disaster);
    for (const char* key : {"services", "add_services"}) each(v, key, add_service);
  });
  return out;
}

bool is_scenario_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

std::string quote_text(std::string_view text) {
  return render_found(nlohmann::json(std::string(text)));
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string names_hint(std::string_view name, const std::vector<std::string>& names,
                       const std::string& plural) {
  constexpr std::size_t kMaxListedNames = 12;
  const std::string near = nearest_name(name, names);
  if (!near.empty()) return "did you mean " + quote_text(near) + "?";
  if (names.empty()) return "no " + plural + " are declared";
  std::vector<std::string> shown = names;
  const bool more = shown.size() > kMaxListedNames;
  if (more) shown.resize(kMaxListedNames);
  return "known " + plural + ": " + join(shown) + (more ? ", ..." : "");
}

std::string unknown_key_hint(std::string_view key, std::vector<std::string> known) {
  std::string hint;
  const std::string near = nearest_name(key, known);
  if (!near.empty()) hint = "did you mean " + quote_text(near) + "? ";
  std::sort(known.begin(), known.end());
  return hint + "known keys: " + join(known);
}

bool is_class_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

namespace {

std::optional<Unit> unit_of(ParamType t) {
  switch (t) {
    case ParamType::duration:
    case ParamType::duration_dist:
      return Unit::duration;
    case ParamType::size:
      return Unit::size;
    case ParamType::rate:
    case ParamType::rate_dist:
      return Unit::rate;
    case ParamType::bandwidth:
      return Unit::bandwidth;
    default:
      return std::nullopt;
  }
}

std::string compact(double v) {
  std::ostringstream s;
  s.precision(15);
  s << v;
  return s.str();
}

// " between 1s and 1h", " of at least 1s", " of at most 1h" or "".
std::string bounds_text(const ParamSpec& spec, std::optional<Unit> unit) {
  auto show = [&](double v) { return unit ? format_quantity(*unit, v) : compact(v); };
  const bool has_min = spec.min > 0 || (!unit && spec.min < 0);
  const bool has_max = spec.max < 1e300;
  if (has_min && has_max) return " between " + show(spec.min) + " and " + show(spec.max);
  if (has_min) return " of at least " + show(spec.min);
  if (has_max) return " of at most " + show(spec.max);
  return "";
}

}  // namespace

std::string param_expectation(const ParamSpec& spec) {
  const std::optional<Unit> unit = unit_of(spec.type);
  switch (spec.type) {
    case ParamType::duration:
    case ParamType::size:
    case ParamType::rate:
    case ParamType::bandwidth: {
      const std::string bounds = bounds_text(spec, unit);
      if (bounds.empty()) return unit_example(*unit);
      return "a " + unit_name(*unit) + bounds;
    }
    case ParamType::integer:
    case ParamType::number: {
      const std::string noun = spec.type == ParamType::integer ? "integer" : "number";
      if (spec.min == 0 && spec.max >= 1e300) return "a non-negative " + noun;
      const std::string bounds = bounds_text(spec, std::nullopt);
      return (spec.type == ParamType::integer ? "an " : "a ") + noun + bounds;
    }
    case ParamType::time_of_day:
      return "a time of day like \"17:20\" (24-hour clock)";
    case ParamType::boolean:
      return "true or false";
    case ParamType::choice: {
      std::string out = "one of ";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) {
        if (i > 0) out += ", ";
        out += "\"" + spec.choices[i] + "\"";
      }
      return out;
    }
    case ParamType::text:
      return "a string";
    case ParamType::duration_dist:
    case ParamType::rate_dist: {
      std::string out = unit_example(*unit) + " or a distribution of " + unit_name(*unit) + "s";
      return out + bounds_text(spec, unit);
    }
    case ParamType::zone_ref:
      return "the name of a zone";
    case ParamType::region_ref:
      return "the name of a region";
    case ParamType::component_ref:
      return "the name of a component";
    case ParamType::zone_list:
      return "a list of zone names";
    case ParamType::region_list:
      return "a list of region names";
    case ParamType::component_list:
      return "a list of component names";
    case ParamType::object:
      return "an object";
    case ParamType::object_list:
      return "a list of objects";
  }
  return "a value";
}

}  // namespace detail

namespace {

using detail::SourceMap;
using detail::SourcePos;
using nlohmann::json;

constexpr std::size_t kMaxCycles = 10;

using detail::join;
using detail::quote_text;

std::string quote_list(const std::vector<std::string>& items) {
  std::vector<std::string> q;
  q.reserve(items.size());
  for (const auto& item : items) q.push_back(quote_text(item));
  return join(q);
}

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

// Lower-cases a leading capital unless the word is an acronym ("DNS").
std::string sentence_case(std::string text) {
  if (text.size() >= 2 && text[0] >= 'A' && text[0] <= 'Z' && !(text[1] >= 'A' && text[1] <= 'Z')) {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  while (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(key));
  return it == object.end() ? nullptr : &*it;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Names that something can refer to, in declaration order, with where each was declared.
struct NameSet {
  std::string singular;  // "zone"
  std::string plural;    // "zones"
  std::vector<std::string> names;
  std::unordered_map<std::string, std::string> pointers;

  [[nodiscard]] bool has(std::string_view name) const {
    return pointers.find(std::string(name)) != pointers.end();
  }
  [[nodiscard]] std::string pointer_of(std::string_view name) const {
    const auto it = pointers.find(std::string(name));
    return it == pointers.end() ? std::string() : it->second;
  }
  void add(const std::string& name, const std::string& pointer) {
    if (pointers.emplace(name, pointer).second) names.push_back(name);
  }
};

std::string reference_hint(std::string_view name, const NameSet& set) {
  return detail::names_hint(name, set.names, set.plural);
}

class Reader {
 public:
  Reader(const std::string& file, const SourceMap& map, const ModelRegistry& registry,
         const detail::ClassNames& classes, Diagnostics& out)
      : file_(file), map_(map), registry_(registry), classes_(classes), out_(out) {}

  void read(const json& root, Scenario& s);

 private:
  // ---- diagnostics -------------------------------------------------------------------------
  void error(const std::string& pointer, std::string expected, std::string found,
             std::string hint = "") {
    const SourcePos pos = map_.value_pos(pointer);
    if (hint.empty()) hint = context_hint_;
    out_.add(Diagnostic{file_, pointer, pos.line, pos.column, std::move(expected), std::move(found),
                        std::move(hint)});
  }
  void key_error(const std::string& pointer, std::string expected, std::string found,
                 std::string hint = "") {
    const SourcePos pos = map_.key_pos(pointer);
    out_.add(Diagnostic{file_, pointer, pos.line, pos.column, std::move(expected), std::move(found),
                        std::move(hint)});
  }

  void check_keys(const json& object, const std::string& pointer,
                  const std::vector<std::string>& known) {
    for (const auto& item : object.items()) {
      if (contains(known, item.key())) continue;
      key_error(pointer_join(pointer, item.key()), "a known key", quote_text(item.key()),
                detail::unknown_key_hint(item.key(), known));
    }
  }

  // ---- elementary values -------------------------------------------------------------------
  // The member `key` when it is a string; reports a wrong type, or absence when required.
  std::optional<std::string> read_string(const json& o, const std::string& pointer,
                                         std::string_view key, bool required,
                                         const std::string& expected = "a string") {
    const std::string p = pointer_join(pointer, key);
    const json* v = member(o, key);
    if (v == nullptr) {
      if (required) error(p, expected, "nothing");
      return std::nullopt;
    }
    if (!v->is_string()) {
      error(p, expected, render_found(*v));
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  // A non-empty string naming something.
  std::optional<std::string> read_name(const json& o, const std::string& pointer,
                                       std::string_view key, bool required,
                                       const std::string& what) {
    const std::string expected = "a non-empty " + what;
    auto name = read_string(o, pointer, key, required, expected);
    if (name && name->empty()) {
      error(pointer_join(pointer, key), expected, "\"\"");
      return std::nullopt;
    }
    // A control character (an ANSI escape, a newline) would be echoed by every message that
    // names it.
    if (name && escape_control(*name) != *name) {
      error(pointer_join(pointer, key), "a " + what + " without control characters", quote_text(*name));
      return std::nullopt;
    }
    return name;
  }

  // A name that must be unique within `set`; adds it.
  std::optional<std::string> read_unique_name(const json& o, const std::string& pointer,
                                              NameSet& set, const std::string& what,
                                              std::string_view key = "name") {
    auto name = read_name(o, pointer, key, true, what + " " + std::string(key));
    if (!name) return std::nullopt;
    if (set.has(*name)) {
      error(pointer_join(pointer, key), "a " + what + " " + std::string(key) + " not used before",
            quote_text(*name), "already used at " + set.pointer_of(*name));
      return std::nullopt;
    }
    set.add(*name, pointer);
    return name;
  }

  std::optional<bool> read_bool(const json& o, const std::string& pointer, std::string_view key) {
    const json* v = member(o, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) {
      error(pointer_join(pointer, key), "true or false", render_found(*v));
      return std::nullopt;
    }
    return v->get<bool>();
  }

  std::optional<double> read_quantity_value(const json& v, const std::string& pointer, Unit unit) {
    auto q = quantity_from_json(v, unit);
    if (const auto* e = std::get_if<FieldError>(&q)) {
      error(pointer + e->pointer_suffix, e->expected, e->found);
      return std::nullopt;
    }
    return std::get<double>(q);
  }

  std::optional<double> read_quantity(const json& o, const std::string& pointer,
                                      std::string_view key, Unit unit, bool required) {
    const std::string p = pointer_join(pointer, key);
    const json* v = member(o, key);
    if (v == nullptr) {
      if (required) error(p, unit_example(unit), "nothing");
      return std::nullopt;
    }
    return read_quantity_value(*v, p, unit);
  }

  // A quantity that must be above zero.
  std::optional<double> read_positive(const json& o, const std::string& pointer,
                                      std::string_view key, Unit unit, bool required) {
    auto q = read_quantity(o, pointer, key, unit, required);
    if (q && *q <= 0) {
      error(pointer_join(pointer, key), "a " + unit_name(unit) + " above 0",
            render_found(*member(o, key)));
      return std::nullopt;
    }
    return q;
  }

  std::optional<Distribution> read_dist_value(const json& v, const std::string& pointer,
                                              Unit unit) {
    auto d = distribution_from_json(v, unit);
    if (const auto* e = std::get_if<FieldError>(&d)) {
      error(pointer + e->pointer_suffix, e->expected, e->found);
      return std::nullopt;
    }
    return std::get<Distribution>(d);
  }

  std::optional<Distribution> read_dist(const json& o, const std::string& pointer,
                                        std::string_view key, Unit unit, bool required) {
    const std::string p = pointer_join(pointer, key);
    const json* v = member(o, key);
    if (v == nullptr) {
      if (required) {
        error(p, unit_example(unit) + " or a distribution of " + unit_name(unit) + "s", "nothing");
      }
      return std::nullopt;
    }
    return read_dist_value(*v, p, unit);
  }

  std::optional<double> read_cost(const json& o, const std::string& pointer) {
    const json* v = member(o, "monthly_cost");
    if (v == nullptr) return std::nullopt;
    if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < 0) {
      error(pointer_join(pointer, "monthly_cost"), "a non-negative number", render_found(*v));
      return std::nullopt;
    }
    return v->get<double>();
  }

  // A choice among `choices`; absent: std::nullopt (the caller keeps its default).
  std::optional<std::string> read_choice(const json& o, const std::string& pointer,
                                         std::string_view key,
                                         const std::vector<std::string>& choices) {
    const json* v = member(o, key);
    if (v == nullptr) return std::nullopt;
    return choice_value(*v, pointer_join(pointer, key), choices);
  }

  std::optional<std::string> choice_value(const json& v, const std::string& pointer,
                                          const std::vector<std::string>& choices) {
    if (v.is_string() && contains(choices, v.get<std::string>())) return v.get<std::string>();
    std::string hint;
    if (v.is_string()) {
      const std::string near = nearest_name(v.get<std::string>(), choices);
      if (!near.empty()) hint = "did you mean " + quote_text(near) + "?";
    }
    error(pointer, "one of " + quote_list(choices), render_found(v), hint);
    return std::nullopt;
  }

  // ---- references --------------------------------------------------------------------------
  std::optional<std::string> ref_value(const json& v, const std::string& pointer,
                                       const NameSet& set) {
    if (!v.is_string()) {
      error(pointer, "the name of a " + set.singular, render_found(v));
      return std::nullopt;
    }
    const std::string name = v.get<std::string>();
    if (!set.has(name)) {
      error(pointer, "the name of a " + set.singular, quote_text(name), reference_hint(name, set));
      return std::nullopt;
    }
    return name;
  }

  std::string holding_hint() const {
    return holding_.names.empty() ? std::string("no component of this scenario holds data")
                                  : "components that hold data: " + join(holding_.names);
  }

  // A team: a component of kind "team".
  std::optional<std::string> team_value(const json& v, const std::string& pointer) {
    if (v.is_string() && !teams_.has(v.get<std::string>()) &&
        components_.has(v.get<std::string>())) {
      const std::string name = v.get<std::string>();
      error(pointer, "a team (a component of kind \"team\")", quote_text(name),
            quote_text(name) + " is a component of kind " + quote_text(component_kind_[name]));
      return std::nullopt;
    }
    return ref_value(v, pointer, teams_);
  }

  std::optional<std::string> read_ref(const json& o, const std::string& pointer,
                                      std::string_view key, const NameSet& set, bool required) {
    const std::string p = pointer_join(pointer, key);
    const json* v = member(o, key);
    if (v == nullptr) {
      if (required) error(p, "the name of a " + set.singular, "nothing");
      return std::nullopt;
    }
    return ref_value(*v, p, set);
  }

  std::optional<std::string> read_team(const json& o, const std::string& pointer,
                                       std::string_view key) {
    const json* v = member(o, key);
    if (v == nullptr) return std::nullopt;
    return team_value(*v, pointer_join(pointer, key));
  }

  // A list of names from `set`; `single_ok` also accepts one name as a string.
  std::vector<std::string> ref_list_value(const json& v, const std::string& pointer,
                                          const NameSet& set, bool non_empty,
                                          bool single_ok = false) {
    std::vector<std::string> out;
    const std::string expected =
        std::string(non_empty ? "a non-empty list of " : "a list of ") + set.singular + " names";
    if (single_ok && v.is_string()) {
      if (auto name = ref_value(v, pointer, set)) out.push_back(*name);
      return out;
    }
    if (!v.is_array() || (non_empty && v.empty())) {
      error(pointer, expected, render_found(v));
      return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string p = pointer_join(pointer, i);
      auto name = ref_value(v[i], p, set);
      if (!name) continue;
      if (contains(out, *name)) {
        error(p, "each " + set.singular + " once", quote_text(*name) + " again");
        continue;
      }
      out.push_back(*name);
    }
    return out;
  }

  std::vector<std::string> read_ref_list(const json& o, const std::string& pointer,
                                         std::string_view key, const NameSet& set, bool required,
                                         bool non_empty, bool single_ok = false) {
    const json* v = member(o, key);
    if (v == nullptr) {
      if (required) {
        error(pointer_join(pointer, key),
              std::string(non_empty ? "a non-empty list of " : "a list of ") + set.singular +
                  " names",
              "nothing");
      }
      return {};
    }
    return ref_list_value(*v, pointer_join(pointer, key), set, non_empty, single_ok);
  }

  // `depends`: component names and {"any_of": [names]} entries (see AnyOf), each name once
  // among the plain entries and once within a group. `required`: present and not empty.
  void read_depends(const json& o, const std::string& pointer, bool required,
                    std::vector<std::string>& plain, std::vector<AnyOf>& any) {
    const std::string dp = pointer_join(pointer, "depends");
    const std::string expected =
        std::string(required ? "a non-empty list of " : "a list of ") + "component names";
    const json* v = member(o, "depends");
    if (v == nullptr) {
      if (required) error(dp, expected, "nothing");
      return;
    }
    if (!v->is_array() || (required && v->empty())) {
      error(dp, expected, render_found(*v));
      return;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string p = pointer_join(dp, i);
      const json& entry = (*v)[i];
      if (entry.is_object()) {
        read_any_of(entry, p, any);
        continue;
      }
      auto name = ref_value(entry, p, components_);
      if (!name) continue;
      if (contains(plain, *name)) {
        error(p, "each component once", quote_text(*name) + " again");
        continue;
      }
      plain.push_back(*name);
    }
  }

  void read_any_of(const json& entry, const std::string& pointer, std::vector<AnyOf>& any) {
    check_keys(entry, pointer, {"any_of"});
    const std::string ap = pointer_join(pointer, "any_of");
    const json* list = member(entry, "any_of");
    if (list == nullptr || !list->is_array() || list->size() < 2) {
      error(ap, "a list of at least two component names (either of them will do)",
            list == nullptr ? std::string("nothing") : render_found(*list),
            "one component is a plain dependency: write its name");
      return;
    }
    AnyOf group;
    group.pointer = pointer;
    group.components = ref_list_value(*list, ap, components_, true);
    if (group.components.size() == list->size()) any.push_back(std::move(group));
  }

  // The array member `key`; reports a wrong type, emptiness or absence as asked.
  const json* read_array(const json& o, const std::string& pointer, std::string_view key,
                         bool required, bool non_empty, const std::string& what) {
    const std::string expected =
        std::string(non_empty ? "a non-empty list of " : "a list of ") + what;
    const json* v = member(o, key);
    if (v == nullptr) {
      if (required) error(pointer_join(pointer, key), expected, "nothing");
      return nullptr;
    }
    if (!v->is_array() || (non_empty && v->empty())) {
      error(pointer_join(pointer, key), expected, render_found(*v));
      return nullptr;
    }
    return v;
  }

  bool expect_object(const json& v, const std::string& pointer, const std::string& what) {
    if (v.is_object()) return true;
    error(pointer, what, render_found(v));
    return false;
  }

  // ---- parameters --------------------------------------------------------------------------
  // `preset`: the values of the component's preset for these specs (nullptr: none).
  Params read_params(const std::vector<ParamSpec>& specs, const json& o,
                     const std::string& pointer, const json* preset = nullptr);
  std::optional<Value> read_param(const ParamSpec& spec, const json& v, const std::string& pointer,
                                  const json* preset = nullptr);
  // Reads a value that is not the scenario's (a preset's or a default), naming it in errors.
  std::optional<Value> read_declared(const ParamSpec& spec, const json& v,
                                     const std::string& pointer, ValueOrigin origin,
                                     std::string hint);
  const json* read_preset(const json& o, const std::string& pointer, const std::string& kind,
                          std::string& name, json& values);
  bool in_bounds(const ParamSpec& spec, double lo, double hi) const {
    return lo >= spec.min && (spec.max >= 1e300 || hi <= spec.max);
  }

  // ---- sections ----------------------------------------------------------------------------
  void read_network(const json& o, Network& n);
  void read_providers(const json& root, Scenario& s);
  void add_region(const std::string& name, const std::string& pointer, bool implicit);
  void add_zone(const std::string& name, const std::string& pointer, const std::string& region,
                bool implicit);
  void read_credentials(const json& root, Scenario& s);
  void declare_components(const json& root);
  void read_components(const json& root, Scenario& s);
  void read_services(const json& root, Scenario& s);
  void read_runbooks(const json& root, Scenario& s);
  void check_fallbacks(Runbook& rb);
  void step_cycles(const Runbook& rb, const std::vector<std::pair<std::size_t, std::size_t>>& edges,
                   const std::string& key, const std::string& what);
  [[nodiscard]] bool has_precondition(const Step& step) const;
  void read_step(const json& o, const std::string& pointer, const std::string& runbook_team,
                 bool runbook_team_given, const NameSet& step_ids, Step& step);
  void read_action(const json& o, const std::string& pointer, Action& a);
  void read_disasters(const json& root, Scenario& s);
  void read_fault(const json& o, const std::string& pointer, Fault& f);
  void check_targets(const Scenario& s);
  void check_dependency_cycles(const Scenario& s);

  const std::string& file_;
  const SourceMap& map_;
  const ModelRegistry& registry_;
  const detail::ClassNames& classes_;  // of the whole file
  Diagnostics& out_;
  std::string context_hint_;  // added to errors while a model's default is read
  ValueOrigin origin_ = ValueOrigin::scenario;  // of the values being read
  std::string preset_hint_;                     // names the preset of the component being read

  NameSet providers_{"provider", "providers", {}, {}};
  NameSet regions_{"region", "regions", {}, {}};
  NameSet zones_{"zone", "zones", {}, {}};
  NameSet zones_or_regions_{"zone or region", "zones and regions", {}, {}};
  NameSet credentials_{"credential", "credentials", {}, {}};
  NameSet components_{"component", "components", {}, {}};
  NameSet teams_{"team", "teams", {}, {}};
  NameSet runbooks_{"runbook", "runbooks", {}, {}};
  NameSet holding_{"data-holding component", "data-holding components", {}, {}};
  NameSet credential_users_{"component with uses_credentials", "components with uses_credentials",
                            {}, {}};
  std::set<std::string> services_with_targets_;  // pointers of services that have "targets"
  std::set<std::string> implicit_regions_;       // regions named after their provider
  std::map<std::string, std::string> zone_region_;
  std::map<std::string, std::string> component_kind_;
  std::vector<const ComponentModel*> models_;  // by component index (nullptr: unknown kind)
  std::vector<bool> declared_;                 // by component index: name read fine
};

// ---- parameters ------------------------------------------------------------------------------

// A preset's object value makes the object only when it has every required field (a preset
// knows no scenario's regions or zones); otherwise it fills in the objects a component writes.
bool preset_makes(const ParamSpec& spec, const json& value) {
  if (spec.type != ParamType::object) return true;
  for (const ParamSpec& f : spec.fields) {
    if (f.required && member(value, f.name) == nullptr) return false;
  }
  return true;
}

std::optional<Value> Reader::read_declared(const ParamSpec& spec, const json& v,
                                           const std::string& pointer, ValueOrigin origin,
                                           std::string hint) {
  const std::string saved_hint = context_hint_;
  const ValueOrigin saved_origin = origin_;
  context_hint_ = std::move(hint);
  origin_ = origin;
  auto value = read_param(spec, v, pointer);
  context_hint_ = saved_hint;
  origin_ = saved_origin;
  return value;
}

Params Reader::read_params(const std::vector<ParamSpec>& specs, const json& o,
                           const std::string& pointer, const json* preset) {
  Params params;
  for (const ParamSpec& spec : specs) {
    const std::string p = pointer_join(pointer, spec.name);
    const json* from_preset = preset != nullptr ? member(*preset, spec.name) : nullptr;
    std::optional<Value> value;
    ValueOrigin origin = origin_;
    if (const json* v = member(o, spec.name)) {
      value = read_param(spec, *v, p, from_preset);
    } else if (from_preset != nullptr && preset_makes(spec, *from_preset)) {
      origin = ValueOrigin::preset;
      value = read_declared(spec, *from_preset, p, origin, preset_hint_);
    } else if (!spec.default_json.empty()) {
      const json d = json::parse(spec.default_json, nullptr, false);
      if (d.is_discarded()) {
        error(p, "a default written in json", quote_text(spec.default_json),
              "the declaration of this parameter is wrong");
        continue;
      }
      origin = ValueOrigin::kind_default;
      value = read_declared(spec, d, p, origin, "the default of this parameter");
    } else if (spec.required) {
      const std::string expected = detail::param_expectation(spec);
      const std::string description = sentence_case(spec.description);
      error(p, description.empty() ? expected : description + " (" + expected + ")", "nothing");
    }
    if (value) {
      value->origin = origin;
      params.values[spec.name] = std::move(*value);
    }
  }
  return params;
}

std::optional<Value> Reader::read_param(const ParamSpec& spec, const json& v,
                                        const std::string& pointer, const json* preset) {
  const std::string expected = detail::param_expectation(spec);
  auto wrong = [&](std::string hint = "") -> std::optional<Value> {
    error(pointer, expected, render_found(v), std::move(hint));
    return std::nullopt;
  };
  switch (spec.type) {
    case ParamType::duration:
    case ParamType::size:
    case ParamType::rate:
    case ParamType::bandwidth: {
      const Unit unit = spec.type == ParamType::duration ? Unit::duration
                        : spec.type == ParamType::size   ? Unit::size
                        : spec.type == ParamType::rate   ? Unit::rate
                                                         : Unit::bandwidth;
      auto q = read_quantity_value(v, pointer, unit);
      if (!q) return std::nullopt;
      if (!in_bounds(spec, *q, *q)) return wrong();
      return Value{*q};
    }
    case ParamType::integer:
    case ParamType::number: {
      if (!v.is_number()) return wrong();
      const double x = v.get<double>();
      if (!std::isfinite(x)) return wrong();
      if (spec.type == ParamType::integer && std::floor(x) != x) return wrong();
      if (!in_bounds(spec, x, x)) return wrong();
      return Value{x};
    }
    case ParamType::time_of_day: {
      const std::optional<double> t =
          v.is_string() ? parse_time_of_day(v.get<std::string>()) : std::nullopt;
      if (!t) return wrong();
      return Value{*t};
    }
    case ParamType::boolean:
      if (!v.is_boolean()) return wrong();
      return Value{v.get<bool>()};
    case ParamType::choice: {
      auto c = choice_value(v, pointer, spec.choices);
      if (!c) return std::nullopt;
      return Value{*c};
    }
    case ParamType::text:
      if (!v.is_string()) return wrong();
      return Value{v.get<std::string>()};
    case ParamType::duration_dist:
    case ParamType::rate_dist: {
      const Unit unit = spec.type == ParamType::duration_dist ? Unit::duration : Unit::rate;
      auto d = read_dist_value(v, pointer, unit);
      if (!d) return std::nullopt;
      if (!in_bounds(spec, d->min(), d->max())) return wrong();
      return Value{*d};
    }
    case ParamType::zone_ref:
    case ParamType::region_ref:
    case ParamType::component_ref: {
      const NameSet& set = spec.type == ParamType::zone_ref     ? zones_
                           : spec.type == ParamType::region_ref ? regions_
                                                                : components_;
      auto name = ref_value(v, pointer, set);
      if (!name) return std::nullopt;
      return Value{*name};
    }
    case ParamType::zone_list:
    case ParamType::region_list:
    case ParamType::component_list: {
      const NameSet& set = spec.type == ParamType::zone_list     ? zones_
                           : spec.type == ParamType::region_list ? regions_
                                                                 : components_;
      const std::size_t before = out_.size();
      auto names = ref_list_value(v, pointer, set, false);
      if (out_.size() != before) return std::nullopt;
      return Value{std::move(names)};
    }
    case ParamType::object:
    case ParamType::object_list: {
      std::vector<std::string> fields;
      for (const ParamSpec& f : spec.fields) fields.push_back(f.name);
      std::vector<Params> objects;
      auto read_one = [&](const json& o, const std::string& p) {
        if (!expect_object(o, p, "an object with the keys " + join(fields))) return;
        check_keys(o, p, fields);
        objects.push_back(
            read_params(spec.fields, o, p, spec.type == ParamType::object ? preset : nullptr));
      };
      if (spec.type == ParamType::object) {
        read_one(v, pointer);
        if (objects.empty()) return std::nullopt;
      } else {
        if (!v.is_array()) return wrong();
        for (std::size_t i = 0; i < v.size(); ++i) read_one(v[i], pointer_join(pointer, i));
      }
      return Value{std::move(objects)};
    }
  }
  return std::nullopt;
}

// ---- top level ---------------------------------------------------------------------------------

void Reader::read(const json& root, Scenario& s) {
  if (!root.is_object()) {
    error("", "an object with the keys format, name, providers, components, services and disasters",
          root.is_null() ? "nothing" : render_found(root));
    return;
  }
  check_keys(root, "", detail::kTopKeys);

  const std::string format_expected = quote_text(kScenarioFormat);
  if (const json* f = member(root, "format")) {
    if (!f->is_string() || f->get<std::string>() != kScenarioFormat) {
      error("/format", format_expected, render_found(*f));
    }
  } else {
    error("/format", format_expected, "nothing");
  }

  const std::string name_expected =
      "a name of lower-case letters, digits, \".\", \"_\" and \"-\" like \"shop-aws\"";
  if (auto name = read_string(root, "", "name", true, name_expected)) {
    if (detail::is_scenario_name(*name)) {
      s.name = *name;
    } else {
      error("/name", name_expected, quote_text(*name));
    }
  }
  s.title = read_string(root, "", "title", false).value_or("");
  s.source = read_string(root, "", "source", false).value_or("");
  s.description = read_string(root, "", "description", false).value_or("");

  if (const json* seed = member(root, "seed")) {
    if (seed->is_number_unsigned()) {
      s.seed = seed->get<std::uint64_t>();
    } else {
      error("/seed", "a non-negative integer", render_found(*seed));
    }
  }
  if (auto h = read_positive(root, "", "horizon", Unit::duration, false)) s.horizon_s = *h;
  const std::optional<double> total_cost = read_cost(root, "");

  if (const json* n = member(root, "network")) {
    if (expect_object(*n, "/network", "an object")) read_network(*n, s.network);
  }

  read_providers(root, s);
  read_credentials(root, s);
  declare_components(root);
  read_components(root, s);
  read_services(root, s);
  read_runbooks(root, s);
  read_disasters(root, s);
  check_targets(s);
  check_dependency_cycles(s);

  if (total_cost) {
    s.monthly_cost = *total_cost;
  } else {
    s.monthly_cost = 0;
    for (const Component& c : s.components) s.monthly_cost += c.monthly_cost;
  }
}

void Reader::read_network(const json& o, Network& n) {
  check_keys(o, "/network", detail::kNetworkKeys);
  auto latency = [&](std::string_view key, double& field) {
    if (auto v = read_quantity(o, "/network", key, Unit::duration, false)) field = *v;
  };
  auto bandwidth = [&](std::string_view key, double& field) {
    if (auto v = read_positive(o, "/network", key, Unit::bandwidth, false)) field = *v;
  };
  latency("zone_latency", n.zone_latency_s);
  bandwidth("zone_bandwidth", n.zone_bandwidth_Bps);
  latency("inter_zone_latency", n.inter_zone_latency_s);
  bandwidth("inter_zone_bandwidth", n.inter_zone_bandwidth_Bps);
  latency("inter_region_latency", n.inter_region_latency_s);
  bandwidth("inter_region_bandwidth", n.inter_region_bandwidth_Bps);
}

// ---- providers, regions, zones ------------------------------------------------------------------

void Reader::add_region(const std::string& name, const std::string& pointer, bool implicit) {
  if (regions_.has(name)) {
    error(pointer, "a region name not used before", quote_text(name),
          "already used at " + regions_.pointer_of(name));
    return;
  }
  if (zones_.has(name)) {
    error(pointer, "a region name not used by a zone", quote_text(name),
          "a zone of that name is declared at " + zones_.pointer_of(name));
    return;
  }
  regions_.add(name, pointer);
  if (implicit) implicit_regions_.insert(name);
}

void Reader::add_zone(const std::string& name, const std::string& pointer,
                      const std::string& region, bool implicit) {
  if (zones_.has(name)) {
    error(pointer, "a zone name not used before", quote_text(name),
          "already used at " + zones_.pointer_of(name));
    return;
  }
  const bool own_implicit_region = implicit && name == region;
  if (regions_.has(name) && !own_implicit_region) {
    error(pointer, "a zone name not used by a region", quote_text(name),
          "a region of that name is declared at " + regions_.pointer_of(name));
    return;
  }
  zones_.add(name, pointer);
  zone_region_[name] = region;
}

void Reader::read_providers(const json& root, Scenario& s) {
  const json* list = read_array(root, "", "providers", true, true, "providers");
  if (list == nullptr) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = pointer_join("/providers", i);
    const json& o = (*list)[i];
    if (!expect_object(o, p, "a provider: an object with a name")) continue;
    check_keys(o, p, detail::kProviderKeys);
    Provider provider;
    provider.pointer = p;
    auto name = read_unique_name(o, p, providers_, "provider");
    provider.name = name.value_or("");
    provider.kind = read_choice(o, p, "kind", detail::kProviderKinds).value_or("cloud");

    const json* regions = member(o, "regions");
    if (regions == nullptr) {
      if (!name) continue;
      // One implicit region and zone, both named after the provider.
      const std::size_t errors = out_.size();
      add_region(*name, pointer_join(p, "name"), true);
      if (out_.size() != errors) continue;
      add_zone(*name, pointer_join(p, "name"), *name, true);
      if (out_.size() != errors) continue;
      provider.regions.push_back(*name);
      s.regions.push_back(Region{*name, *name, {*name}, p});
      s.zone_region[*name] = *name;
      s.providers.push_back(std::move(provider));
      continue;
    }
    const std::string rp = pointer_join(p, "regions");
    if (!regions->is_array() || regions->empty()) {
      error(rp, "a non-empty list of regions", render_found(*regions),
            "leave \"regions\" out for a provider with one implicit region and zone");
      continue;
    }
    for (std::size_t j = 0; j < regions->size(); ++j) {
      const std::string rj = pointer_join(rp, j);
      const json& r = (*regions)[j];
      if (!expect_object(r, rj, "a region: an object with a name and zones")) continue;
      check_keys(r, rj, detail::kRegionKeys);
      Region region;
      region.pointer = rj;
      region.provider = provider.name;
      auto region_name = read_name(r, rj, "name", true, "region name");
      if (region_name) {
        const std::size_t errors = out_.size();
        add_region(*region_name, pointer_join(rj, "name"), false);
        if (out_.size() != errors) region_name.reset();
      }
      region.name = region_name.value_or("");
      const json* zones = read_array(r, rj, "zones", true, true, "zone names");
      if (zones != nullptr) {
        for (std::size_t k = 0; k < zones->size(); ++k) {
          const std::string zk = pointer_join(pointer_join(rj, "zones"), k);
          const json& z = (*zones)[k];
          if (!z.is_string() || z.get<std::string>().empty()) {
            error(zk, "a non-empty zone name", render_found(z));
            continue;
          }
          const std::size_t errors = out_.size();
          add_zone(z.get<std::string>(), zk, region.name, false);
          if (out_.size() == errors) region.zones.push_back(z.get<std::string>());
        }
      }
      if (region_name) {
        for (const std::string& z : region.zones) s.zone_region[z] = region.name;
        provider.regions.push_back(region.name);
        s.regions.push_back(std::move(region));
      }
    }
    s.providers.push_back(std::move(provider));
  }
  for (const std::string& z : zones_.names) zones_or_regions_.add(z, zones_.pointer_of(z));
  for (const std::string& r : regions_.names) {
    if (!zones_or_regions_.has(r)) zones_or_regions_.add(r, regions_.pointer_of(r));
  }
}

void Reader::read_credentials(const json& root, Scenario& s) {
  const json* list = read_array(root, "", "credentials", false, false, "credentials");
  if (list == nullptr) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = pointer_join("/credentials", i);
    const json& o = (*list)[i];
    if (!expect_object(o, p, "a credential: an object with a name")) continue;
    check_keys(o, p, detail::kCredentialKeys);
    Credential c;
    c.name = read_unique_name(o, p, credentials_, "credential").value_or("");
    c.description = read_string(o, p, "description", false).value_or("");
    s.credentials.push_back(std::move(c));
  }
}

// ---- components -------------------------------------------------------------------------------

void Reader::declare_components(const json& root) {
  const json* list = read_array(root, "", "components", true, false, "components");
  if (list == nullptr) return;
  models_.assign(list->size(), nullptr);
  declared_.assign(list->size(), false);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = pointer_join("/components", i);
    const json& o = (*list)[i];
    if (!expect_object(o, p, "a component: an object with a name and a kind")) continue;
    auto name = read_unique_name(o, p, components_, "component");
    declared_[i] = name.has_value();
    const std::vector<std::string> kinds = registry_.kinds();
    const std::string kind_expected = "a component kind";
    auto kind = read_string(o, p, "kind", true, kind_expected);
    if (!kind) continue;
    models_[i] = registry_.find(*kind);
    if (models_[i] == nullptr) {
      std::string hint;
      const std::string near = nearest_name(*kind, kinds);
      if (!near.empty()) hint = "did you mean " + quote_text(near) + "? ";
      hint +=
          kinds.empty() ? std::string("no kinds are registered") : "known kinds: " + join(kinds);
      error(pointer_join(p, "kind"), kind_expected, quote_text(*kind), hint);
      continue;
    }
    if (name) {
      component_kind_[*name] = *kind;
      if (*kind == "team") teams_.add(*name, p);
      if (models_[i]->holds_data()) holding_.add(*name, p);
    }
  }
}

void Reader::read_components(const json& root, Scenario& s) {
  const json* list = member(root, "components");
  if (list == nullptr || !list->is_array()) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = pointer_join("/components", i);
    const json& o = (*list)[i];
    if (!o.is_object()) continue;
    Component c;
    c.pointer = p;
    if (const json* n = member(o, "name"); n && n->is_string()) c.name = n->get<std::string>();
    if (const json* k = member(o, "kind"); k && k->is_string()) c.kind = k->get<std::string>();
    c.description = read_string(o, p, "description", false).value_or("");
    const ComponentModel* model = models_[i];

    // Placement: exactly one of zones, region, provider (none for kinds placed nowhere).
    std::vector<std::string> given;
    for (const char* key : {"zones", "region", "provider"}) {
      if (member(o, key) != nullptr) given.emplace_back(key);
    }
    if (model != nullptr && model->placement_rule() == PlacementRule::none) {
      for (const std::string& key : given) {
        error(pointer_join(p, key),
              "no placement (a component of kind " + quote_text(c.kind) + " is placed nowhere)",
              render_found(*member(o, key)));
      }
    } else if (model != nullptr && given.empty()) {
      error(p, "a placement: one of \"zones\", \"region\" or \"provider\"", "nothing");
    } else if (model != nullptr) {
      for (std::size_t g = 1; g < given.size(); ++g) {
        error(pointer_join(p, given[g]), "only one of \"zones\", \"region\" or \"provider\"",
              "both " + quote_text(given[0]) + " and " + quote_text(given[g]));
      }
      if (given[0] == "zones") {
        c.placement.zones = read_ref_list(o, p, "zones", zones_, true, true);
      } else if (given[0] == "region") {
        c.placement.region = read_ref(o, p, "region", regions_, true).value_or("");
      } else {
        c.placement.provider = read_ref(o, p, "provider", providers_, true).value_or("");
      }
    }

    read_depends(o, p, false, c.depends, c.depends_any);
    c.credentials = read_ref_list(o, p, "credentials", credentials_, false, false);
    c.uses_credentials = read_ref_list(o, p, "uses_credentials", credentials_, false, false);
    if (!c.uses_credentials.empty()) credential_users_.add(c.name, p);
    c.monthly_cost = read_cost(o, p).value_or(0.0);

    if (model != nullptr) {
      std::vector<std::string> known = detail::kComponentKeys;
      if (!registry_.presets(c.kind).empty()) known.emplace_back("preset");
      for (const ParamSpec& spec : model->params()) known.push_back(spec.name);
      check_keys(o, p, known);
      json preset_values;
      const json* preset = read_preset(o, p, c.kind, c.preset, preset_values);
      preset_hint_ = "the value of preset " + quote_text(c.preset);
      c.params = read_params(model->params(), o, p, preset);
    }
    s.components.push_back(std::move(c));
  }
}

// "preset": a name among the kind's presets. Returns its values (kept in `values`) or nullptr.
const json* Reader::read_preset(const json& o, const std::string& pointer, const std::string& kind,
                                std::string& name, json& values) {
  const json* v = member(o, "preset");
  std::vector<std::string> names;
  for (const Preset& preset : registry_.presets(kind)) names.push_back(preset.name);
  if (v == nullptr || names.empty()) return nullptr;  // a kind without presets: an unknown key
  const std::string p = pointer_join(pointer, "preset");
  const std::string expected = "a preset of kind " + quote_text(kind);
  if (!v->is_string()) {
    error(p, expected, render_found(*v), "known presets: " + join(names));
    return nullptr;
  }
  const Preset* preset = registry_.find_preset(kind, v->get<std::string>());
  if (preset == nullptr) {
    const std::string near = nearest_name(v->get<std::string>(), names);
    error(p, expected, render_found(*v),
          (near.empty() ? "" : "did you mean " + quote_text(near) + "? ") + "known presets: " +
              join(names));
    return nullptr;
  }
  name = preset->name;
  values = json::parse(preset->values_json);  // checked when it was registered
  return &values;
}

// ---- services ---------------------------------------------------------------------------------

void Reader::read_services(const json& root, Scenario& s) {
  const json* list = read_array(root, "", "services", true, true, "services");
  if (list == nullptr) return;
  NameSet names{"service", "services", {}, {}};
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = pointer_join("/services", i);
    const json& o = (*list)[i];
    if (!expect_object(o, p, "a service: an object with a name and depends")) continue;
    check_keys(o, p, detail::kServiceKeys);
    Service svc;
    svc.pointer = p;
    svc.name = read_unique_name(o, p, names, "service").value_or("");
    svc.description = read_string(o, p, "description", false).value_or("");
    read_depends(o, p, true, svc.depends, svc.depends_any);

    if (const json* queued = read_array(o, p, "queued", false, false, "queued dependencies")) {
      for (std::size_t j = 0; j < queued->size(); ++j) {
        const std::string qp = pointer_join(pointer_join(p, "queued"), j);
        const json& q = (*queued)[j];
        if (!expect_object(q, qp, "an object with a component and a drain_rate")) continue;
        check_keys(q, qp, detail::kQueuedKeys);
        QueuedDependency dep;
        dep.component = read_ref(q, qp, "component", components_, true).value_or("");
        dep.drain_rate = read_positive(q, qp, "drain_rate", Unit::rate, true).value_or(0.0);
        svc.queued.push_back(std::move(dep));
      }
    }
    svc.writes_per_s = read_quantity(o, p, "writes", Unit::rate, false).value_or(0.0);

    if (const json* data = member(o, "data")) {
      const std::size_t errors = out_.size();
      std::vector<std::string> names_given =
          ref_list_value(*data, pointer_join(p, "data"), components_, false);
      if (out_.size() == errors) {
        for (std::size_t j = 0; j < names_given.size(); ++j) {
          if (holding_.has(names_given[j])) continue;
          const std::string dp = pointer_join(pointer_join(p, "data"), j);
          error(dp, "a component that holds data", quote_text(names_given[j]), holding_hint());
        }
        svc.data = std::move(names_given);
      }
    }

    if (const json* targets = member(o, "targets")) {
      services_with_targets_.insert(p);
      const std::string tp = pointer_join(p, "targets");
      if (expect_object(*targets, tp, "an object of targets by disruption class")) {
        for (const auto& item : targets->items()) {
          const std::string cp = pointer_join(tp, item.key());
          if (!detail::is_class_name(item.key())) {
            key_error(cp, "a disruption class of lower-case letters and \"_\" or \"default\"",
                      quote_text(item.key()));
            continue;
          }
          const json& t = item.value();
          if (!expect_object(t, cp, "a target: an object with rto and rpo")) continue;
          check_keys(t, cp, detail::kTargetKeys);
          Target target;
          target.rto_s = read_quantity(t, cp, "rto", Unit::duration, true).value_or(0.0);
          target.rpo_s = read_quantity(t, cp, "rpo", Unit::duration, true).value_or(0.0);
          target.inferred = read_bool(t, cp, "inferred").value_or(false);
          target.note = read_string(t, cp, "note", false).value_or("");
          svc.targets[item.key()] = std::move(target);
        }
      }
    }
    s.services.push_back(std::move(svc));
  }
}

// ---- runbooks ---------------------------------------------------------------------------------

void Reader::read_action(const json& o, const std::string& pointer, Action& a) {
  std::vector<std::string> verbs;
  for (const auto& item : o.items()) {
    if (contains(detail::kActionVerbs, item.key())) verbs.push_back(item.key());
  }
  if (verbs.empty()) {
    error(pointer, "an action with one verb: " + join(detail::kActionVerbs), render_found(o));
    return;
  }
  for (std::size_t i = 1; i < verbs.size(); ++i) {
    key_error(pointer_join(pointer, verbs[i]), "one verb per action",
              "both " + quote_text(verbs[0]) + " and " + quote_text(verbs[i]));
  }
  const std::string& verb = verbs[0];
  std::vector<std::string> known{verb};
  if (verb == "restore") known = {verb, "to", "from"};
  if (verb == "rebuild" || verb == "switch") known = {verb, "to"};
  for (const auto& item : o.items()) {
    if (contains(known, item.key()) || contains(detail::kActionVerbs, item.key())) continue;
    std::string hint;
    const std::string near = nearest_name(item.key(), known);
    if (!near.empty()) hint = "did you mean " + quote_text(near) + "? ";
    hint += "known keys for " + quote_text(verb) + ": " + join(sorted(known));
    key_error(pointer_join(pointer, item.key()), "a known key", quote_text(item.key()), hint);
  }
  static const std::map<std::string, ActionVerb> kVerbs{
      {"failover", ActionVerb::failover}, {"restore", ActionVerb::restore},
      {"rebuild", ActionVerb::rebuild},   {"switch", ActionVerb::switch_to},
      {"bypass", ActionVerb::bypass},     {"repair", ActionVerb::repair},
      {"wait_for", ActionVerb::wait_for}};
  a.verb = kVerbs.at(verb);
  a.component = read_ref(o, pointer, verb, components_, true).value_or("");
  if (verb == "restore") {
    a.to = read_ref_list(o, pointer, "to", zones_, false, true, true);
    a.from = read_choice(o, pointer, "from", detail::kRestoreSources).value_or("any");
  } else if (verb == "rebuild") {
    a.to = read_ref_list(o, pointer, "to", zones_, true, true, true);
  } else if (verb == "switch") {
    if (auto to = read_ref(o, pointer, "to", components_, true)) {
      if (*to == a.component) {
        error(pointer_join(pointer, "to"), "a component other than the one switched",
              quote_text(*to));
      } else {
        a.to = {*to};
      }
    }
  }
}

void Reader::read_step(const json& o, const std::string& pointer, const std::string& runbook_team,
                       bool runbook_team_given, const NameSet& step_ids, Step& step) {
  check_keys(o, pointer, detail::kStepKeys);
  step.pointer = pointer;
  if (const json* id = member(o, "id"); id && id->is_string()) step.id = id->get<std::string>();
  step.title = read_string(o, pointer, "title", false).value_or("");
  step.manual =
      read_choice(o, pointer, "kind", {"manual", "automated"}).value_or("manual") == "manual";
  const std::optional<std::string> team = read_team(o, pointer, "team");
  if (team) {
    step.team = *team;
  } else if (step.manual) {
    step.team = runbook_team;
  }
  if (step.manual && member(o, "team") == nullptr && !runbook_team_given) {
    error(pointer_join(pointer, "team"),
          "a team for this manual step (in the step or in the runbook)", "nothing");
  }
  if (auto d = read_dist(o, pointer, "duration", Unit::duration, true)) step.duration = *d;
  step.duration_includes_transfer =
      read_bool(o, pointer, "duration_includes_transfer").value_or(false);
  step.after = read_ref_list(o, pointer, "after", step_ids, false, false);
  step.requires_up = read_ref_list(o, pointer, "requires", components_, false, false);
  step.fallback_for = read_ref(o, pointer, "fallback_for", step_ids, false).value_or("");
  if (const json* action = member(o, "action")) {
    const std::string ap = pointer_join(pointer, "action");
    if (expect_object(*action, ap,
                      "an action: an object with one verb: " + join(detail::kActionVerbs))) {
      read_action(*action, ap, step.action);
    }
  }
}

// Reports each cycle of `edges` between the steps of a runbook, at the `key` of its first step.
void Reader::step_cycles(const Runbook& rb,
                         const std::vector<std::pair<std::size_t, std::size_t>>& edges,
                         const std::string& key, const std::string& what) {
  for (const auto& cycle : detail::find_cycles(rb.steps.size(), edges, kMaxCycles)) {
    std::string text;
    for (std::size_t v : cycle) text += rb.steps[v].id + " -> ";
    text += rb.steps[cycle.front()].id;
    error(pointer_join(rb.steps[cycle.front()].pointer, key),
          what + " whose \"" + key + "\" has no cycle", text);
  }
}

// Whether a step's precondition can fail (engine.cpp, run_step): components it requires, or an
// action that needs data or a replica.
bool Reader::has_precondition(const Step& step) const {
  const ActionVerb v = step.action.verb;
  return !step.requires_up.empty() || v == ActionVerb::restore || v == ActionVerb::failover ||
         (v == ActionVerb::rebuild && holding_.has(step.action.component));
}

// "fallback_for": a step naming one other step of its runbook, at most one fallback per step,
// no cycles; a fallback has no "after" (it becomes ready with its primary) and no step is
// "after" a fallback (steps after the primary follow whichever ran). Sets each primary's
// `fallback`.
void Reader::check_fallbacks(Runbook& rb) {
  std::map<std::string, std::size_t> position;
  for (std::size_t k = 0; k < rb.steps.size(); ++k) position.emplace(rb.steps[k].id, k);
  std::map<std::string, std::string> fallback_of;  // primary id -> its fallback's id
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  for (std::size_t k = 0; k < rb.steps.size(); ++k) {
    const Step& st = rb.steps[k];
    if (st.fallback_for.empty()) continue;
    const std::string p = pointer_join(st.pointer, "fallback_for");
    const auto primary = position.find(st.fallback_for);
    if (primary == position.end()) continue;  // reported by read_ref
    if (st.fallback_for == st.id) {
      error(p, "the id of another step of the runbook", quote_text(st.id),
            "a fallback runs in place of another step whose precondition fails");
      continue;
    }
    if (!st.after.empty()) {
      error(pointer_join(st.pointer, "after"), "no \"after\" on a fallback step",
            "[" + join(st.after) + "]",
            "a fallback becomes ready with the step it replaces: put what it waits for in the "
            "\"after\" of " + quote_text(st.fallback_for));
    }
    const Step& target = rb.steps[primary->second];
    if (!has_precondition(target)) {
      error(p, "a step whose precondition can fail (\"requires\", or a restore, failover or "
               "rebuild of a data store)",
            quote_text(st.fallback_for), "that step always runs: its fallback never would");
    }
    if (auto [it, fresh] = fallback_of.emplace(st.fallback_for, st.id); !fresh) {
      error(p, "a step that has no fallback yet", quote_text(st.fallback_for),
            quote_text(it->second) + " is its fallback already; to try a third way, make this "
            "step the fallback of " + quote_text(it->second));
      continue;
    }
    edges.emplace_back(k, primary->second);
  }
  for (const Step& st : rb.steps) {
    for (std::size_t j = 0; j < st.after.size(); ++j) {
      const auto pos = position.find(st.after[j]);
      if (pos == position.end() || rb.steps[pos->second].fallback_for.empty()) continue;
      std::string primary = st.after[j];  // the first of the chain (bounded: chains may cycle)
      for (std::size_t n = 0; n < rb.steps.size(); ++n) {
        const auto up = position.find(primary);
        if (up == position.end() || rb.steps[up->second].fallback_for.empty()) break;
        primary = rb.steps[up->second].fallback_for;
      }
      error(pointer_join(pointer_join(st.pointer, "after"), j), "a step that is not a fallback",
            quote_text(st.after[j]),
            "name the step it replaces, " + quote_text(primary) + ": steps after it follow "
            "whichever of it and its fallbacks ran");
    }
  }
  step_cycles(rb, edges, "fallback_for", "fallbacks");
  for (auto& st : rb.steps) {
    if (auto it = fallback_of.find(st.id); it != fallback_of.end()) st.fallback = it->second;
  }
}

void Reader::read_runbooks(const json& root, Scenario& s) {
  const json* list = read_array(root, "", "runbooks", false, false, "runbooks");
  if (list == nullptr) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = pointer_join("/runbooks", i);
    const json& o = (*list)[i];
    if (!expect_object(o, p, "a runbook: an object with a name and steps")) continue;
    check_keys(o, p, detail::kRunbookKeys);
    Runbook rb;
    rb.pointer = p;
    rb.name = read_unique_name(o, p, runbooks_, "runbook").value_or("");
    rb.description = read_string(o, p, "description", false).value_or("");
    rb.trigger = read_choice(o, p, "trigger", {"alert", "start"}).value_or("alert");
    const std::string team = read_team(o, p, "team").value_or("");
    const bool team_given = member(o, "team") != nullptr;

    const json* steps = read_array(o, p, "steps", true, true, "steps");
    if (steps == nullptr) {
      s.runbooks.push_back(std::move(rb));
      continue;
    }
    const std::string sp = pointer_join(p, "steps");
    // Step ids first, so that "after" may name a later step.
    NameSet ids{"step", "steps", {}, {}};
    for (std::size_t j = 0; j < steps->size(); ++j) {
      const std::string stp = pointer_join(sp, j);
      const json& st = (*steps)[j];
      if (!expect_object(st, stp, "a step: an object with an id and a duration")) continue;
      read_unique_name(st, stp, ids, "step", "id");  // reports a missing or repeated id
    }
    for (std::size_t j = 0; j < steps->size(); ++j) {
      const std::string stp = pointer_join(sp, j);
      const json& st = (*steps)[j];
      if (!st.is_object()) continue;
      Step step;
      read_step(st, stp, team, team_given, ids, step);
      rb.steps.push_back(std::move(step));
    }
    // "after" must form a DAG.
    std::map<std::string, std::size_t> position;
    for (std::size_t k = 0; k < rb.steps.size(); ++k) position.emplace(rb.steps[k].id, k);
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    for (std::size_t k = 0; k < rb.steps.size(); ++k) {
      for (const std::string& a : rb.steps[k].after) {
        if (auto it = position.find(a); it != position.end()) edges.emplace_back(k, it->second);
      }
    }
    step_cycles(rb, edges, "after", "steps");
    check_fallbacks(rb);
    s.runbooks.push_back(std::move(rb));
  }
}

// ---- disasters --------------------------------------------------------------------------------

void Reader::read_fault(const json& o, const std::string& pointer, Fault& f) {
  check_keys(o, pointer, detail::kFaultKeys);
  f.pointer = pointer;
  std::optional<FaultKind> kind;
  const std::string kind_expected = "a fault kind";
  if (auto k = read_string(o, pointer, "kind", true, kind_expected)) {
    kind = fault_kind_from_name(*k);
    if (!kind) {
      std::string hint;
      const std::string near = nearest_name(*k, fault_kind_names());
      if (!near.empty()) hint = "did you mean " + quote_text(near) + "? ";
      hint += "fault kinds: " + join(fault_kind_names());
      error(pointer_join(pointer, "kind"), kind_expected, quote_text(*k), hint);
    }
  }
  const std::string kind_name = kind ? std::string(fault_kind_name(*kind)) : std::string();
  if (kind) f.kind = *kind;

  // The target, by kind.
  if (!kind) {
    read_string(o, pointer, "target", true);
  } else {
    switch (*kind) {
      case FaultKind::zone_outage:
        f.target = read_ref(o, pointer, "target", zones_, true).value_or("");
        break;
      case FaultKind::region_outage:
        f.target = read_ref(o, pointer, "target", regions_, true).value_or("");
        break;
      case FaultKind::provider_outage:
        f.target = read_ref(o, pointer, "target", providers_, true).value_or("");
        break;
      case FaultKind::component_crash:
      case FaultKind::third_party_outage:
        f.target = read_ref(o, pointer, "target", components_, true).value_or("");
        break;
      case FaultKind::data_corruption:
      case FaultKind::operator_deletion:
        f.target = read_ref(o, pointer, "target", components_, true).value_or("");
        if (!f.target.empty() && !holding_.has(f.target)) {
          error(pointer_join(pointer, "target"), "a component that holds data",
                quote_text(f.target), holding_hint());
          f.target.clear();
        }
        break;
      case FaultKind::credential_compromise:
        f.target = read_ref(o, pointer, "target", credentials_, true).value_or("");
        break;
      case FaultKind::component_compromise:
        f.target = read_ref(o, pointer, "target", components_, true).value_or("");
        if (!f.target.empty() && !credential_users_.has(f.target)) {
          error(pointer_join(pointer, "target"), "a component that lists uses_credentials",
                quote_text(f.target),
                credential_users_.names.empty()
                    ? std::string("no component of this scenario lists uses_credentials: its "
                                  "compromise would compromise nothing")
                    : "components that use credentials: " + join(credential_users_.names));
          f.target.clear();
        }
        break;
      case FaultKind::team_unavailable:
      case FaultKind::office_unavailable:
        if (const json* t = member(o, "target")) {
          f.target = team_value(*t, pointer_join(pointer, "target")).value_or("");
        } else {
          error(pointer_join(pointer, "target"), "the name of a team", "nothing");
        }
        break;
      case FaultKind::network_partition:
      case FaultKind::network_degradation:
        f.target = read_ref(o, pointer, "target", zones_or_regions_, true).value_or("");
        break;
    }
  }

  const bool network =
      kind == FaultKind::network_partition || kind == FaultKind::network_degradation;
  const bool degradation = kind == FaultKind::network_degradation;
  const bool data = kind == FaultKind::data_corruption || kind == FaultKind::operator_deletion;
  auto not_for_kind = [&](std::string_view key, const std::string& which) {
    if (!kind) return false;
    const json* v = member(o, key);
    if (v == nullptr) return false;
    error(pointer_join(pointer, key),
          "no " + std::string(key) + " for a " + kind_name + " fault (only " + which + ")",
          render_found(*v));
    return true;
  };

  if (network) {
    if (auto peer = read_ref(o, pointer, "peer", zones_or_regions_, true)) {
      if (*peer == f.target) {
        error(pointer_join(pointer, "peer"), "a zone or region other than the target",
              quote_text(*peer));
      } else {
        f.peer = *peer;
      }
    }
  } else {
    not_for_kind("peer", "network_partition and network_degradation faults have one");
  }

  if (auto at = read_dist(o, pointer, "at", Unit::duration, false)) f.at = *at;
  const std::string tod_expected = "a time of day like \"17:20\" (24-hour clock)";
  if (auto tod = read_string(o, pointer, "time_of_day", false, tod_expected)) {
    if (auto t = parse_time_of_day(*tod)) {
      f.time_of_day_s = *t;
    } else {
      error(pointer_join(pointer, "time_of_day"), tod_expected, quote_text(*tod));
    }
  }
  if (auto d = read_dist(o, pointer, "duration", Unit::duration, false)) f.duration = *d;

  if (data) {
    if (auto d = read_dist(o, pointer, "detected_after", Unit::duration, true))
      f.detected_after = *d;
    if (read_choice(o, pointer, "scope", {"logical", "filesystem"}).value_or("logical") ==
        "filesystem") {
      f.scope = Fault::Scope::filesystem;
    }
  } else {
    not_for_kind("detected_after", "data_corruption and operator_deletion faults have one");
    not_for_kind("scope", "data_corruption and operator_deletion faults have one");
  }

  if (degradation) {
    if (const json* b = member(o, "bandwidth_factor")) {
      const std::string bp = pointer_join(pointer, "bandwidth_factor");
      if (!b->is_number() || !(b->get<double>() > 0.0 && b->get<double>() <= 1.0)) {
        error(bp, "a number above 0 and at most 1", render_found(*b));
      } else {
        f.bandwidth_factor = b->get<double>();
      }
    }
    if (auto l = read_quantity(o, pointer, "extra_latency", Unit::duration, false)) {
      f.extra_latency_s = *l;
    }
  } else {
    not_for_kind("bandwidth_factor", "network_degradation faults have one");
    not_for_kind("extra_latency", "network_degradation faults have one");
  }
}

void Reader::read_disasters(const json& root, Scenario& s) {
  const json* list = read_array(root, "", "disasters", true, true, "disasters");
  if (list == nullptr) return;
  NameSet names{"disaster", "disasters", {}, {}};
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string p = pointer_join("/disasters", i);
    const json& o = (*list)[i];
    if (!expect_object(o, p, "a disaster: an object with a name, a class and faults")) continue;
    check_keys(o, p, detail::kDisasterKeys);
    Disaster d;
    d.pointer = p;
    d.name = read_unique_name(o, p, names, "disaster").value_or("");
    const std::string class_expected =
        "a disruption class of lower-case letters and \"_\" like \"zone\"";
    if (auto cls = read_string(o, p, "class", true, class_expected)) {
      if (detail::is_class_name(*cls) && *cls != "default") {
        d.cls = *cls;
      } else {
        error(pointer_join(p, "class"), class_expected, quote_text(*cls));
      }
    }
    d.description = read_string(o, p, "description", false).value_or("");
    d.claim = read_string(o, p, "claim", false).value_or("");
    if (const json* faults = read_array(o, p, "faults", true, true, "faults")) {
      for (std::size_t j = 0; j < faults->size(); ++j) {
        const std::string fp = pointer_join(pointer_join(p, "faults"), j);
        const json& fo = (*faults)[j];
        if (!expect_object(fo, fp, "a fault: an object with a kind and a target")) continue;
        Fault f;
        read_fault(fo, fp, f);
        if (f.time_of_day_s && std::any_of(d.faults.begin(), d.faults.end(), [](const Fault& g) {
              return g.time_of_day_s.has_value();
            })) {
          // Two clock times would fix the clock twice: they agree only by chance of `at`.
          error(pointer_join(fp, "time_of_day"),
                "time_of_day on at most one fault of a disaster",
                "a second one", "it sets the trial's clock; place the other faults with at");
        }
        d.faults.push_back(std::move(f));
      }
    }
    d.runbooks = read_ref_list(o, p, "runbooks", runbooks_, false, false);
    s.disasters.push_back(std::move(d));
  }
}

// ---- whole-scenario checks --------------------------------------------------------------------

void Reader::check_targets(const Scenario& s) {
  // A disaster's class that is not standard and that no service's targets name is most likely
  // misspelled (its services would fall back to "default"); so is a target key that is not
  // standard and that no disaster uses (its target would never be read).
  std::vector<std::string> disaster_classes = detail::kStandardClasses;
  for (const std::string& c : classes_.targets) {
    if (!contains(disaster_classes, c)) disaster_classes.push_back(c);
  }
  std::vector<std::string> target_classes = detail::kStandardClasses;
  for (const std::string& c : classes_.disasters) {
    if (!contains(target_classes, c)) target_classes.push_back(c);
  }
  target_classes.emplace_back("default");
  std::set<std::string> misspelled;  // classes of disasters reported here
  for (const Disaster& d : s.disasters) {
    if (d.cls.empty() || contains(disaster_classes, d.cls)) continue;
    misspelled.insert(d.cls);
    error(pointer_join(d.pointer, "class"),
          "a standard disruption class or one that a service's targets name",
          quote_text(d.cls), detail::names_hint(d.cls, disaster_classes, "classes"));
  }
  std::vector<std::string> classes;
  for (const Disaster& d : s.disasters) {
    if (!d.cls.empty() && !contains(classes, d.cls) && misspelled.count(d.cls) == 0) {
      classes.push_back(d.cls);
    }
  }
  for (const Service& svc : s.services) {
    std::vector<std::string> unknown;  // this service's misspelled target keys
    for (const auto& [cls, target] : svc.targets) {
      if (contains(target_classes, cls)) continue;
      unknown.push_back(cls);
      key_error(pointer_join(pointer_join(svc.pointer, "targets"), cls),
                "\"default\", a standard disruption class or the class of a disaster",
                quote_text(cls), detail::names_hint(cls, target_classes, "classes"));
    }
    if (svc.targets.count("default") != 0) continue;
    std::vector<std::string> present;
    for (const auto& [cls, target] : svc.targets) present.push_back(cls);
    const bool has_targets = services_with_targets_.count(svc.pointer) != 0;
    for (const std::string& cls : classes) {
      if (svc.targets.count(cls) != 0) continue;
      if (!nearest_name(cls, unknown).empty()) continue;  // reported as its misspelled key
      error(pointer_join(svc.pointer, "targets"),
            "a target for disaster class " + quote_text(cls) + " or a \"default\" target",
            !has_targets      ? std::string("nothing")
            : present.empty() ? std::string("no targets")
                              : "targets for " + quote_list(present));
    }
  }
}

void Reader::check_dependency_cycles(const Scenario& s) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < s.components.size(); ++i) {
    if (!s.components[i].name.empty()) index.emplace(s.components[i].name, i);
  }
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  for (std::size_t i = 0; i < s.components.size(); ++i) {
    const Component& c = s.components[i];
    for (const std::string& d : c.depends) {
      if (auto it = index.find(d); it != index.end()) edges.emplace_back(i, it->second);
    }
    // An "either of" member closes a cycle too: evaluating it would need the component itself.
    for (const AnyOf& group : c.depends_any) {
      for (const std::string& d : group.components) {
        if (auto it = index.find(d); it != index.end()) edges.emplace_back(i, it->second);
      }
    }
    const ComponentModel* model = registry_.find(c.kind);
    if (model == nullptr) continue;
    for (const ParamSpec& spec : model->params()) {
      if (spec.name != "targets" || spec.type != ParamType::component_list) continue;
      const auto it = c.params.values.find("targets");
      if (it == c.params.values.end()) continue;
      if (const auto* list = std::get_if<std::vector<std::string>>(&it->second.v)) {
        for (const std::string& t : *list) {
          if (auto jt = index.find(t); jt != index.end()) edges.emplace_back(i, jt->second);
        }
      }
    }
  }
  for (const auto& cycle : detail::find_cycles(s.components.size(), edges, kMaxCycles)) {
    std::string text;
    for (std::size_t v : cycle) text += s.components[v].name + " -> ";
    const Component& first = s.components[cycle.front()];
    text += first.name;
    const std::string& next = s.components[cycle.size() > 1 ? cycle[1] : cycle[0]].name;
    const bool by_depends = contains(first.depends, next);
    std::string where = pointer_join(first.pointer, by_depends ? "depends" : "targets");
    for (const AnyOf& group : first.depends_any) {
      if (!by_depends && contains(group.components, next)) where = group.pointer;
    }
    error(where, "no cycle in hard dependencies", text);
  }
}

bool is_yaml_path(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".yaml" || ext == ".yml";
}

}  // namespace

// Runbook actions that only make sense for some kinds of component.
static void check_actions(const Scenario& s, const ModelRegistry& registry, const std::string& path,
                          Diagnostics& found) {
  auto verb_name = [](ActionVerb v) {
    switch (v) {
      case ActionVerb::failover: return "failover";
      case ActionVerb::restore: return "restore";
      case ActionVerb::rebuild: return "rebuild";
      case ActionVerb::switch_to: return "switch";
      case ActionVerb::bypass: return "bypass";
      case ActionVerb::repair: return "repair";
      case ActionVerb::wait_for: return "wait_for";
      case ActionVerb::none: return "";
    }
    return "";
  };
  for (const Runbook& rb : s.runbooks) {
    for (const Step& step : rb.steps) {
      const Action& a = step.action;
      const Component* c = s.component(a.component);
      const ComponentModel* model = c == nullptr ? nullptr : registry.find(c->kind);
      const bool moves_data = model != nullptr && model->holds_data() &&
                              (a.verb == ActionVerb::restore || a.verb == ActionVerb::rebuild);
      if (step.duration_includes_transfer && !moves_data) {
        found.add({path, step.pointer + "/duration_includes_transfer", 0, 0,
                   "a step that moves data (restore, or rebuild of a component that holds data)",
                   a.verb == ActionVerb::none
                       ? std::string("a step without an action")
                       : std::string("action \"") + verb_name(a.verb) + "\" on \"" + a.component +
                             "\"",
                   "only a data transfer can happen within the step's duration"});
      }
      if (a.verb == ActionVerb::none) continue;
      if (model == nullptr) continue;
      const std::string pointer = step.pointer + "/action/" + verb_name(a.verb);
      const std::string found_text = "\"" + c->name + "\" of kind \"" + c->kind + "\"";
      if (model->placement_rule() == PlacementRule::none) {
        found.add({path, pointer, 0, 0, "a component a runbook can act on (not a team)",
                   found_text, ""});
      } else if ((a.verb == ActionVerb::failover || a.verb == ActionVerb::restore) &&
                 !model->holds_data()) {
        found.add({path, pointer, 0, 0,
                   std::string("a component that holds data (") + verb_name(a.verb) +
                       " moves data)",
                   found_text, "use \"rebuild\" for stateless components"});
      } else if (a.verb == ActionVerb::switch_to) {
        const bool routes = c->params.has("targets");
        const auto* targets = routes ? &c->params.list("targets") : nullptr;
        if (!routes) {
          found.add({path, pointer, 0, 0, "a component with targets to switch between (dns)",
                     found_text, ""});
        } else if (!a.to.empty() &&
                   std::find(targets->begin(), targets->end(), a.to.front()) == targets->end()) {
          std::string list;
          for (const auto& t : *targets) list += (list.empty() ? "" : ", ") + t;
          found.add({path, step.pointer + "/action/to", 0, 0,
                     "one of the targets of \"" + c->name + "\": " + list,
                     "\"" + a.to.front() + "\"", ""});
        }
      }
    }
  }
}

// Reads and checks one document (a file's base, or one of its variants) into a scenario;
// problems go to `found`, each with a position from `map`.
static std::optional<Scenario> read_document(const nlohmann::json& root, const SourceMap& map,
                                             const std::string& path,
                                             const ModelRegistry& registry,
                                             const detail::ClassNames& classes,
                                             Diagnostics& found) {
  Diagnostics raw;
  Scenario s;
  Reader reader(path, map, registry, classes, raw);
  reader.read(root, s);
  Diagnostics warnings;  // of a valid document only; passed on in `found`, marked as such
  Diagnostics model_warnings;
  if (raw.empty()) {
    // Checks that need the whole, valid scenario.
    for (const Component& c : s.components) {
      Diagnostics checked;
      if (const ComponentModel* model = registry.find(c.kind)) model->check(c, s, path, checked);
      for (const Diagnostic& d : checked.items()) (d.warning ? model_warnings : raw).add(d);
    }
    check_actions(s, registry, path, raw);
  }
  if (raw.empty()) {
    for (const Diagnostic& d : model_warnings.items()) warnings.add(d);
    detail::warn_unraisable_alerts(s, registry, path, warnings);
    detail::warn_undrainable_queues(s, path, warnings);
  }
  // Give positions to diagnostics that came without them (model checks).
  for (const Diagnostic& d : raw.items()) {
    Diagnostic copy = d;
    if (copy.line == 0 && !copy.pointer.empty()) {
      const SourcePos pos = map.value_pos(copy.pointer);
      copy.line = pos.line;
      copy.column = pos.column;
    }
    if (copy.file.empty()) copy.file = path;
    found.add(std::move(copy));
  }
  for (const Diagnostic& w : warnings.items()) {
    Diagnostic copy = w;
    const SourcePos pos = map.value_pos(copy.pointer);
    copy.line = pos.line;
    copy.column = pos.column;
    found.add(std::move(copy));
  }
  if (!raw.empty()) return std::nullopt;
  return s;
}

// Reads every variant of the file whose base is `root`. A variant's diagnostics point into the
// file (into the variant where the value came from it) and name the variant; those that only
// repeat one of the base's (`base_found`) are left out, but kept in the variant's own
// warnings (`document_warnings`).
static std::vector<Scenario> read_variants(const nlohmann::json& root, const SourceMap& map,
                                           const Scenario& base_info, const std::string& path,
                                           const ModelRegistry& registry,
                                           const detail::ClassNames& classes,
                                           const Diagnostics& base_found, Diagnostics& found,
                                           std::map<std::string, Diagnostics, std::less<>>&
                                               document_warnings) {
  std::set<std::tuple<std::string, std::string, std::string>> base_problems;
  for (const Diagnostic& d : base_found.items()) {
    base_problems.emplace(d.pointer, d.expected, d.found);
  }
  std::vector<Scenario> variants;
  for (const detail::VariantDocument& doc : detail::expand_variants(root, map, path, found)) {
    const SourceMap variant_map(map, [&doc](std::string_view p) { return doc.translate(p); });
    Diagnostics raw;
    std::optional<Scenario> s =
        read_document(doc.doc, variant_map, path, registry, classes, raw);
    Diagnostics& own_warnings = document_warnings[doc.name];
    for (const Diagnostic& d : raw.items()) {
      Diagnostic copy = d;
      copy.pointer = doc.translate(d.pointer);
      copy.hint = detail::variant_hint(doc.translate_hint(d.hint), doc.name);
      if (copy.warning) own_warnings.add(copy);
      const bool in_variant =
          copy.pointer == doc.pointer || copy.pointer.rfind(doc.pointer + "/", 0) == 0;
      if (!in_variant && base_problems.count({copy.pointer, copy.expected, copy.found}) != 0) {
        continue;
      }
      found.add(std::move(copy));
    }
    if (!s) continue;
    s->file = path;
    s->name = base_info.name + "/" + doc.name;
    s->variant = doc.name;
    s->sha256 = sha256_hex(base_info.sha256 + "/" + doc.name);
    s->text = base_info.text;
    variants.push_back(std::move(*s));
  }
  return variants;
}

Loaded load_scenario_text(std::string_view text, const std::string& path,
                          const ModelRegistry& registry) {
  Loaded result;
  Diagnostics found;
  SourceMap map;
  try {
    json root;
    const bool parsed = is_yaml_path(path)
                            ? detail::parse_yaml_source(text, path, root, map, found)
                            : detail::parse_json_source(text, path, root, map, found);
    if (parsed) {
      Diagnostics base_found;
      const detail::ClassNames classes = detail::class_names(root);
      std::optional<Scenario> base = read_document(root, map, path, registry, classes, base_found);
      Scenario info;
      info.sha256 = sha256_hex(text);
      info.text = std::string(text);
      if (const json* name = member(root, "name"); name != nullptr && name->is_string()) {
        info.name = name->get<std::string>();
      }
      for (const Diagnostic& d : base_found.items()) {
        found.add(d);
        if (d.warning) result.document_warnings[kBaseVariant].add(d);
      }
      std::vector<Scenario> variants = read_variants(root, map, info, path, registry, classes,
                                                     base_found, found, result.document_warnings);
      const bool errors = std::any_of(found.items().begin(), found.items().end(),
                                      [](const Diagnostic& d) { return !d.warning; });
      if (!errors && base) {
        base->file = path;
        base->sha256 = info.sha256;
        base->text = info.text;
        result.scenario = std::move(base);
        result.variants = std::move(variants);
      }
    }
  } catch (const std::exception& e) {
    found.add(Diagnostic{path, "", 0, 0, "a scenario the loader can read",
                         std::string("an internal error: ") + e.what(),
                         "this is a bug in firedrill"});
  }
  for (const Diagnostic& d : found.items()) {
    Diagnostic copy = d;
    if (copy.file.empty()) copy.file = path;
    (copy.warning ? result.warnings : result.diagnostics).add(std::move(copy));
  }
  if (!result.diagnostics.empty()) {  // warnings come with a scenario only
    result.warnings = {};
    result.document_warnings.clear();
  }
  return result;
}

std::vector<std::string> variant_names(const Loaded& loaded) {
  std::vector<std::string> names{kBaseVariant};
  for (const Scenario& v : loaded.variants) names.push_back(v.variant);
  return names;
}

const Diagnostics& warnings_of(const Loaded& loaded, std::string_view name) {
  static const Diagnostics none;
  const auto it =
      loaded.document_warnings.find(name.empty() ? std::string_view(kBaseVariant) : name);
  return it == loaded.document_warnings.end() ? none : it->second;
}

const Scenario* find_variant(const Loaded& loaded, std::string_view name) {
  if (name.empty() || name == kBaseVariant) {
    return loaded.scenario ? &*loaded.scenario : nullptr;
  }
  for (const Scenario& v : loaded.variants) {
    if (v.variant == name) return &v;
  }
  return nullptr;
}

Loaded load_scenario_file(const std::string& path, const ModelRegistry& registry) {
  auto text = read_input_file(path, "scenario file");
  if (auto* d = std::get_if<Diagnostic>(&text)) {
    Loaded result;
    result.diagnostics.add(std::move(*d));
    return result;
  }
  return load_scenario_text(std::get<std::string>(text), path, registry);
}

}  // namespace firedrill::sim
