// Reads a scenario file (JSON, or YAML by extension .yaml/.yml), checks it completely and
// returns either a Scenario or every problem found, each with file, JSON pointer,
// line:column where the parser knows it, expected and found.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/error.hpp"
#include "sim/model.hpp"
#include "sim/scenario.hpp"

namespace firedrill::sim {

struct Loaded {
  std::optional<Scenario> scenario;  // set only when diagnostics is empty
  Diagnostics diagnostics;
};

Loaded load_scenario_file(const std::string& path, const ModelRegistry& registry);
// `path` names the text in messages and picks the syntax (".yaml"/".yml" -> YAML).
Loaded load_scenario_text(std::string_view text, const std::string& path,
                          const ModelRegistry& registry);

// The JSON Schema (draft 2020-12) of scenario files, generated from the registry's
// parameter declarations, pretty-printed with a trailing newline.
std::string scenario_json_schema(const ModelRegistry& registry);

}  // namespace firedrill::sim
