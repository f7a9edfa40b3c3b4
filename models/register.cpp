#include "models/register.hpp"

#include "models/common.hpp"

namespace firedrill::models {

void register_builtin_models(sim::ModelRegistry& registry) {
  registry.add(make_compute());
  registry.add(make_load_balancer());
  registry.add(make_dns());
  registry.add(make_database());
  registry.add(make_queue());
  registry.add(make_object_store());
  registry.add(make_search_index());
  registry.add(make_third_party());
  registry.add(make_external());
  registry.add(make_monitoring());
  registry.add(make_team());
}

}  // namespace firedrill::models
