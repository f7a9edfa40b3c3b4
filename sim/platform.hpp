// The SimGrid platform of a scenario: providers, regions and zones as nested NetZones, one host
// per component instance, data copy or spare, links with latency and bandwidth between zones
// and regions. Internal to sim/ (includes SimGrid headers).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/scenario.hpp"

namespace firedrill::sim {

// A place hosts live in: an availability zone, a region's regional services (survive a zone
// outage) or a provider's global services (survive a region outage).
struct Location {
  enum class Kind { zone, regional, global, control } kind = Kind::zone;
  std::string name;  // zone, region or provider name
  [[nodiscard]] std::string key() const;
  bool operator<(const Location& o) const { return key() < o.key(); }
};

struct HostRequest {
  std::string name;
  Location where;
  double nic_Bps = 0;  // 0: the scenario's zone bandwidth
  // False for a host that never sends or receives data (only data stores' hosts do): it gets
  // no NIC link. NIC links are never turned off, so reachability does not need them.
  bool communicates = true;
};

class Platform {
 public:
  // Builds every zone, link and requested host. Every SimGrid name starts with `prefix`, so
  // that several trials' platforms can live side by side, disjoint, in one engine; host() and
  // the other lookups take names without it.
  //
  // Without `parent`, the platform's top zone is the engine's root. With one, the platform is
  // its own tree, never attached to `parent`: it only takes `parent`'s resource models. SimGrid
  // 3.32 checks every new host's and link's name by walking the whole zone tree from the root,
  // and a zone's seal() lists every host of the engine, so copies attached under one root
  // would cost the square of the batch size (most of a 64-trial batch's time). Routes never
  // leave a trial, so nothing needs the copies to share a tree.
  Platform(const Scenario& s, const std::vector<HostRequest>& hosts,
           simgrid::s4u::NetZone* parent = nullptr, const std::string& prefix = "");

  simgrid::s4u::Host* host(const std::string& name) const;
  simgrid::s4u::Host* control() const { return control_; }
  // Hosts living in a location (used by zone, region and provider outages).
  const std::vector<simgrid::s4u::Host*>& hosts_in(const Location& where) const;
  // The link between two zones (same region) or two regions; nullptr when there is none.
  simgrid::s4u::Link* link_between(const std::string& a, const std::string& b) const;
  // True when every host and link on the route is on.
  bool reachable(simgrid::s4u::Host* a, simgrid::s4u::Host* b) const;

 private:
  // Never iterated: looked up by name (twice per host while the platform is built).
  std::unordered_map<std::string, simgrid::s4u::Host*> hosts_;
  std::map<std::string, std::vector<simgrid::s4u::Host*>> by_location_;
  std::map<std::string, simgrid::s4u::Link*> links_;  // "a|b" with a < b
  simgrid::s4u::Host* control_ = nullptr;
};

}  // namespace firedrill::sim
