// Achieved RTO/RPO of one service across recorded drills, in time order: the figures behind
// `firedrill history trend` and the report's history section. Lean header: standard library only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace firedrill::history {

class Store;

struct TrendQuery {
  std::string service;   // required
  std::string scenario;  // scenario name; "" for all
  std::string disaster;  // "" for all
};

struct TrendPoint {
  std::int64_t record_id = 0;
  std::string recorded_at;  // UTC ISO-8601
  std::string kind;         // "run", "sweep", "live"
  std::string scenario, variant, disaster, disruption;
  std::uint64_t seed = 0, trials = 0;
  double target_rto_s = 0, target_rpo_s = 0;
  bool target_inferred = false;  // the source document states no target: an inference
  // run/live: achieved in that trial; sweep: p95 over its recovered trials. nullopt: not
  // recovered (a sweep: no trial recovered).
  std::optional<double> rto_s, rpo_s;
  std::optional<double> rto_p50_s, rpo_p50_s;  // sweeps only
  std::uint64_t not_recovered = 0;             // sweeps only: trials not recovered
  std::optional<double> p_miss;                // sweeps only: probability of missing a target
  bool met = false;  // run: met; sweep: no trial missed
};

// One point per (record, disaster) that has the service, in record order. Throws HistoryError.
std::vector<TrendPoint> trend(Store& store, const TrendQuery& q);
// The same, opening the store at `location` ("" for the default location).
std::vector<TrendPoint> trend(const std::string& location, const TrendQuery& q);

// Every service name the summaries of the store mention, sorted (for "did you mean").
std::vector<std::string> services_in(Store& store, const std::string& scenario = "");

}  // namespace firedrill::history
