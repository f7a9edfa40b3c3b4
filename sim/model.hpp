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
  // Diagnostics marked `warning` are warnings (the scenario stays valid).
  virtual void check(const Component& c, const Scenario& s, const std::string& file,
                     Diagnostics& out) const {}
  // What the component does in a trial (instances, health checks, data copies, ...), from its
  // loaded parameters. Called once per trial; must not draw random numbers.
  virtual void build(const Component& c, const Scenario& s, Behaviour& out) const = 0;
};

// A vendor's published figures as a named set of parameter values of one kind: a component
// that writes "preset": NAME takes them in place of the kind's plain defaults, and whatever it
// writes itself wins over both. Declared as data beside the model and registered with it.
struct Preset {
  std::string name;         // "rds-multi-az-instance"
  std::string description;  // the source, its figure and which interval the figure covers
  // A JSON object {"parameter": value as a scenario writes it}. The value of an object
  // parameter gives that object's fields: the fields a component leaves out of the object it
  // writes, and the whole object when it writes none (unless a required field is missing:
  // then the preset only fills in objects the component writes).
  std::string values_json;
};

class ModelRegistry {
 public:
  // A duplicate kind, a duplicate preset name or a preset naming no parameter of the kind is a
  // logic_error.
  void add(std::unique_ptr<ComponentModel> model, std::vector<Preset> presets = {});
  [[nodiscard]] const ComponentModel* find(std::string_view kind) const;
  // The presets of a kind in declaration order (empty for an unknown kind or one without any).
  [[nodiscard]] const std::vector<Preset>& presets(std::string_view kind) const;
  [[nodiscard]] const Preset* find_preset(std::string_view kind, std::string_view name) const;
  [[nodiscard]] std::vector<std::string> kinds() const;  // sorted
  [[nodiscard]] const std::vector<std::unique_ptr<ComponentModel>>& models() const {
    return models_;
  }

 private:
  std::vector<std::unique_ptr<ComponentModel>> models_;
  std::vector<std::vector<Preset>> presets_;  // by index into models_
};

}  // namespace firedrill::sim
