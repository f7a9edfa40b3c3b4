// Parameter groups and conversions shared by several component kinds.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/behaviour.hpp"
#include "sim/model.hpp"
#include "sim/params.hpp"

namespace firedrill::models {

using sim::ParamSpec;
using sim::ParamType;

// A model whose kind, summary and parameter list are fixed at construction.
class DeclaredModel : public sim::ComponentModel {
 public:
  DeclaredModel(std::string kind, std::string summary, std::vector<ParamSpec> params)
      : kind_(std::move(kind)), summary_(std::move(summary)), params_(std::move(params)) {}
  [[nodiscard]] std::string_view kind() const override { return kind_; }
  [[nodiscard]] std::string_view summary() const override { return summary_; }
  [[nodiscard]] const std::vector<ParamSpec>& params() const override { return params_; }

 private:
  std::string kind_, summary_;
  std::vector<ParamSpec> params_;
};

// {interval, retention, locations, credentials}: periodic snapshots or copy jobs.
ParamSpec periodic_copy_param(const std::string& name, const std::string& what,
                              const std::string& default_interval,
                              const std::string& default_retention);
// Appends the copies a `periodic_copy_param` object describes (one per location; the
// primary's region when no location is given). Snapshot and copy jobs move `copy_size` (or
// the component's `size`) to their location at every run; log shipping moves nothing that
// is simulated.
void add_periodic_copies(const sim::Params* p, sim::CopyConfig::Kind kind, const std::string& label,
                         const sim::Component& c, const sim::Scenario& s,
                         std::vector<sim::CopyConfig>& out);
// {probability, since}: replication to a replica silently stopped `since` before T0 with
// `probability` per trial (absent: it never did). `what` names the replicas it applies to.
ParamSpec stale_param(const std::string& name, const std::string& what);
std::optional<sim::StaleConfig> stale_from(const sim::Params* p);
// "one_off_snapshots": snapshots taken once, a given time before the first fault.
ParamSpec one_off_snapshots_param();
// Appends the copies `one_off_snapshots` describes (one per entry and location).
void add_one_off_snapshots(const sim::Component& c, const sim::Scenario& s,
                           std::vector<sim::CopyConfig>& out);
// Errors and warnings about the schedule of a `periodic_copy_param` object at `pointer`: a
// time of day with an interval that does not fit a day, a job that never counts.
void check_periodic_copies(const sim::Params* p, const std::string& pointer,
                           const std::string& file, sim::Diagnostics& out);
// "restore_throughput": how fast a data store moves data (restores, snapshot and copy jobs).
ParamSpec throughput_param(const std::string& default_value);
// "check_interval", "check_failures", "failover_time": automatic promotion of a replica after
// the primary fails its health checks.
std::vector<ParamSpec> failover_params(const std::string& interval, int failures,
                                       const std::string& time_json, const std::string& note);
sim::FailoverConfig failover_from(const sim::Params& p, sim::FailoverConfig::Mode mode);
// `min_healthy` is at most the instances placed (instances_per_zone in each placement zone).
void check_min_healthy(const sim::Component& c, const std::string& file, sim::Diagnostics& out);
// a followed by b.
std::vector<ParamSpec> concat(std::vector<ParamSpec> a, const std::vector<ParamSpec>& b);
// A synchronous replica in another zone of the component's placement (promoted on failover).
sim::CopyConfig zone_replica(const sim::Component& c, const std::string& zone);
// The region the component's primary lives in ("" for provider-wide placements).
std::string primary_region(const sim::Component& c, const sim::Scenario& s);

std::unique_ptr<sim::ComponentModel> make_compute();
std::unique_ptr<sim::ComponentModel> make_cache();
std::unique_ptr<sim::ComponentModel> make_load_balancer();
std::unique_ptr<sim::ComponentModel> make_dns();
std::unique_ptr<sim::ComponentModel> make_database();
std::unique_ptr<sim::ComponentModel> make_queue();
std::unique_ptr<sim::ComponentModel> make_object_store();
std::unique_ptr<sim::ComponentModel> make_search_index();
std::unique_ptr<sim::ComponentModel> make_third_party();
std::unique_ptr<sim::ComponentModel> make_monitoring();
std::unique_ptr<sim::ComponentModel> make_team();
std::unique_ptr<sim::ComponentModel> make_external();

// Vendors' published figures as presets of a kind (beside each model).
std::vector<sim::Preset> load_balancer_presets();
std::vector<sim::Preset> dns_presets();
std::vector<sim::Preset> database_presets();
std::vector<sim::Preset> object_store_presets();

}  // namespace firedrill::models

namespace firedrill::models {
// The same parameter with an inclusive lower bound (e.g. intervals must be positive).
inline ParamSpec at_least(ParamSpec p, double min) {
  p.min = min;
  return p;
}
// The same parameter with an inclusive upper bound (e.g. probabilities).
inline ParamSpec at_most(ParamSpec p, double max) {
  p.max = max;
  return p;
}
}  // namespace firedrill::models
