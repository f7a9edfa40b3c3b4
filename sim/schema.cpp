// scenario_json_schema(): the JSON Schema (draft 2020-12) of scenario files, generated from the
// same key lists as the loader and from every registered model's parameter declarations.
#include <nlohmann/json.hpp>

#include "sim/loader.hpp"
#include "sim/loader_internal.hpp"

namespace firedrill::sim {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const char* const kNumberPattern = "[0-9]+(\\.[0-9]+)?";
const char* const kSizeUnits = "(B|KB|kB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)";

std::string anchored(const std::string& body) { return "^(0|" + body + ")$"; }

ordered_json def_ref(const std::string& def) { return ordered_json{{"$ref", "#/$defs/" + def}}; }

ordered_json described(ordered_json schema, const std::string& description) {
  if (!description.empty()) schema["description"] = description;
  return schema;
}

ordered_json string_schema(const std::string& description = "") {
  return described(ordered_json{{"type", "string"}}, description);
}

ordered_json array_of(ordered_json items, bool non_empty, const std::string& description = "") {
  ordered_json out{{"type", "array"}, {"items", std::move(items)}};
  if (non_empty) out["minItems"] = 1;
  return described(std::move(out), description);
}

ordered_json closed_object(ordered_json properties, const std::vector<std::string>& required,
                           const std::string& description = "") {
  ordered_json out{{"type", "object"}};
  if (!description.empty()) out["description"] = description;
  out["properties"] = std::move(properties);
  if (!required.empty()) out["required"] = required;
  out["additionalProperties"] = false;
  return out;
}

// A distribution of `unit_def` quantities: a plain quantity or a single-key object.
ordered_json distribution_schema(const std::string& unit_def, const std::string& what) {
  const ordered_json q = def_ref(unit_def);
  auto single = [](const std::string& key, ordered_json body) {
    return closed_object(ordered_json{{key, std::move(body)}}, {key});
  };
  auto fixed_array = [&](std::size_t n) {
    return ordered_json{{"type", "array"}, {"items", q}, {"minItems", n}, {"maxItems", n}};
  };
  ordered_json one_of = ordered_json::array();
  one_of.push_back(q);
  one_of.push_back(single("fixed", q));
  one_of.push_back(single("uniform", fixed_array(2)));
  one_of.push_back(single("normal", closed_object({{"mean", q}, {"sd", q}}, {"mean", "sd"})));
  one_of.push_back(single("lognormal", closed_object({{"p50", q}, {"p95", q}}, {"p50", "p95"})));
  one_of.push_back(single("exponential", closed_object({{"mean", q}}, {"mean"})));
  one_of.push_back(single("triangular", fixed_array(3)));
  one_of.push_back(single("empirical", array_of(q, true)));
  return ordered_json{
      {"description", "a " + what +
                          " (fixed), or one of {\"fixed\"}, {\"uniform\": [lo, hi]}, "
                          "{\"normal\": {mean, sd}}, {\"lognormal\": {p50, p95}}, "
                          "{\"exponential\": {mean}}, {\"triangular\": [lo, mode, hi]}, "
                          "{\"empirical\": [samples]}"},
      {"oneOf", std::move(one_of)}};
}

std::string param_text(const ParamSpec& spec) {
  std::string text = spec.description;
  std::string extra;
  if (!spec.unit.empty()) extra += "unit: " + spec.unit;
  if (!spec.default_json.empty()) {
    if (!extra.empty()) extra += "; ";
    extra += "default: " + spec.default_json;
  } else if (spec.required) {
    if (!extra.empty()) extra += "; ";
    extra += "required";
  }
  if (!extra.empty()) text += (text.empty() ? "" : " ") + std::string("(") + extra + ")";
  return text;
}

ordered_json param_schema(const ParamSpec& spec) {
  ordered_json out;
  switch (spec.type) {
    case ParamType::duration:
      out = def_ref("duration");
      break;
    case ParamType::time_of_day:
      out = def_ref("time_of_day");
      break;
    case ParamType::size:
      out = def_ref("size");
      break;
    case ParamType::rate:
      out = def_ref("rate");
      break;
    case ParamType::bandwidth:
      out = def_ref("bandwidth");
      break;
    case ParamType::integer:
    case ParamType::number:
      out = ordered_json{{"type", spec.type == ParamType::integer ? "integer" : "number"},
                         {"minimum", spec.min}};
      if (spec.max < 1e300) out["maximum"] = spec.max;
      break;
    case ParamType::boolean:
      out = ordered_json{{"type", "boolean"}};
      break;
    case ParamType::choice:
      out = ordered_json{{"enum", spec.choices}};
      break;
    case ParamType::text:
      out = ordered_json{{"type", "string"}};
      break;
    case ParamType::duration_dist:
      out = def_ref("duration_distribution");
      break;
    case ParamType::rate_dist:
      out = def_ref("rate_distribution");
      break;
    case ParamType::zone_ref:
    case ParamType::region_ref:
    case ParamType::component_ref:
      out = def_ref("name");
      break;
    case ParamType::zone_list:
    case ParamType::region_list:
    case ParamType::component_list:
      out = def_ref("names");
      break;
    case ParamType::object:
    case ParamType::object_list: {
      ordered_json properties = ordered_json::object();
      std::vector<std::string> required;
      for (const ParamSpec& field : spec.fields) {
        properties[field.name] = param_schema(field);
        if (field.required) required.push_back(field.name);
      }
      ordered_json object = closed_object(std::move(properties), required);
      out = spec.type == ParamType::object ? std::move(object) : array_of(std::move(object), false);
      break;
    }
  }
  out["description"] = param_text(spec);
  if (!spec.default_json.empty()) {
    const ordered_json d = ordered_json::parse(spec.default_json, nullptr, false);
    if (!d.is_discarded()) out["default"] = d;
  }
  return out;
}

std::string kind_def(std::string_view kind) { return "kind_" + pointer_token(kind); }

ordered_json component_kind_schema(const ComponentModel& model, const std::vector<Preset>& presets) {
  ordered_json properties = ordered_json::object();
  properties["name"] = described(def_ref("name"), "unique among components");
  properties["kind"] = ordered_json{{"const", std::string(model.kind())}};
  properties["description"] = string_schema();
  const bool placed = model.placement_rule() != PlacementRule::none;
  if (placed) {
    properties["zones"] = described(array_of(def_ref("name"), true), "instances in these zones");
    properties["region"] = described(def_ref("name"), "a regional service of this region");
    properties["provider"] = described(def_ref("name"), "a global service of this provider");
  }
  properties["depends"] =
      described(def_ref("depends"),
                "hard dependencies: component names, or {\"any_of\": [names]} for either of them");
  properties["credentials"] =
      described(def_ref("names"), "credentials whose compromise destroys this component");
  properties["uses_credentials"] = described(
      def_ref("names"),
      "credentials this component holds (its blast radius): a component_compromise fault of "
      "it compromises them");
  properties["monthly_cost"] = ordered_json{{"type", "number"}, {"minimum", 0}};
  if (!presets.empty()) {
    std::vector<std::string> names;
    std::string text = "published figures as default values (what the component writes wins):";
    for (const Preset& p : presets) {
      names.push_back(p.name);
      text += " " + p.name + ": " + p.description + ".";
    }
    properties["preset"] = ordered_json{{"enum", names}, {"description", text}};
  }
  std::vector<std::string> required{"name", "kind"};
  for (const ParamSpec& spec : model.params()) {
    properties[spec.name] = param_schema(spec);
    if (spec.required) required.push_back(spec.name);
  }
  ordered_json out = closed_object(std::move(properties), required, std::string(model.summary()));
  if (placed) {
    out["oneOf"] = ordered_json::array({ordered_json{{"required", {"zones"}}},
                                        ordered_json{{"required", {"region"}}},
                                        ordered_json{{"required", {"provider"}}}});
  }
  return out;
}

ordered_json step_schema() {
  ordered_json actions = ordered_json::array();
  for (const std::string& verb : detail::kActionVerbs) {
    ordered_json properties{{verb, described(def_ref("name"), "the component acted on")}};
    std::vector<std::string> required{verb};
    if (verb == "restore") {
      properties["to"] = ordered_json{{"oneOf", {def_ref("name"), array_of(def_ref("name"), true)}},
                                      {"description", "zones to restore into"}};
      properties["from"] = ordered_json{{"enum", detail::kRestoreSources}, {"default", "any"}};
    } else if (verb == "rebuild") {
      properties["to"] = ordered_json{{"oneOf", {def_ref("name"), array_of(def_ref("name"), true)}},
                                      {"description", "zones to rebuild in"}};
      required.push_back("to");
    } else if (verb == "switch") {
      properties["to"] = described(def_ref("name"), "the component switched to");
      required.push_back("to");
    }
    actions.push_back(closed_object(std::move(properties), required));
  }
  ordered_json properties{
      {"id", described(def_ref("name"), "unique in the runbook")},
      {"title", string_schema()},
      {"kind", ordered_json{{"enum", {"manual", "automated"}}, {"default", "manual"}}},
      {"team", described(def_ref("name"), "a component of kind \"team\"; manual steps need one")},
      {"duration",
       described(def_ref("duration_distribution"),
                 "the step's own work; a restore's data transfer (size at restore_throughput, or "
                 "over the network) comes after it unless duration_includes_transfer")},
      {"duration_includes_transfer",
       ordered_json{{"type", "boolean"},
                    {"default", false},
                    {"description",
                     "restore, or rebuild of a data store: the duration is the whole step, the "
                     "transfer starts with it; the step lasts max(duration, transfer)"}}},
      {"after", described(def_ref("names"), "ids of steps that must finish first")},
      {"requires",
       described(def_ref("names"), "components that must be up before the step starts")},
      {"fallback_for",
       described(def_ref("name"),
                 "id of the step of this runbook it replaces when that step's precondition "
                 "fails as it becomes ready (a required component not up, no usable copy to "
                 "restore from, no live replica to fail over to); no after of its own")},
      {"action", ordered_json{{"description", "an object with exactly one verb"},
                              {"oneOf", std::move(actions)}}}};
  return closed_object(std::move(properties), {"id", "duration"});
}

ordered_json fault_schema() {
  ordered_json properties{
      {"kind", ordered_json{{"enum", fault_kind_names()}}},
      {"target",
       described(def_ref("name"),
                 "by kind: a zone, region, provider, component, credential, team, or (network "
                 "faults) a zone or region")},
      {"peer", described(def_ref("name"), "network faults: the zone or region on the other side")},
      {"at",
       described(def_ref("duration_distribution"), "start from the trial start (default 0s)")},
      {"time_of_day",
       described(def_ref("time_of_day"),
                 "the clock time the fault starts at: sets the trial's clock (at most one fault "
                 "of a disaster; at still places it relative to the others)")},
      {"duration",
       described(def_ref("duration_distribution"), "absent: lasts until recovered by people")},
      {"detected_after",
       described(def_ref("duration_distribution"), "data faults: how long until someone notices")},
      {"scope",
       ordered_json{{"enum", {"logical", "filesystem"}},
                    {"default", "logical"},
                    {"description",
                     "data faults: logical (a DELETE or DROP) replicates to the replicas; "
                     "filesystem (rm -rf of the data directory, a corrupted disk) stays on the "
                     "primary's server, replicas keep what they had received"}}},
      {"bandwidth_factor",
       ordered_json{{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 1}, {"default", 1}}},
      {"extra_latency", described(def_ref("duration"), "network_degradation: added latency")}};
  ordered_json out = closed_object(std::move(properties), {"kind", "target"});
  auto only_for = [](std::vector<std::string> kinds, std::vector<std::string> keys, bool required) {
    ordered_json forbid = ordered_json::array();
    for (const auto& key : keys) forbid.push_back(ordered_json{{"required", {key}}});
    ordered_json rule{{"if", {{"properties", {{"kind", {{"enum", kinds}}}}}}}};
    if (required) rule["then"] = ordered_json{{"required", keys}};
    rule["else"] = ordered_json{{"not", {{"anyOf", forbid}}}};
    return rule;
  };
  out["allOf"] = ordered_json::array(
      {only_for({"network_partition", "network_degradation"}, {"peer"}, true),
       only_for({"data_corruption", "operator_deletion"}, {"detected_after"}, true),
       only_for({"data_corruption", "operator_deletion"}, {"scope"}, false),
       only_for({"network_degradation"}, {"bandwidth_factor", "extra_latency"}, false)});
  return out;
}

// A named variant: overrides of the base document (docs/scenario-format.md, "Variants").
ordered_json variant_schema() {
  const std::string merge = "a merge patch (RFC 7386; null removes a key)";
  auto or_null = [](ordered_json schema) {
    return ordered_json{{"oneOf", {std::move(schema), ordered_json{{"type", "null"}}}}};
  };
  ordered_json properties{
      {"name", ordered_json{{"type", "string"},
                            {"pattern", "^[a-z0-9][a-z0-9._-]*$"},
                            {"not", {{"const", "base"}}},
                            {"description", "unique among the variants; \"base\" names the base"}}},
      {"title", described(or_null(string_schema()), "replaces the base's")},
      {"description", described(or_null(string_schema()), "replaces the base's")},
      {"monthly_cost",
       described(or_null(ordered_json{{"type", "number"}, {"minimum", 0}}),
                 "replaces the base's; null: the sum of the variant's components")},
      {"horizon", described(or_null(def_ref("duration")), "replaces the base's")},
      {"network", described(or_null(ordered_json{{"type", "object"}}), merge + " of network")}};
  for (std::size_t i = 0; i < detail::kVariantSections.size(); ++i) {
    const std::string& section = detail::kVariantSections[i];
    const std::string& singular = detail::kVariantSectionSingulars[i];
    properties[section] = ordered_json{
        {"type", "object"},
        {"description", "by name of a base " + singular + ": " + merge + " of it (no \"name\")"},
        {"additionalProperties", {{"type", "object"}, {"not", {{"required", {"name"}}}}}}};
    properties["add_" + section] =
        array_of(def_ref(singular), false, section + " added after the base's");
    properties["remove_" + section] =
        described(def_ref("names"), "names of base " + section + " left out");
  }
  return closed_object(std::move(properties), {"name"},
                       "the base scenario with these overrides: removals, then patches, then "
                       "additions");
}

}  // namespace

