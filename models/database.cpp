// database: a primary with standbys (automatic or manual failover, synchronous or asynchronous
// replication), cross-region replicas, snapshots, point-in-time log shipping and restores
// whose duration follows data size and throughput.
#include "models/common.hpp"

namespace firedrill::models {
namespace {

using sim::CopyConfig;

class Database final : public DeclaredModel {
 public:
  Database()
      : DeclaredModel(
            "database",
            "primary + standbys (first zone is the primary), failover, snapshots, PITR logs",
            concat({sim::param("size", ParamType::size, "bytes", "\"100GB\"", "data size"),
             sim::choice_param("replication", {"sync", "async"}, "\"sync\"",
                               "replication to the standbys in the other placement zones"),
             sim::param("replication_lag", ParamType::duration_dist, "s", "\"1s\"",
                        "asynchronous replication lag to the standbys"),
             stale_param("replication_stale", "each standby (drawn for each)"),
             sim::object_param(
                 "replicas", true,
                 {sim::required_param("zone", ParamType::zone_ref, "zone", "where it runs"),
                  sim::choice_param("mode", {"sync", "async"}, "\"async\"", "replication mode"),
                  sim::param("lag", ParamType::duration_dist, "s", "\"1s\"",
                             "replication lag (async)"),
                  stale_param("stale", "this replica")},
                 "further replicas (e.g. cross-region read replicas): promoted only by a "
                 "runbook step",
                 "[]"),
             sim::choice_param("failover", {"automatic", "manual", "none"}, "\"automatic\"",
                               "how a standby takes over when the primary fails"),
             periodic_copy_param("snapshots", "snapshots", "24h", "7d"),
             one_off_snapshots_param(),
             sim::object_param(
                 "log_shipping", false,
                 {at_least(sim::param("interval", ParamType::duration, "s", "\"5m\"",
                                      "time between two log shipments (RDS: 5m)"),
                           0.001),
                  sim::param("retention", ParamType::duration, "s", "\"7d\"",
                             "point-in-time restore window"),
                  sim::param("locations", ParamType::region_list, "regions", "[]",
                             "regions the logs are shipped to (none: the primary's region)"),
                  sim::param("credentials", ParamType::text, "", "\"\"",
                             "credential that can delete them (\"\": the component's)")},
                 "point-in-time recovery: transaction logs shipped next to the snapshots "
                 "(absent: none)"),
             throughput_param("100MB/s")},
                   failover_params("10s", 3, "{\"uniform\": [\"40s\", \"90s\"]}",
                                   "with the default checks, 60-120s from the primary's failure "
                                   "to the standby serving: the RDS Multi-AZ instance figure, as "
                                   "preset rds-multi-az-instance"))) {}

  [[nodiscard]] bool holds_data() const override { return true; }

  void build(const sim::Component& c, const sim::Scenario& s, sim::Behaviour& out) const override {
    sim::DataConfig data;
    data.size_bytes = c.params.number("size");
    data.restore_throughput_Bps = c.params.number("restore_throughput");
    const bool sync = c.params.text("replication") == "sync";
    for (std::size_t i = 1; i < c.placement.zones.size(); ++i) {
      CopyConfig standby;
      standby.kind = CopyConfig::Kind::replica;
      standby.name = "standby@" + c.placement.zones[i];
      standby.zone = c.placement.zones[i];
      standby.sync = sync;
      standby.lag = sync ? sim::Distribution::fixed(0) : c.params.dist("replication_lag");
      standby.failover_target = true;
      standby.stale = stale_from(c.params.object("replication_stale"));
      standby.credentials = c.credentials;
      data.copies.push_back(standby);
    }
    if (!c.placement.region.empty()) {
      // A regional managed database keeps a synchronous standby in another zone.
      CopyConfig standby;
      standby.kind = CopyConfig::Kind::replica;
      standby.name = "standby@" + c.placement.region;
      standby.region = c.placement.region;
      standby.sync = true;
      standby.failover_target = true;
      standby.stale = stale_from(c.params.object("replication_stale"));
      standby.credentials = c.credentials;
      data.copies.push_back(standby);
    }
    for (const auto& r : c.params.objects("replicas")) {
      CopyConfig replica;
      replica.kind = CopyConfig::Kind::replica;
      replica.name = "replica@" + r.text("zone");
      replica.zone = r.text("zone");
      replica.sync = r.text("mode") == "sync";
      replica.lag = replica.sync ? sim::Distribution::fixed(0) : r.dist("lag");
      replica.stale = stale_from(r.object("stale"));
      replica.credentials = c.credentials;
      data.copies.push_back(replica);
    }
    add_periodic_copies(c.params.object("snapshots"), CopyConfig::Kind::snapshot, "snapshots", c,
                        s, data.copies);
    add_one_off_snapshots(c, s, data.copies);
    if (const auto* logs = c.params.object("log_shipping")) {
      std::vector<CopyConfig> pitr;
      add_periodic_copies(logs, CopyConfig::Kind::pitr, "logs", c, s, pitr);
      for (auto& p : pitr) {
        p.needs_base_snapshot = true;
        data.copies.push_back(p);
      }
    }
    out.data = data;
    const auto& mode = c.params.text("failover");
    out.failover = failover_from(c.params, mode == "automatic" ? sim::FailoverConfig::Mode::automatic
                                           : mode == "manual"  ? sim::FailoverConfig::Mode::manual
                                                               : sim::FailoverConfig::Mode::none);
  }

