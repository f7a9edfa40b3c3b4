// Named variants: the checks of a file's "variants" list and the documents they describe (see
// variants.hpp and docs/scenario-format.md). Everything a variant's document holds is checked
// afterwards by the loader like any scenario; here only what the overrides themselves say.
#include "sim/variants.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "sim/json_values.hpp"
#include "sim/loader.hpp"

namespace firedrill::sim::detail {

using nlohmann::json;

const std::vector<std::string> kVariantSections{"providers", "credentials", "components",
                                                "services",  "runbooks",    "disasters"};
const std::vector<std::string> kVariantSectionSingulars{"provider", "credential", "component",
                                                        "service",  "runbook",    "disaster"};

namespace {

// Keys of the base document a variant patches directly (RFC 7386 merge patches).
const std::vector<std::string> kTopPatchKeys{"title", "description", "monthly_cost", "horizon",
                                             "network"};

std::vector<std::string> variant_keys() {
  std::vector<std::string> keys{"name"};
  keys.insert(keys.end(), kTopPatchKeys.begin(), kTopPatchKeys.end());
  for (const std::string& s : kVariantSections) {
    keys.push_back(s);
    keys.push_back("add_" + s);
    keys.push_back("remove_" + s);
  }
  return keys;
}

}  // namespace

const std::vector<std::string> kVariantKeys = variant_keys();

std::string VariantDocument::translate(std::string_view pointer) const {
  std::string p(pointer);
  while (true) {
    if (auto it = origins.find(p); it != origins.end()) {
      return it->second + std::string(pointer.substr(p.size()));
    }
    if (p.empty()) return std::string(pointer);
    const std::size_t slash = p.rfind('/');
    p.erase(slash == std::string::npos ? 0 : slash);
  }
}

std::string VariantDocument::translate_hint(const std::string& hint) const {
  static const std::string kAt = " at /";
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = hint.find(kAt); at != std::string::npos; at = hint.find(kAt, from)) {
    const std::size_t start = at + kAt.size() - 1;  // the pointer's first "/"
    std::size_t end = hint.find_first_of(" ),;", start);
    if (end == std::string::npos) end = hint.size();
    out += hint.substr(from, start - from);
    out += translate(std::string_view(hint).substr(start, end - start));
    from = end;
  }
  return out + hint.substr(from);
}

std::string variant_hint(const std::string& hint, const std::string& variant) {
  if (variant.empty()) return hint;
  const std::string which = "in variant " + quote_text(variant);
  return hint.empty() ? which : hint + "; " + which;
}

