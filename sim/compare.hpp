// Topology comparison: the same disasters swept across variants of an architecture, side by
// side, with each variant's monthly cost and whether another variant beats it on both cost
// and risk.
#pragma once

#include <string>
#include <vector>

#include "sim/sweep.hpp"

namespace firedrill::sim {

struct Variant {
  std::string name, file, sha256;
  double monthly_cost = 0;  // 0: not given
  SweepResult sweep;
  double risk = 0;          // mean probability of missing a target over the compared cells
  bool pareto = false;      // no other variant is at least as cheap and as safe, and better in one
};

struct Comparison {
  std::uint64_t trials = 0, seed = 0;
  std::vector<std::string> disasters;  // compared: present in every variant, first file's order
  std::vector<std::string> services;   // present in every variant, first file's order
  std::vector<Variant> variants;
};

// Sweeps every variant over the disasters and services they share. Throws
// std::invalid_argument when they share none (message lower case).
Comparison compare_variants(const std::vector<Scenario>& variants, const ModelRegistry& registry,
                            const SweepOptions& options);

// The cell of a variant for (disaster, service), or nullptr.
const CellStats* find_cell(const Variant& v, const std::string& disaster,
                           const std::string& service);

// Marks the variants that no other variant beats on both cost and risk (variants without a
// cost are compared on risk alone and never dominate one with a cost).
void mark_pareto(std::vector<Variant>& variants);

std::string comparison_json(const Comparison& c);

}  // namespace firedrill::sim