std::string scenario_json_schema(const ModelRegistry& registry) {
  ordered_json defs = ordered_json::object();
  const std::string number = kNumberPattern;
  defs["name"] = ordered_json{{"type", "string"}, {"minLength", 1}};
  defs["names"] =
      ordered_json{{"type", "array"}, {"items", def_ref("name")}, {"uniqueItems", true}};
  defs["depends"] = ordered_json{
      {"type", "array"},
      {"items",
       {{"oneOf",
         {def_ref("name"),
          closed_object(ordered_json{{"any_of", described(ordered_json{{"allOf", {def_ref("names")}},
                                                                        {"minItems", 2}},
                                                           "satisfied while one of these serves")}},
                        {"any_of"})}}}},
      {"uniqueItems", true}};
  defs["duration"] =
      ordered_json{{"type", "string"},
                   {"description", "a duration like \"90s\", \"5m\", \"1h30m\", \"24h\", \"7d\""},
                   {"pattern", anchored("(" + number + "(w|d|h|m|s|ms))+")}};
  defs["time_of_day"] =
      ordered_json{{"type", "string"},
                   {"description", "a time of day on a 24-hour clock like \"17:20\" or \"05:20:30\""},
                   {"pattern", "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"}};
  defs["size"] = ordered_json{{"type", "string"},
                              {"description", "a size like \"500GB\" or \"2GiB\""},
                              {"pattern", anchored(number + kSizeUnits)}};
  defs["rate"] = ordered_json{{"type", "string"},
                              {"description", "a rate like \"200/s\" or \"12000/min\""},
                              {"pattern", anchored(number + "/(s|m|min|h|d|w)")}};
  defs["bandwidth"] = ordered_json{
      {"type", "string"},
      {"description", "a bandwidth like \"1Gbps\" or \"200MB/s\""},
      {"pattern", anchored(number +
                           "((bps|Kbps|kbps|Mbps|Gbps|Tbps|bit/s|Kbit/s|kbit/s|Mbit/s|Gbit/s|"
                           "Tbit/s)|" +
                           kSizeUnits + "/s)")}};
  defs["duration_distribution"] = distribution_schema("duration", "duration like \"5m\"");
  defs["rate_distribution"] = distribution_schema("rate", "rate like \"200/s\"");

  const Network n;
  defs["network"] = closed_object(
      ordered_json{
          {"zone_latency",
           described(def_ref("duration"),
                     "inside one zone (default " + format_duration(n.zone_latency_s) + ")")},
          {"zone_bandwidth",
           described(def_ref("bandwidth"), "per host inside one zone (default " +
                                               format_bandwidth(n.zone_bandwidth_Bps) + ")")},
          {"inter_zone_latency",
           described(def_ref("duration"), "default " + format_duration(n.inter_zone_latency_s))},
          {"inter_zone_bandwidth",
           described(def_ref("bandwidth"),
                     "default " + format_bandwidth(n.inter_zone_bandwidth_Bps))},
          {"inter_region_latency",
           described(def_ref("duration"), "default " + format_duration(n.inter_region_latency_s))},
          {"inter_region_bandwidth",
           described(def_ref("bandwidth"),
                     "default " + format_bandwidth(n.inter_region_bandwidth_Bps))}},
      {});
  defs["region"] = closed_object(
      ordered_json{{"name", described(def_ref("name"), "unique among regions and zones")},
                   {"zones", described(array_of(def_ref("name"), true),
                                       "zone names, unique among regions and zones")}},
      {"name", "zones"});
  defs["provider"] = closed_object(
      ordered_json{{"name", def_ref("name")},
                   {"kind", ordered_json{{"enum", detail::kProviderKinds}, {"default", "cloud"}}},
                   {"regions", described(array_of(def_ref("region"), true),
                                         "absent: one implicit region and zone named after the "
                                         "provider")}},
      {"name"});
  defs["credential"] = closed_object(
      ordered_json{{"name", def_ref("name")}, {"description", string_schema()}}, {"name"});

  std::vector<std::string> kinds = registry.kinds();
  ordered_json by_kind = ordered_json::array();
  for (const std::string& kind : kinds) {
    by_kind.push_back(ordered_json{
        {"if", {{"properties", {{"kind", {{"const", kind}}}}}, {"required", {"kind"}}}},
        {"then", def_ref(kind_def(kind))}});
  }
  defs["component"] = ordered_json{{"type", "object"},
                                   {"required", {"name", "kind"}},
                                   {"properties", {{"kind", {{"enum", kinds}}}}},
                                   {"allOf", std::move(by_kind)}};
  for (const std::string& kind : kinds) {
    defs[kind_def(kind)] = component_kind_schema(*registry.find(kind), registry.presets(kind));
  }

  defs["target"] = closed_object(
      ordered_json{{"rto", described(def_ref("duration"), "recovery time objective")},
                   {"rpo", described(def_ref("duration"), "recovery point objective")},
                   {"inferred", ordered_json{{"type", "boolean"},
                                             {"default", false},
                                             {"description", "not stated by the source document"}}},
                   {"note", string_schema()}},
      {"rto", "rpo"});
  defs["service"] = closed_object(
      ordered_json{
          {"name", def_ref("name")},
          {"description", string_schema()},
          {"depends", described(ordered_json{{"allOf", {def_ref("depends")}}, {"minItems", 1}},
                                "components the service needs, or {\"any_of\": [names]} for "
                                "either of them")},
          {"queued", array_of(closed_object(ordered_json{{"component", def_ref("name")},
                                                         {"drain_rate", described(def_ref("rate"),
                                                                   "the consumer's processing rate, as measured with a backlog; "
                                                                   "the backlog shrinks at drain_rate less the service's writes "
                                                                   "and never drains when drain_rate is not above them")}},
                                            {"component", "drain_rate"}),
                              false, "components the service queues work for while they are down")},
          {"writes", described(def_ref("rate"), "acknowledged writes (default 0/s)")},
          {"data", described(def_ref("names"), "data-holding components the service writes to")},
          {"targets", ordered_json{{"type", "object"},
                                   {"description",
                                    "targets by disruption class (a standard one or a "
                                    "disaster's class) or \"default\""},
                                   {"propertyNames", {{"pattern", "^[a-z_]+$"}}},
                                   {"additionalProperties", def_ref("target")}}}},
      {"name", "depends"});
  defs["step"] = step_schema();
  defs["runbook"] = closed_object(
      ordered_json{{"name", def_ref("name")},
                   {"description", string_schema()},
                   {"trigger", ordered_json{{"enum", {"alert", "start"}},
                                             {"default", "alert"},
                                             {"description",
                                              "alert: at the disaster's first alert (monitoring, "
                                              "or a data fault noticed); start: at T0"}}},
                   {"team", described(def_ref("name"), "default team of manual steps")},
                   {"steps", array_of(def_ref("step"), true)}},
      {"name", "steps"});
  defs["fault"] = fault_schema();
  defs["disaster"] =
      closed_object(ordered_json{{"name", def_ref("name")},
                                 {"class", ordered_json{{"type", "string"},
                                                        {"pattern", "^[a-z_]+$"},
                                                        {"description",
                                                         "disruption class: a standard one (" +
                                                             detail::join(detail::kStandardClasses) +
                                                             ") or one a service's targets name"}}},
                                 {"description", string_schema()},
                                 {"claim", string_schema("what the source document promises")},
                                 {"faults", array_of(def_ref("fault"), true)},
                                 {"runbooks", described(def_ref("names"), "runbook names")}},
                    {"name", "class", "faults"});

  defs["variant"] = variant_schema();

  ordered_json schema;
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["title"] = "firedrill scenario";
  schema["description"] = std::string("a firedrill scenario file, format ") + kScenarioFormat;
  schema["type"] = "object";
  schema["properties"] = ordered_json{
      {"format", ordered_json{{"const", kScenarioFormat}}},
      {"name", ordered_json{{"type", "string"}, {"pattern", "^[a-z0-9][a-z0-9._-]*$"}}},
      {"title", string_schema()},
      {"source", string_schema("the DR plan document the scenario was written from")},
      {"description", string_schema()},
      {"seed", ordered_json{{"type", "integer"}, {"minimum", 0}, {"default", 1}}},
      {"horizon", ordered_json{{"$ref", "#/$defs/duration"}, {"default", "30d"}}},
      {"monthly_cost", ordered_json{{"type", "number"},
                                    {"minimum", 0},
                                    {"description", "total; default: the components' sum"}}},
      {"network", def_ref("network")},
      {"providers", array_of(def_ref("provider"), true)},
      {"credentials", array_of(def_ref("credential"), false)},
      {"components", array_of(def_ref("component"), false)},
      {"services", array_of(def_ref("service"), true)},
      {"runbooks", array_of(def_ref("runbook"), false)},
      {"disasters", array_of(def_ref("disaster"), true)},
      {"variants", array_of(def_ref("variant"), false,
                            "named variants: each is this scenario with its overrides applied")}};
  schema["required"] = {"format", "name", "providers", "components", "services", "disasters"};
  schema["additionalProperties"] = false;
  schema["$defs"] = std::move(defs);
  return schema.dump(2) + "\n";
}

}  // namespace firedrill::sim
