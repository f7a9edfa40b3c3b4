// monitoring: checks components and pages a team (Nagios, CloudWatch alarms, Prometheus).
#include "models/common.hpp"

namespace firedrill::models {
namespace {

class Monitoring final : public DeclaredModel {
 public:
  Monitoring()
      : DeclaredModel(
            "monitoring", "periodic checks that page a team when a component stops serving",
            {sim::param("check_interval", ParamType::duration, "s", "\"1m\"",
                        "time between two checks"),
             sim::param("failures", ParamType::integer, "checks", "2",
                        "failed checks before alerting"),
             sim::param("alert_delay", ParamType::duration_dist, "s", "\"30s\"",
                        "from the decision to alert to the page arriving"),
             sim::param("watches", ParamType::component_list, "components", "[]",
                        "components it checks (none: all)"),
             sim::required_param("pages", ParamType::component_ref, "team",
                                 "the team that is paged"),
             sim::param("fallback_detection", ParamType::duration_dist, "s",
                        "{\"uniform\": [\"15m\", \"1h\"]}",
                        "when monitoring is down too: until customers or staff notice")}) {}

  void build(const sim::Component& c, const sim::Scenario&, sim::Behaviour& out) const override {
    sim::MonitorConfig m;
    m.interval_s = c.params.number("check_interval");
    m.failures = static_cast<int>(c.params.number("failures"));
    m.alert_delay = c.params.dist("alert_delay");
    m.watches = c.params.list("watches");
    m.team = c.params.text("pages");
    m.fallback_detection = c.params.dist("fallback_detection");
    out.monitor = m;
  }

  void check(const sim::Component& c, const sim::Scenario& s, const std::string& file,
             sim::Diagnostics& out) const override {
    const auto* team = s.component(c.params.text("pages"));
    if (team != nullptr && team->kind != "team") {
      out.add({file, c.pointer + "/pages", 0, 0, "a component of kind \"team\"",
               "\"" + team->name + "\" of kind \"" + team->kind + "\"", ""});
    }
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_monitoring() { return std::make_unique<Monitoring>(); }

}  // namespace firedrill::models