namespace {

using Origins = std::unordered_map<std::string, std::string>;

const json* member(const json& object, const std::string& key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// Records where the values of `merged` (at `at` in a variant's document) were written: it is
// the merge patch `patch`, written at `patch_at`, applied to what was at `base_at` (nothing
// when unset). Keys the patch does not name kept the base's value; arrays and scalars of the
// patch replace the base's whole.
void trace(const json& merged, const std::string& at, const std::optional<std::string>& base_at,
           const json& patch, const std::string& patch_at, Origins& origins) {
  origins[at] = patch_at;
  if (!merged.is_object()) return;
  for (const auto& item : merged.items()) {
    const std::string child = pointer_join(at, item.key());
    const auto it = patch.find(item.key());
    if (it == patch.end()) {
      if (base_at) origins[child] = pointer_join(*base_at, item.key());
    } else if (it->is_object()) {
      std::optional<std::string> child_base;
      if (base_at) child_base = pointer_join(*base_at, item.key());
      trace(item.value(), child, child_base, *it, pointer_join(patch_at, item.key()), origins);
    } else {
      origins[child] = pointer_join(patch_at, item.key());
    }
  }
}

// A named list of the base document ("components"): its names, in order, first use first.
struct BaseSection {
  const json* list = nullptr;  // nullptr: the base has no such list
  bool usable = true;          // false: the base's value is not a list (the base reports it)
  std::vector<std::string> names;

  [[nodiscard]] bool has(const std::string& name) const {
    return std::find(names.begin(), names.end(), name) != names.end();
  }
};

// What one variant does to one named list, once checked: only what is valid is applied, so
// that the rest of the variant is still checked.
struct SectionChange {
  bool touched = false;
  std::map<std::string, std::string> removed;  // name -> where the removal is written
  std::set<std::string> patched;               // names of base items with a valid patch
  std::set<std::size_t> skipped;               // indices of additions left out
};

std::optional<std::string> name_of(const json& item) {
  const json* n = member(item, "name");
  if (n == nullptr || !n->is_string()) return std::nullopt;
  return n->get<std::string>();
}

class Expander {
 public:
  Expander(const json& root, const SourceMap& map, const std::string& file, Diagnostics& out)
      : root_(root), map_(map), file_(file), out_(out) {
    for (const std::string& s : kVariantSections) {
      BaseSection section;
      section.list = member(root, s);
      if (section.list != nullptr && !section.list->is_array()) section.usable = false;
      if (section.list != nullptr && section.usable) {
        for (const json& item : *section.list) {
          const auto name = name_of(item);
          if (name && !section.has(*name)) section.names.push_back(*name);
        }
      }
      base_.push_back(std::move(section));
    }
  }

  std::vector<VariantDocument> run() {
    std::vector<VariantDocument> docs;
    const json* list = member(root_, "variants");
    if (list == nullptr) return docs;
    if (!list->is_array()) {
      error("/variants", "a list of variants", render_found(*list));
      return docs;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string p = pointer_join("/variants", i);
      const json& v = (*list)[i];
      variant_.clear();
      if (!v.is_object()) {
        error(p, "a variant: an object with a name and the overrides of the base scenario",
              render_found(v));
        continue;
      }
      const std::optional<std::string> name = read_name(v, p);
      if (name) variant_ = *name;
      for (const auto& item : v.items()) {
        if (std::find(kVariantKeys.begin(), kVariantKeys.end(), item.key()) != kVariantKeys.end()) {
          continue;
        }
        key_error(pointer_join(p, item.key()), "a known key", quote_text(item.key()),
                  unknown_key_hint(item.key(), kVariantKeys));
      }
      std::vector<SectionChange> changes;
      bool buildable = true;
      for (std::size_t s = 0; s < kVariantSections.size(); ++s) {
        changes.push_back(check_section(v, p, s));
        if (changes.back().touched && !base_[s].usable) buildable = false;
      }
      // A variant with problems of its own (even without a valid name) is still built from
      // what is valid in it, for the problems of its document; it never loads with them.
      if (buildable) docs.push_back(build(v, p, name.value_or(""), changes));
    }
    return docs;
  }

 private:
  void error(const std::string& pointer, std::string expected, std::string found,
             std::string hint = "") {
    add(pointer, map_.value_pos(pointer), std::move(expected), std::move(found), std::move(hint));
  }
  void key_error(const std::string& pointer, std::string expected, std::string found,
                 std::string hint = "") {
    add(pointer, map_.key_pos(pointer), std::move(expected), std::move(found), std::move(hint));
  }
  void add(const std::string& pointer, SourcePos pos, std::string expected, std::string found,
           std::string hint) {
    if (!variant_.empty()) hint = variant_hint(hint, variant_);
    out_.add(Diagnostic{file_, pointer, pos.line, pos.column, std::move(expected),
                        std::move(found), std::move(hint)});
  }

  std::optional<std::string> read_name(const json& v, const std::string& p) {
    const std::string np = pointer_join(p, "name");
    const std::string expected =
        "a variant name of lower-case letters, digits, \".\", \"_\" and \"-\" like \"multi-az\"";
    const json* n = member(v, "name");
    if (n == nullptr) {
      error(np, expected, "nothing");
      return std::nullopt;
    }
    if (!n->is_string() || !is_scenario_name(n->get<std::string>())) {
      error(np, expected, render_found(*n));
      return std::nullopt;
    }
    const std::string name = n->get<std::string>();
    if (name == kBaseVariant) {
      error(np, "a variant name other than " + quote_text(kBaseVariant), quote_text(name),
            quote_text(kBaseVariant) + " names the base scenario");
      return std::nullopt;
    }
    if (auto it = names_.find(name); it != names_.end()) {
      error(np, "a variant name not used before", quote_text(name), "already used at " + it->second);
      return std::nullopt;
    }
    names_.emplace(name, p);
    return name;
  }

  // Checks "remove_S", "S" and "add_S" of one section against the base's names.
  SectionChange check_section(const json& v, const std::string& p, std::size_t index) {
    const std::string& s = kVariantSections[index];
    const std::string& singular = kVariantSectionSingulars[index];
    const BaseSection& base = base_[index];
    const std::string base_name = "the name of a " + singular + " of the base scenario";
    SectionChange change;
    const json* removes = member(v, "remove_" + s);
    const json* patches = member(v, s);
    const json* adds = member(v, "add_" + s);
    change.touched = removes != nullptr || patches != nullptr || adds != nullptr;
    if (!base.usable) return change;  // the base reports its list; nothing to check against

    if (removes != nullptr) {
      const std::string rp = pointer_join(p, "remove_" + s);
      if (!removes->is_array()) {
        error(rp, "a list of " + singular + " names", render_found(*removes));
      } else {
        for (std::size_t j = 0; j < removes->size(); ++j) {
          const std::string ip = pointer_join(rp, j);
          const json& item = (*removes)[j];
          if (!item.is_string()) {
            error(ip, base_name, render_found(item));
            continue;
          }
          const std::string name = item.get<std::string>();
          if (!base.has(name)) {
            error(ip, base_name, quote_text(name), names_hint(name, base.names, s));
          } else if (!change.removed.emplace(name, ip).second) {
            error(ip, "each " + singular + " once", quote_text(name) + " again");
          }
        }
      }
    }

    if (patches != nullptr) {
      const std::string pp = pointer_join(p, s);
      if (!patches->is_object()) {
        error(pp, "an object of merge patches by " + singular + " name", render_found(*patches));
      } else {
        for (const auto& item : patches->items()) {
          const std::string kp = pointer_join(pp, item.key());
          const json& patch = item.value();
          if (!base.has(item.key())) {
            key_error(kp, base_name, quote_text(item.key()),
                      names_hint(item.key(), base.names, s));
          } else if (auto it = change.removed.find(item.key()); it != change.removed.end()) {
            key_error(kp, "a " + singular + " this variant does not remove",
                      quote_text(item.key()), "removed at " + it->second);
          } else if (!patch.is_object()) {
            error(kp, "a merge patch (an object) for " + singular + " " + quote_text(item.key()),
                  render_found(patch),
                  patch.is_null() ? "remove it with \"remove_" + s + "\"" : std::string());
          } else if (const json* renamed = member(patch, "name")) {
            key_error(pointer_join(kp, "name"),
                      "no \"name\" in a patch (to rename, remove the " + singular +
                          " and add it again)",
                      render_found(*renamed));
          } else {
            change.patched.insert(item.key());
          }
        }
      }
    }

    if (adds != nullptr) {
      const std::string ap = pointer_join(p, "add_" + s);
      if (!adds->is_array()) {
        error(ap, "a list of " + s, render_found(*adds));
      } else {
        // What else an added item needs is checked with the variant's whole document.
        for (std::size_t j = 0; j < adds->size(); ++j) {
          const auto name = name_of((*adds)[j]);
          if (!name || !base.has(*name) || change.removed.count(*name) != 0) continue;
          change.skipped.insert(j);
          error(pointer_join(pointer_join(ap, j), "name"),
                "a " + singular + " name not in the base scenario", quote_text(*name),
                "change it under \"" + s + "\", or remove it with \"remove_" + s + "\" first");
        }
      }
    }
    return change;
  }

  VariantDocument build(const json& v, const std::string& p, const std::string& name,
                        const std::vector<SectionChange>& changes) {
    VariantDocument d;
    d.name = name;
    d.pointer = p;
    d.doc = root_;
    d.doc.erase("variants");

    json top = json::object();
    for (const std::string& key : kTopPatchKeys) {
      if (const json* value = member(v, key)) top[key] = *value;
    }
    d.doc.merge_patch(top);
    for (const auto& item : top.items()) {
      const std::string at = pointer_join("", item.key());
      const auto merged = d.doc.find(item.key());
      if (merged == d.doc.end()) continue;  // removed by null
      if (item.value().is_object()) {
        trace(*merged, at, at, item.value(), pointer_join(p, item.key()), d.origins);
      } else {
        d.origins[at] = pointer_join(p, item.key());
      }
    }

    for (std::size_t s = 0; s < kVariantSections.size(); ++s) {
      if (!changes[s].touched) continue;
      const std::string& section = kVariantSections[s];
      const std::string sp = pointer_join("", section);
      const json* base_list = base_[s].list;
      const json* patches = member(v, section);
      const json* adds = member(v, "add_" + section);
      json list = json::array();
      d.origins[sp] = base_list != nullptr ? sp : pointer_join(p, "add_" + section);
      if (base_list != nullptr) {
        for (std::size_t k = 0; k < base_list->size(); ++k) {
          const json& item = (*base_list)[k];
          const auto item_name = name_of(item);
          if (item_name && changes[s].removed.count(*item_name) != 0) continue;
          const std::string at = pointer_join(sp, list.size());
          const std::string from = pointer_join(sp, k);
          const json* patch = item_name && changes[s].patched.count(*item_name) != 0
                                  ? member(*patches, *item_name)
                                  : nullptr;
          list.push_back(item);
          if (patch == nullptr) {
            d.origins[at] = from;
          } else {
            list.back().merge_patch(*patch);
            trace(list.back(), at, from, *patch,
                  pointer_join(pointer_join(p, section), *item_name), d.origins);
          }
        }
      }
      if (adds != nullptr && adds->is_array()) {
        for (std::size_t j = 0; j < adds->size(); ++j) {
          if (changes[s].skipped.count(j) != 0) continue;
          d.origins[pointer_join(sp, list.size())] =
              pointer_join(pointer_join(p, "add_" + section), j);
          list.push_back((*adds)[j]);
        }
      }
      d.doc[section] = std::move(list);
    }
    return d;
  }

  const json& root_;
  const SourceMap& map_;
  const std::string& file_;
  Diagnostics& out_;
  std::vector<BaseSection> base_;             // by kVariantSections index
  std::map<std::string, std::string> names_;  // variant name -> its pointer
  std::string variant_;                       // the variant being checked, once named
};

}  // namespace

std::vector<VariantDocument> expand_variants(const json& root, const SourceMap& map,
                                             const std::string& file, Diagnostics& out) {
  if (!root.is_object() || !root.contains("variants")) return {};
  return Expander(root, map, file, out).run();
}

}  // namespace firedrill::sim::detail
