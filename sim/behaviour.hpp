// What a component model configures for one trial. Models (models/) read their parameters and
// fill these plain structs; the engine (sim/engine.cpp, the only SimGrid user) turns them into
// hosts, actors, health checks, data copies and communications.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/scenario.hpp"

namespace firedrill::sim {

// Stateless instances: compute, load balancers, DNS, third parties, external dependencies.
struct InstanceConfig {
  int per_zone = 1;      // instances in each placement zone (regional/global placements: 1)
  int min_healthy = 1;   // alive instances in rotation needed to carry the load
  // Autoscaling/replacement: a lost instance is replaced in a surviving placement zone after
  // this long (absent: lost instances stay lost until the fault ends or a runbook acts).
  std::optional<Distribution> replacement;
  // Caches: an instance that comes back (restart, replacement, its zone back, a rebuild) is
  // empty and joins the rotation only after this long (absent: at once).
  std::optional<Distribution> warm_up;
  double nic_bandwidth_Bps = 0;  // 0: the scenario's zone bandwidth
};

// Health checks a component (a load balancer) runs against the instances of its targets:
// an instance that stops answering is taken out of rotation after `fall` failed checks, and
// put back after `rise` good ones. Checks tick every `interval_s` with a random phase.
struct HealthCheckConfig {
  double interval_s = 2;
  int rise = 2;
  int fall = 3;
};

// Routing components send traffic to targets: all of them (a load balancer in front of
// several backends: serving while at least one target serves) or one active target at a time
// (DNS records, a CDN origin): serving while the active target serves. A switch to another
// target (automatic when health-checked, else by a runbook step) takes `propagation_s`
// (the DNS TTL) to reach clients.
struct RoutingConfig {
  enum class Mode { any, active } mode = Mode::any;
  std::vector<std::string> targets;
  double propagation_s = 0;
  bool auto_switch = false;
  double check_interval_s = 30;
  int failures = 3;
};

// Automatic or manual promotion of a standby when the primary fails (databases).
struct FailoverConfig {
  enum class Mode { automatic, manual, none } mode = Mode::automatic;
  double check_interval_s = 10;  // how often the primary is checked
  int failures = 3;              // failed checks before failing over
  Distribution time = Distribution::fixed(60);  // promotion work after detection
};

// A replica whose replication may have silently stopped before the disaster (broken and
// unnoticed): in a trial where it did, it holds nothing written after that instant.
struct StaleConfig {
  double probability = 1;  // chance, drawn per trial, that it had stopped
  Distribution since;      // how long before T0 (the first fault's start) it stopped
};

// One place a data store's contents are durable, advanced by replication, log shipping,
// snapshots or copy jobs. Its frontier is the write time up to which it is complete.
struct CopyConfig {
  enum class Kind { replica, snapshot, pitr, copy, versions } kind = Kind::replica;
  std::string name;          // for events and reports: "standby@apse2-b", "snapshots@us-east-1"
  std::string zone;          // where it lives: one of zone, region (regional storage),
  std::string region;        //   provider (a provider-wide service); empty zone/region/
  std::string provider;      //   provider: with the primary
  bool sync = false;         // replica: synchronous (lag 0)
  Distribution lag;          // replica: replication lag
  bool failover_target = false;  // replica: promoted by automatic failover
  std::optional<StaleConfig> stale;  // replica: replication may have stopped before T0
  double interval_s = 0;     // snapshot/pitr/copy: period of the job
  double retention_s = 0;    // snapshot/pitr/copy: how far back restorable points are kept
  std::vector<std::string> credentials;  // whose compromise destroys this copy
  bool object_lock = false;  // immutable within retention: no credential can destroy it
  bool needs_base_snapshot = false;       // pitr: a snapshot in retention is needed too
  // snapshot/copy: bytes each run sends from the primary to the copy's location, as a
  // communication; a run counts only once its data has arrived. 0: not simulated (complete
  // at once).
  double transfer_bytes = 0;
  // snapshot/copy: runs at this time of day (seconds after midnight) on the trial's clock,
  // every interval (a divisor of 24h or a whole number of days; of several days, which day
  // is drawn); absent: the phase is drawn uniformly over the interval.
  std::optional<double> at_s;
  // snapshot: a one-off snapshot taken this long before the first fault (no job, no
  // interval, no retention: one restorable point).
  std::optional<double> before_fault_s;
  // snapshot/copy: the probability that the job is silently broken at the fault (runs that
  // complete but hold nothing usable). A broken job worked until the last restore test
  // (every verify_every_s, at verify_at_s on the clock or a drawn phase) strictly before the
  // first fault: its runs up to that test are usable, the later ones are not; without
  // restore tests none is.
  double failure_probability = 0;
  double verify_every_s = 0;
  std::optional<double> verify_at_s;
};

struct DataConfig {
  double size_bytes = 0;
  double restore_throughput_Bps = 1e8;  // bounds a restore's data transfer (disk, engine)
  bool derived = false;   // rebuilt from a source: nothing written to it can be lost
  bool durable = true;    // false: what the primary holds is lost with it
  double volatile_window_s = 0;  // not durable: how far back a restart loses writes
  std::vector<CopyConfig> copies;
  // search indexes: rebuild from a source component at this rate when no snapshot serves
  std::string rebuild_source;
  double rebuild_Bps = 0;
};

struct MonitorConfig {
  double interval_s = 60;
  int failures = 1;
  Distribution alert_delay = Distribution::fixed(60);
  std::vector<std::string> watches;  // empty: every component
  std::string team;                  // who is paged
  Distribution fallback_detection = Distribution::fixed(1800);  // when monitoring is down too
};

struct TeamConfig {
  int people = 2;
  Distribution response = Distribution::fixed(600);
  bool remote_capable = true;
  Distribution remote_setup = Distribution::fixed(900);  // office unavailable, working remotely
};

// Everything one component contributes to a trial.
struct Behaviour {
  InstanceConfig instances;
  std::optional<HealthCheckConfig> health_check;  // run against routing targets' instances
  std::optional<RoutingConfig> routing;
  std::optional<FailoverConfig> failover;
  std::optional<DataConfig> data;
  std::optional<MonitorConfig> monitor;
  std::optional<TeamConfig> team;
  bool has_instances = true;  // teams have none
};

}  // namespace firedrill::sim
