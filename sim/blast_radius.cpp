#include "sim/blast_radius.hpp"

#include <algorithm>

#include "sim/behaviour.hpp"

namespace firedrill::sim {

namespace {

bool names(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::vector<BlastRadius> blast_radius(const Scenario& s, const ModelRegistry& registry) {
  std::vector<BlastRadius> out;
  for (const Credential& cred : s.credentials) {
    BlastRadius r;
    r.credential = cred.name;
    for (const Component& c : s.components) {
      if (names(c.credentials, cred.name)) r.destroys.push_back(c.name);
      if (names(c.uses_credentials, cred.name)) r.held_by.push_back(c.name);
      const ComponentModel* model = registry.find(c.kind);
      if (model == nullptr) continue;
      Behaviour b;
      model->build(c, s, b);  // the same copies, with the same credentials, as in a trial
      if (!b.data) continue;
      for (const CopyConfig& copy : b.data->copies) {
        if (!names(copy.credentials, cred.name)) continue;
        (copy.object_lock ? r.locked : r.destroys).push_back(c.name + ": " + copy.name);
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace firedrill::sim
