#include "sim/model.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace firedrill::sim {

void ModelRegistry::add(std::unique_ptr<ComponentModel> model) {
  if (!model) throw std::logic_error("ModelRegistry::add: null model");
  if (find(model->kind()) != nullptr) {
    throw std::logic_error("component kind \"" + std::string(model->kind()) +
                           "\" is registered twice");
  }
  models_.push_back(std::move(model));
}

const ComponentModel* ModelRegistry::find(std::string_view kind) const {
  for (const auto& model : models_) {
    if (model->kind() == kind) return model.get();
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
