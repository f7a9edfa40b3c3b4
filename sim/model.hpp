// Component kinds are models, looked up by name in a registry. Built-ins are registered by an
// explicit call (models/register.hpp: register_builtin_models), never by static constructors.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/error.hpp"
#include "sim/params.hpp"
#include "sim/scenario.hpp"

namespace firedrill::sim {

struct Behaviour;  // sim/behaviour.hpp

enum class PlacementRule {
  required,  // zones, region or provider
  none,      // people: placed nowhere (teams)
};

class ComponentModel {
 public:
  virtual ~ComponentModel() = default;
  [[nodiscard]] virtual std::string_view kind() const = 0;
  [[nodiscard]] virtual std::string_view summary() const = 0;  // one line
  [[nodiscard]] virtual const std::vector<ParamSpec>& params() const = 0;
  [[nodiscard]] virtual PlacementRule placement_rule() const { return PlacementRule::required; }
  [[nodiscard]] virtual bool holds_data() const { return false; }
  // Checks that need more than one parameter or the rest of the scenario (e.g. a replica
  // zone equal to the primary's). Types, units and references were checked already.
  virtual void check(const Component& c, const Scenario& s, const std::string& file,
                     Diagnostics& out) const {}
  // What the component does in a trial (instances, health checks, data copies, ...), from its
  // loaded parameters. Called once per trial; must not draw random numbers.
  virtual void build(const Component& c, const Scenario& s, Behaviour& out) const = 0;
};

class ModelRegistry {
 public:
  void add(std::unique_ptr<ComponentModel> model);  // a duplicate kind is a logic_error
  [[nodiscard]] const ComponentModel* find(std::string_view kind) const;
  [[nodiscard]] std::vector<std::string> kinds() const;  // sorted
  [[nodiscard]] const std::vector<std::unique_ptr<ComponentModel>>& models() const {
    return models_;
  }

 private:
  std::vector<std::unique_ptr<ComponentModel>> models_;
};

}  // namespace firedrill::sim
