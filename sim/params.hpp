// Typed model parameters. Every parameter of every component kind is declared once, as a
// ParamSpec with a type, a unit, a default and a one-line description; the loader, the JSON
// Schema, `firedrill models` and the report's assumptions section all read that declaration.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/distribution.hpp"

namespace firedrill::sim {

enum class ParamType {
  duration,        // "5m"                     -> Value::number (seconds)
  time_of_day,     // "17:20"                  -> number (seconds after midnight)
  size,            // "500GB"                  -> number (bytes)
  rate,            // "200/s"                  -> number (per second)
  bandwidth,       // "1Gbps", "200MB/s"       -> number (bytes per second)
  integer,         // 3                        -> number (whole)
  number,          // 0.5                      -> number
  boolean,         // true                     -> boolean
  choice,          // one of `choices`         -> text
  text,            // free text                -> text
  duration_dist,   // "5m" or {"uniform": [...]} -> distribution (seconds)
  rate_dist,       // "200/s" or {...}           -> distribution (per second)
  zone_ref,        // a zone name                -> text
  region_ref,      // a region name              -> text
  component_ref,   // a component name           -> text
  zone_list,       // ["apse2-a", ...]           -> list
  region_list,     // ["ap-southeast-2", ...]    -> list
  component_list,  // ["db", ...]                -> list
  object,          // {...} with `fields`        -> objects (exactly one)
  object_list,     // [{...}, ...] with `fields` -> objects
};

std::string_view param_type_name(ParamType t);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::text;
  std::string unit;          // for humans: "s", "bytes", "1/s", "instances", ...
  std::string default_json;  // JSON text of the default as a user would write it; "" = none
  bool required = false;     // required parameters have no default
  std::string description;   // one line
  std::vector<std::string> choices;  // for ParamType::choice
  std::vector<ParamSpec> fields;     // for object / object_list
  double min = 0.0;          // numbers, integers and quantities: inclusive lower bound
  double max = 1e300;        // inclusive upper bound
};

struct Params;

// Where a loaded value came from (the report's assumptions name it).
enum class ValueOrigin : unsigned char {
  scenario,      // written in the scenario
  preset,        // the component's preset (Component::preset names it)
  kind_default,  // the kind's plain default (ParamSpec::default_json)
};

// A loaded, unit-converted parameter value.
struct Value {
  std::variant<std::monostate, double, bool, std::string, Distribution, std::vector<std::string>,
               std::vector<Params>>
      v;
  ValueOrigin origin = ValueOrigin::scenario;
};

// Parameters of one component (or one nested object), defaults already applied: after a
// successful load every declared parameter that has a default or was given is present.
struct Params {
  std::map<std::string, Value, std::less<>> values;

  [[nodiscard]] bool has(std::string_view name) const;
  // Accessors: the caller names a declared parameter of the right type (a programming error
  // otherwise, reported with std::logic_error naming the parameter).
  [[nodiscard]] double number(std::string_view name) const;
  [[nodiscard]] bool boolean(std::string_view name) const;
  [[nodiscard]] const std::string& text(std::string_view name) const;
  [[nodiscard]] const Distribution& dist(std::string_view name) const;
  [[nodiscard]] const std::vector<std::string>& list(std::string_view name) const;
  [[nodiscard]] const std::vector<Params>& objects(std::string_view name) const;
  // The single object of an `object` parameter, or nullptr when it was not given (no default).
  [[nodiscard]] const Params* object(std::string_view name) const;
};

// Convenience builders used by model declarations.
ParamSpec param(std::string name, ParamType type, std::string unit, std::string default_json,
                std::string description);
ParamSpec required_param(std::string name, ParamType type, std::string unit,
                         std::string description);
ParamSpec choice_param(std::string name, std::vector<std::string> choices,
                       std::string default_json, std::string description);
ParamSpec object_param(std::string name, bool is_list, std::vector<ParamSpec> fields,
                       std::string description, std::string default_json = "");

}  // namespace firedrill::sim
