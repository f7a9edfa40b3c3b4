// Named variants of one scenario file (internal to the loader; the format is in
// docs/scenario-format.md): checks the top-level "variants" list and builds each variant's
// document, the base with the variant's overrides applied, remembering where each of its values
// was written so that errors found in it point into the file.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/error.hpp"
#include "sim/loader_internal.hpp"

namespace firedrill::sim::detail {

struct VariantDocument {
  std::string name;     // "multi-az"; "" when the variant has no valid name
  std::string pointer;  // "/variants/1"
  nlohmann::json doc;   // the base (without "variants") with the variant's overrides applied
  // Pointers of `doc` -> where the value was written in the file, for the values that came from
  // the variant or moved; a pointer without an entry here or at an ancestor is the same in both.
  std::unordered_map<std::string, std::string> origins;

  // The pointer in the file of the value at `pointer` of `doc`.
  [[nodiscard]] std::string translate(std::string_view pointer) const;
  // `hint` with the pointers it names ("already used at /components/3") translated.
  [[nodiscard]] std::string translate_hint(const std::string& hint) const;
};

// Checks `root`'s "variants" (nothing when it has none) and returns the document of every
// variant, in file order, built from what is valid in it. Problems go to `out`, with positions
// from `map`; each names its variant when the variant's name is known. A variant that is not an
// object, or that changes a list the base does not have as a list, has no document.
std::vector<VariantDocument> expand_variants(const nlohmann::json& root, const SourceMap& map,
                                             const std::string& file, Diagnostics& out);

// `hint` extended to say which variant a problem belongs to (unchanged for an unnamed one).
std::string variant_hint(const std::string& hint, const std::string& variant);

}  // namespace firedrill::sim::detail
