// The shipped one-file form of the three shop topologies (scenarios/examples/shop-variants.json)
// against the three separate files: the same scenarios, and a comparison of the one file gives
// the numbers of a comparison of the three.
#include "tests/models/harness.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/compare.hpp"

using namespace firedrill;

namespace {

std::string example(const std::string& name) {
  return (std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() /
          "scenarios" / "examples" / name)
      .string();
}

sim::Loaded load_file(const std::string& name) {
  sim::Loaded loaded = sim::load_scenario_file(example(name), testing::registry());
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.scenario.has_value());
  return loaded;
}

// Which variant of shop-variants.json stands for which separate file.
const std::vector<std::pair<std::string, std::string>> kPairs{
    {"base", "multi-region.json"}, {"multi-az", "multi-az.json"}, {"single-az", "single-az.json"}};

std::vector<std::string> names_of(const std::vector<sim::Component>& items) {
  std::vector<std::string> out;
  for (const auto& c : items) out.push_back(c.name);
  return out;
}

// A sweep's document without what names the scenario it came from.
std::string numbers(sim::SweepResult r) {
  r.scenario_name = r.scenario_title = r.scenario_file = r.scenario_sha256 = r.scenario_source = r.variant = "";
  r.scenario_text = "";  // the file itself: what the comparison sets aside
  return sim::sweep_result_json(r);
}

}  // namespace

TEST_CASE("shop-variants.json: each variant is its separate file's scenario") {
  const sim::Loaded one = load_file("shop-variants.json");
  REQUIRE(one.variants.size() == 2);
  CHECK(sim::variant_names(one) == std::vector<std::string>{"base", "multi-az", "single-az"});
  for (const auto& [variant, file] : kPairs) {
    INFO(variant);
    const sim::Scenario* v = sim::find_variant(one, variant);
    REQUIRE(v != nullptr);
    const sim::Loaded separate = load_file(file);
    const sim::Scenario& s = *separate.scenario;
    CHECK(v->title == (variant == "base" ? v->title : s.title));
    CHECK(v->monthly_cost == s.monthly_cost);
    CHECK(v->seed == s.seed);
    CHECK(v->horizon_s == s.horizon_s);
    CHECK(names_of(v->components) == names_of(s.components));  // order matters for the draws
    for (const auto& c : s.components) {
      const sim::Component* w = v->component(c.name);
      REQUIRE(w != nullptr);
      CHECK(w->kind == c.kind);
      CHECK(w->description == c.description);
      CHECK(w->placement.zones == c.placement.zones);
      CHECK(w->placement.region == c.placement.region);
      CHECK(w->placement.provider == c.placement.provider);
      CHECK(w->depends == c.depends);
      CHECK(w->params.values.size() == c.params.values.size());
    }
    std::vector<std::string> runbooks, separate_runbooks;
    for (const auto& r : v->runbooks) runbooks.push_back(r.name);
    for (const auto& r : s.runbooks) separate_runbooks.push_back(r.name);
    std::sort(runbooks.begin(), runbooks.end());
    std::sort(separate_runbooks.begin(), separate_runbooks.end());
    CHECK(runbooks == separate_runbooks);
    REQUIRE(v->disasters.size() == s.disasters.size());
    for (std::size_t i = 0; i < s.disasters.size(); ++i) {
      CHECK(v->disasters[i].name == s.disasters[i].name);
      CHECK(v->disasters[i].runbooks == s.disasters[i].runbooks);
    }
  }
}

TEST_CASE("shop-variants.json: compare of the one file gives the numbers of the three files") {
  const sim::Loaded one = load_file("shop-variants.json");
  std::vector<sim::Scenario> from_one{*one.scenario};
  for (const auto& v : one.variants) from_one.push_back(v);
  std::vector<sim::Scenario> from_three;
  for (const auto& [variant, file] : kPairs) from_three.push_back(*load_file(file).scenario);

  sim::SweepOptions opt;
  opt.trials = 24;
  opt.seed = 5;
  opt.jobs = 2;
  const sim::Comparison a = sim::compare_variants(from_one, testing::registry(), opt);
  const sim::Comparison b = sim::compare_variants(from_three, testing::registry(), opt);
  REQUIRE(a.variants.size() == 3);
  REQUIRE(b.variants.size() == 3);
  CHECK(a.disasters == b.disasters);
  CHECK(a.services == b.services);
  const std::vector<std::string> names{"shop", "shop/multi-az", "shop/single-az"};
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(names[i]);
    CHECK(a.variants[i].name == names[i]);
    CHECK(a.variants[i].monthly_cost == b.variants[i].monthly_cost);
    CHECK(a.variants[i].risk == b.variants[i].risk);
    CHECK(a.variants[i].pareto == b.variants[i].pareto);
    CHECK(numbers(a.variants[i].sweep) == numbers(b.variants[i].sweep));
  }
  // The variants differ from each other: the check above compares something.
  CHECK(numbers(a.variants[0].sweep) != numbers(a.variants[2].sweep));
  CHECK(a.variants[0].risk < a.variants[2].risk);
}
