// load_balancer: routes to backend components and health-checks their instances (HAProxy,
// ALB, a GKE global load balancer). A single VM (one zone) or managed (a region).
#include "models/common.hpp"

namespace firedrill::models {
namespace {

class LoadBalancer final : public DeclaredModel {
 public:
  LoadBalancer()
      : DeclaredModel(
            "load_balancer", "routes to backends, takes failed instances out by health checks",
            {sim::required_param("targets", ParamType::component_list, "components",
                                 "backend components it routes to (serving while one serves)"),
             sim::param("check_interval", ParamType::duration, "s", "\"2s\"",
                        "health check interval (HAProxy inter: 2s)"),
             sim::param("rise", ParamType::integer, "checks", "2",
                        "good checks before an instance is back in rotation (HAProxy: 2)"),
             sim::param("fall", ParamType::integer, "checks", "3",
                        "failed checks before an instance is out of rotation (HAProxy: 3)")}) {}

  void build(const sim::Component& c, const sim::Scenario&, sim::Behaviour& out) const override {
    sim::HealthCheckConfig hc;
    hc.interval_s = c.params.number("check_interval");
    hc.rise = static_cast<int>(c.params.number("rise"));
    hc.fall = static_cast<int>(c.params.number("fall"));
    out.health_check = hc;
    sim::RoutingConfig routing;
    routing.mode = sim::RoutingConfig::Mode::any;
    routing.targets = c.params.list("targets");
    out.routing = routing;
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_load_balancer() {
  return std::make_unique<LoadBalancer>();
}

// An instance leaves rotation fall - 1 to fall check intervals after it fails.
std::vector<sim::Preset> load_balancer_presets() {
  return {
      {"haproxy",
       "HAProxy configuration manual, server check defaults: inter 2 s, rise 2, fall 3: 4-6 s "
       "from a server failing to it leaving rotation",
       R"({"check_interval": "2s", "rise": 2, "fall": 3})"},
      {"aws-alb",
       "Elastic Load Balancing, 'Health checks for Application Load Balancer target groups': "
       "interval 30 s, healthy threshold 5, unhealthy threshold 2 (the defaults): 30-60 s from a "
       "target failing to it leaving rotation",
       R"({"check_interval": "30s", "rise": 5, "fall": 2})"},
  };
}

}  // namespace firedrill::models
