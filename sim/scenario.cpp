#include "sim/scenario.hpp"

#include <array>

namespace firedrill::sim {

namespace {

constexpr std::array<FaultKind, 13> kFaultKinds{
    FaultKind::zone_outage,        FaultKind::region_outage,     FaultKind::provider_outage,
    FaultKind::component_crash,    FaultKind::network_partition, FaultKind::network_degradation,
    FaultKind::data_corruption,    FaultKind::operator_deletion, FaultKind::credential_compromise,
    FaultKind::third_party_outage, FaultKind::team_unavailable,  FaultKind::office_unavailable,
    FaultKind::component_compromise,
};

template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  for (const T& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

}  // namespace

std::string_view fault_kind_name(FaultKind k) {
  switch (k) {
    case FaultKind::zone_outage:
      return "zone_outage";
    case FaultKind::region_outage:
      return "region_outage";
    case FaultKind::provider_outage:
      return "provider_outage";
    case FaultKind::component_crash:
      return "component_crash";
    case FaultKind::network_partition:
      return "network_partition";
    case FaultKind::network_degradation:
      return "network_degradation";
    case FaultKind::data_corruption:
      return "data_corruption";
    case FaultKind::operator_deletion:
      return "operator_deletion";
    case FaultKind::credential_compromise:
      return "credential_compromise";
    case FaultKind::third_party_outage:
      return "third_party_outage";
    case FaultKind::team_unavailable:
      return "team_unavailable";
    case FaultKind::office_unavailable:
      return "office_unavailable";
    case FaultKind::component_compromise:
      return "component_compromise";
  }
  return "unknown";
}

std::optional<FaultKind> fault_kind_from_name(std::string_view name) {
  for (FaultKind k : kFaultKinds) {
    if (fault_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

const std::vector<std::string>& fault_kind_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (FaultKind k : kFaultKinds) out.emplace_back(fault_kind_name(k));
    return out;
  }();
  return names;
}

const Component* Scenario::component(std::string_view name) const {
  return find_named(components, name);
}

const Region* Scenario::region(std::string_view name) const { return find_named(regions, name); }

const Runbook* Scenario::runbook(std::string_view name) const { return find_named(runbooks, name); }

const Disaster* Scenario::disaster(std::string_view name) const {
  return find_named(disasters, name);
}

const Target* Scenario::target(const Service& s, std::string_view cls) const {
  if (auto it = s.targets.find(std::string(cls)); it != s.targets.end()) return &it->second;
  if (auto it = s.targets.find("default"); it != s.targets.end()) return &it->second;
  return nullptr;
}

}  // namespace firedrill::sim
