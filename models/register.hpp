#pragma once
#include "sim/model.hpp"

namespace firedrill::models {
// Registers every built-in component kind. Called explicitly by each front end.
void register_builtin_models(sim::ModelRegistry& registry);
}  // namespace firedrill::models
