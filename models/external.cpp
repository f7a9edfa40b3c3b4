// external: something recovery needs that lives elsewhere (code repository, registry, vault).
#include "models/common.hpp"

namespace firedrill::models {
namespace {

class External final : public DeclaredModel {
 public:
  External()
      : DeclaredModel("external",
                      "a dependency recovery needs: code repository, container registry, "
                      "secret vault",
                      {sim::param("role", ParamType::text, "", "\"\"",
                                  "what it is for, e.g. \"container registry\"")}) {}
  void build(const sim::Component&, const sim::Scenario&, sim::Behaviour&) const override {}
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_external() { return std::make_unique<External>(); }

}  // namespace firedrill::models
