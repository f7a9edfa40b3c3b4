#include <doctest/doctest.h>

#include "sim/compare.hpp"

using firedrill::sim::mark_pareto;
using firedrill::sim::Variant;

namespace {

Variant variant(const char* name, double cost, double risk) {
  Variant v;
  v.name = name;
  v.monthly_cost = cost;
  v.risk = risk;
  return v;
}

}  // namespace

TEST_CASE("compare: the variants no other beats on both cost and risk") {
  std::vector<Variant> v = {variant("cheap-risky", 400, 0.7), variant("middle", 900, 0.25),
                            variant("dominated", 1000, 0.3), variant("safe", 2100, 0.01),
                            variant("same-as-safe-but-dearer", 2500, 0.01)};
  mark_pareto(v);
  CHECK(v[0].pareto);
  CHECK(v[1].pareto);
  CHECK_FALSE(v[2].pareto);  // middle is cheaper and safer
  CHECK(v[3].pareto);
  CHECK_FALSE(v[4].pareto);  // as safe, dearer
}

TEST_CASE("compare: without costs, risk alone decides; an unknown cost never wins") {
  std::vector<Variant> v = {variant("a", 0, 0.2), variant("b", 0, 0.1), variant("c", 500, 0.5)};
  mark_pareto(v);
  CHECK_FALSE(v[0].pareto);
  CHECK(v[1].pareto);
  CHECK(v[2].pareto);  // b has no cost: it does not beat c
}

TEST_CASE("compare: equal variants both stand") {
  std::vector<Variant> v = {variant("a", 100, 0.2), variant("b", 100, 0.2)};
  mark_pareto(v);
  CHECK(v[0].pareto);
  CHECK(v[1].pareto);
}
