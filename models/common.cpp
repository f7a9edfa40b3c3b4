#include "models/common.hpp"

#include <cmath>

#include "sim/units.hpp"

namespace firedrill::models {

using sim::param;
using sim::object_param;

namespace {
const std::string kObjectLockText =
    "immutable within their retention (S3 Object Lock compliance mode, Azure immutable blob "
    "storage, GCS bucket lock): no credential compromise can delete them";
}  // namespace

ParamSpec periodic_copy_param(const std::string& name, const std::string& what,
                              const std::string& default_interval,
                              const std::string& default_retention) {
  return object_param(
      name, false,
      {param("interval", ParamType::duration, "s", "\"" + default_interval + "\"",
             "time between two " + what),
       param("retention", ParamType::duration, "s", "\"" + default_retention + "\"",
             "how long each of them is kept"),
       param("locations", ParamType::region_list, "regions", "[]",
             "regions they are stored in (none: the primary's region)"),
       param("credentials", ParamType::text, "", "\"\"",
             "credential that can delete them (\"\": the component's own credentials)"),
       param("copy_size", ParamType::size, "bytes", "",
             "data each run moves to its location (absent: the component's whole size)"),
       param("object_lock", ParamType::boolean, "", "false", kObjectLockText),
       param("at", ParamType::time_of_day, "", "",
             "time of day of a run on the trial's clock, cron-like (interval 12h at \"17:20\": "
             "17:20 and 05:20; the interval must divide 24h or be whole days; absent: a random "
             "phase)"),
       at_most(param("failure_probability", ParamType::number, "", "0",
                     "probability that the job is silently broken at the fault (runs complete "
                     "but hold nothing usable, as GitLab.com's dumps in 2017); a broken job "
                     "worked until the last restore test before the fault"),
               1),
       at_least(param("verify_every", ParamType::duration, "s", "",
                      "restore tests: time between two (absent: none, a broken job has no "
                      "usable run)"),
                0.001),
       param("verify_at", ParamType::time_of_day, "", "",
             "time of day of a restore test (absent: a random phase)")},
      what + " (absent: none)");
}

ParamSpec one_off_snapshots_param() {
  return object_param(
      "one_off_snapshots", true,
      {at_least(required_param("before_fault", ParamType::duration, "s",
                               "taken this long before the first fault (GitLab.com 2017: an "
                               "LVM snapshot 6h before the deletion)"),
                0.001),
       param("locations", ParamType::region_list, "regions", "[]",
             "regions it is kept in (none: the primary's region)"),
       param("credentials", ParamType::text, "", "\"\"",
             "credential that can delete it (\"\": the component's own credentials)")},
      "snapshots taken once, by hand, before the fault: one restorable point each (restore "
      "from \"snapshot\"; kept to the horizon, their data not moved as a communication)",
      "[]");
}

void add_one_off_snapshots(const sim::Component& c, const sim::Scenario& s,
                           std::vector<sim::CopyConfig>& out) {
  for (const auto& p : c.params.objects("one_off_snapshots")) {
    const std::string label = "one-off-" + sim::format_duration(p.number("before_fault"));
    std::vector<sim::CopyConfig> copies;
    add_periodic_copies(&p, sim::CopyConfig::Kind::snapshot, label, c, s, copies);
    for (auto& copy : copies) {
      copy.before_fault_s = p.number("before_fault");
      copy.transfer_bytes = 0;
      out.push_back(copy);
    }
  }
}

void check_periodic_copies(const sim::Params* p, const std::string& pointer,
                           const std::string& file, sim::Diagnostics& out) {
  if (p == nullptr) return;
  constexpr double day = 86400;
  // A time of day repeats only with an interval that divides a day or is whole days.
  auto fits_clock = [&](const char* key, const char* interval_key) {
    if (!p->has(key) || !p->has(interval_key)) return;
    const double v = p->number(interval_key);
    if (std::fmod(day, v) == 0 || std::fmod(v, day) == 0) return;
    out.add({file, pointer + "/" + interval_key, 0, 0,
             std::string("with ") + key + ", an interval that divides 24h or is whole days",
             sim::format_duration(v), ""});
  };
  fits_clock("at", "interval");
  fits_clock("verify_at", "verify_every");
  if (p->has("verify_at") && !p->has("verify_every")) {
    out.add({file, pointer + "/verify_every", 0, 0, "verify_every (verify_at times its tests)",
             "nothing", ""});
  }
  if (p->has("failure_probability") && p->number("failure_probability") >= 1 &&
      !p->has("verify_every")) {
    sim::Diagnostic w{file, pointer + "/failure_probability", 0, 0,
                      "a job that can produce a usable copy", "1 without verify_every",
                      "every run is broken and no restore test ever found one working: it never "
                      "counts; add verify_every or lower failure_probability"};
    w.warning = true;
    out.add(std::move(w));
  }
}

sim::CopyConfig zone_replica(const sim::Component& c, const std::string& zone) {
  sim::CopyConfig r;
  r.kind = sim::CopyConfig::Kind::replica;
  r.name = "replica@" + zone;
  r.zone = zone;
  r.sync = true;
  r.failover_target = true;
  r.credentials = c.credentials;
  return r;
}

ParamSpec stale_param(const std::string& name, const std::string& what) {
  auto probability = param("probability", ParamType::number, "", "1",
                           "chance per trial that it had stopped (1: in every trial)");
  probability.max = 1;
  return object_param(
      name, false,
      {probability,
       sim::required_param("since", ParamType::duration_dist, "s",
                           "how long before the disaster's first fault it stopped")},
      "replication to " + what +
          " silently broken before the disaster (GitLab.com 2017: db2 had stopped replicating "
          "before db1's data was deleted): it holds nothing written after it stopped, and a "
          "failover to it loses those writes (absent: never)");
}

std::optional<sim::StaleConfig> stale_from(const sim::Params* p) {
  if (p == nullptr) return std::nullopt;
  return sim::StaleConfig{p->number("probability"), p->dist("since")};
}

void check_min_healthy(const sim::Component& c, const std::string& file, sim::Diagnostics& out) {
  const int zones = c.placement.zones.empty() ? 1 : static_cast<int>(c.placement.zones.size());
  const double total = c.params.number("instances_per_zone") * zones;
  if (c.params.number("min_healthy") > total) {
    out.add({file, c.pointer + "/min_healthy", 0, 0,
             "at most the " + std::to_string(static_cast<int>(total)) + " instances placed",
             std::to_string(static_cast<int>(c.params.number("min_healthy"))), ""});
  }
}

ParamSpec throughput_param(const std::string& default_value) {
  auto p = param("restore_throughput", ParamType::bandwidth, "bytes/s", "\"" + default_value + "\"",
                 "how fast it moves data: restores, snapshot and copy jobs (a restore step's "
                 "transfer comes after the step's duration unless the step sets "
                 "duration_includes_transfer)");
  p.min = 1;
  return p;
}

std::vector<ParamSpec> failover_params(const std::string& interval, int failures,
                                       const std::string& time_json, const std::string& note) {
  auto check = param("check_interval", ParamType::duration, "s", "\"" + interval + "\"",
                     "primary health check interval for automatic failover");
  check.min = 0.001;
  auto count = param("check_failures", ParamType::integer, "checks", std::to_string(failures),
                     "failed checks before an automatic failover");
  count.min = 1;
  return {check, count,
          param("failover_time", ParamType::duration_dist, "s", time_json,
                "promotion after detection" + (note.empty() ? "" : " (" + note + ")"))};
}

sim::FailoverConfig failover_from(const sim::Params& p, sim::FailoverConfig::Mode mode) {
  sim::FailoverConfig f;
  f.mode = mode;
  f.check_interval_s = p.number("check_interval");
  f.failures = static_cast<int>(p.number("check_failures"));
  f.time = p.dist("failover_time");
  return f;
}

std::vector<ParamSpec> concat(std::vector<ParamSpec> a, const std::vector<ParamSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string primary_region(const sim::Component& c, const sim::Scenario& s) {
  if (!c.placement.zones.empty()) {
    auto it = s.zone_region.find(c.placement.zones.front());
    return it == s.zone_region.end() ? std::string{} : it->second;
  }
  return c.placement.region;
}

namespace {
// The schedule keys of a periodic copy (absent from log shipping and one-off snapshots).
void schedule_from(const sim::Params& p, sim::CopyConfig& copy) {
  if (p.has("at")) copy.at_s = p.number("at");
  if (p.has("failure_probability")) copy.failure_probability = p.number("failure_probability");
  if (p.has("verify_every")) copy.verify_every_s = p.number("verify_every");
  if (p.has("verify_at")) copy.verify_at_s = p.number("verify_at");
}
}  // namespace

void add_periodic_copies(const sim::Params* p, sim::CopyConfig::Kind kind, const std::string& label,
                         const sim::Component& c, const sim::Scenario& s,
                         std::vector<sim::CopyConfig>& out) {
  if (p == nullptr) return;
  const double transfer = p->has("copy_size") ? p->number("copy_size")
                          : c.params.has("size") ? c.params.number("size")
                                                 : 0.0;
  // One-off snapshots have neither.
  const double interval = p->has("interval") ? p->number("interval") : 0.0;
  const double retention = p->has("retention") ? p->number("retention") : 0.0;
  std::vector<std::string> locations = p->list("locations");
  std::vector<std::string> creds = c.credentials;
  if (!p->text("credentials").empty()) creds = {p->text("credentials")};
  if (locations.empty()) {
    const std::string r = primary_region(c, s);
    sim::CopyConfig copy;
    copy.kind = kind;
    copy.name = label + "@" + (r.empty() ? c.placement.provider : r);
    copy.region = r;
    copy.provider = r.empty() ? c.placement.provider : std::string{};
    copy.interval_s = interval;
    copy.retention_s = retention;
    copy.credentials = creds;
    copy.transfer_bytes = kind == sim::CopyConfig::Kind::pitr ? 0.0 : transfer;
    copy.object_lock = p->has("object_lock") && p->boolean("object_lock");  // not in log_shipping
    schedule_from(*p, copy);
    out.push_back(copy);
    return;
  }
  for (const auto& region : locations) {
    sim::CopyConfig copy;
    copy.kind = kind;
    copy.name = label + "@" + region;
    copy.region = region;
    copy.interval_s = interval;
    copy.retention_s = retention;
    copy.credentials = creds;
    copy.transfer_bytes = kind == sim::CopyConfig::Kind::pitr ? 0.0 : transfer;
    copy.object_lock = p->has("object_lock") && p->boolean("object_lock");  // not in log_shipping
    schedule_from(*p, copy);
    out.push_back(copy);
  }
}

}  // namespace firedrill::models
