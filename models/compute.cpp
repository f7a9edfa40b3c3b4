// compute: a stateless service run as instances in zones (VMs, containers, pods), optionally
// autoscaled: lost instances are replaced in the surviving zones of its placement.
#include "models/common.hpp"

namespace firedrill::models {
namespace {

class Compute final : public DeclaredModel {
 public:
  Compute()
      : DeclaredModel(
            "compute", "stateless instances in zones, replaced by autoscaling",
            {sim::param("instances_per_zone", ParamType::integer, "instances", "1",
                        "instances running in each placement zone"),
             sim::param("min_healthy", ParamType::integer, "instances", "1",
                        "instances that must serve to carry the load"),
             sim::param("autoscaling", ParamType::boolean, "", "true",
                        "lost instances are replaced in surviving placement zones"),
             sim::param("replacement_time", ParamType::duration_dist, "s",
                        "{\"uniform\": [\"2m\", \"5m\"]}",
                        "from losing an instance to its replacement serving (detection, "
                        "launch, boot, warm-up)")}) {}

  void build(const sim::Component& c, const sim::Scenario&, sim::Behaviour& out) const override {
    out.instances.per_zone = static_cast<int>(c.params.number("instances_per_zone"));
    out.instances.min_healthy = static_cast<int>(c.params.number("min_healthy"));
    if (c.params.boolean("autoscaling")) out.instances.replacement = c.params.dist("replacement_time");
  }

  void check(const sim::Component& c, const sim::Scenario&, const std::string& file,
             sim::Diagnostics& out) const override {
    check_min_healthy(c, file, out);
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_compute() { return std::make_unique<Compute>(); }

}  // namespace firedrill::models
