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
             sim::object_param(
                 "replicas", true,
                 {sim::required_param("zone", ParamType::zone_ref, "zone", "where it runs"),
                  sim::choice_param("mode", {"sync", "async"}, "\"async\"", "replication mode"),
                  sim::param("lag", ParamType::duration_dist, "s", "\"1s\"",
                             "replication lag (async)")},
                 "further replicas (e.g. cross-region read replicas): promoted only by a "
                 "runbook step",
                 "[]"),
             sim::choice_param("failover", {"automatic", "manual", "none"}, "\"automatic\"",
                               "how a standby takes over when the primary fails"),
             periodic_copy_param("snapshots", "snapshots", "24h", "7d"),
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
                   failover_params("10s", 3, "{\"uniform\": [\"60s\", \"120s\"]}",
                                   "RDS Multi-AZ: typically 60-120s"))) {}

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
      replica.credentials = c.credentials;
      data.copies.push_back(replica);
    }
    add_periodic_copies(c.params.object("snapshots"), CopyConfig::Kind::snapshot, "snapshots", c,
                        s, data.copies);
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

}  // namespace firedrill::models
