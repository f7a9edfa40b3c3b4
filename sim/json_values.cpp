#include "sim/json_values.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

#include "sim/error.hpp"

namespace firedrill::sim {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxFoundString = 40;  // longer strings are shortened in messages

constexpr std::array<std::string_view, 7> kKindNames{
    "fixed", "uniform", "normal", "lognormal", "exponential", "triangular", "empirical"};

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out += text;
  out += '"';
  return out;
}

std::string unit_plural(Unit unit) { return unit_name(unit) + "s"; }

// `a duration like "5m" or one of {"fixed", "uniform", ...}`
std::string distribution_expected(Unit unit) {
  std::string out =
      unit == Unit::duration ? std::string("a duration like \"5m\"") : unit_example(unit);
  out += " or one of {";
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (i > 0) out += ", ";
    out += quoted(kKindNames[i]);
  }
  out += '}';
  return out;
}

FieldError make_error(std::string suffix, std::string expected, std::string found) {
  return FieldError{std::move(suffix), std::move(expected), std::move(found)};
}

FieldError with_prefix(FieldError error, std::string_view prefix) {
  error.pointer_suffix = std::string(prefix) + error.pointer_suffix;
  return error;
}

// The first key of `object` that is not in `allowed`, if any.
std::optional<std::string> unknown_key(const json& object,
                                       std::initializer_list<std::string_view> allowed) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || item.key() == name;
    if (!known) return item.key();
  }
  return std::nullopt;
}

std::string unknown_key_found(const std::string& key) {
  return "an object with an unknown key " + render_found(json(key));
}

// Reads the quantity at `value`; errors carry `suffix` in front of their pointer.
std::variant<double, FieldError> quantity_at(const json& value, Unit unit,
                                             const std::string& suffix) {
  auto result = quantity_from_json(value, unit);
  if (auto* error = std::get_if<FieldError>(&result)) return with_prefix(std::move(*error), suffix);
  return result;
}

// Reads the member `key` of the object at `suffix`; a missing member is reported as "nothing".
std::variant<double, FieldError> member_at(const json& object, std::string_view key, Unit unit,
                                           const std::string& suffix) {
  const std::string member_suffix = pointer_join(suffix, key);
  const auto it = object.find(key);
  if (it == object.end()) return make_error(member_suffix, unit_example(unit), "nothing");
  return quantity_at(*it, unit, member_suffix);
}

// Reads an array of exactly `n` quantities (n == 0: any non-empty length).
std::variant<std::vector<double>, FieldError> array_at(const json& value, Unit unit,
                                                       const std::string& suffix, std::size_t n,
                                                       const std::string& expected) {
  if (!value.is_array() || (n != 0 && value.size() != n) || (n == 0 && value.empty())) {
    return make_error(suffix, expected, render_found(value));
  }
  std::vector<double> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto q = quantity_at(value[i], unit, pointer_join(suffix, i));
    if (auto* error = std::get_if<FieldError>(&q)) return std::move(*error);
    out.push_back(std::get<double>(q));
  }
  return out;
}

std::string not_less_than(Unit unit, std::string_view what, const json& bound) {
  return "a " + unit_name(unit) + " not less than " + std::string(what) + " " + render_found(bound);
}

std::string greater_than_zero(Unit unit) { return "a " + unit_name(unit) + " greater than 0"; }

using DistributionResult = std::variant<Distribution, FieldError>;

DistributionResult read_fixed(const json& body, Unit unit) {
  auto v = quantity_at(body, unit, "/fixed");
  if (auto* error = std::get_if<FieldError>(&v)) return std::move(*error);
  return Distribution::fixed(std::get<double>(v));
}

DistributionResult read_uniform(const json& body, Unit unit) {
  const std::string suffix = "/uniform";
  auto v = array_at(body, unit, suffix, 2, "an array of 2 " + unit_plural(unit) + " [lo, hi]");
  if (auto* error = std::get_if<FieldError>(&v)) return std::move(*error);
  const auto& p = std::get<std::vector<double>>(v);
  if (p[1] < p[0]) {
    return make_error(suffix + "/1", not_less_than(unit, "the lower bound", body[0]),
                      render_found(body[1]));
  }
  return Distribution::uniform(p[0], p[1]);
}

DistributionResult read_triangular(const json& body, Unit unit) {
  const std::string suffix = "/triangular";
  auto v = array_at(body, unit, suffix, 3,
                    "an array of 3 " + unit_plural(unit) + " [lo, mode, hi]");
  if (auto* error = std::get_if<FieldError>(&v)) return std::move(*error);
  const auto& p = std::get<std::vector<double>>(v);
  if (p[1] < p[0]) {
    return make_error(suffix + "/1", not_less_than(unit, "the lower bound", body[0]),
                      render_found(body[1]));
  }
  if (p[2] < p[1]) {
    return make_error(suffix + "/2", not_less_than(unit, "the mode", body[1]),
                      render_found(body[2]));
  }
  return Distribution::triangular(p[0], p[1], p[2]);
}

DistributionResult read_empirical(const json& body, Unit unit) {
  auto v = array_at(body, unit, "/empirical", 0, "a non-empty array of " + unit_plural(unit));
  if (auto* error = std::get_if<FieldError>(&v)) return std::move(*error);
  return Distribution::empirical(std::move(std::get<std::vector<double>>(v)));
}

