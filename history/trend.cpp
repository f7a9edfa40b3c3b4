#include "history/trend.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "history/store.hpp"

namespace firedrill::history {

using nlohmann::json;

namespace {

std::optional<double> optional_number(const json& cell, const char* key) {
  if (!cell.contains(key) || cell.at(key).is_null()) return std::nullopt;
  return cell.at(key).get<double>();
}

json summary_of(const Record& r) {
  json s = json::parse(r.summary_json, nullptr, false);
  if (s.is_discarded() || !s.contains("cells") || !s.at("cells").is_array()) {
    throw HistoryError("record " + std::to_string(r.id) + ": malformed summary");
  }
  return s;
}

std::vector<Record> summaries(Store& store, const std::string& scenario) {
  Query q;
  q.scenario = scenario;
  q.with_result = false;
  return store.records(q);
}

}  // namespace

std::vector<TrendPoint> trend(Store& store, const TrendQuery& q) {
  std::vector<TrendPoint> points;
  for (const Record& r : summaries(store, q.scenario)) {
    const json s = summary_of(r);
    try {
      for (const auto& cell : s.at("cells")) {
        if (cell.at("service") != q.service) continue;
        if (!q.disaster.empty() && cell.at("disaster") != q.disaster) continue;
        TrendPoint p;
        p.record_id = r.id;
        p.recorded_at = r.recorded_at;
        p.kind = r.kind;
        p.scenario = r.scenario_name;
        p.variant = r.variant;
        p.seed = r.seed;
        p.trials = r.trials;
        p.disaster = cell.at("disaster").get<std::string>();
        p.disruption = cell.value("disruption", "");
        p.target_rto_s = cell.at("target").at("rto_s").get<double>();
        p.target_rpo_s = cell.at("target").at("rpo_s").get<double>();
        p.target_inferred = cell.at("target").value("inferred", false);
        p.not_recovered = cell.value("not_recovered", std::uint64_t{0});
        p.rto_s = optional_number(cell, "rto_s");
        p.rpo_s = optional_number(cell, "rpo_s");
        p.rto_p50_s = optional_number(cell, "rto_p50_s");
        p.rpo_p50_s = optional_number(cell, "rpo_p50_s");
        p.p_miss = optional_number(cell, "p_miss");
        p.met = cell.at("met").get<bool>();
        points.push_back(std::move(p));
      }
    } catch (const json::exception& e) {
      throw HistoryError("record " + std::to_string(r.id) + ": malformed summary: " + e.what());
    }
  }
  return points;
}

std::vector<TrendPoint> trend(const std::string& location, const TrendQuery& q) {
  return trend(*open_store(location), q);
}

std::vector<std::string> services_in(Store& store, const std::string& scenario) {
  std::set<std::string> names;
  for (const Record& r : summaries(store, scenario)) {
    const json s = summary_of(r);
    for (const auto& cell : s.at("cells")) {
      if (cell.contains("service") && cell.at("service").is_string()) {
        names.insert(cell.at("service").get<std::string>());
      }
    }
  }
  return {names.begin(), names.end()};
}

}  // namespace firedrill::history
