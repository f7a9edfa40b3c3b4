#include "sim/platform.hpp"

#include <algorithm>
#include <stdexcept>

#include <simgrid/kernel/routing/NetZoneImpl.hpp>

namespace sg4 = simgrid::s4u;
using simgrid::kernel::routing::NetPoint;

namespace firedrill::sim {
namespace {

const std::vector<sg4::Host*> kNoHosts;

std::string pair_key(const std::string& a, const std::string& b) {
  return a < b ? a + "|" + b : b + "|" + a;
}

// A star zone whose hosts each have their own NIC link, with a gateway router.
struct Leaf {
  sg4::NetZone* zone = nullptr;
  NetPoint* gateway = nullptr;
};

// SimGrid names carry the trial's prefix (names are engine-wide); `out` is keyed without it.
Leaf make_leaf(const std::string& prefix, const std::string& name, sg4::NetZone* parent,
               const Network& net, const std::vector<const HostRequest*>& hosts,
               std::unordered_map<std::string, sg4::Host*>& out) {
  Leaf leaf;
  leaf.zone = sg4::create_star_zone(prefix + name);
  leaf.zone->set_parent(parent);
  leaf.gateway = leaf.zone->create_router(prefix + name + ".gw");
  auto* gw_link = leaf.zone->create_link(prefix + name + ".gw-link", 1e12)->set_latency(0)->seal();
  leaf.zone->add_route(leaf.gateway, nullptr, nullptr, nullptr, {sg4::LinkInRoute(gw_link)}, true);
  for (const auto* h : hosts) {
    auto* host = leaf.zone->create_host(prefix + h->name, 1e9)->seal();
    out[h->name] = host;
    if (!h->communicates) {
      leaf.zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {}, true);
      continue;
    }
    const double bw = h->nic_Bps > 0 ? h->nic_Bps : net.zone_bandwidth_Bps;
    auto* nic = leaf.zone->create_link(prefix + h->name + ".nic", bw)
                    ->set_latency(net.zone_latency_s / 2)
                    ->seal();
    leaf.zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(nic)},
                         true);
  }
  leaf.zone->seal();
  return leaf;
}

}  // namespace

std::string Location::key() const {
  switch (kind) {
    case Kind::zone: return "zone:" + name;
    case Kind::regional: return "regional:" + name;
    case Kind::global: return "global:" + name;
    case Kind::control: return "control:";
  }
  return "";
}

