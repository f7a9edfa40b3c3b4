// What each credential can destroy (its blast radius), and what can leak it: the components
// that name it in `credentials` (destroyed by it), the data copies it can delete (those
// without object lock) and the components that hold it (`uses_credentials`: a
// component_compromise of one of them compromises it).
#pragma once

#include <string>
#include <vector>

#include "sim/model.hpp"
#include "sim/scenario.hpp"

namespace firedrill::sim {

struct BlastRadius {
  std::string credential;
  std::vector<std::string> destroys;  // components, and copies as "component: copy name"
  std::vector<std::string> locked;    // copies it names that object lock protects
  std::vector<std::string> held_by;   // components whose uses_credentials lists it
};

// One entry per credential of the scenario, in their order.
std::vector<BlastRadius> blast_radius(const Scenario& s, const ModelRegistry& registry);

}  // namespace firedrill::sim
