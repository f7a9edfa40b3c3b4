// Reading quantities and distributions out of parsed scenario JSON. Kept apart from
// distribution.hpp so that widely included headers need only nlohmann/json_fwd.hpp.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <variant>

#include "sim/distribution.hpp"
#include "sim/units.hpp"

namespace firedrill::sim {

// What went wrong at (or below) the value that was passed in.
struct FieldError {
  std::string pointer_suffix;  // "" for the value itself, "/uniform/1" for a part of it
  std::string expected;        // lower case, e.g. `a duration like "24h"`
  std::string found;           // render_found() of the offending part
};

// A JSON value as an error message shows it: -5, "banana", true, null, an object, an array
// of 3 items; long strings are shortened.
std::string render_found(const nlohmann::json& value);

// A quantity written as a string in its unit ("5m", "500GB", "200/s", "1Gbps"). Unit::count
// accepts a JSON number >= 0 (integer or not).
std::variant<double, FieldError> quantity_from_json(const nlohmann::json& value, Unit unit);

// A distribution of a quantity: a plain quantity string (fixed), or an object with exactly one
// key:
//   {"fixed": "5m"}
//   {"uniform": ["1m", "5m"]}                      lo <= hi
//   {"normal": {"mean": "5m", "sd": "1m"}}         sd >= 0
//   {"lognormal": {"p50": "2m", "p95": "10m"}}     0 < p50 <= p95
//   {"exponential": {"mean": "10s"}}               mean > 0
//   {"triangular": ["1m", "2m", "10m"]}            lo <= mode <= hi
//   {"empirical": ["40m", "2h", "55m"]}            at least one sample
std::variant<Distribution, FieldError> distribution_from_json(const nlohmann::json& value, Unit unit);

}  // namespace firedrill::sim
