#include "sim/model.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace firedrill::sim {

namespace {

const ParamSpec* spec_named(const std::vector<ParamSpec>& specs, const std::string& name) {
  for (const ParamSpec& s : specs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// A preset must name parameters (and fields of object parameters) its kind declares: a typo
// there would otherwise be a preset that silently sets nothing.
void check_preset(const ComponentModel& model, const Preset& p) {
  const std::string where = "preset \"" + p.name + "\" of kind \"" + std::string(model.kind()) + "\"";
  const auto values = nlohmann::json::parse(p.values_json, nullptr, false);
  if (values.is_discarded() || !values.is_object()) {
    throw std::logic_error(where + ": its values are not a JSON object");
  }
  if (p.description.empty()) throw std::logic_error(where + ": no description");
  for (const auto& [key, value] : values.items()) {
    const ParamSpec* spec = spec_named(model.params(), key);
    if (spec == nullptr) throw std::logic_error(where + ": no parameter \"" + key + "\"");
    if (spec->type != ParamType::object) continue;
    if (!value.is_object()) throw std::logic_error(where + ": \"" + key + "\" is not an object");
    for (const auto& field : value.items()) {
      if (spec_named(spec->fields, field.key()) == nullptr) {
        throw std::logic_error(where + ": no field \"" + key + "." + field.key() + "\"");
      }
    }
  }
}

}  // namespace

void ModelRegistry::add(std::unique_ptr<ComponentModel> model, std::vector<Preset> presets) {
  if (!model) throw std::logic_error("ModelRegistry::add: null model");
  if (find(model->kind()) != nullptr) {
    throw std::logic_error("component kind \"" + std::string(model->kind()) +
                           "\" is registered twice");
  }
  for (std::size_t i = 0; i < presets.size(); ++i) {
    check_preset(*model, presets[i]);
    for (std::size_t j = 0; j < i; ++j) {
      if (presets[j].name == presets[i].name) {
        throw std::logic_error("preset \"" + presets[i].name + "\" of kind \"" +
                               std::string(model->kind()) + "\" is registered twice");
      }
    }
  }
  models_.push_back(std::move(model));
  presets_.push_back(std::move(presets));
}

const ComponentModel* ModelRegistry::find(std::string_view kind) const {
  for (const auto& model : models_) {
    if (model->kind() == kind) return model.get();
  }
  return nullptr;
}

const std::vector<Preset>& ModelRegistry::presets(std::string_view kind) const {
  static const std::vector<Preset> none;
  for (std::size_t i = 0; i < models_.size(); ++i) {
    if (models_[i]->kind() == kind) return presets_[i];
  }
  return none;
}

const Preset* ModelRegistry::find_preset(std::string_view kind, std::string_view name) const {
  for (const Preset& p : presets(kind)) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> ModelRegistry::kinds() const {
  std::vector<std::string> out;
  out.reserve(models_.size());
  for (const auto& model : models_) out.emplace_back(model->kind());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace firedrill::sim
