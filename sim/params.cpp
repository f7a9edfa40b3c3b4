#include "sim/params.hpp"

#include <stdexcept>
#include <utility>

namespace firedrill::sim {

std::string_view param_type_name(ParamType t) {
  switch (t) {
    case ParamType::duration:
      return "duration";
    case ParamType::time_of_day:
      return "time_of_day";
    case ParamType::size:
      return "size";
    case ParamType::rate:
      return "rate";
    case ParamType::bandwidth:
      return "bandwidth";
    case ParamType::integer:
      return "integer";
    case ParamType::number:
      return "number";
    case ParamType::boolean:
      return "boolean";
    case ParamType::choice:
      return "choice";
    case ParamType::text:
      return "text";
    case ParamType::duration_dist:
      return "duration_dist";
    case ParamType::rate_dist:
      return "rate_dist";
    case ParamType::zone_ref:
      return "zone_ref";
    case ParamType::region_ref:
      return "region_ref";
    case ParamType::component_ref:
      return "component_ref";
    case ParamType::zone_list:
      return "zone_list";
    case ParamType::region_list:
      return "region_list";
    case ParamType::component_list:
      return "component_list";
    case ParamType::object:
      return "object";
    case ParamType::object_list:
      return "object_list";
  }
  return "unknown";
}

namespace {

const Value& lookup(const Params& p, std::string_view name) {
  const auto it = p.values.find(name);
  if (it == p.values.end()) {
    throw std::logic_error("parameter \"" + std::string(name) + "\" is not set");
  }
  return it->second;
}

template <typename T>
const T& get_as(const Params& p, std::string_view name, const char* what) {
  const Value& v = lookup(p, name);
  if (const T* value = std::get_if<T>(&v.v)) return *value;
  throw std::logic_error("parameter \"" + std::string(name) + "\" is not " + what);
}

}  // namespace

bool Params::has(std::string_view name) const {
  const auto it = values.find(name);
  return it != values.end() && !std::holds_alternative<std::monostate>(it->second.v);
}

double Params::number(std::string_view name) const {
  return get_as<double>(*this, name, "a number");
}

bool Params::boolean(std::string_view name) const { return get_as<bool>(*this, name, "a boolean"); }

const std::string& Params::text(std::string_view name) const {
  return get_as<std::string>(*this, name, "a text");
}

const Distribution& Params::dist(std::string_view name) const {
  return get_as<Distribution>(*this, name, "a distribution");
}

const std::vector<std::string>& Params::list(std::string_view name) const {
  return get_as<std::vector<std::string>>(*this, name, "a list of names");
}

const std::vector<Params>& Params::objects(std::string_view name) const {
  return get_as<std::vector<Params>>(*this, name, "an object or a list of objects");
}

const Params* Params::object(std::string_view name) const {
  const auto it = values.find(name);
  if (it == values.end() || std::holds_alternative<std::monostate>(it->second.v)) return nullptr;
  const auto* objects = std::get_if<std::vector<Params>>(&it->second.v);
  if (objects == nullptr) {
    throw std::logic_error("parameter \"" + std::string(name) + "\" is not an object");
  }
  return objects->empty() ? nullptr : &objects->front();
}

ParamSpec param(std::string name, ParamType type, std::string unit, std::string default_json,
                std::string description) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.unit = std::move(unit);
  spec.default_json = std::move(default_json);
  spec.required = false;
  spec.description = std::move(description);
  return spec;
}

ParamSpec required_param(std::string name, ParamType type, std::string unit,
                         std::string description) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.unit = std::move(unit);
  spec.required = true;
  spec.description = std::move(description);
  return spec;
}

ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string default_json,
                       std::string description) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = ParamType::choice;
  spec.default_json = std::move(default_json);
  spec.required = spec.default_json.empty();
  spec.description = std::move(description);
  spec.choices = std::move(choices);
  return spec;
}

ParamSpec object_param(std::string name, bool is_list, std::vector<ParamSpec> fields,
                       std::string description, std::string default_json) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = is_list ? ParamType::object_list : ParamType::object;
  spec.default_json = std::move(default_json);
  spec.required = false;
  spec.description = std::move(description);
  spec.fields = std::move(fields);
  return spec;
}

}  // namespace firedrill::sim
