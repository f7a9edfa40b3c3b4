// Reads a scenario file (JSON, or YAML by extension .yaml/.yml), checks it completely and
// returns either a Scenario (with its named variants, when the file has "variants") or every
// problem found, each with file, JSON pointer, line:column where the parser knows it, expected
// and found.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/error.hpp"
#include "sim/model.hpp"
#include "sim/scenario.hpp"

namespace firedrill::sim {

struct Loaded {
  std::optional<Scenario> scenario;  // the base scenario; set only when diagnostics is empty
  std::vector<Scenario> variants;    // the file's named variants, complete, in file order
  Diagnostics diagnostics;
  // Set with a scenario: what is valid but will not do what it seems to (an alert-triggered
  // runbook that nothing can start), each with `warning` set: the file's, each once (a
  // variant's that only repeats the base's is left out) ...
  Diagnostics warnings;
  // ... and each document's own, complete, by variant name ("base" for the base scenario).
  std::map<std::string, Diagnostics, std::less<>> document_warnings;
};

// The name that selects the base scenario among a file's variants ("--variant base").
inline constexpr const char* kBaseVariant = "base";

// "base" and the names of the file's variants, in file order.
std::vector<std::string> variant_names(const Loaded& loaded);
// The base (name "base" or "") or the variant called `name`; nullptr when there is none.
const Scenario* find_variant(const Loaded& loaded, std::string_view name);
// The warnings of the base (name "base" or "") or of the variant called `name`.
const Diagnostics& warnings_of(const Loaded& loaded, std::string_view name);

Loaded load_scenario_file(const std::string& path, const ModelRegistry& registry);
// `path` names the text in messages and picks the syntax (".yaml"/".yml" -> YAML).
Loaded load_scenario_text(std::string_view text, const std::string& path,
                          const ModelRegistry& registry);

// The JSON Schema (draft 2020-12) of scenario files, generated from the registry's
// parameter declarations, pretty-printed with a trailing newline.
std::string scenario_json_schema(const ModelRegistry& registry);

}  // namespace firedrill::sim