  void check(const sim::Component& c, const sim::Scenario&, const std::string& file,
             sim::Diagnostics& out) const override {
    check_periodic_copies(c.params.object("snapshots"), c.pointer + "/snapshots", file, out);
    const auto& zones = c.placement.zones;
    for (std::size_t i = 1; i < zones.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (zones[i] == zones[j]) {
          out.add({file, c.pointer + "/zones/" + std::to_string(i), 0, 0,
                   "a standby zone different from the other placement zones",
                   "\"" + zones[i] + "\" again", ""});
        }
      }
    }
    if (c.params.has("log_shipping") && c.params.object("log_shipping") != nullptr &&
        c.params.object("snapshots") == nullptr) {
      out.add({file, c.pointer + "/snapshots", 0, 0,
               "snapshots (point-in-time restore replays logs on top of a snapshot)",
               "nothing", ""});
    }
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_database() { return std::make_unique<Database>(); }

// The engine detects a failed primary (check_failures - 1) to check_failures check intervals
// after it fails (the first failed check falls anywhere in an interval), then promotes after
// failover_time: a failover preset splits the vendor's one end-to-end figure into those two.
namespace {
sim::Preset failover_preset(std::string name, std::string description, const std::string& interval,
                            int failures, const std::string& promotion_min,
                            const std::string& promotion_max) {
  return {std::move(name), std::move(description),
          R"({"replication": "sync", "failover": "automatic", "check_interval": ")" + interval +
              R"(", "check_failures": )" + std::to_string(failures) +
              R"(, "failover_time": {"uniform": [")" + promotion_min + R"(", ")" + promotion_max +
              R"("]}})"};
}
}  // namespace

std::vector<sim::Preset> database_presets() {
  return {
      failover_preset(
          "rds-multi-az-instance",
          "AWS RDS User Guide, 'Failing over a Multi-AZ DB instance': failover times are "
          "typically 60-120 s, from the primary DB instance becoming unavailable to the standby "
          "serving. Here 60-120 s end to end: detection 20-30 s (10 s x 3 checks) + promotion "
          "40-90 s (the guide gives no split)",
          "10s", 3, "40s", "90s"),
      failover_preset(
          "rds-multi-az-cluster",
          "AWS RDS User Guide, 'Failing over a Multi-AZ DB cluster': failover times are "
          "typically under 35 s, from the writer DB instance becoming unavailable to a reader DB "
          "instance taking writes. Here 15-35 s end to end: detection 5-10 s (5 s x 2 checks) + "
          "promotion 10-25 s (the guide gives no split)",
          "5s", 2, "10s", "25s"),
      failover_preset(
          "aurora",
          "Amazon Aurora User Guide, 'High availability for Amazon Aurora': with an Aurora "
          "Replica, service is typically restored in less than 60 s and often less than 30 s, "
          "from the failure event to reads and writes succeeding on the promoted replica. Here "
          "10-60 s end to end: detection 5-10 s (5 s x 2 checks) + promotion 5-50 s (the guide "
          "gives no split)",
          "5s", 2, "5s", "50s"),
      failover_preset(
          "cloud-sql-ha",
          "Google Cloud SQL docs, 'About high availability': the primary writes a heartbeat "
          "every second and failover starts once it has been unresponsive for approximately "
          "60 s; the standby then serves at once: about 60 s from the primary's failure to the "
          "standby serving. Here 60-65 s end to end: detection 59-60 s (1 s x 60 heartbeats) + "
          "promotion 1-5 s (assumed: the page gives none)",
          "1s", 60, "1s", "5s"),
      {"azure-sql",
       "Azure SQL Database, Microsoft Learn 'Overview of business continuity': geo-restore from "
       "geo-replicated backups RTO 12 h, RPO 1 h; backups: differential every 12 h, logs every "
       "5-10 min, kept 7 days by default (up to 35). The RPO covers the writes after the last "
       "log backup that reached the paired region: logs every 1 h as geo-restore sees them. "
       "The scenario names the paired region in the snapshots' and log_shipping's locations; "
       "the 12 h RTO is its restore runbook's (steps, then size at restore_throughput)",
       R"({"snapshots": {"interval": "12h", "retention": "7d"},
           "log_shipping": {"interval": "1h", "retention": "7d"}})"},
  };
}

}  // namespace firedrill::models
