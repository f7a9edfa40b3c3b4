#include "models/register.hpp"

#include "models/common.hpp"

namespace firedrill::models {

void register_builtin_models(sim::ModelRegistry& registry) {
  registry.add(make_compute());
  registry.add(make_cache());
  registry.add(make_load_balancer(), load_balancer_presets());
  registry.add(make_dns(), dns_presets());
  registry.add(make_database(), database_presets());
  registry.add(make_queue());
  registry.add(make_object_store(), object_store_presets());
  registry.add(make_search_index());
  registry.add(make_third_party());
  registry.add(make_external());
  registry.add(make_monitoring());
  registry.add(make_team());
}

}  // namespace firedrill::models
