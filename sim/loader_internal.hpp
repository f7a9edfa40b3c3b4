// Internal pieces of the scenario loader shared by loader.cpp, json_source.cpp,
// yaml_to_json.cpp, dependency_graph.cpp and schema.cpp. Not part of the public API.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/error.hpp"
#include "sim/model.hpp"
#include "sim/params.hpp"

namespace firedrill::sim::detail {

struct SourcePos {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

// Where each value (and each object key) of a parsed document was written, by JSON pointer.
class SourceMap {
 public:
  using Translate = std::function<std::string(std::string_view)>;
  SourceMap() = default;
  // The map of a document derived from the one `original` maps (a variant): the value at
  // `pointer` here was written at `translate(pointer)` there. `original` must outlive it.
  SourceMap(const SourceMap& original, Translate translate)
      : original_(&original), translate_(std::move(translate)) {}

  void set_value(const std::string& pointer, SourcePos pos) { values_[pointer] = pos; }
  void set_key(const std::string& pointer, SourcePos pos) { keys_[pointer] = pos; }
  // Positions found only when first asked for (a document without diagnostics never is):
  // `build` fills the map then (with set_value and set_key).
  void build_when_asked(std::function<void(SourceMap&)> build) { build_ = std::move(build); }
  // The position of the value at `pointer`, or of its nearest ancestor that has one.
  [[nodiscard]] SourcePos value_pos(std::string_view pointer) const;
  // The position of the key naming the value at `pointer` (falls back to value_pos).
  [[nodiscard]] SourcePos key_pos(std::string_view pointer) const;

 private:
  void build() const;
  mutable std::unordered_map<std::string, SourcePos> values_;
  mutable std::unordered_map<std::string, SourcePos> keys_;
  mutable std::function<void(SourceMap&)> build_;
  const SourceMap* original_ = nullptr;
  Translate translate_;
};

// Documents nested deeper than this are refused before anything recursive touches them.
inline constexpr int kMaxNesting = 100;
// YAML aliases may not expand a document beyond this many values.
inline constexpr std::size_t kMaxValues = 1'000'000;

// Parses a JSON text into `root` and records every value's position in `map`. Syntax errors
// (with line:column), excessive nesting and duplicate keys are added to `out`. Returns false
// when nothing usable was parsed.
bool parse_json_source(std::string_view text, const std::string& file, nlohmann::json& root,
                       SourceMap& map, Diagnostics& out);
// The same for YAML (yaml-cpp), converted to JSON: quoted scalars stay strings, plain scalars
// become null, booleans, integers or floats when they read as such.
bool parse_yaml_source(std::string_view text, const std::string& file, nlohmann::json& root,
                       SourceMap& map, Diagnostics& out);

// The 1-based line and column (in UTF-8 characters) of byte `offset` of `text`.
SourcePos position_of(std::string_view text, std::size_t offset);

// Elementary cycles closed by the back edges of a depth-first search over a directed graph
// of `vertex_count` vertices (Boost.Graph). Each cycle lists its vertices once, starting at
// its smallest vertex, in edge order; at most `max_cycles` distinct cycles are returned.
std::vector<std::vector<std::size_t>> find_cycles(
    std::size_t vertex_count, const std::vector<std::pair<std::size_t, std::size_t>>& edges,
    std::size_t max_cycles);

// What a value of this parameter looks like, lower case: `a duration like "24h"`,
// `one of "sync", "async"`, `a list of zone names`, with its bounds when it has any.
std::string param_expectation(const ParamSpec& spec);

// Allowed names: scenario names are [a-z0-9][a-z0-9._-]*; disruption classes are [a-z_]+.
bool is_scenario_name(std::string_view name);
bool is_class_name(std::string_view name);

// `"text"` as an error message quotes it; items joined with ", ".
std::string quote_text(std::string_view text);
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
// For a name that is not among `names`: `did you mean "x"?`, else the known names (or that
// there are none), `plural` naming what they are ("components").
std::string names_hint(std::string_view name, const std::vector<std::string>& names,
                       const std::string& plural);
// For an unknown object key: `did you mean "x"? known keys: a, b, c` (sorted).
std::string unknown_key_hint(std::string_view key, std::vector<std::string> known);

// Keys of each object of the format, in documentation order (shared by loader and schema).
extern const std::vector<std::string> kTopKeys;
extern const std::vector<std::string> kNetworkKeys;
extern const std::vector<std::string> kProviderKeys;
extern const std::vector<std::string> kRegionKeys;
extern const std::vector<std::string> kCredentialKeys;
extern const std::vector<std::string> kComponentKeys;  // common to every kind
extern const std::vector<std::string> kServiceKeys;
extern const std::vector<std::string> kQueuedKeys;
extern const std::vector<std::string> kTargetKeys;
extern const std::vector<std::string> kRunbookKeys;
extern const std::vector<std::string> kStepKeys;
extern const std::vector<std::string> kActionVerbs;
extern const std::vector<std::string> kRestoreSources;
extern const std::vector<std::string> kProviderKinds;
extern const std::vector<std::string> kDisasterKeys;
extern const std::vector<std::string> kFaultKeys;
// Disruption classes every scenario may use without naming them elsewhere (zone, region, ...).
extern const std::vector<std::string> kStandardClasses;
// The classes a file names: its disasters' "class" and its services' "targets" keys (without
// "default"), in the base and in every variant (added items and patches).
struct ClassNames {
  std::set<std::string> disasters;
  std::set<std::string> targets;
};
ClassNames class_names(const nlohmann::json& root);
// Warnings (loader_warnings.cpp) of a valid scenario: a runbook with trigger "alert" that a
// disaster listing it can never start (certain: what may stop serving is over-approximated),
// at the runbook, naming those disasters.
// A queued dependency whose drain_rate is not above the service's writes: never drains.
void warn_undrainable_queues(const Scenario& s, const std::string& path, Diagnostics& out);
void warn_unraisable_alerts(const Scenario& s, const ModelRegistry& registry,
                            const std::string& path, Diagnostics& out);
// Named variants (variants.cpp): the top-level lists a variant patches by name, adds to
// ("add_" + section) and removes from ("remove_" + section), their singular nouns, and every
// key of a variant.
extern const std::vector<std::string> kVariantSections;
extern const std::vector<std::string> kVariantSectionSingulars;
extern const std::vector<std::string> kVariantKeys;

}  // namespace firedrill::sim::detail
