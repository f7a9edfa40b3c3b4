// team: people on call; they respond to pages and perform manual runbook steps.
#include "models/common.hpp"

namespace firedrill::models {
namespace {

// At least one: a team of nobody would still perform its steps.
sim::ParamSpec people_param() {
  auto p = sim::param("people", ParamType::integer, "people", "2", "how many manual steps can run at once");
  p.min = 1;
  return p;
}

class Team final : public DeclaredModel {
 public:
  Team()
      : DeclaredModel(
            "team", "people on call who respond to pages and perform manual steps",
            {people_param(),
             sim::param("response", ParamType::duration_dist, "s",
                        "{\"lognormal\": {\"p50\": \"10m\", \"p95\": \"30m\"}}",
                        "from the page to someone starting work"),
             sim::param("remote_capable", ParamType::boolean, "", "true",
                        "can work without the office"),
             sim::param("remote_setup", ParamType::duration_dist, "s", "\"15m\"",
                        "extra delay before work when the office is unavailable")}) {}

  [[nodiscard]] sim::PlacementRule placement_rule() const override {
    return sim::PlacementRule::none;
  }

  void build(const sim::Component& c, const sim::Scenario&, sim::Behaviour& out) const override {
    sim::TeamConfig t;
    t.people = static_cast<int>(c.params.number("people"));
    t.response = c.params.dist("response");
    t.remote_capable = c.params.boolean("remote_capable");
    t.remote_setup = c.params.dist("remote_setup");
    out.team = t;
    out.has_instances = false;
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_team() { return std::make_unique<Team>(); }

}  // namespace firedrill::models