DistributionResult read_normal(const json& body, Unit unit) {
  const std::string suffix = "/normal";
  const std::string expected = "an object with keys \"mean\" and \"sd\"";
  if (!body.is_object()) return make_error(suffix, expected, render_found(body));
  if (auto key = unknown_key(body, {"mean", "sd"})) {
    return make_error(suffix, expected, unknown_key_found(*key));
  }
  auto mean = member_at(body, "mean", unit, suffix);
  if (auto* error = std::get_if<FieldError>(&mean)) return std::move(*error);
  auto sd = member_at(body, "sd", unit, suffix);
  if (auto* error = std::get_if<FieldError>(&sd)) return std::move(*error);
  // Quantities are never negative, so sd >= 0 holds here.
  return Distribution::normal(std::get<double>(mean), std::get<double>(sd));
}

DistributionResult read_lognormal(const json& body, Unit unit) {
  const std::string suffix = "/lognormal";
  const std::string expected = "an object with keys \"p50\" and \"p95\"";
  if (!body.is_object()) return make_error(suffix, expected, render_found(body));
  if (auto key = unknown_key(body, {"p50", "p95"})) {
    return make_error(suffix, expected, unknown_key_found(*key));
  }
  auto p50 = member_at(body, "p50", unit, suffix);
  if (auto* error = std::get_if<FieldError>(&p50)) return std::move(*error);
  auto p95 = member_at(body, "p95", unit, suffix);
  if (auto* error = std::get_if<FieldError>(&p95)) return std::move(*error);
  if (std::get<double>(p50) <= 0.0) {
    return make_error(suffix + "/p50", greater_than_zero(unit), render_found(body.at("p50")));
  }
  if (std::get<double>(p95) < std::get<double>(p50)) {
    return make_error(suffix + "/p95", not_less_than(unit, "p50", body.at("p50")),
                      render_found(body.at("p95")));
  }
  return Distribution::lognormal_p50_p95(std::get<double>(p50), std::get<double>(p95));
}

DistributionResult read_exponential(const json& body, Unit unit) {
  const std::string suffix = "/exponential";
  const std::string expected = "an object with key \"mean\"";
  if (!body.is_object()) return make_error(suffix, expected, render_found(body));
  if (auto key = unknown_key(body, {"mean"})) {
    return make_error(suffix, expected, unknown_key_found(*key));
  }
  auto mean = member_at(body, "mean", unit, suffix);
  if (auto* error = std::get_if<FieldError>(&mean)) return std::move(*error);
  if (std::get<double>(mean) <= 0.0) {
    return make_error(suffix + "/mean", greater_than_zero(unit), render_found(body.at("mean")));
  }
  return Distribution::exponential(std::get<double>(mean));
}

}  // namespace

std::string render_found(const nlohmann::json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return value.dump();
    case json::value_t::number_float: {
      const double v = value.get<double>();
      if (std::isnan(v)) return "nan";
      if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
      return value.dump();
    }
    case json::value_t::string: {
      std::string text = value.get<std::string>();
      if (text.size() > kMaxFoundString) {
        std::size_t cut = kMaxFoundString - 3;
        // Do not split a UTF-8 sequence: back up over continuation bytes.
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text.resize(cut);
        text += "...";
      }
      return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
    }
    case json::value_t::object:
      return value.empty() ? "an empty object" : "an object";
    case json::value_t::array:
      if (value.empty()) return "an empty array";
      if (value.size() == 1) return "an array of 1 item";
      return "an array of " + std::to_string(value.size()) + " items";
    case json::value_t::binary:
      return "binary data";
    case json::value_t::discarded:
      return "nothing";
  }
  return "nothing";
}

std::variant<double, FieldError> quantity_from_json(const nlohmann::json& value, Unit unit) {
  if (unit == Unit::count) {
    if (value.is_number()) {
      const double v = value.get<double>();
      if (std::isfinite(v) && v >= 0.0) return v;
    }
    return make_error("", unit_example(unit), render_found(value));
  }
  if (value.is_string()) {
    if (const std::optional<double> v = parse_quantity(unit, value.get_ref<const std::string&>())) {
      return *v;
    }
  }
  return make_error("", unit_example(unit), render_found(value));
}

std::variant<Distribution, FieldError> distribution_from_json(const nlohmann::json& value,
                                                              Unit unit) {
  // A plain quantity is a fixed value.
  if (value.is_string() || (unit == Unit::count && value.is_number())) {
    auto v = quantity_from_json(value, unit);
    if (auto* error = std::get_if<FieldError>(&v)) return std::move(*error);
    return Distribution::fixed(std::get<double>(v));
  }
  if (!value.is_object() || value.empty()) {
    return make_error("", distribution_expected(unit), render_found(value));
  }
  for (const auto& item : value.items()) {
    bool known = false;
    for (std::string_view name : kKindNames) known = known || item.key() == name;
    if (!known) return make_error("", distribution_expected(unit), unknown_key_found(item.key()));
  }
  if (value.size() != 1) {
    return make_error("", distribution_expected(unit),
                      "an object with " + std::to_string(value.size()) + " keys");
  }

  const auto only = value.begin();
  const std::string& kind = only.key();
  const json& body = only.value();
  if (kind == "fixed") return read_fixed(body, unit);
  if (kind == "uniform") return read_uniform(body, unit);
  if (kind == "normal") return read_normal(body, unit);
  if (kind == "lognormal") return read_lognormal(body, unit);
  if (kind == "exponential") return read_exponential(body, unit);
  if (kind == "triangular") return read_triangular(body, unit);
  return read_empirical(body, unit);
}

}  // namespace firedrill::sim
