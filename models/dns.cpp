// dns: DNS records or a CDN in front of one active target at a time (Route 53, Cloudflare).
// Health-checked records switch by themselves; others are switched by a runbook step. Either
// way clients follow after the TTL.
#include "models/common.hpp"

namespace firedrill::models {
namespace {

class Dns final : public DeclaredModel {
 public:
  Dns()
      : DeclaredModel(
            "dns", "DNS/CDN: one active target, switched by health checks or by hand, TTL",
            {sim::required_param("targets", ParamType::component_list, "components",
                                 "targets in order of preference; the first is active"),
             sim::param("ttl", ParamType::duration, "s", "\"300s\"",
                        "record TTL: how long clients keep the old answer after a switch"),
             sim::param("health_checked", ParamType::boolean, "", "false",
                        "fails over to the next serving target by itself (Route 53 failover)"),
             sim::param("check_interval", ParamType::duration, "s", "\"30s\"",
                        "health check interval (Route 53: 30s, or 10s)"),
             sim::param("failure_threshold", ParamType::integer, "checks", "3",
                        "failed checks before failing over (Route 53: 3)")}) {}

  void build(const sim::Component& c, const sim::Scenario&, sim::Behaviour& out) const override {
    sim::RoutingConfig routing;
    routing.mode = sim::RoutingConfig::Mode::active;
    routing.targets = c.params.list("targets");
    routing.propagation_s = c.params.number("ttl");
    routing.auto_switch = c.params.boolean("health_checked");
    routing.check_interval_s = c.params.number("check_interval");
    routing.failures = static_cast<int>(c.params.number("failure_threshold"));
    out.routing = routing;
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_dns() { return std::make_unique<Dns>(); }

// A health-checked record switches failure_threshold - 1 to failure_threshold check intervals
// after its target fails; clients follow after the TTL (which stays the scenario's).
std::vector<sim::Preset> dns_presets() {
  return {
      {"route53",
       "Amazon Route 53 Developer Guide, health checks: request interval 30 s, failure threshold "
       "3 (the defaults): 60-90 s from the endpoint failing to the failover record switching, "
       "then the TTL",
       R"({"health_checked": true, "check_interval": "30s", "failure_threshold": 3})"},
      {"route53-fast",
       "Amazon Route 53 Developer Guide, health checks: fast request interval 10 s, failure "
       "threshold 3: 20-30 s from the endpoint failing to the failover record switching, then "
       "the TTL",
       R"({"health_checked": true, "check_interval": "10s", "failure_threshold": 3})"},
  };
}

}  // namespace firedrill::models