Platform::Platform(const Scenario& s, const std::vector<HostRequest>& hosts, sg4::NetZone* parent,
                   const std::string& prefix) {
  std::map<std::string, std::vector<const HostRequest*>> requested;
  for (const auto& h : hosts) requested[h.where.key()].push_back(&h);
  hosts_.reserve(hosts.size() + 1);
  const Network& net = s.network;

  auto* world = sg4::create_full_zone(prefix + "world");
  if (parent != nullptr) {
    // Detached (see the header): the models a zone otherwise copies from its parent.
    auto* w = world->get_impl();
    const auto* p = parent->get_impl();
    w->set_network_model(p->get_network_model());
    w->set_cpu_pm_model(p->get_cpu_pm_model());
    w->set_cpu_vm_model(p->get_cpu_vm_model());
    w->set_disk_model(p->get_disk_model());
    w->set_host_model(p->get_host_model());
  }
  struct Top {
    std::string name;
    sg4::NetZone* zone;
    NetPoint* gateway;
    double latency;
    double bandwidth;
  };
  std::vector<Top> tops;

  for (const auto& region : s.regions) {
    auto* rz = sg4::create_full_zone(prefix + "region." + region.name);
    rz->set_parent(world);
    struct Child {
      std::string name;
      Leaf leaf;
    };
    std::vector<Child> children;
    for (const auto& zone : region.zones) {
      Location loc{Location::Kind::zone, zone};
      children.push_back({zone, make_leaf(prefix, "zone." + zone, rz, net, requested[loc.key()], hosts_)});
      for (const auto* h : requested[loc.key()]) by_location_[loc.key()].push_back(hosts_[h->name]);
    }
    Location regional{Location::Kind::regional, region.name};
    children.push_back({"regional." + region.name,
                        make_leaf(prefix, "regional." + region.name, rz, net, requested[regional.key()],
                                  hosts_)});
    for (const auto* h : requested[regional.key()]) {
      by_location_[regional.key()].push_back(hosts_[h->name]);
    }
    for (std::size_t i = 0; i < children.size(); ++i) {
      for (std::size_t j = i + 1; j < children.size(); ++j) {
        auto* link = rz->create_link(prefix + "link." + pair_key(children[i].name, children[j].name),
                                     net.inter_zone_bandwidth_Bps)
                         ->set_latency(net.inter_zone_latency_s)
                         ->seal();
        links_[pair_key(children[i].name, children[j].name)] = link;
        rz->add_route(children[i].leaf.zone->get_netpoint(), children[j].leaf.zone->get_netpoint(),
                      children[i].leaf.gateway, children[j].leaf.gateway,
                      {sg4::LinkInRoute(link)}, true);
      }
    }
    rz->seal();
    tops.push_back({region.name, rz, children.back().leaf.gateway, net.inter_region_latency_s,
                    net.inter_region_bandwidth_Bps});
  }
  for (const auto& provider : s.providers) {
    Location global{Location::Kind::global, provider.name};
    if (requested[global.key()].empty()) continue;
    Leaf leaf = make_leaf(prefix, "global." + provider.name, world, net, requested[global.key()], hosts_);
    for (const auto* h : requested[global.key()]) by_location_[global.key()].push_back(hosts_[h->name]);
    tops.push_back({"global." + provider.name, leaf.zone, leaf.gateway,
                    net.inter_region_latency_s, net.inter_region_bandwidth_Bps});
  }
  // The control host runs the trial's actors and never communicates: no links to it (they
  // were a sixth of a platform's links, built for every trial).
  HostRequest control_req{"control", Location{Location::Kind::control, ""}, 1e12};
  make_leaf(prefix, "control", world, net, {&control_req}, hosts_);
  control_ = hosts_["control"];

  for (std::size_t i = 0; i < tops.size(); ++i) {
    for (std::size_t j = i + 1; j < tops.size(); ++j) {
      const double lat = std::max(tops[i].latency, tops[j].latency);
      const double bw = std::min(tops[i].bandwidth, tops[j].bandwidth);
      auto* link = world->create_link(prefix + "link." + pair_key(tops[i].name, tops[j].name), bw)
                       ->set_latency(lat)
                       ->seal();
      links_[pair_key(tops[i].name, tops[j].name)] = link;
      world->add_route(tops[i].zone->get_netpoint(), tops[j].zone->get_netpoint(),
                       tops[i].gateway, tops[j].gateway, {sg4::LinkInRoute(link)}, true);
    }
  }
  world->seal();
}

sg4::Host* Platform::host(const std::string& name) const {
  auto it = hosts_.find(name);
  if (it == hosts_.end()) throw std::logic_error("platform: no host named " + name);
  return it->second;
}

const std::vector<sg4::Host*>& Platform::hosts_in(const Location& where) const {
  auto it = by_location_.find(where.key());
  return it == by_location_.end() ? kNoHosts : it->second;
}

sg4::Link* Platform::link_between(const std::string& a, const std::string& b) const {
  auto it = links_.find(pair_key(a, b));
  return it == links_.end() ? nullptr : it->second;
}

bool Platform::reachable(sg4::Host* a, sg4::Host* b) const {
  if (!a->is_on() || !b->is_on()) return false;
  if (a == b) return true;
  std::vector<sg4::Link*> route;
  a->route_to(b, route, nullptr);
  return std::all_of(route.begin(), route.end(), [](const sg4::Link* l) { return l->is_on(); });
}

}  // namespace firedrill::sim
