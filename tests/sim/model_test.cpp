// The model registry: kinds and the presets registered with them.
#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>

#include "sim/model.hpp"
#include "sim/params.hpp"

using namespace firedrill::sim;

namespace {

class Box final : public ComponentModel {
 public:
  Box()
      : params_{param("timeout", ParamType::duration, "s", "\"30s\"", "how long"),
                object_param("backup", false,
                             {param("interval", ParamType::duration, "s", "\"24h\"", "how often")},
                             "a backup")} {}
  std::string_view kind() const override { return "box"; }
  std::string_view summary() const override { return "a box"; }
  const std::vector<ParamSpec>& params() const override { return params_; }
  void build(const Component&, const Scenario&, Behaviour&) const override {}

 private:
  std::vector<ParamSpec> params_;
};

Preset preset(std::string name, std::string values) {
  return {std::move(name), "a vendor's figure, from failure to service", std::move(values)};
}

}  // namespace

TEST_CASE("registry: presets are kept per kind in declaration order") {
  ModelRegistry r;
  r.add(std::make_unique<Box>(), {preset("fast", R"({"timeout": "5s"})"),
                                  preset("slow", R"({"backup": {"interval": "1h"}})")});
  REQUIRE(r.presets("box").size() == 2);
  CHECK(r.presets("box")[0].name == "fast");
  CHECK(r.presets("box")[1].name == "slow");
  CHECK(r.find_preset("box", "slow") == &r.presets("box")[1]);
  CHECK(r.find_preset("box", "medium") == nullptr);
  CHECK(r.presets("crate").empty());
  CHECK(r.find_preset("crate", "fast") == nullptr);
}

TEST_CASE("registry: a preset that names nothing of its kind is a programming error") {
  auto add = [](std::vector<Preset> presets) {
    ModelRegistry r;
    r.add(std::make_unique<Box>(), std::move(presets));
  };
  CHECK_THROWS_WITH_AS(add({preset("p", R"({"timeuot": "5s"})")}),
                       "preset \"p\" of kind \"box\": no parameter \"timeuot\"", std::logic_error);
  CHECK_THROWS_WITH_AS(add({preset("p", R"({"backup": {"intervall": "1h"}})")}),
                       "preset \"p\" of kind \"box\": no field \"backup.intervall\"",
                       std::logic_error);
  CHECK_THROWS_WITH_AS(add({preset("p", R"({"backup": "1h"})")}),
                       "preset \"p\" of kind \"box\": \"backup\" is not an object", std::logic_error);
  CHECK_THROWS_WITH_AS(add({preset("p", R"(["timeout"])")}),
                       "preset \"p\" of kind \"box\": its values are not a JSON object",
                       std::logic_error);
  CHECK_THROWS_WITH_AS(add({preset("p", "{}"), preset("p", "{}")}),
                       "preset \"p\" of kind \"box\" is registered twice", std::logic_error);
  CHECK_THROWS_WITH_AS(add({Preset{"p", "", "{}"}}), "preset \"p\" of kind \"box\": no description",
                       std::logic_error);
}
