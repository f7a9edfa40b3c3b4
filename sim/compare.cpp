#include "sim/compare.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace firedrill::sim {

using nlohmann::ordered_json;

namespace {

double round_us(double v) { return std::round(v * 1e6) / 1e6; }

template <class Get>
std::vector<std::string> shared_names(const std::vector<Scenario>& variants, Get get) {
  std::vector<std::string> out;
  for (const auto& name : get(variants.front())) {
    const bool everywhere = std::all_of(variants.begin(), variants.end(), [&](const Scenario& s) {
      const auto names = get(s);
      return std::find(names.begin(), names.end(), name) != names.end();
    });
    if (everywhere) out.push_back(name);
  }
  return out;
}

ordered_json quantiles(const Summary& s) {
  if (s.count() == 0) return {{"p50", nullptr}, {"p95", nullptr}, {"not_recovered", s.missing()}};
  return {{"p50", round_us(s.quantile(0.5))},
          {"p95", round_us(s.quantile(0.95))},
          {"not_recovered", s.missing()}};
}

}  // namespace

const CellStats* find_cell(const Variant& v, const std::string& disaster,
                           const std::string& service) {
  for (const auto& c : v.sweep.cells) {
    if (c.disaster == disaster && c.service == service) return &c;
  }
  return nullptr;
}

void mark_pareto(std::vector<Variant>& variants) {
  for (auto& v : variants) {
    v.pareto = std::none_of(variants.begin(), variants.end(), [&](const Variant& w) {
      if (&w == &v) return false;
      const bool costs = v.monthly_cost > 0 && w.monthly_cost > 0;
      const bool cost_le = !costs || w.monthly_cost <= v.monthly_cost;
      const bool cost_lt = costs && w.monthly_cost < v.monthly_cost;
      if (v.monthly_cost > 0 && w.monthly_cost <= 0) return false;  // unknown cost never wins
      return cost_le && w.risk <= v.risk && (cost_lt || w.risk < v.risk);
    });
  }
}

Comparison compare_variants(const std::vector<Scenario>& variants, const ModelRegistry& registry,
                            const SweepOptions& options) {
  if (variants.empty()) throw std::invalid_argument("no variants to compare");
  Comparison c;
  c.trials = options.trials;
  c.seed = options.seed;
  c.disasters = shared_names(variants, [](const Scenario& s) {
    std::vector<std::string> n;
    for (const auto& d : s.disasters) n.push_back(d.name);
    return n;
  });
  c.services = shared_names(variants, [](const Scenario& s) {
    std::vector<std::string> n;
    for (const auto& sv : s.services) n.push_back(sv.name);
    return n;
  });
  if (c.disasters.empty()) {
    throw std::invalid_argument("the variants share no disaster (compared by name)");
  }
  if (c.services.empty()) {
    throw std::invalid_argument("the variants share no service (compared by name)");
  }
  for (const auto& s : variants) {
    SweepOptions opt = options;
    opt.disasters = c.disasters;
    Variant v;
    v.name = s.name;
    v.file = s.file;
    v.sha256 = s.sha256;
    v.monthly_cost = s.monthly_cost;
    v.sweep = run_sweep(s, registry, opt);
    double sum = 0;
    std::size_t n = 0;
    for (const auto& d : c.disasters) {
      for (const auto& svc : c.services) {
        if (const CellStats* cell = find_cell(v, d, svc)) sum += cell->miss.p(), ++n;
      }
    }
    v.risk = n == 0 ? 0 : sum / static_cast<double>(n);
    c.variants.push_back(std::move(v));
  }
  mark_pareto(c.variants);
  return c;
}

std::string comparison_json(const Comparison& c) {
  ordered_json j;
  j["schema"] = kResultSchema;
  j["kind"] = "compare";
  j["trials"] = c.trials;
  j["seed"] = c.seed;
  j["versions"] = {{"firedrill", firedrill_version()}, {"simgrid", simgrid_version()}};
  j["disasters"] = c.disasters;
  j["services"] = c.services;
  j["variants"] = ordered_json::array();
  for (const auto& v : c.variants) {
    j["variants"].push_back({{"name", v.name},
                             {"file", v.file},
                             {"sha256", v.sha256},
                             {"monthly_cost", v.monthly_cost > 0 ? ordered_json(v.monthly_cost)
                                                                 : ordered_json(nullptr)},
                             {"risk", round_us(v.risk)},
                             {"pareto", v.pareto}});
  }
  j["rows"] = ordered_json::array();
  for (const auto& d : c.disasters) {
    for (const auto& svc : c.services) {
      ordered_json row;
      row["disaster"] = d;
      row["service"] = svc;
      row["variants"] = ordered_json::array();
      for (const auto& v : c.variants) {
        const CellStats* cell = find_cell(v, d, svc);
        if (cell == nullptr) continue;
        const auto [lo, hi] = cell->miss.wilson();
        row["variants"].push_back({{"variant", v.name},
                                   {"target", {{"rto_s", round_us(cell->target.rto_s)},
                                               {"rpo_s", round_us(cell->target.rpo_s)}}},
                                   {"rto_s", quantiles(cell->rto)},
                                   {"rpo_s", quantiles(cell->rpo)},
                                   {"p_miss", {{"p", round_us(cell->miss.p())},
                                               {"ci95", {round_us(lo), round_us(hi)}}}},
                                   {"p_miss_rto", round_us(cell->miss_rto.p())},
                                   {"p_miss_rpo", round_us(cell->miss_rpo.p())}});
      }
      j["rows"].push_back(row);
    }
  }
  return j.dump(1) + "\n";
}

}  // namespace firedrill::sim
