// cache: data that may be lost and rebuilt (Redis, Memcached, a CDN's edge store). Its contents
// are derived, so nothing written through it is ever a lost write (it is not a data-holding
// component: services do not list it in `data`); but a cache that comes back empty (a
// restart, a replacement, its zone back) serves only after it has warmed up, and until then
// what depends on it is down (a cold cache in front of a store that cannot take the full load
// is an outage, not a degradation).
#include "models/common.hpp"

namespace firedrill::models {
namespace {

class Cache final : public DeclaredModel {
 public:
  Cache()
      : DeclaredModel(
            "cache", "derived data in instances: never lost writes, serves after a warm-up",
            {sim::param("instances_per_zone", ParamType::integer, "instances", "1",
                        "cache nodes running in each placement zone"),
             sim::param("min_healthy", ParamType::integer, "instances", "1",
                        "warm nodes that must serve to carry the load"),
             sim::param("replacement", ParamType::boolean, "", "true",
                        "lost nodes are replaced in surviving placement zones"),
             sim::param("replacement_time", ParamType::duration_dist, "s",
                        "{\"uniform\": [\"2m\", \"5m\"]}",
                        "from losing a node to its replacement running (detection, launch, "
                        "boot), before its warm-up; the compute kind's default, a guess"),
             sim::param("warm_up", ParamType::duration_dist, "s",
                        "{\"uniform\": [\"10m\", \"30m\"]}",
                        "from a node running empty to its hit rate carrying the load; a "
                        "conservative guess (no published figure covers it: it grows with the "
                        "key space and shrinks with the traffic): measure your own")}) {}

  void build(const sim::Component& c, const sim::Scenario&, sim::Behaviour& out) const override {
    out.instances.per_zone = static_cast<int>(c.params.number("instances_per_zone"));
    out.instances.min_healthy = static_cast<int>(c.params.number("min_healthy"));
    if (c.params.boolean("replacement")) out.instances.replacement = c.params.dist("replacement_time");
    out.instances.warm_up = c.params.dist("warm_up");
  }

  void check(const sim::Component& c, const sim::Scenario&, const std::string& file,
             sim::Diagnostics& out) const override {
    check_min_healthy(c, file, out);
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_cache() { return std::make_unique<Cache>(); }

}  // namespace firedrill::models
