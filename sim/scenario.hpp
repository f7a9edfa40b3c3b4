// The scenario model: what a scenario file describes once loaded and validated. Every name
// reference in here has been checked to exist; every quantity is in base units.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/params.hpp"

namespace firedrill::sim {

inline constexpr const char* kScenarioFormat = "firedrill.scenario/1";

struct Region {
  std::string name;
  std::string provider;
  std::vector<std::string> zones;
  std::string pointer;
};

struct Provider {
  std::string name;
  std::string kind;  // "cloud", "saas", "on-prem"
  std::vector<std::string> regions;  // names; a provider given without regions has one
                                     // implicit region and zone, both named after it
  std::string pointer;
};

struct Network {
  double zone_latency_s = 0.0002;        // inside one zone
  double zone_bandwidth_Bps = 1.25e9;    // per host NIC inside one zone
  double inter_zone_latency_s = 0.001;
  double inter_zone_bandwidth_Bps = 3.125e9;
  double inter_region_latency_s = 0.08;
  double inter_region_bandwidth_Bps = 6.25e8;
};

struct Credential {
  std::string name;
  std::string description;
};

// Where a component lives: exactly one of the three forms.
struct Placement {
  std::vector<std::string> zones;  // instances in these zones (kind decides the meaning)
  std::string region;              // a regional managed service: survives a zone outage
  std::string provider;            // a global service of a provider (CDN, SaaS, GitHub)
  [[nodiscard]] bool empty() const { return zones.empty() && region.empty() && provider.empty(); }
};

// An "either of" dependency, a `depends` entry {"any_of": [a, b, ..]}: satisfied while at
// least one of its components serves (workers that can use another region's queue).
struct AnyOf {
  std::vector<std::string> components;  // at least two, each once
  std::string pointer;                  // of the entry: "/components/3/depends/1"
};

struct Component {
  std::string name;
  std::string kind;
  std::string description;
  Placement placement;
  std::vector<std::string> depends;      // hard dependencies (components)
  std::vector<AnyOf> depends_any;        // hard "either of" dependencies
  std::vector<std::string> credentials;  // credentials whose compromise destroys it
  // Credentials it holds (its blast radius): a component_compromise of it compromises them.
  std::vector<std::string> uses_credentials;
  double monthly_cost = 0.0;
  Params params;
  std::string preset;   // the preset it names ("" for none): see ModelRegistry::presets
  std::string pointer;  // "/components/3"
};

struct Target {
  double rto_s = 0.0;
  double rpo_s = 0.0;
  bool inferred = false;  // not stated by the source document: a reader's inference
  std::string note;
};

struct QueuedDependency {
  std::string component;  // while it is down, work queues up and is replayed afterwards
  double drain_rate = 0;  // the consumer's processing rate; the backlog shrinks at this less writes
};

struct Service {
  std::string name;
  std::string description;
  std::vector<std::string> depends;          // components the service needs (hard)
  std::vector<AnyOf> depends_any;            // "either of" groups it needs (hard)
  std::vector<QueuedDependency> queued;      // components it waits for (queue and retry)
  double writes_per_s = 0.0;                 // acknowledged writes per second
  std::vector<std::string> data;             // data-holding components it writes to
  std::map<std::string, Target> targets;     // by disruption class, or "default"
  std::string pointer;
};

enum class ActionVerb { none, failover, restore, rebuild, switch_to, bypass, repair, wait_for };

struct Action {
  ActionVerb verb = ActionVerb::none;
  std::string component;        // what the action acts on
  std::vector<std::string> to;  // restore/rebuild: zones; switch: the new target component
  std::string from = "any";     // restore: "any", "replica", "snapshot", "pitr", "copy", "versions"
};

struct Step {
  std::string id;
  std::string title;
  bool manual = true;              // manual steps need a person of `team`
  std::string team;                // a team component; "" for automated steps
  Distribution duration;           // the step's own work (a restore adds its data transfer)
  // A restore (or a data store's rebuild): `duration` is the whole step and the data transfer
  // happens within it; the step lasts max(duration, transfer).
  bool duration_includes_transfer = false;
  std::vector<std::string> after;  // step ids
  std::vector<std::string> requires_up;  // components that must be up before it can start
  // Fallbacks (docs/scenario-format.md, Runbooks): `fallback_for` names the step this one
  // replaces when that step's precondition fails as it becomes ready; `fallback` is the id of
  // the step that replaces this one (filled by the loader, "" for none).
  std::string fallback_for;
  std::string fallback;
  Action action;
  std::string pointer;
};

struct Runbook {
  std::string name;
  std::string description;
  std::string trigger = "alert";  // "alert": starts when the disruption is detected;
                                  // "start": starts at the disruption start
  std::vector<Step> steps;        // a DAG (checked)
  std::string pointer;
};

enum class FaultKind {
  zone_outage,
  region_outage,
  provider_outage,
  component_crash,
  network_partition,
  network_degradation,
  data_corruption,
  operator_deletion,
  credential_compromise,
  third_party_outage,
  team_unavailable,
  office_unavailable,
  component_compromise,  // compromises the credentials the component uses
};

std::string_view fault_kind_name(FaultKind k);
std::optional<FaultKind> fault_kind_from_name(std::string_view name);
const std::vector<std::string>& fault_kind_names();

struct Fault {
  FaultKind kind = FaultKind::zone_outage;
  std::string target;  // zone, region, provider, component, credential or team by kind
  std::string peer;    // partition/degradation: the other side (zone or region)
  Distribution at;     // start, measured from the trial start (default 0)
  // The clock time the fault starts at (seconds after midnight): sets the trial's clock,
  // which places copy jobs that run at a time of day (at most one fault of a disaster).
  std::optional<double> time_of_day_s;
  std::optional<Distribution> duration;        // absent: lasts until recovered by people
  std::optional<Distribution> detected_after;  // data faults: until someone notices
  // Data faults: a logical change (a DELETE, a DROP, bad writes) replicates to the replicas;
  // a filesystem-level one (rm -rf of the data directory, a corrupted disk) stays on the
  // primary's server, and replicas keep what they had received.
  enum class Scope { logical, filesystem } scope = Scope::logical;
  double bandwidth_factor = 1.0;               // degradation: remaining fraction of bandwidth
  double extra_latency_s = 0.0;                // degradation: added latency
  std::string pointer;
};

struct Disaster {
  std::string name;
  std::string cls;  // disruption class: zone, region, provider, data, third_party, people, ...
  std::string description;
  std::string claim;  // what the source document promises for it, quoted
  std::vector<Fault> faults;
  std::vector<std::string> runbooks;
  std::string pointer;
};

struct Scenario {
  std::string file;    // as given on the command line
  std::string sha256;  // of the file's bytes; a variant's: of "<file's sha256>/<variant>"
  std::string name;    // a variant's: "<scenario>/<variant>"
  std::string variant;  // the variant's name; "" for a file's base scenario
  std::string title;
  std::string source;  // the DR plan document it was written from
  std::string text;    // the scenario file's bytes, embedded in results so that reports can
                       // re-read topology and parameters from the result alone
  std::string description;
  std::uint64_t seed = 1;
  double horizon_s = 30 * 86400.0;
  double monthly_cost = 0.0;  // total; 0 when not given
  Network network;
  std::vector<Provider> providers;
  std::vector<Region> regions;
  std::map<std::string, std::string> zone_region;  // zone name -> region name
  std::vector<Credential> credentials;
  std::vector<Component> components;
  std::vector<Service> services;
  std::vector<Runbook> runbooks;
  std::vector<Disaster> disasters;

  [[nodiscard]] const Component* component(std::string_view name) const;
  [[nodiscard]] const Region* region(std::string_view name) const;
  [[nodiscard]] const Runbook* runbook(std::string_view name) const;
  [[nodiscard]] const Disaster* disaster(std::string_view name) const;
  // The target of a service for a disruption class ("default" when the class has none).
  [[nodiscard]] const Target* target(const Service& s, std::string_view cls) const;
};

}  // namespace firedrill::sim
