// third_party: a processor run by someone else (payments, email); placed in its provider.
#include "models/common.hpp"

namespace firedrill::models {
namespace {

class ThirdParty final : public DeclaredModel {
 public:
  ThirdParty()
      : DeclaredModel("third_party",
                      "a service run by another company; an outage is theirs to end", {}) {}
  void build(const sim::Component&, const sim::Scenario&, sim::Behaviour&) const override {}
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_third_party() { return std::make_unique<ThirdParty>(); }

}  // namespace firedrill::models
