// The trial engine: turns a scenario's behaviours into SimGrid actors, injects a disaster's
// faults, runs the automatic mechanisms (health checks, autoscaling, failover, DNS switches),
// monitoring, people and runbooks, and measures RTO/RPO per service.
//
// Data is modelled by durable frontiers (DESIGN.md): a copy is complete up to a write time,
// computed from its job schedule (snapshots, log shipping, copy jobs), its replication lag and
// the time the primary stopped acknowledging writes; recovery from a copy loses the writes
// acknowledged after its frontier. Restores move the data as SimGrid communications, so their
// duration follows data size and bandwidth.
#include "sim/engine.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "sim/behaviour.hpp"
#include "sim/platform.hpp"
#include "sim/rng.hpp"
#include "sim/units.hpp"

namespace sg4 = simgrid::s4u;

namespace firedrill::sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Actor stacks. SimGrid gives every actor an 8 MiB stack with a guard page by default; a
// trial spawns tens of actors (an evaluation for every instant with a change, a step for every
// runbook step, ...), and a batch runs 64 trials at once, so allocating, protecting and
// touching stacks was most of a sweep's system time. Our actors are shallow: measured with
// guard pages on (FIREDRILL_STACK_CHECK below) over every scenario in scenarios/, the actors
// other than evaluations need more than 5 KiB and at most 6 KiB; an evaluation adds one
// Trial::eval frame per component of the deepest dependency chain, measured between 65 and
// 131 bytes (a 4,000-component chain needs more than 256 KiB and at most 512 KiB). Stacks have no guard pages (each guard is an
// mprotect and a mapping of its own: twice the CPU time of a sweep): they come from malloc
// and the margins below stand in for the guard.
struct ActorStacks {
  unsigned actor_kib = 16;      // every actor but the evaluations
  unsigned evaluation_kib = 16;  // actor_kib + 384 bytes per level of the deepest chain
  bool guard = false;
};
ActorStacks g_stacks;

class Trial;
// The trial each host belongs to, for Host::on_state_change (the trials of a batch share an
// engine and its signals).
std::unordered_map<const sg4::Host*, Trial*> g_host_trial;
// Called by each trial's controller when the trial has ended (see run_prepared_batch).
std::function<void()> g_trial_ended;

// FIREDRILL_STACK_CHECK=1 halves every stack and turns SimGrid's guard pages on: a stack that
// overflows crashes the trial (SIGSEGV) instead of overwriting the heap. The test suite runs
// every bundled scenario so (ctest stack_margins), which shows that the margin is at least
// twice what they use. Any other value leaves the normal stacks.
ActorStacks actor_stacks(std::size_t evaluation_depth) {
  ActorStacks st;
  const std::size_t per_level = 384;
  st.evaluation_kib = static_cast<unsigned>(
      std::min<std::size_t>(st.actor_kib + (evaluation_depth * per_level + 1023) / 1024,
                            256 * 1024));
  const char* check = std::getenv("FIREDRILL_STACK_CHECK");
  if (check != nullptr && std::string_view(check) == "1") {
    st.guard = true;
    st.actor_kib /= 2;
    st.evaluation_kib /= 2;
  }
  return st;
}

struct Instance {
  sg4::Host* host = nullptr;
  std::string zone;  // zone name; "" for regional/global placements
  bool in_rotation = true;
  bool retired = false;    // replaced, moved away by a rebuild, or demoted
  bool destroyed = false;  // by a credential compromise
  bool was_alive = true;
  // Caches: came back empty and warms up until warm_until, out of rotation meanwhile.
  bool warming = false;
  double warm_until = 0;
  [[nodiscard]] bool alive() const { return !retired && !destroyed && host->is_on(); }
};

struct CopyRt {
  CopyConfig cfg;
  sg4::Host* host = nullptr;
  double phase = 0;   // periodic jobs run at phase + k * interval (k may be negative)
  double lag = 0;     // replicas: replication lag in this trial
  bool destroyed = false;
  double cut_at = kInf;  // replicas: when replication stopped reaching it
  // replicas: replication had silently stopped this long before T0, for the whole trial
  std::optional<double> stale_for;
  std::vector<double> completed;  // snapshot/copy runs whose data arrived (simulated ones)
  double usable_until = kInf;  // a silently broken job: its runs after this hold nothing
  bool was_alive = true;
  [[nodiscard]] bool alive() const { return !destroyed && host->is_on(); }
};

struct DataRt {
  DataConfig cfg;
  std::vector<CopyRt> copies;
  double corrupt_at = kInf;  // corruption or deletion reached the primary
  bool deletion = false;
  bool damage_local = false;  // the damage stayed on the primary's files (scope filesystem)
  // The damage shows: the store stops serving (and the services writing to it are down) until
  // restored or repaired. A deletion shows at once; corrupt data is still served, wrongly,
  // until someone notices it (the fault's detected_after).
  bool damage_seen = false;
  double stop_at = kInf;  // the current lineage stopped acknowledging writes
  std::vector<std::pair<double, double>> lost;  // (from, to]: acknowledged, then lost
  bool restoring = false;
  std::vector<std::string> recovered_from;
};

struct TeamRt {
  TeamConfig cfg;
  sg4::SemaphorePtr people;
  bool paged = false;
  double responded_at = kInf;
  std::vector<std::size_t> paged_for;  // components the pages not yet answered were about
  double unavailable_until = -kInf;
  bool office_down = false;
};

struct Comp {
  const Component* spec = nullptr;
  Behaviour b;
  std::vector<Instance> inst;
  std::map<std::string, std::vector<sg4::Host*>> spares;  // zone -> unused hosts
  std::vector<std::size_t> checked_by;                     // load balancers checking it
  std::vector<std::size_t> deps, targets;                  // hard dependencies, routing targets
  std::vector<std::vector<std::size_t>> any_deps;          // "either of" groups (depends_any)
  std::vector<std::size_t> any_flat;                       // their members, group after group
  double check_phase = 0;
  std::size_t active = 0;                // routing (active mode): current target
  double propagated_at = -kInf;          // routing: clients follow a switch from then on
  bool bypassed = false;
  int crash_holds = 0;                   // component_crash faults in force
  std::unique_ptr<DataRt> data;
  std::unique_ptr<TeamRt> team;
  bool serving = true;
  bool target_was_serving = true;        // routing (active mode)
};

struct QueuedRt {
  std::size_t comp = 0;
  double drain_rate = 0;
  bool was_serving = true;
  double down_since = 0;
};

struct Svc {
  const Service* spec = nullptr;
  std::vector<std::size_t> deps;
  std::vector<std::vector<std::size_t>> any_deps;  // "either of" groups (depends_any)
  std::vector<QueuedRt> queued;
  std::vector<std::size_t> data;  // its data stores: down while one's data is gone
  double drained_at = -kInf;
  bool up = true, comps_up = true, raw_up = true;
  bool affected = false;
  double last_up = 0, last_comps_up = 0, last_raw_up = 0;
  bool raw_up_by_outside = false;  // its last return came when a provider or third party did
  // Its path: every component it needs, directly or through dependencies, routing targets,
  // queues and data stores, ascending. Its phases count only detections and responses about
  // these (another service's detection is not its own).
  std::vector<std::size_t> path;
};

// Outages whose end is a provider or third party coming back, not something the team did.
bool outside_kind(FaultKind k) {
  return k == FaultKind::zone_outage || k == FaultKind::region_outage ||
         k == FaultKind::provider_outage || k == FaultKind::third_party_outage ||
         k == FaultKind::network_partition;
}

// Periodic checks and jobs run at the instants phase + k * interval, k an integer, each
// computed by that one expression: the functions below compare t with those very values, so
// whether an instant counts is decided exactly, never by a tolerance.
double tick(double phase, double k, double interval) { return phase + k * interval; }

// The index k of the first tick at or after t.
double next_tick_index(double t, double phase, double interval) {
  double k = std::ceil((t - phase) / interval);
  while (tick(phase, k - 1, interval) >= t) k -= 1;
  while (tick(phase, k, interval) < t) k += 1;
  return k;
}

// The first tick at or after t.
double next_tick(double t, double phase, double interval) {
  return tick(phase, next_tick_index(t, phase, interval), interval);
}

// The latest tick at or before t (strictly before t with `strict`).
double last_run(double t, double phase, double interval, bool strict = false) {
  auto counts = [&](double x) { return strict ? x < t : x <= t; };
  double k = std::floor((t - phase) / interval);
  while (!counts(tick(phase, k, interval))) k -= 1;
  while (counts(tick(phase, k + 1, interval))) k += 1;
  return tick(phase, k, interval);
}

// Whether a restore `from` ("any", "replica", "snapshot", ...) may use a copy of this kind.
bool restorable_from(const std::string& from, CopyConfig::Kind k) {
  using K = CopyConfig::Kind;
  if (from == "any") return true;
  if (from == "replica") return k == K::replica;
  if (from == "snapshot") return k == K::snapshot;
  if (from == "pitr") return k == K::pitr;
  if (from == "copy") return k == K::copy;
  if (from == "versions") return k == K::versions;
  return false;
}

constexpr double kDay = 86400;

// x modulo m in [0, m).
double positive_mod(double x, double m) {
  const double r = std::fmod(x, m);
  return r < 0 ? r + m : r;
}

double count_writes(double rate, double from, double to) {
  if (rate <= 0 || to <= from) return 0;
  return std::floor(to * rate) - std::floor(from * rate);
}

class Trial {
 public:
  // Builds all that does not depend on the trial's index: the components' behaviour, the
  // platform (inside `parent`, its SimGrid names prefixed by `prefix`: trials of one batch
  // share an engine as disjoint copies of the topology, no shared host or link) and the
  // runtime state. bind() then makes it one trial. A sweep's batch is built once in a zygote
  // process and every batch forked from there (see runner.hpp).
  Trial(const Scenario& s, const ModelRegistry& reg, const Disaster& d, sg4::NetZone* parent,
        const std::string& prefix)
      : s_(s), d_(d), rng_(s.seed, 0), prefix_size_(prefix.size()) {
    comps_.resize(s.components.size());
    for (std::size_t i = 0; i < s.components.size(); ++i) {
      const Component& c = s.components[i];
      comps_[i].spec = &c;
      comp_index_[c.name] = i;
      const ComponentModel* model = reg.find(c.kind);
      if (model == nullptr) throw std::logic_error("no model for kind " + c.kind);
      model->build(c, s, comps_[i].b);
    }
    for (auto& c : comps_) {
      for (const auto& d : c.spec->depends) c.deps.push_back(comp_index_.at(d));
      c.any_deps = indices(c.spec->depends_any);
      for (const auto& group : c.any_deps) c.any_flat.insert(c.any_flat.end(), group.begin(), group.end());
      if (c.b.routing) {
        for (const auto& t : c.b.routing->targets) c.targets.push_back(comp_index_.at(t));
      }
    }
    plan_and_build_platform(parent, prefix);
    init_runtime();
  }

  // Makes this trial number `index`: its random generator, seeded by (scenario seed, index),
  // and the random inputs drawn before it starts (in the order they always were).
  void bind(std::uint64_t index) {
    index_ = index;
    rng_ = Rng(s_.seed, index);
    draw_phases();
  }

  // The deepest chain of components an evaluation walks down (dependencies and routing
  // targets): Trial::eval recurses once per component of it. The same for every trial of a
  // scenario.
  [[nodiscard]] std::size_t evaluation_depth() const;

  // Spawns the trial's actors; the engine's run() then plays it. When the trial ends, it
  // measures its result and kills its own actors, leaving the other trials of the batch alone.
  void start();
  // The result, once the trial has ended.
  [[nodiscard]] const std::optional<TrialResult>& result() const { return result_; }

 private:
  // ---- set-up -------------------------------------------------------------------------------
  Location location_of_zone(const std::string& zone) const {
    return {Location::Kind::zone, zone};
  }
  Location placement_location(const Component& c) const {
    if (!c.placement.region.empty()) return {Location::Kind::regional, c.placement.region};
    return provider_location(c.placement.provider);
  }
  Location provider_location(const std::string& provider) const {
    for (const auto& p : s_.providers) {
      if (p.name == provider && p.kind == "saas" && p.regions.size() == 1) {
        const Region* r = s_.region(p.regions.front());
        if (r != nullptr && r->zones.size() == 1) return {Location::Kind::zone, r->zones.front()};
      }
    }
    return {Location::Kind::global, provider};
  }
  Location copy_location(const Comp& c, const CopyConfig& cfg) const {
    if (!cfg.zone.empty()) return location_of_zone(cfg.zone);
    if (!cfg.region.empty()) return {Location::Kind::regional, cfg.region};
    if (!cfg.provider.empty()) return provider_location(cfg.provider);
    // With the primary (versions).
    const auto& pl = c.spec->placement;
    if (!pl.zones.empty()) return location_of_zone(pl.zones.front());
    return placement_location(*c.spec);
  }

  void plan_and_build_platform(sg4::NetZone* parent, const std::string& prefix);
  std::vector<std::vector<std::size_t>> indices(const std::vector<AnyOf>& groups) const {
    std::vector<std::vector<std::size_t>> out;
    for (const auto& g : groups) {
      auto& members = out.emplace_back();
      for (const auto& name : g.components) members.push_back(comp_index_.at(name));
    }
    return out;
  }
  void init_runtime();
  void draw_phases();  // see bind()
  void draw_stale(CopyRt& copy);
  // The trial's clock and what it places (see start()): the time of day at t=0, the phases of
  // jobs that run at a time of day, and which jobs are silently broken.
  void set_clock(const std::vector<double>& starts);
  double clock_phase(double time_of_day, double interval);
  void draw_broken(const std::string& comp, CopyRt& copy);

  // ---- state --------------------------------------------------------------------------------
  // The trial's own clock (see at()): decisions compare the instants that timers were set
  // for, not SimGrid's clock, which reaches an instant by a sum of steps that rounds
  // differently with the other events of the engine (other trials of a batch among them).
  double now() const { return clock_; }
  // A host's name as the scenario knows it (without the trial's prefix).
  std::string host_name(const sg4::Host* h) const { return h->get_name().substr(prefix_size_); }
  void event(const std::string& ev, const std::string& subject, const std::string& detail = "") {
    timeline_.push_back({now(), d_.name, ev, subject, detail});
  }
  // Whether component c serves, memoised in `memo` (-1: not evaluated yet); `computed`, if
  // given, gets every component whose entry this call filled.
  bool eval(std::size_t c, bool with_propagation, std::vector<signed char>& memo,
            bool see_data_damage = true, std::vector<std::size_t>* computed = nullptr) const;
  // What monitoring checks see: instances and routing, not silently damaged data. Like
  // serving(), as of the last evaluation (at most the current instant's earlier changes
  // pending).
  bool visibly_serving(std::size_t c) const { return visible_[c] != 0; }
  // While a partition is in force: can some live instance of `from` reach a live instance of
  // `to` (its primary for a data store) over links that are up?
  bool connected(std::size_t from, std::size_t to) const;
  bool serving(std::size_t c) const { return serving_[c] != 0; }
  // Whether the data one of the service's data stores holds is gone: deleted, corrupted and
  // noticed, destroyed with its primary, or being restored. Whether their hosts are up counts
  // only through the service's dependencies.
  bool data_gone(const Svc& svc) const {
    for (const std::size_t ci : svc.data) {
      const Comp& c = comps_[ci];
      if (c.data->damage_seen || c.data->restoring || c.inst[0].destroyed) return true;
    }
    return false;
  }
  // The parts of evaluate(): instance and copy transitions of a component, the transitions
  // of serving, and a service's state. Each reacts only to what changed since the last call.
  void check_liveness(std::size_t ci);
  void component_transitions(std::size_t ci);
  void update_service(std::size_t si);
  // Calls f on every member of `pass` in ascending order, members added meanwhile included
  // when above the current one; empties `pass`.
  void run_pass(std::set<std::size_t>& pass, void (Trial::*f)(std::size_t));
  // A change made by another actor while evaluate() waits on a simcall (see evaluate()).
  void touched_during_evaluation(std::size_t ci);
  // The components evaluate() must look at: the changed ones and, through the reverse
  // dependency graph, every one whose eval() reads them; ascending.
  std::vector<std::size_t> affected_components(const std::vector<std::size_t>& changed);
  // FIREDRILL_EVAL_CHECK=1: compares the incremental evaluation's state with a full one.
  void check_evaluation();
  [[noreturn]] void eval_mismatch(const std::string& what, const std::string& subject,
                                  bool incremental, bool full) const;
  // Something changed: one evaluation runs after every change of the current instant.
  void changed();
  // An actor that runs evaluations, the first one at once with `evaluate_first` (changed()).
  void start_evaluator(bool evaluate_first);
  // Reacts to transitions since the last evaluation and wakes waiting actors.
  void evaluate();
  // Runs `f` at simulated time `t` in the timer actor, in time order (ties: first
  // registered first). `f` must not block; it may register timers and spawn actors.
  //
  // The trial's clock is set from the calendar: a timer runs with now() equal to the instant
  // it was set for, exactly, whatever SimGrid's clock reads then (within rounding of it).
  // Only the end of a data transfer, timed by SimGrid's network model, comes from SimGrid's
  // clock (see transfer()).
  void at(double t, std::function<void()> f);
  // Moves `bytes` from one host to another as a SimGrid communication; on success the trial's
  // clock moves on by the time the communication took. Throws SimGrid's exception when a
  // host or link on the way fails (the clock then stays at the fault's instant).
  void transfer(sg4::Host* from, sg4::Host* to, double bytes);
  // Sleeps of the trial's actors go through the timer calendar, not SimGrid's sleep: the
  // calendar wakes them in its own (time, registration) order, so the order of a trial's
  // actors at one instant, and with it the order of their random draws, cannot depend on the
  // other trials sharing the engine.
  void pause_until(double t) {
    auto woken = sg4::Semaphore::create(0);
    at(t, [woken] { woken->release(); });
    woken->acquire();
  }
  void pause_for(double d) { pause_until(now() + d); }
  // Turning a host off or on is a simcall: the host changes state while the calling actor
  // waits, and an evaluation may run then. Host::on_state_change (see host_state_changed())
  // tells the trial the instant it happens.
  void hold(sg4::Host* h) {
    if (holds_[h]++ == 0) h->turn_off();
  }
  void release(sg4::Host* h) {
    auto it = holds_.find(h);
    if (it == holds_.end() || it->second == 0) return;
    if (--it->second == 0) h->turn_on();
  }
  // Incremental evaluation: what eval() and the liveness checks of evaluate() read of a
  // component (its instances and their hosts, its copies, data damage, restoring, bypassed,
  // active target, propagation) changed since the last evaluation. Every such change must be
  // marked, or the next evaluation keeps the component's old state (FIREDRILL_EVAL_CHECK=1
  // finds a missing mark). Marking too much only costs time.
  void touch(std::size_t ci) {
    if (phase_ != Phase::idle) touched_during_evaluation(ci);
    if (touched_[ci] != 0) return;
    touched_[ci] = 1;
    dirty_.push_back(ci);
  }

 public:
  // A host of this trial was turned off or on (called by SimGrid's maestro, see
  // prepare_batch): the components with an instance, spare or copy on it.
  void host_state_changed(const sg4::Host* h) {
    auto it = host_owners_.find(h);
    if (it == host_owners_.end()) return;
    for (const std::size_t ci : it->second) touch(ci);
  }

 private:
  // A finished trial spawns nothing more (its controller is suspending every actor it
  // spawned). No reference to the actor is kept, so its stack is freed as soon as it ends
  // (kept, they were a third of a batch's memory); at the end, the controller finds the
  // trial's actors on the control host.
  void spawn(const std::string& name, std::function<void()> fn) {
    if (finished_) return;
    sg4::Actor::create(name, platform_->control(), std::move(fn));
  }
  // The same, for an actor that evaluates (stack: ActorStacks::evaluation_kib).
  void spawn_evaluation(const std::string& name, std::function<void()> fn);
  // Waits until `pred` holds, checked after every evaluation.
  //
  // Every wait on cond_ unlocks mutex_ explicitly, not in unique_lock's destructor: unlocking
  // is a simcall, an actor suspended in one may be killed (a trial's controller ends its
  // actors), and SimGrid then throws its kill exception out of the simcall: out of a destructor
  // (noexcept) that ended the process (a runbook step in multi-az table-dropped, once the order
  // of actors changed). Unwinding from a kill may still unlock in a destructor: SimGrid ignores
  // a dying actor's simcalls and never resumes it, which is harmless.
  void wait_until(const std::function<bool()>& pred) {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    while (!pred()) cond_->wait(lock);
    lock.unlock();
  }
  // Waits for the next evaluation (see wait_until).
  void wait_for_change() {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    cond_->wait(lock);
    lock.unlock();
  }
  // Detection and response of the disruption of component ci (per component, the first).
  void note_detection(std::size_t ci) { detected_at_[ci] = std::min(detected_at_[ci], now()); }
  void note_response(std::size_t ci) { responded_at_[ci] = std::min(responded_at_[ci], now()); }

  // ---- mechanisms ---------------------------------------------------------------------------
  void on_instance_lost(std::size_t c, std::size_t i);
  void on_instance_back(std::size_t c, std::size_t i);
  void on_stopped_serving(std::size_t c);
  // A new or returning instance joins its balancers' rotation after `rise` good checks
  // (at once when no balancer checks it).
  void enter_rotation(std::size_t c, std::size_t i);
  // A cache's instance (warm_up): out of rotation while it warms up, then enter_rotation's
  // health checks.
  void warm_up(std::size_t c, std::size_t i);
  void join_rotation(std::size_t c, std::size_t i);
  bool try_replace(std::size_t c, std::size_t i);
  // Waiting until an evaluation finds a condition holds (see release_ready): an actor asleep
  // on `wake`, or, without `wake`, nothing yet: release_ready() then starts `replace` (a lost
  // instance waiting for a spare needs no actor of its own until one is on).
  struct Waiter {
    std::size_t comp, instance;
    sg4::SemaphorePtr wake;
  };
  void wait_in(std::vector<Waiter>& waiters, std::size_t comp, std::size_t instance);
  void release_ready(std::vector<Waiter>& waiters, bool (Trial::*ready)(const Waiter&) const);
  bool replacement_possible(const Waiter& w) const;
  void replace_when_possible(std::size_t ci, std::size_t i);
  bool primary_alive(const Waiter& w) const;
  void alert(const std::string& subject, const std::string& why);
  // Pages team ti about the components in `about` (their response counts for the services
  // whose path holds one of them).
  void page(std::size_t ti, const std::vector<std::size_t>& about);
  void start_runbooks(const std::string& trigger);
  void run_step(const Runbook& rb, const Step& step);
  // Fallbacks: a fallback waits until its primary is resolved and runs if it was skipped; a
  // step with a fallback is skipped when its precondition fails as it becomes ready, and
  // counts as done when its fallback is. Returns false when the step does not run itself.
  bool resolve_fallback(const std::string& rb, const Step& step, const std::string& key);
  // Why the step could not run now ("" if it could): a required component not up, no usable
  // copy for its restore, no live replica for its failover.
  std::string unmet_precondition(const Step& step) const;
  // Compromise of a credential: what it can destroy (components, copies without object lock).
  void compromise(const std::string& credential);
  // A restore it performs completes no earlier than `done_not_before` (a step whose duration
  // includes the transfer).
  void perform(const Step& step, double done_not_before = -kInf);
  void promote(std::size_t c, std::size_t copy_index, const std::string& how);
  void restore(std::size_t c, const Action& a, double done_not_before = -kInf);
  void rebuild(std::size_t c, const std::vector<std::string>& zones);
  void switch_target(std::size_t c, std::size_t target, const std::string& how);
  void inject(const Fault& f, bool start);
  void start_copy_jobs();
  std::vector<sg4::Host*> fault_hosts(const Fault& f) const;
  sg4::Link* partition_link(const Fault& f) const;

  // Data frontiers: the write time up to which a copy could be restored now; -inf if unusable.
  double frontier(const Comp& c, const CopyRt& copy) const;
  // " (its replication had stopped ... before T0)" for a stale replica; "" otherwise.
  std::string stale_note(const CopyRt& copy) const;
  bool primary_healthy(const Comp& c) const {
    const DataRt& d = *c.data;
    return c.inst[0].alive() && d.corrupt_at == kInf && d.stop_at == kInf;
  }
  double lineage_stop(const Comp& c) const {
    const DataRt& d = *c.data;
    if (d.deletion) return std::min(d.stop_at, d.corrupt_at);
    return std::min(d.stop_at, now());
  }

  // `seen`: one flag per component, all 0 on entry and on return (one scratch for all services,
  // so that a trial's set-up does not clear a vector of every component per service).
  std::vector<std::size_t> service_path(const Svc& svc, std::vector<char>& seen) const;
  // The first of `at` (per component) over a service's path; kInf if none.
  static double first_on(const std::vector<double>& at, const std::vector<std::size_t>& path);
  TrialResult measure();

  const Scenario& s_;
  const Disaster& d_;
  Rng rng_;
  std::uint64_t index_ = 0;
  std::size_t prefix_size_;  // of the trial's SimGrid names
  std::unique_ptr<Platform> platform_;
  std::optional<TrialResult> result_;
  std::vector<Comp> comps_;
  std::map<std::string, std::size_t, std::less<>> comp_index_;
  std::vector<Svc> svcs_;
  std::map<sg4::Host*, int> holds_;
  std::map<std::pair<std::size_t, std::string>, std::vector<sg4::Host*>> action_hosts_;
  sg4::MutexPtr mutex_;
  sg4::ConditionVariablePtr cond_;
  std::vector<TimelineEvent> timeline_;
  std::set<std::string> done_steps_;
  std::map<std::string, bool> resolved_steps_;  // steps with a fallback, once ready: runs or not
  bool runbooks_started_ = false;
  bool alerted_ = false;
  double clock_ = 0;  // now()
  double t0_ = 0;
  double time_of_day0_ = 0;  // the clock's time of day at t=0 (see set_clock())
  std::vector<double> detected_at_, responded_at_;  // per component, see note_detection
  double outside_end_ = -kInf;  // the last instant an outage of a provider or third party ended
  int faults_pending_ = 0;
  int notices_pending_ = 0;  // corruptions not noticed yet: still served, the trial goes on
  bool finished_ = false;
  bool horizon_reached_ = false;
  bool in_changed_ = false;
  bool settle_pending_ = false;
  struct Evaluator {
    sg4::Actor* actor = nullptr;  // set when it starts; evaluators never end
  };
  std::vector<std::unique_ptr<Evaluator>> evaluators_;  // see changed()
  aid_t evaluating_actor_ = -1;  // the actor running the current evaluation (in_changed_)
  // Per component, as of the last evaluation; also the memos of eval() (with propagation,
  // with and without data damage): entries of components no change reached stay valid.
  std::vector<signed char> serving_, visible_;
  // The memo of eval() without propagation delays during one evaluation (all -1 between
  // evaluations), and the entries it filled.
  std::vector<signed char> raw_;
  std::vector<std::size_t> raw_computed_;
  // ---- incremental evaluation (see touch()) ----
  std::vector<std::vector<std::size_t>> dependents_;  // components whose eval() reads this one
  std::vector<std::vector<std::size_t>> comp_svcs_;   // services depending on (or queued on) it
  std::unordered_map<const sg4::Host*, std::vector<std::size_t>> host_owners_;
  std::vector<std::size_t> dirty_;  // touched since the last evaluation, in touching order
  std::vector<char> touched_;       // per component: in dirty_
  std::vector<char> mark_;          // scratch flags of affected_components()
  // The part of evaluate() running, and what its ordered passes have left to look at.
  enum class Phase { idle, liveness, transitions, services };
  Phase phase_ = Phase::idle;
  std::set<std::size_t> pass_;      // components (liveness, transitions)
  std::set<std::size_t> svc_pass_;  // services
  // The next evaluation looks at everything: the first one, and one at an instant where a
  // partition started or ended (while partitions are in force connected() reads links and
  // the hosts of both ends, so every evaluation is full).
  bool full_pending_ = true;
  // Time-dependent results: routing components whose switch had not propagated at the last
  // evaluation, services whose backlog had not drained. Re-evaluated at every evaluation
  // until past.
  std::vector<std::size_t> propagating_, draining_;
  std::vector<std::size_t> monitors_;  // components that monitor, ascending
  int svcs_down_ = 0;                  // services not up
  bool eval_check_ = false;            // FIREDRILL_EVAL_CHECK=1
  struct Timer {
    double t;
    std::uint64_t seq;
    std::function<void()> f;
  };
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.t > b.t || (a.t == b.t && a.seq > b.seq);
    }
  };
  std::priority_queue<Timer, std::vector<Timer>, Later> timers_;
  std::uint64_t timer_seq_ = 0;
  double timer_wake_ = kInf;
  sg4::MutexPtr timer_mutex_;
  sg4::ConditionVariablePtr timer_cond_;
  std::vector<Waiter> waiting_replacements_;  // lost instances, in the order they began waiting
  std::vector<Waiter> waiting_jobs_;          // copy jobs whose primary is down
  int partitions_ = 0;  // network partitions in force
  std::map<sg4::Link*, std::pair<double, double>> degraded_;  // bandwidth, latency before
};

void Trial::plan_and_build_platform(sg4::NetZone* parent, const std::string& prefix) {
  std::vector<HostRequest> req;
  std::map<std::size_t, std::vector<std::pair<std::string, Location>>> inst_plan;
  for (std::size_t ci = 0; ci < comps_.size(); ++ci) {
    Comp& c = comps_[ci];
    const Component& spec = *c.spec;
    if (!c.b.has_instances) continue;
    const double nic = c.b.data ? c.b.data->restore_throughput_Bps : c.b.instances.nic_bandwidth_Bps;
    auto add = [&](const std::string& host, const Location& where) {
      req.push_back({host, where, nic, c.b.data.has_value()});
      return host;
    };
    // Instances: data stores run one primary; stateless kinds per_zone in every zone.
    const int per_zone = c.b.data ? 1 : std::max(1, c.b.instances.per_zone);
    if (!spec.placement.zones.empty()) {
      const std::size_t zones = c.b.data ? 1 : spec.placement.zones.size();
      for (std::size_t z = 0; z < zones; ++z) {
        const auto& zone = spec.placement.zones[z];
        for (int k = 0; k < per_zone; ++k) {
          const std::string h = spec.name + "#" + std::to_string(k) + "@" + zone;
          inst_plan[ci].push_back({add(h, location_of_zone(zone)), location_of_zone(zone)});
          if (c.b.instances.replacement && !c.b.data) {
            add(spec.name + "#spare" + std::to_string(k) + "@" + zone, location_of_zone(zone));
          }
        }
      }
    } else {
      const Location where = placement_location(spec);
      inst_plan[ci].push_back({add(spec.name + "#0@" + where.name, where), where});
    }
    if (c.b.data) {
      for (std::size_t k = 0; k < c.b.data->copies.size(); ++k) {
        const auto& cfg = c.b.data->copies[k];
        add(spec.name + "%" + std::to_string(k) + ":" + cfg.name, copy_location(c, cfg));
      }
    }
  }
  // Hosts that runbook actions restore or rebuild onto.
  for (const auto& rb : s_.runbooks) {
    for (const auto& step : rb.steps) {
      const Action& a = step.action;
      if (a.verb != ActionVerb::restore && a.verb != ActionVerb::rebuild) continue;
      auto it = comp_index_.find(a.component);
      if (it == comp_index_.end()) continue;
      Comp& c = comps_[it->second];
      if (!c.b.has_instances) continue;
      std::vector<std::string> zones = a.to;
      if (zones.empty() && !c.spec->placement.zones.empty()) zones = {c.spec->placement.zones[0]};
      const int per_zone = c.b.data ? 1 : std::max(1, c.b.instances.per_zone);
      const double nic = c.b.data ? c.b.data->restore_throughput_Bps : 0;
      for (const auto& zone : zones) {
        auto& hosts = action_hosts_[{it->second, zone}];
        if (!hosts.empty()) continue;
        for (int k = 0; k < per_zone; ++k) {
          const std::string h = c.spec->name + "#new" + std::to_string(k) + "@" + zone;
          req.push_back({h, location_of_zone(zone), nic, c.b.data.has_value()});
          hosts.push_back(nullptr);
        }
      }
    }
  }
  platform_ = std::make_unique<Platform>(s_, req, parent, prefix);

  for (auto& [ci, plan] : inst_plan) {
    Comp& c = comps_[ci];
    for (const auto& [host, where] : plan) {
      Instance in;
      in.host = platform_->host(host);
      in.zone = where.kind == Location::Kind::zone ? where.name : std::string{};
      c.inst.push_back(in);
    }
    if (c.b.instances.replacement && !c.b.data) {
      const int per_zone = std::max(1, c.b.instances.per_zone);
      for (const auto& zone : c.spec->placement.zones) {
        for (int k = 0; k < per_zone; ++k) {
          c.spares[zone].push_back(
              platform_->host(c.spec->name + "#spare" + std::to_string(k) + "@" + zone));
        }
      }
    }
  }
  for (auto& [key, hosts] : action_hosts_) {
    const Comp& c = comps_[key.first];
    for (std::size_t k = 0; k < hosts.size(); ++k) {
      hosts[k] = platform_->host(c.spec->name + "#new" + std::to_string(k) + "@" + key.second);
    }
  }
}

void Trial::draw_phases() {
  for (auto& c : comps_) {
    if (c.data) {
      for (auto& copy : c.data->copies) {
        // Jobs at a time of day are placed by the clock (set_clock()).
        if (copy.cfg.interval_s > 0 && !copy.cfg.at_s) {
          copy.phase = rng_.uniform(0, copy.cfg.interval_s);
        }
        if (copy.cfg.kind == CopyConfig::Kind::replica && !copy.cfg.sync) {
          copy.lag = copy.cfg.lag.sample(rng_);
        }
        draw_stale(copy);
      }
    }
    const double interval = c.b.health_check   ? c.b.health_check->interval_s
                            : c.b.routing       ? c.b.routing->check_interval_s
                            : c.b.failover      ? c.b.failover->check_interval_s
                            : c.b.monitor       ? c.b.monitor->interval_s
                                                : 0;
    if (interval > 0) c.check_phase = rng_.uniform(0, interval);
  }
}

// Whether, and how long before T0, a replica declared stale (CopyConfig::stale) had stopped
// receiving replication: two draws, only for the replicas that declare it.
void Trial::draw_stale(CopyRt& copy) {
  copy.stale_for.reset();
  if (!copy.cfg.stale) return;
  const bool stopped = rng_.uniform01() < copy.cfg.stale->probability;
  const double since = std::max(0.0, copy.cfg.stale->since.sample(rng_));
  if (stopped) copy.stale_for = since;
}

// The time of day at t=0 comes from the fault that names one (it starts at that clock time),
// else, when a job or restore test runs at a time of day, it is drawn over a day. Draws happen
// only for what a scenario uses, after every draw a scenario without them makes here.
void Trial::set_clock(const std::vector<double>& starts) {
  bool clock_used = false;
  for (std::size_t k = 0; k < d_.faults.size(); ++k) {
    if (!d_.faults[k].time_of_day_s) continue;
    time_of_day0_ = positive_mod(*d_.faults[k].time_of_day_s - starts[k], kDay);
    clock_used = true;
  }
  for (const auto& c : comps_) {
    if (!c.data || clock_used) continue;
    for (const auto& copy : c.data->copies) {
      if (copy.cfg.at_s || copy.cfg.verify_at_s) clock_used = true;
    }
  }
  if (!clock_used) return;
  if (std::none_of(d_.faults.begin(), d_.faults.end(),
                   [](const Fault& f) { return f.time_of_day_s.has_value(); })) {
    time_of_day0_ = rng_.uniform(0, kDay);
  }
  event("clock", "", "the first fault at " + format_time_of_day(time_of_day0_ + t0_));
  for (auto& c : comps_) {
    if (!c.data) continue;
    for (auto& copy : c.data->copies) {
      if (copy.cfg.at_s) copy.phase = clock_phase(*copy.cfg.at_s, copy.cfg.interval_s);
    }
  }
}

// The phase of a job that runs at `time_of_day` every `interval` (a divisor of a day or whole
// days; of n > 1 days, which of them is drawn).
double Trial::clock_phase(double time_of_day, double interval) {
  const double in_day = positive_mod(time_of_day - time_of_day0_, kDay);
  if (interval <= kDay) return positive_mod(in_day, interval);
  const double days = interval / kDay;
  return in_day + kDay * std::min(days - 1, std::floor(rng_.uniform(0, days)));
}

// A job broken at the fault (with its failure_probability) worked until the last restore test
// strictly before the first fault, or never without tests.
void Trial::draw_broken(const std::string& comp, CopyRt& copy) {
  const CopyConfig& cfg = copy.cfg;
  copy.usable_until = kInf;
  if (cfg.failure_probability <= 0) return;
  if (cfg.failure_probability < 1 && !(rng_.uniform01() < cfg.failure_probability)) return;
  if (cfg.verify_every_s <= 0) {
    copy.usable_until = -kInf;
    event("copy-broken", comp, cfg.name + " silently broken, never tested: no usable run");
    return;
  }
  const double phase = cfg.verify_at_s ? clock_phase(*cfg.verify_at_s, cfg.verify_every_s)
                                       : rng_.uniform(0, cfg.verify_every_s);
  copy.usable_until = last_run(t0_, phase, cfg.verify_every_s, true);
  event("copy-broken", comp,
        cfg.name + " silently broken since its last restore test, " +
            format_duration(t0_ - copy.usable_until) + " before the fault");
}

void Trial::init_runtime() {
  mutex_ = sg4::Mutex::create();
  cond_ = sg4::ConditionVariable::create();
  timer_mutex_ = sg4::Mutex::create();
  timer_cond_ = sg4::ConditionVariable::create();
  serving_.assign(comps_.size(), 1);
  visible_.assign(comps_.size(), 1);
  for (std::size_t ci = 0; ci < comps_.size(); ++ci) {
    Comp& c = comps_[ci];
    if (c.b.data) {
      c.data = std::make_unique<DataRt>();
      c.data->cfg = *c.b.data;
      for (std::size_t k = 0; k < c.b.data->copies.size(); ++k) {
        CopyRt copy;
        copy.cfg = c.b.data->copies[k];
        copy.host = platform_->host(c.spec->name + "%" + std::to_string(k) + ":" + copy.cfg.name);
        c.data->copies.push_back(copy);
      }
    }
    if (c.b.team) {
      c.team = std::make_unique<TeamRt>();
      c.team->cfg = *c.b.team;
      c.team->people = sg4::Semaphore::create(static_cast<unsigned>(std::max(1, c.b.team->people)));
    }
    if (c.b.health_check && c.b.routing) {
      for (const auto& t : c.b.routing->targets) comps_[comp_index_.at(t)].checked_by.push_back(ci);
    }
  }
  std::vector<char> seen(comps_.size(), 0);
  for (const auto& svc : s_.services) {
    Svc r;
    r.spec = &svc;
    for (const auto& d : svc.depends) r.deps.push_back(comp_index_.at(d));
    r.any_deps = indices(svc.depends_any);
    for (const auto& q : svc.queued) r.queued.push_back({comp_index_.at(q.component), q.drain_rate});
    for (const auto& name : svc.data) r.data.push_back(comp_index_.at(name));
    r.path = service_path(r, seen);
    svcs_.push_back(std::move(r));
  }
  detected_at_.assign(comps_.size(), kInf);
  responded_at_.assign(comps_.size(), kInf);
  // Incremental evaluation: who reads whom, and which component each host belongs to.
  raw_.assign(comps_.size(), -1);
  dependents_.resize(comps_.size());
  comp_svcs_.resize(comps_.size());
  touched_.assign(comps_.size(), 0);
  mark_.assign(comps_.size(), 0);
  for (std::size_t ci = 0; ci < comps_.size(); ++ci) {
    Comp& c = comps_[ci];
    for (const std::size_t d : c.deps) dependents_[d].push_back(ci);
    for (const std::size_t d : c.any_flat) {
      if (std::find(dependents_[d].begin(), dependents_[d].end(), ci) == dependents_[d].end()) {
        dependents_[d].push_back(ci);
      }
    }
    for (const std::size_t t : c.targets) dependents_[t].push_back(ci);
    for (const auto& in : c.inst) host_owners_[in.host].push_back(ci);
    for (const auto& [zone, hosts] : c.spares) {
      for (auto* h : hosts) host_owners_[h].push_back(ci);
    }
    if (c.data) {
      for (const auto& copy : c.data->copies) host_owners_[copy.host].push_back(ci);
    }
    if (c.b.monitor) monitors_.push_back(ci);
  }
  for (const auto& [key, hosts] : action_hosts_) {
    for (auto* h : hosts) host_owners_[h].push_back(key.first);
  }
  for (const auto& [h, owners] : host_owners_) g_host_trial[h] = this;
  for (std::size_t si = 0; si < svcs_.size(); ++si) {
    for (const std::size_t d : svcs_[si].deps) comp_svcs_[d].push_back(si);
    for (const auto& group : svcs_[si].any_deps) {
      for (const std::size_t d : group) {
        if (std::find(comp_svcs_[d].begin(), comp_svcs_[d].end(), si) == comp_svcs_[d].end()) {
          comp_svcs_[d].push_back(si);
        }
      }
    }
    for (const auto& q : svcs_[si].queued) comp_svcs_[q.comp].push_back(si);
    for (const std::size_t d : svcs_[si].data) {
      if (std::find(comp_svcs_[d].begin(), comp_svcs_[d].end(), si) == comp_svcs_[d].end()) {
        comp_svcs_[d].push_back(si);
      }
    }
  }
  const char* check = std::getenv("FIREDRILL_EVAL_CHECK");
  eval_check_ = check != nullptr && std::string_view(check) == "1";
}

bool Trial::eval(std::size_t ci, bool with_propagation, std::vector<signed char>& memo,
                 bool see_data_damage, std::vector<std::size_t>* computed) const {
  if (memo[ci] >= 0) return memo[ci] != 0;
  memo[ci] = 0;  // guards against cycles (rejected by the loader anyway)
  if (computed != nullptr) computed->push_back(ci);
  const Comp& c = comps_[ci];
  bool ok = true;
  if (c.team) {
    ok = true;
  } else if (c.bypassed) {
    ok = true;
  } else {
    int alive = 0, dead_in_rotation = 0;
    for (const auto& in : c.inst) {
      if (in.retired) continue;
      // A warming cache instance is back but not yet useful: a propagation delay.
      if (in.alive() && (in.in_rotation || (in.warming && !with_propagation))) ++alive;
      if (!in.alive() && in.in_rotation && !in.destroyed) ++dead_in_rotation;
    }
    const int need = c.data ? 1 : std::max(1, c.b.instances.min_healthy);
    ok = alive >= need && (c.checked_by.empty() || dead_in_rotation == 0);
    if (ok && c.data) {
      ok = (!c.data->damage_seen || !see_data_damage) && !c.data->restoring;
    }
    for (const std::size_t di : c.deps) {
      if (!ok) break;
      ok = eval(di, with_propagation, memo, see_data_damage, computed) && connected(ci, di);
    }
    for (const auto& group : c.any_deps) {
      if (!ok) break;
      bool any = false;  // every member evaluated, like routing targets
      for (const std::size_t di : group) {
        any = (eval(di, with_propagation, memo, see_data_damage, computed) && connected(ci, di)) ||
              any;
      }
      ok = any;
    }
    if (ok && c.b.routing) {
      if (c.b.routing->mode == RoutingConfig::Mode::any) {
        // Serving while a target serves; a health-checking balancer also fails the requests
        // it sends to a dead instance still in its rotation.
        bool any = false, dead_in_rotation = false;
        for (const std::size_t ti : c.targets) {
          any = (eval(ti, with_propagation, memo, see_data_damage, computed) && connected(ci, ti)) ||
                any;
          if (c.b.health_check) {
            for (const auto& in : comps_[ti].inst) {
              dead_in_rotation = dead_in_rotation ||
                                 (!in.retired && in.in_rotation && !in.destroyed && !in.alive());
            }
          }
        }
        ok = any && !dead_in_rotation;
      } else {
        const std::size_t ti = c.targets[c.active];
        ok = eval(ti, with_propagation, memo, see_data_damage, computed) && connected(ci, ti) &&
             (!with_propagation || now() >= c.propagated_at);
      }
    }
  }
  memo[ci] = ok ? 1 : 0;
  return ok;
}

bool Trial::connected(std::size_t from, std::size_t to) const {
  if (partitions_ == 0) return true;
  const Comp& a = comps_[from];
  const Comp& b = comps_[to];
  if (a.team || b.team || a.bypassed || b.bypassed) return true;
  for (const auto& ia : a.inst) {
    if (!ia.alive()) continue;
    for (std::size_t k = 0; k < b.inst.size(); ++k) {
      if (b.data && k > 0) break;  // a data store answers from its primary
      if (b.inst[k].alive() && platform_->reachable(ia.host, b.inst[k].host)) return true;
    }
  }
  return false;
}

void Trial::spawn_evaluation(const std::string& name, std::function<void()> fn) {
  if (g_stacks.evaluation_kib == g_stacks.actor_kib) {
    spawn(name, std::move(fn));
    return;
  }
  // SimGrid 3.32 ignores Actor::set_stacksize(); its stack-size setting applies to the actors
  // created after it is changed.
  sg4::Engine::set_config("contexts/stack-size", static_cast<int>(g_stacks.evaluation_kib));
  spawn(name, std::move(fn));
  sg4::Engine::set_config("contexts/stack-size", static_cast<int>(g_stacks.actor_kib));
}

std::size_t Trial::evaluation_depth() const {
  // Longest path over dependencies and routing targets, without recursion (the main stack
  // needs no margin for deep chains either). 0: not yet, 1: on the path, 2: done.
  std::vector<std::size_t> depth(comps_.size(), 1);
  std::vector<signed char> state(comps_.size(), 0);
  std::size_t deepest = 0;
  std::vector<std::pair<std::size_t, std::size_t>> path;  // (component, next edge)
  for (std::size_t root = 0; root < comps_.size(); ++root) {
    if (state[root] != 0) continue;
    path.emplace_back(root, 0);
    state[root] = 1;
    while (!path.empty()) {
      auto& [ci, edge] = path.back();
      const Comp& c = comps_[ci];
      if (edge < c.deps.size() + c.targets.size() + c.any_flat.size()) {
        const std::size_t nd = c.deps.size(), nt = c.targets.size();
        const std::size_t next = edge < nd        ? c.deps[edge]
                                 : edge < nd + nt ? c.targets[edge - nd]
                                                  : c.any_flat[edge - nd - nt];
        ++edge;
        if (state[next] == 0) {
          state[next] = 1;
          path.emplace_back(next, 0);
        } else if (state[next] == 2) {
          depth[ci] = std::max(depth[ci], depth[next] + 1);
        }
        continue;
      }
      state[ci] = 2;
      deepest = std::max(deepest, depth[ci]);
      const std::size_t done = ci;
      path.pop_back();
      if (!path.empty()) depth[path.back().first] = std::max(depth[path.back().first], depth[done] + 1);
    }
  }
  return deepest;
}

void Trial::changed() {
  if (settle_pending_) return;
  settle_pending_ = true;
  // The evaluation must run where a new actor created now would run (an evaluation was a new
  // actor once): after the actors already due at this instant, before those woken later.
  // Resuming an evaluator that suspended itself puts it exactly there, like creating an actor
  // (SimGrid 3.32 answers the resume at once and appends the actor to the run list); but only
  // once its suspension has been handled, which SimGrid does at the end of the scheduling
  // round in which it suspended itself, and which is_suspended() tells. (Evaluators slept on
  // a semaphore before, woken only if asleep since an earlier time: several evaluations at
  // one instant then needed new actors, 8 to 18 a trial in iconik's heavy disasters.) When
  // none is suspended, a new one is created, which runs the evaluation first and then stays
  // (creating an actor and the exception that ends it were a fifth of a slow trial's
  // instructions).
  if (in_changed_ && sg4::this_actor::get_pid() == evaluating_actor_) {
    // An evaluation asking for another. A new actor would run right after this simcall, before
    // this evaluation goes on, find it still running (in_changed_) and only clear
    // settle_pending_: the same, without the actor.
    sg4::this_actor::yield();
    settle_pending_ = false;
    return;
  }
  // Not once the trial's result is measured: its controller has suspended every actor, and
  // a resumed one would run again.
  if (!result_) {
    for (const auto& e : evaluators_) {
      if (e->actor != nullptr && e->actor->is_suspended()) {
        e->actor->resume();
        return;
      }
    }
  }
  // Beyond a few, a one-off actor (4 was the best of 1, 2, 4 and unlimited when evaluators
  // slept on semaphores; now a trial of iconik's heavy disasters starts 3 and no one-off).
  constexpr std::size_t kMaxEvaluators = 4;
  if (evaluators_.size() >= kMaxEvaluators) {
    spawn_evaluation("evaluate", [this] {
      settle_pending_ = false;
      evaluate();
    });
    return;
  }
  start_evaluator(true);
}

void Trial::start_evaluator(bool evaluate_first) {
  evaluators_.push_back(std::make_unique<Evaluator>());
  Evaluator* e = evaluators_.back().get();
  spawn_evaluation("evaluator", [this, e, evaluate_first] {
    e->actor = sg4::Actor::self();
    if (evaluate_first) {
      settle_pending_ = false;
      evaluate();
    }
    for (;;) {
      sg4::this_actor::suspend();
      settle_pending_ = false;
      evaluate();
    }
  });
}

void Trial::at(double t, std::function<void()> f) {
  t = std::max(t, now());
  timers_.push({t, timer_seq_++, std::move(f)});
  if (t < timer_wake_) timer_cond_->notify_all();
}

void Trial::transfer(sg4::Host* from, sg4::Host* to, double bytes) {
  const double started = now();
  const double sg_started = sg4::Engine::get_clock();
  sg4::Comm::sendto(from, to, static_cast<std::uint64_t>(bytes));
  clock_ = std::max(clock_, started + (sg4::Engine::get_clock() - sg_started));
}

// Runs after the changes of an instant: reacts to transitions and wakes waiting actors.
//
// Incremental: it looks only at the components touched since the last evaluation (their
// instances' and copies' liveness), re-evaluates them and the components that depend on them
// (affected_components()), and updates the services of those and the ones still draining.
// Everything else kept its state, so the results, the order of events and of random draws are
// those of the full evaluation it replaces. Full evaluations: the first one, and one while
// partitions are (or at this instant were) in force.
//
// evaluate() is not atomic: its reactions make simcalls (at() notifies the timer actor,
// spawn() creates actors), and SimGrid runs the trial's other ready actors meanwhile, which
// may change the state. The full evaluation went over every component in index order, so it
// saw a change to a component it had not reached yet in the same pass. The passes below keep
// that: a component touched during a pass joins it when above the current one
// (touched_during_evaluation()); whatever is touched stays marked for the next evaluation.
void Trial::evaluate() {
  if (in_changed_) return;
  in_changed_ = true;
  evaluating_actor_ = sg4::this_actor::get_pid();
  const bool full = full_pending_ || partitions_ > 0;
  full_pending_ = false;
  // Switches still propagating: their result depends on the time.
  for (const std::size_t ci : propagating_) touch(ci);
  std::vector<std::size_t> changed;
  changed.swap(dirty_);
  for (const std::size_t ci : changed) touched_[ci] = 0;
  // 1. Instances and copies that died or came back.
  if (full) {
    for (std::size_t ci = 0; ci < comps_.size(); ++ci) pass_.insert(pass_.end(), ci);
  } else {
    pass_.insert(changed.begin(), changed.end());
  }
  phase_ = Phase::liveness;
  run_pass(pass_, &Trial::check_liveness);
  // 2. Serving, with and without data damage (no simcalls: the state holds still). Touched
  // meanwhile (the reactions above, other actors): evaluated now and again next time.
  phase_ = Phase::idle;
  changed.insert(changed.end(), dirty_.begin(), dirty_.end());
  std::vector<std::size_t> affected;
  if (full) {
    affected.resize(comps_.size());
    for (std::size_t ci = 0; ci < comps_.size(); ++ci) affected[ci] = ci;
  } else {
    affected = affected_components(changed);
  }
  for (const std::size_t ci : affected) serving_[ci] = visible_[ci] = -1;
  for (const std::size_t ci : affected) {
    serving_[ci] = eval(ci, true, serving_) ? 1 : 0;
    // Ignoring data damage only adds serving components: evaluate it where serving fails.
    visible_[ci] = serving_[ci] != 0 || eval(ci, true, visible_, false) ? 1 : 0;
  }
  propagating_.erase(std::remove_if(propagating_.begin(), propagating_.end(),
                                    [this](std::size_t ci) { return now() >= comps_[ci].propagated_at; }),
                     propagating_.end());
  // The services to update: those of affected components, and those still draining.
  if (full) {
    for (std::size_t si = 0; si < svcs_.size(); ++si) svc_pass_.insert(svc_pass_.end(), si);
  } else {
    for (const std::size_t ci : affected) svc_pass_.insert(comp_svcs_[ci].begin(), comp_svcs_[ci].end());
    svc_pass_.insert(draining_.begin(), draining_.end());
  }
  draining_.clear();
  // 3. Transitions of serving (and of routing targets).
  pass_.insert(affected.begin(), affected.end());
  phase_ = Phase::transitions;
  run_pass(pass_, &Trial::component_transitions);
  // 4. Services.
  phase_ = Phase::services;
  run_pass(svc_pass_, &Trial::update_service);
  phase_ = Phase::idle;
  for (const std::size_t ci : raw_computed_) raw_[ci] = -1;
  raw_computed_.clear();
  if (eval_check_ && !full) check_evaluation();
  in_changed_ = false;
  release_ready(waiting_replacements_, &Trial::replacement_possible);
  release_ready(waiting_jobs_, &Trial::primary_alive);
  cond_->notify_all();
}

void Trial::run_pass(std::set<std::size_t>& pass, void (Trial::*f)(std::size_t)) {
  auto it = pass.begin();
  while (it != pass.end()) {
    const std::size_t k = *it;
    (this->*f)(k);
    it = pass.upper_bound(k);
  }
  pass.clear();
}

void Trial::touched_during_evaluation(std::size_t ci) {
  // The old pass would reach it if above the current one (run_pass() skips the rest).
  if (phase_ == Phase::liveness || phase_ == Phase::transitions) pass_.insert(ci);
  // Services read eval() without propagation delays afresh: every service whose components
  // reach this one.
  if (phase_ == Phase::transitions || phase_ == Phase::services) {
    for (const std::size_t x : affected_components({ci})) {
      svc_pass_.insert(comp_svcs_[x].begin(), comp_svcs_[x].end());
    }
  }
}

// Instances and copies that died or came back since the component was last looked at.
void Trial::check_liveness(std::size_t ci) {
  Comp& c = comps_[ci];
  for (std::size_t i = 0; i < c.inst.size(); ++i) {
    const bool alive = c.inst[i].alive();
    if (c.inst[i].was_alive && !alive && !c.inst[i].retired) {
      c.inst[i].was_alive = false;
      on_instance_lost(ci, i);
    } else if (!c.inst[i].was_alive && alive) {
      c.inst[i].was_alive = true;
      on_instance_back(ci, i);
    }
  }
  if (c.data) {
    for (auto& copy : c.data->copies) {
      const bool alive = copy.alive() && (partitions_ == 0 || !c.inst[0].alive() ||
                                          platform_->reachable(c.inst[0].host, copy.host));
      if (copy.was_alive && !alive) {
        copy.was_alive = false;
        if (copy.cfg.kind == CopyConfig::Kind::replica) copy.cut_at = std::min(copy.cut_at, now());
      } else if (!copy.was_alive && alive) {
        copy.was_alive = true;
        if (copy.cfg.kind == CopyConfig::Kind::replica && c.data->stop_at == kInf) {
          copy.cut_at = kInf;  // catches up with a primary that kept running
        }
      }
    }
  }
}

// The changed components and every component whose eval() reads one of them, directly or
// not; ascending.
std::vector<std::size_t> Trial::affected_components(const std::vector<std::size_t>& changed) {
  std::vector<std::size_t> out;
  for (const std::size_t ci : changed) {
    if (mark_[ci] != 0) continue;
    mark_[ci] = 1;
    out.push_back(ci);
  }
  // Breadth first over the reverse dependency graph; `out` is the queue.
  for (std::size_t k = 0; k < out.size(); ++k) {
    for (const std::size_t di : dependents_[out[k]]) {
      if (mark_[di] != 0) continue;
      mark_[di] = 1;
      out.push_back(di);
    }
  }
  for (const std::size_t ci : out) mark_[ci] = 0;
  std::sort(out.begin(), out.end());
  return out;
}

// Serving transitions of one component (just evaluated) and, for a routing component that
// fails over by itself, the loss of its active target.
void Trial::component_transitions(std::size_t ci) {
  Comp& c = comps_[ci];
  const bool now_serving = serving_[ci] != 0;
  if (c.serving && !now_serving) {
    c.serving = false;
    event("stopped-serving", c.spec->name);
    on_stopped_serving(ci);
  } else if (!c.serving && now_serving) {
    c.serving = true;
    event("serving", c.spec->name);
  }
  if (c.b.routing && c.b.routing->mode == RoutingConfig::Mode::active && c.b.routing->auto_switch) {
    const bool target_ok = serving(c.targets[c.active]);
    if (c.target_was_serving && !target_ok) {
      const RoutingConfig rc = *c.b.routing;
      const double detect = next_tick(now(), c.check_phase, rc.check_interval_s) +
                            (rc.failures - 1) * rc.check_interval_s;
      at(detect, [this, ci] {
        Comp& c = comps_[ci];
        const std::size_t target = comp_index_.at(c.b.routing->targets[c.active]);
        if (serving(target)) return;
        note_detection(ci);
        note_detection(target);
        event("detected", c.spec->name, "health checks failed for " + c.b.routing->targets[c.active]);
        spawn("dns-failover-" + c.spec->name, [this, ci] {
        Comp& c = comps_[ci];
        bool announced = false;
        for (;;) {
          if (serving(comp_index_.at(c.b.routing->targets[c.active]))) return;
          for (std::size_t k = 0; k < c.b.routing->targets.size(); ++k) {
            if (k != c.active && serving(comp_index_.at(c.b.routing->targets[k]))) {
              switch_target(ci, k, "health-checked failover");
              return;
            }
          }
          if (!announced) {
            announced = true;
            event("no-target", c.spec->name, "no serving target to fail over to yet");
          }
          wait_for_change();
        }
        });
      });
    }
    c.target_was_serving = target_ok;
  }
}

void Trial::update_service(std::size_t si) {
  Svc& svc = svcs_[si];
  bool comps_up = true, raw_up = true;
  for (auto d : svc.deps) {
    const bool up = serving_[d] != 0;
    comps_up = up && comps_up;
    // Without propagation delays is more permissive: evaluate it only where it matters.
    raw_up = (up || eval(d, false, raw_, true, &raw_computed_)) && raw_up;
  }
  for (const auto& group : svc.any_deps) {
    bool any = false, any_raw = false;
    for (const std::size_t d : group) {
      const bool up = serving_[d] != 0;
      any = any || up;
      any_raw = any_raw || up || eval(d, false, raw_, true, &raw_computed_);
    }
    comps_up = any && comps_up;
    raw_up = any_raw && raw_up;
  }
  if (data_gone(svc)) comps_up = raw_up = false;
  bool queued_ok = true;
  for (auto& q : svc.queued) {
    raw_up = (serving_[q.comp] != 0 || eval(q.comp, false, raw_, true, &raw_computed_)) && raw_up;
    const bool ok = serving_[q.comp] != 0;
    if (q.was_serving && !ok) {
      q.down_since = now();
    } else if (!q.was_serving && ok) {
      // Work keeps arriving while the backlog drains: it shrinks at the consumer's rate less
      // the arrival rate, and never when the consumer is no faster than the arrivals.
      const double arrival = svc.spec->writes_per_s;
      const double backlog = arrival * (now() - q.down_since);
      const std::string of = "backlog of " + std::to_string(static_cast<long long>(backlog)) +
                             " from " + comps_[q.comp].spec->name;
      if (backlog > 0 && q.drain_rate <= arrival) {
        svc.drained_at = kInf;
        event("draining", svc.spec->name,
              of + " never drains: drain_rate " + format_rate(q.drain_rate) +
                  " is not above the arrival rate " + format_rate(arrival));
      } else if (backlog > 0) {
        const double drain = backlog / (q.drain_rate - arrival);
        svc.drained_at = std::max(svc.drained_at, now() + drain);
        event("draining", svc.spec->name, of + ", drains in " + format_duration(drain));
        if (svc.drained_at != kInf) at(svc.drained_at, [this] { changed(); });
      }
    }
    q.was_serving = ok;
    queued_ok = queued_ok && ok;
  }
  comps_up = comps_up && queued_ok;
  const bool up = comps_up && now() >= svc.drained_at;
  if (raw_up && !svc.raw_up) {
    svc.last_raw_up = now();
    svc.raw_up_by_outside = outside_end_ == now();
  }
  if (comps_up && !svc.comps_up) svc.last_comps_up = now();
  svc.raw_up = raw_up;
  svc.comps_up = comps_up;
  if (svc.up && !up) {
    svc.affected = true;
    ++svcs_down_;
    event("service-down", svc.spec->name);
  } else if (!svc.up && up) {
    svc.last_up = now();
    --svcs_down_;
    event("service-up", svc.spec->name);
  }
  svc.up = up;
  if (now() < svc.drained_at && svc.drained_at != kInf) draining_.push_back(si);
}

[[noreturn]] void Trial::eval_mismatch(const std::string& what, const std::string& subject,
                                       bool incremental, bool full) const {
  std::fprintf(stderr,
               "firedrill: FIREDRILL_EVAL_CHECK: trial %llu at t=%.9g s: %s of %s is %d "
               "incrementally, %d by a full evaluation\n",
               static_cast<unsigned long long>(index_), now() - t0_, what.c_str(), subject.c_str(),
               incremental ? 1 : 0, full ? 1 : 0);
  std::fflush(stderr);
  std::abort();
}

// The state an incremental evaluation left against the full evaluation at the same instant:
// no instance or copy transition pending, the same serving_ and visible_, the serving and
// routing target states components reacted to, the same service states. Components touched
// since the evaluation began (by other actors meanwhile, see evaluate()), the ones depending
// on them and their services wait for the next evaluation, as with the full one: skipped.
// Only reads the trial.
void Trial::check_evaluation() {
  std::vector<char> pending(comps_.size(), 0), svc_pending(svcs_.size(), 0);
  for (const std::size_t ci : affected_components(dirty_)) {
    pending[ci] = 1;
    for (const std::size_t si : comp_svcs_[ci]) svc_pending[si] = 1;
  }
  std::vector<signed char> memo(comps_.size(), -1), visible(comps_.size(), -1),
      raw(comps_.size(), -1);
  for (std::size_t ci = 0; ci < comps_.size(); ++ci) {
    const Comp& c = comps_[ci];
    const bool s = eval(ci, true, memo);
    const bool v = s || eval(ci, true, visible, false);
    if (pending[ci] != 0) continue;
    for (const auto& in : c.inst) {
      const bool alive = in.alive();
      if ((in.was_alive && !alive && !in.retired) || (!in.was_alive && alive)) {
        eval_mismatch("liveness of instance " + host_name(in.host), c.spec->name, in.was_alive,
                      alive);
      }
    }
    if (c.data) {
      for (const auto& copy : c.data->copies) {
        if (copy.was_alive != copy.alive()) {
          eval_mismatch("liveness of copy " + copy.cfg.name, c.spec->name, copy.was_alive,
                        copy.alive());
        }
      }
    }
    if ((serving_[ci] != 0) != s) eval_mismatch("serving", c.spec->name, serving_[ci] != 0, s);
    if ((visible_[ci] != 0) != v) {
      eval_mismatch("visibly serving", c.spec->name, visible_[ci] != 0, v);
    }
    if (c.serving != s) eval_mismatch("serving state reacted to", c.spec->name, c.serving, s);
    if (c.b.routing && c.b.routing->mode == RoutingConfig::Mode::active &&
        c.b.routing->auto_switch && c.target_was_serving != (memo[c.targets[c.active]] != 0)) {
      eval_mismatch("active target serving", c.spec->name, c.target_was_serving,
                    !c.target_was_serving);
    }
  }
  for (std::size_t si = 0; si < svcs_.size(); ++si) {
    const Svc& svc = svcs_[si];
    if (svc_pending[si] != 0) continue;
    bool comps_up = true, raw_up = true;
    for (const auto d : svc.deps) {
      comps_up = comps_up && memo[d] != 0;
      raw_up = raw_up && (memo[d] != 0 || eval(d, false, raw));
    }
    for (const auto& group : svc.any_deps) {
      bool any = false, any_raw = false;
      for (const std::size_t d : group) {
        any = any || memo[d] != 0;
        any_raw = any_raw || memo[d] != 0 || eval(d, false, raw);
      }
      comps_up = comps_up && any;
      raw_up = raw_up && any_raw;
    }
    if (data_gone(svc)) comps_up = raw_up = false;
    for (const auto& q : svc.queued) {
      raw_up = raw_up && (memo[q.comp] != 0 || eval(q.comp, false, raw));
      if (q.was_serving != (memo[q.comp] != 0)) {
        eval_mismatch("queue serving", svc.spec->name + "/" + comps_[q.comp].spec->name,
                      q.was_serving, memo[q.comp] != 0);
      }
      comps_up = comps_up && memo[q.comp] != 0;
    }
    const bool up = comps_up && now() >= svc.drained_at;
    if (svc.comps_up != comps_up) {
      eval_mismatch("components up", svc.spec->name, svc.comps_up, comps_up);
    }
    if (svc.raw_up != raw_up) {
      eval_mismatch("components up without propagation", svc.spec->name, svc.raw_up, raw_up);
    }
    if (svc.up != up) eval_mismatch("service up", svc.spec->name, svc.up, up);
  }
}

// A lost instance waiting for a spare used to wake at every evaluation like the other waiting
// actors, and a lasting outage keeps a dozen of them waiting: their wake-ups were a sixth of
// such a trial's instructions. Now an evaluation wakes one only when try_replace could do
// something, and a copy job only when its primary is alive (see start_copy_jobs).
void Trial::wait_in(std::vector<Waiter>& waiters, std::size_t comp, std::size_t instance) {
  auto wake = sg4::Semaphore::create(0);
  waiters.push_back({comp, instance, wake});
  wake->acquire();
}

// First waiting, first woken. Each release is a simcall: the list may grow meanwhile.
void Trial::release_ready(std::vector<Waiter>& waiters, bool (Trial::*ready)(const Waiter&) const) {
  for (std::size_t k = 0; k < waiters.size();) {
    if (!(this->*ready)(waiters[k])) {
      ++k;
      continue;
    }
    const Waiter w = waiters[k];
    waiters.erase(waiters.begin() + static_cast<std::ptrdiff_t>(k));
    if (w.wake) {
      w.wake->release();
    } else {
      replace_when_possible(w.comp, w.instance);
    }
  }
}

void Trial::replace_when_possible(std::size_t ci, std::size_t i) {
  // An actor created now runs where the one woken from its semaphore used to (an actor
  // waiting since an earlier instant): after the actors already due at this instant.
  spawn("replace-" + host_name(comps_[ci].inst[i].host), [this, ci, i] {
    if (!try_replace(ci, i)) waiting_replacements_.push_back({ci, i, nullptr});
  });
}

bool Trial::replacement_possible(const Waiter& w) const {
  const Comp& c = comps_[w.comp];
  if (c.inst[w.instance].alive() || c.inst[w.instance].retired) return true;
  for (const auto& zone : c.spec->placement.zones) {
    auto pool = c.spares.find(zone);
    if (pool == c.spares.end()) continue;
    if (std::any_of(pool->second.begin(), pool->second.end(),
                    [](const sg4::Host* h) { return h->is_on(); })) {
      return true;
    }
  }
  return false;
}

bool Trial::primary_alive(const Waiter& w) const { return comps_[w.comp].inst[0].alive(); }

void Trial::on_instance_lost(std::size_t ci, std::size_t i) {
  Comp& c = comps_[ci];
  Instance& in = c.inst[i];
  event("instance-lost", c.spec->name, host_name(in.host));
  for (auto lb : c.checked_by) {
    const HealthCheckConfig hc = *comps_[lb].b.health_check;
    const double detect =
        next_tick(now(), comps_[lb].check_phase, hc.interval_s) + (hc.fall - 1) * hc.interval_s;
    at(detect, [this, ci, i, lb] {
      Instance& in = comps_[ci].inst[i];
      if (in.alive() || !in.in_rotation) return;
      in.in_rotation = false;
      touch(ci);
      note_detection(ci);
      note_detection(lb);
      event("detected", comps_[lb].spec->name, "took " + host_name(in.host) + " out of rotation");
      changed();
    });
  }
  if (c.data && i == 0) {
    DataRt& d = *c.data;
    if (d.stop_at == kInf) d.stop_at = now();
    if (c.b.failover && c.b.failover->mode == FailoverConfig::Mode::automatic) {
      const FailoverConfig fo = *c.b.failover;
      const double detect =
          next_tick(now(), c.check_phase, fo.check_interval_s) + (fo.failures - 1) * fo.check_interval_s;
      at(detect, [this, ci, fo] {
        Comp& c = comps_[ci];
        if (c.inst[0].alive()) return;
        note_detection(ci);
        event("detected", c.spec->name, "primary failed its health checks");
        at(now() + fo.time.sample(rng_), [this, ci] {
        Comp& c = comps_[ci];
        if (c.inst[0].alive()) return;
        std::size_t best = c.data->copies.size();
        double best_f = -kInf;
        for (std::size_t k = 0; k < c.data->copies.size(); ++k) {
          const CopyRt& copy = c.data->copies[k];
          if (!copy.cfg.failover_target || !copy.alive()) continue;
          const double f = frontier(c, copy);
          if (f > best_f) best_f = f, best = k;
        }
        if (best == c.data->copies.size()) {
          event("failover-impossible", c.spec->name, "no standby is alive");
          return;
        }
        promote(ci, best, "automatic failover");
        });
      });
    }
  } else if (c.b.instances.replacement && !c.data && !in.destroyed) {
    const double delay = c.b.instances.replacement->sample(rng_);
    at(now() + delay, [this, ci, i] {
      if (try_replace(ci, i)) return;
      // No spare anywhere yet: wait until an evaluation finds one that is on (or the instance
      // back), not for every change, and without an actor meanwhile (see release_ready).
      waiting_replacements_.push_back({ci, i, nullptr});
    });
  }
}

// Replaces a lost instance by a spare in a surviving placement zone, starting after the lost
// instance's zone. False when no spare is available yet.
bool Trial::try_replace(std::size_t ci, std::size_t i) {
  Comp& c = comps_[ci];
  if (c.inst[i].alive() || c.inst[i].retired) return true;  // nothing left to replace
  const auto& zones = c.spec->placement.zones;
  auto start = std::find(zones.begin(), zones.end(), c.inst[i].zone);
  std::size_t offset = start == zones.end() ? 0 : static_cast<std::size_t>(start - zones.begin());
  for (std::size_t z = 1; z <= zones.size(); ++z) {
    auto& pool = c.spares[zones[(offset + z) % zones.size()]];
    auto it = std::find_if(pool.begin(), pool.end(), [](sg4::Host* h) { return h->is_on(); });
    if (it == pool.end()) continue;
    Instance repl;
    repl.host = *it;
    repl.zone = zones[(offset + z) % zones.size()];
    pool.erase(it);
    c.inst[i].retired = true;
    touch(ci);
    event("replaced", c.spec->name, host_name(c.inst[i].host) + " replaced in " + repl.zone);
    c.inst.push_back(repl);
    enter_rotation(ci, c.inst.size() - 1);
    changed();
    return true;
  }
  return false;
}

void Trial::on_instance_back(std::size_t ci, std::size_t i) {
  Comp& c = comps_[ci];
  Instance& in = c.inst[i];
  event("instance-back", c.spec->name, host_name(in.host));
  if (c.data && i == 0 && !in.retired) {
    // The primary came back with its data (durable storage): nothing lost on this lineage.
    if (c.data->cfg.durable) {
      c.data->stop_at = kInf;
    } else {
      c.data->lost.push_back({c.data->stop_at - c.data->cfg.volatile_window_s, c.data->stop_at});
      c.data->stop_at = kInf;
    }
  }
  // A cache comes back empty: it warms up even when nothing took it out of rotation.
  if (!in.in_rotation || c.b.instances.warm_up) enter_rotation(ci, i);
}

void Trial::enter_rotation(std::size_t ci, std::size_t i) {
  if (comps_[ci].b.instances.warm_up) {
    warm_up(ci, i);
  } else {
    join_rotation(ci, i);
  }
}

void Trial::warm_up(std::size_t ci, std::size_t i) {
  Comp& c = comps_[ci];
  Instance& in = c.inst[i];
  touch(ci);
  in.in_rotation = false;
  in.warming = true;
  const double until = now() + c.b.instances.warm_up->sample(rng_);
  in.warm_until = until;
  sg4::Host* host = in.host;
  event("warming-up", c.spec->name, host_name(host) + " warm in " + format_duration(until - now()));
  at(until, [this, ci, host, until] {
    // The latest warm-up of this host's live record (it may have been lost and back since).
    Comp& c = comps_[ci];
    for (std::size_t k = 0; k < c.inst.size(); ++k) {
      Instance& in = c.inst[k];
      if (in.host != host || in.retired || !in.alive() || !in.warming || in.warm_until != until) {
        continue;
      }
      in.warming = false;
      event("warm", c.spec->name, host_name(host));
      join_rotation(ci, k);
      changed();
    }
  });
}

void Trial::join_rotation(std::size_t ci, std::size_t i) {
  Comp& c = comps_[ci];
  touch(ci);
  if (c.checked_by.empty()) {
    c.inst[i].in_rotation = true;
    return;
  }
  c.inst[i].in_rotation = false;
  sg4::Host* host = c.inst[i].host;
  for (auto lb : c.checked_by) {
    const HealthCheckConfig hc = *comps_[lb].b.health_check;
    const double back =
        next_tick(now(), comps_[lb].check_phase, hc.interval_s) + (hc.rise - 1) * hc.interval_s;
    at(back, [this, ci, host] {
      // Instances may have been inserted meanwhile: find this host's live record.
      for (auto& in : comps_[ci].inst) {
        if (in.host != host || in.retired || !in.alive() || in.in_rotation || in.warming) continue;
        in.in_rotation = true;
        touch(ci);
        event("in-rotation", comps_[ci].spec->name, host_name(host));
        changed();
      }
    });
  }
}

void Trial::on_stopped_serving(std::size_t ci) {
  if (visibly_serving(ci)) return;  // damaged data: noticed by people (detected_after)
  for (const std::size_t mi : monitors_) {
    const Comp& m = comps_[mi];
    if (mi == ci) continue;
    const MonitorConfig& mc = *m.b.monitor;
    if (!mc.watches.empty() &&
        std::find(mc.watches.begin(), mc.watches.end(), comps_[ci].spec->name) == mc.watches.end()) {
      continue;
    }
    const bool monitor_up = serving(mi);
    const double decide = monitor_up ? next_tick(now(), m.check_phase, mc.interval_s) +
                                           (mc.failures - 1) * mc.interval_s
                                     : now() + mc.fallback_detection.sample(rng_);
    const double delay = monitor_up ? mc.alert_delay.sample(rng_) : 0.0;
    at(decide, [this, ci, mi, delay, monitor_up] {
      if (visibly_serving(ci)) return;
      note_detection(ci);
      at(now() + delay, [this, ci, mi, monitor_up] {
        alert(comps_[ci].spec->name, monitor_up ? comps_[mi].spec->name + " alerted"
                                                : "noticed without monitoring");
        if (!comps_[mi].b.monitor->team.empty()) {
          page(comp_index_.at(comps_[mi].b.monitor->team), {ci});
        }
      });
    });
  }
}

void Trial::alert(const std::string& subject, const std::string& why) {
  if (auto it = comp_index_.find(subject); it != comp_index_.end()) note_detection(it->second);
  event("alert", subject, why);
  if (!alerted_) {
    alerted_ = true;
    start_runbooks("alert");
  }
  changed();
}

void Trial::page(std::size_t ti, const std::vector<std::size_t>& about) {
  Comp& t = comps_[ti];
  if (!t.team) return;
  // A team already at work takes up a new page at once; one still on its way answers them all
  // when it responds.
  if (t.team->responded_at != kInf) {
    for (const std::size_t c : about) note_response(c);
  } else {
    t.team->paged_for.insert(t.team->paged_for.end(), about.begin(), about.end());
  }
  if (t.team->paged) return;
  t.team->paged = true;
  event("paged", t.spec->name);
  spawn("respond-" + t.spec->name, [this, ti] {
    TeamRt& team = *comps_[ti].team;
    double extra = 0;
    for (;;) {
      if (now() < team.unavailable_until) {
        pause_until(team.unavailable_until);
        continue;
      }
      if (team.office_down && !team.cfg.remote_capable) {
        wait_until([&] { return !team.office_down; });
        continue;
      }
      break;
    }
    if (team.office_down) extra = team.cfg.remote_setup.sample(rng_);
    pause_for(team.cfg.response.sample(rng_) + extra);
    team.responded_at = now();
    for (const std::size_t c : team.paged_for) note_response(c);
    team.paged_for.clear();
    event("responded", comps_[ti].spec->name);
    changed();
  });
}

void Trial::start_runbooks(const std::string& trigger) {
  for (const auto& name : d_.runbooks) {
    const Runbook* rb = s_.runbook(name);
    if (rb == nullptr || rb->trigger != trigger) continue;
    event("runbook-start", rb->name);
    // What the runbook acts on: its teams' response counts for the services needing those.
    std::vector<std::size_t> about;
    for (const auto& step : rb->steps) {
      if (step.action.verb == ActionVerb::none) continue;
      about.push_back(comp_index_.at(step.action.component));
      if (step.action.verb == ActionVerb::switch_to) {
        for (const auto& t : step.action.to) about.push_back(comp_index_.at(t));
      }
    }
    // A runbook started with the disruption is told of it then: for what it acts on, that is
    // the detection (its team's response time is response, not noticing).
    if (trigger == "start") {
      for (const std::size_t c : about) note_detection(c);
    }
    for (const auto& step : rb->steps) {
      if (step.manual && !step.team.empty()) page(comp_index_.at(step.team), about);
      spawn("step-" + step.id, [this, rb, &step] { run_step(*rb, step); });
    }
  }
}

void Trial::run_step(const Runbook& rb, const Step& step) {
  const std::string key = rb.name + "/" + step.id;
  // The keys of the steps it waits for, built once: the condition is checked at every change.
  std::vector<std::string> after;
  after.reserve(step.after.size());
  for (const auto& a : step.after) after.push_back(rb.name + "/" + a);
  wait_until([&] {
    return std::all_of(after.begin(), after.end(),
                       [&](const std::string& k) { return done_steps_.count(k) > 0; });
  });
  if (!resolve_fallback(rb.name, step, key)) return;
  bool announced = false;
  wait_until([&] {
    for (const auto& r : step.requires_up) {
      if (!serving(comp_index_.at(r))) {
        if (!announced) {
          announced = true;
          event("step-blocked", key, "waits for " + r);
        }
        return false;
      }
    }
    return true;
  });
  TeamRt* team = nullptr;
  if (step.manual && !step.team.empty()) {
    team = comps_[comp_index_.at(step.team)].team.get();
    wait_until([&] { return team->responded_at <= now() && now() >= team->unavailable_until; });
    team->people->acquire();
  }
  event("step-start", key, step.title);
  // The step's own work, then its action; with duration_includes_transfer the restore's
  // transfer starts with the step, and the step (and the restore) lasts max(work, transfer).
  const double work = step.duration.sample(rng_);
  const double until = now() + work;
  if (!step.duration_includes_transfer) pause_for(work);
  perform(step, until);
  if (now() < until) pause_until(until);
  if (team != nullptr) team->people->release();
  done_steps_.insert(key);
  event("step-done", key);
  changed();
}

bool Trial::resolve_fallback(const std::string& rb, const Step& step, const std::string& key) {
  if (!step.fallback_for.empty()) {
    const std::string primary = rb + "/" + step.fallback_for;
    wait_until([&] { return resolved_steps_.count(primary) > 0; });
    if (resolved_steps_.at(primary)) {
      if (!step.fallback.empty()) resolved_steps_[key] = true;  // its own fallback: unneeded too
      event("step-skipped", key, "not needed: " + primary + " runs");
      changed();
      return false;
    }
    event("fallback", key, "in place of " + primary);
  }
  if (step.fallback.empty()) return true;
  const std::string why = unmet_precondition(step);
  resolved_steps_[key] = why.empty();
  if (why.empty()) {
    changed();
    return true;
  }
  event("step-skipped", key, why + "; its fallback " + rb + "/" + step.fallback + " runs");
  changed();
  const std::string fallback = rb + "/" + step.fallback;
  wait_until([&] { return done_steps_.count(fallback) > 0; });
  done_steps_.insert(key);  // steps after it follow the fallback's completion
  changed();
  return false;
}

std::string Trial::unmet_precondition(const Step& step) const {
  for (const auto& r : step.requires_up) {
    if (!serving(comp_index_.at(r))) return r + " is not up";
  }
  const Action& a = step.action;
  const bool data_action = a.verb == ActionVerb::restore || a.verb == ActionVerb::rebuild ||
                           a.verb == ActionVerb::failover;
  if (!data_action) return "";
  const Comp& c = comps_[comp_index_.at(a.component)];
  if (!c.data) return "";
  if (a.verb == ActionVerb::failover) {
    if (c.inst[0].alive() && c.data->corrupt_at == kInf) return "";
    for (const auto& copy : c.data->copies) {
      if (copy.cfg.kind == CopyConfig::Kind::replica && copy.alive()) return "";
    }
    return "no replica of " + c.spec->name + " is alive";
  }
  if (primary_healthy(c)) return "";
  const DataRt& d = *c.data;
  if (d.cfg.derived && !d.cfg.rebuild_source.empty() &&
      serving(comp_index_.at(d.cfg.rebuild_source))) {
    return "";
  }
  for (const auto& copy : d.copies) {
    if (restorable_from(a.from, copy.cfg.kind) && frontier(c, copy) > -kInf) return "";
  }
  return "no usable copy of " + c.spec->name +
         (a.from == "any" ? std::string() : " (from: " + a.from + ")") + " to restore from";
}

void Trial::perform(const Step& step, double done_not_before) {
  const Action& a = step.action;
  if (a.verb == ActionVerb::none) return;
  const std::size_t ci = comp_index_.at(a.component);
  Comp& c = comps_[ci];
  switch (a.verb) {
    case ActionVerb::none: return;
    case ActionVerb::failover: {
      if (!c.data) return;
      for (;;) {
        if (c.inst[0].alive() && c.data->corrupt_at == kInf) {
          event("failover-unneeded", c.spec->name, "the primary serves");
          return;
        }
        std::size_t best = c.data->copies.size();
        double best_f = -kInf;
        for (std::size_t k = 0; k < c.data->copies.size(); ++k) {
          const CopyRt& copy = c.data->copies[k];
          if (copy.cfg.kind != CopyConfig::Kind::replica || !copy.alive()) continue;
          const double f = frontier(c, copy);
          if (f > best_f) best_f = f, best = k;
        }
        if (best < c.data->copies.size()) {
          promote(ci, best, "promoted by " + step.id);
          return;
        }
        event("failover-blocked", c.spec->name, "no replica is alive");
        wait_for_change();
      }
    }
    case ActionVerb::restore: restore(ci, a, done_not_before); return;
    case ActionVerb::rebuild:
      if (c.data) {
        restore(ci, a, done_not_before);
      } else {
        rebuild(ci, a.to);
      }
      return;
    case ActionVerb::switch_to: {
      const auto& targets = c.b.routing->targets;
      auto it = std::find(targets.begin(), targets.end(), a.to.front());
      switch_target(ci, static_cast<std::size_t>(it - targets.begin()), "switched by " + step.id);
      return;
    }
    case ActionVerb::bypass:
      c.bypassed = true;
      touch(ci);
      event("bypassed", c.spec->name);
      return;
    case ActionVerb::repair:
      while (c.crash_holds > 0) {
        --c.crash_holds;
        for (auto& in : c.inst) release(in.host);
      }
      touch(ci);
      if (c.data && c.data->corrupt_at != kInf) {
        c.data->corrupt_at = kInf;
        c.data->deletion = false;
        c.data->damage_seen = false;
        c.data->recovered_from.push_back("repair");
      }
      event("repaired", c.spec->name);
      return;
    case ActionVerb::wait_for:
      wait_until([&] { return serving(ci); });
      return;
  }
}

void Trial::promote(std::size_t ci, std::size_t k, const std::string& how) {
  Comp& c = comps_[ci];
  DataRt& d = *c.data;
  CopyRt& copy = d.copies[k];
  const double f = frontier(c, copy);
  const double stop = lineage_stop(c);
  if (f < stop) d.lost.push_back({f, stop});
  d.recovered_from.push_back(copy.cfg.name);
  const std::string stale = stale_note(copy);
  // Only a copy the damage did not reach is promoted (frontier -inf otherwise): a filesystem-
  // level wipe or corruption of the old primary's files is left behind.
  d.corrupt_at = kInf;
  d.deletion = false;
  d.damage_seen = false;
  d.damage_local = false;
  copy.stale_for.reset();
  // The standby's host becomes the primary; the old primary becomes a (stale) standby.
  std::swap(c.inst[0].host, copy.host);
  touch(ci);
  c.inst[0].zone = copy.cfg.zone;
  c.inst[0].was_alive = true;
  c.inst[0].destroyed = false;
  enter_rotation(ci, 0);
  copy.was_alive = copy.alive();
  copy.cut_at = now();
  d.stop_at = kInf;
  event("failover", c.spec->name,
        how + ": " + copy.cfg.name + " promoted, " + format_duration(std::max(0.0, stop - f)) +
            " of writes lost" + stale);
  changed();
}

std::string Trial::stale_note(const CopyRt& copy) const {
  if (!copy.stale_for) return "";
  return " (its replication had stopped " + format_duration(*copy.stale_for) + " before T0)";
}

double Trial::frontier(const Comp& c, const CopyRt& copy) const {
  const DataRt& d = *c.data;
  if (!copy.alive()) return -kInf;
  const double t = now();
  const double stop = lineage_stop(c);
  const double corrupt = d.corrupt_at;
  using K = CopyConfig::Kind;
  switch (copy.cfg.kind) {
    case K::replica: {
      // Replication carries a logical fault over, unless it had gone stale before the fault.
      const double stale_at = copy.stale_for ? t0_ - *copy.stale_for : kInf;
      if (corrupt != kInf && !d.damage_local && !(stale_at < corrupt)) return -kInf;
      return std::min({stop, copy.cut_at, stale_at}) - copy.lag;
    }
    case K::snapshot:
    case K::copy: {
      // Latest job run before the damage and while the primary ran, within retention. Runs
      // whose data is moved by a communication count once it arrived; runs before the trial
      // started are complete.
      // A run counts when it ran at or before the stop and strictly before the damage (and,
      // of a broken job, no later than its last restore test).
      auto counts = [&](double run) {
        return run <= stop && run < corrupt && run <= copy.usable_until;
      };
      if (copy.cfg.before_fault_s) {  // one-off: a single point, kept
        const double point = t0_ - *copy.cfg.before_fault_s;
        return counts(point) ? point : -kInf;
      }
      if (copy.usable_until == -kInf) return -kInf;
      const double phase = copy.phase, interval = copy.cfg.interval_s;
      double s = -kInf;
      if (copy.cfg.transfer_bytes > 0) {
        for (auto it = copy.completed.rbegin(); it != copy.completed.rend(); ++it) {
          if (counts(*it)) {
            s = *it;
            break;
          }
        }
        if (s == -kInf) {
          double before = last_run(0.0, phase, interval, true);  // before the trial
          if (before > copy.usable_until) before = last_run(copy.usable_until, phase, interval);
          if (counts(before)) s = before;
        }
      } else {
        s = last_run(std::min(stop, copy.usable_until), phase, interval);
        if (!counts(s)) s = last_run(corrupt, phase, interval, true);
      }
      if (s < t - copy.cfg.retention_s) return -kInf;
      return s;
    }
    case K::pitr: {
      double f = last_run(stop, copy.phase, copy.cfg.interval_s);
      if (corrupt != kInf) f = std::min(f, corrupt);
      if (f < t - copy.cfg.retention_s) return -kInf;
      // A base snapshot at or before the target point, in retention, in the same place.
      for (const auto& other : d.copies) {
        if (other.cfg.kind != K::snapshot || other.cfg.region != copy.cfg.region ||
            other.cfg.provider != copy.cfg.provider || !other.alive()) {
          continue;
        }
        if (other.cfg.before_fault_s) {  // a one-off snapshot as the base
          if (t0_ - *other.cfg.before_fault_s <= std::min(f, stop)) return f;
          continue;
        }
        if (other.usable_until == -kInf) continue;
        const double upto = std::min({f, stop, other.usable_until});
        const double s = last_run(upto, other.phase, other.cfg.interval_s);
        if (s >= t - other.cfg.retention_s) return f;
      }
      return -kInf;
    }
    case K::versions: {
      if (!copy.cfg.object_lock && !c.inst[0].alive() && c.inst[0].destroyed) return -kInf;
      if (corrupt == kInf) return stop;
      if (corrupt < t - copy.cfg.retention_s) return -kInf;
      return corrupt;
    }
  }
  return -kInf;
}

void Trial::restore(std::size_t ci, const Action& a, double done_not_before) {
  Comp& c = comps_[ci];
  DataRt& d = *c.data;
  std::string zone = a.to.empty() ? (c.spec->placement.zones.empty() ? std::string{}
                                                                    : c.spec->placement.zones[0])
                                  : a.to.front();
  auto hosts = action_hosts_.find({ci, zone});
  sg4::Host* target = hosts == action_hosts_.end() ? c.inst[0].host : hosts->second.front();
  using K = CopyConfig::Kind;
  auto allowed = [&](K k) { return restorable_from(a.from, k); };
  bool announced = false;
  for (;;) {
    std::size_t best = d.copies.size();
    double best_f = -kInf;
    for (std::size_t k = 0; k < d.copies.size(); ++k) {
      if (!allowed(d.copies[k].cfg.kind)) continue;
      const double f = frontier(c, d.copies[k]);
      if (f > best_f) best_f = f, best = k;
    }
    const bool can_rebuild = d.cfg.derived && !d.cfg.rebuild_source.empty() &&
                             serving(comp_index_.at(d.cfg.rebuild_source));
    if (primary_healthy(c)) {
      event("restore-unneeded", c.spec->name, "the primary is back with its data");
      return;
    }
    if (best == d.copies.size() && !can_rebuild) {
      if (!announced) {
        announced = true;
        event("restore-blocked", c.spec->name, "no reachable, undamaged copy to restore from");
      }
      wait_for_change();
      continue;
    }
    if (!target->is_on()) {
      wait_until([&] { return target->is_on(); });
      continue;
    }
    if (d.stop_at == kInf) d.stop_at = now();  // the damaged lineage stops here
    d.restoring = true;
    touch(ci);
    changed();
    try {
      std::string source;
      if (best == d.copies.size()) {
        source = "rebuild from " + d.cfg.rebuild_source;
        event("restore-start", c.spec->name, source);
        pause_for(d.cfg.size_bytes / d.cfg.rebuild_Bps);
        best_f = lineage_stop(c);
      } else {
        CopyRt& copy = d.copies[best];
        source = copy.cfg.name;
        event("restore-start", c.spec->name,
              "from " + source + " (" + format_size(d.cfg.size_bytes) + ")" + stale_note(copy));
        if (copy.cfg.kind == K::versions || copy.host == target) {
          pause_for(d.cfg.size_bytes / d.cfg.restore_throughput_Bps);
        } else {
          transfer(copy.host, target, d.cfg.size_bytes);
        }
        // The copy may have moved on while the data was in flight; the restore holds what it
        // held when the transfer started.
      }
      if (now() < done_not_before) pause_until(done_not_before);
      const double stop = lineage_stop(c);
      if (!d.cfg.derived && best_f < stop) d.lost.push_back({best_f, stop});
      d.recovered_from.push_back(source);
      if (target != c.inst[0].host) {
        Instance moved;
        moved.host = target;
        moved.zone = zone;
        c.inst[0].retired = true;
        c.inst.insert(c.inst.begin(), moved);
      }
      c.inst[0].destroyed = false;  // restored in place: the store exists again
      c.inst[0].was_alive = true;
      enter_rotation(ci, 0);
      d.corrupt_at = kInf;
      d.deletion = false;
      d.damage_seen = false;
      d.stop_at = kInf;
      d.restoring = false;
      touch(ci);
      for (auto& copy : d.copies) copy.cut_at = kInf;
      event("restored", c.spec->name, "from " + source);
      changed();
      return;
    } catch (const simgrid::Exception& e) {
      d.restoring = false;
      touch(ci);  // seen by the next evaluation (no change of its own, as before)
      event("restore-failed", c.spec->name, "transfer interrupted, retrying");
    }
  }
}

void Trial::rebuild(std::size_t ci, const std::vector<std::string>& zones) {
  Comp& c = comps_[ci];
  for (auto& in : c.inst) in.retired = true;
  touch(ci);
  for (const auto& zone : zones) {
    for (auto* host : action_hosts_.at({ci, zone})) {
      Instance in;
      in.host = host;
      in.zone = zone;
      c.inst.push_back(in);
      enter_rotation(ci, c.inst.size() - 1);
    }
  }
  c.crash_holds = 0;
  event("rebuilt", c.spec->name, "in " + std::to_string(zones.size()) + " zone(s)");
  changed();
}

void Trial::switch_target(std::size_t ci, std::size_t target, const std::string& how) {
  Comp& c = comps_[ci];
  c.active = target;
  c.propagated_at = now() + c.b.routing->propagation_s;
  c.target_was_serving = true;
  touch(ci);
  if (std::find(propagating_.begin(), propagating_.end(), ci) == propagating_.end()) {
    propagating_.push_back(ci);
  }
  event("switched", c.spec->name, how + " to " + c.b.routing->targets[target] + ", TTL " +
                                      format_duration(c.b.routing->propagation_s));
  const double until = c.propagated_at;
  at(until, [this, ci] {
    event("propagated", comps_[ci].spec->name);
    changed();
  });
  changed();
}

// The link a partition or degradation acts on: between two zones of one region, else between
// the two regions (a zone stands for its region).
sg4::Link* Trial::partition_link(const Fault& f) const {
  auto region_of = [&](const std::string& n) {
    auto it = s_.zone_region.find(n);
    return it == s_.zone_region.end() ? n : it->second;
  };
  const bool zones = s_.zone_region.count(f.target) && s_.zone_region.count(f.peer);
  if (zones && region_of(f.target) == region_of(f.peer)) {
    return platform_->link_between(f.target, f.peer);
  }
  return platform_->link_between(region_of(f.target), region_of(f.peer));
}

std::vector<sg4::Host*> Trial::fault_hosts(const Fault& f) const {
  std::vector<sg4::Host*> out;
  auto add_location = [&](const Location& loc) {
    const auto& hs = platform_->hosts_in(loc);
    out.insert(out.end(), hs.begin(), hs.end());
  };
  auto add_region = [&](const std::string& name) {
    const Region* r = s_.region(name);
    for (const auto& z : r->zones) add_location({Location::Kind::zone, z});
    add_location({Location::Kind::regional, name});
  };
  switch (f.kind) {
    case FaultKind::zone_outage: add_location({Location::Kind::zone, f.target}); break;
    case FaultKind::region_outage: add_region(f.target); break;
    case FaultKind::provider_outage:
      for (const auto& p : s_.providers) {
        if (p.name != f.target) continue;
        for (const auto& r : p.regions) add_region(r);
        add_location({Location::Kind::global, p.name});
      }
      break;
    case FaultKind::component_crash:
    case FaultKind::third_party_outage: {
      const Comp& c = comps_[comp_index_.at(f.target)];
      for (const auto& in : c.inst) {
        if (!in.retired) out.push_back(in.host);
      }
      break;
    }
    default: break;
  }
  return out;
}

void Trial::inject(const Fault& f, bool start) {
  const std::string what = std::string(fault_kind_name(f.kind)) + " " + f.target;
  event(start ? "fault" : "fault-end", f.target, what);
  if (!start && outside_kind(f.kind)) outside_end_ = now();
  switch (f.kind) {
    case FaultKind::zone_outage:
    case FaultKind::region_outage:
    case FaultKind::provider_outage:
    case FaultKind::component_crash:
    case FaultKind::third_party_outage: {
      if (f.kind == FaultKind::component_crash || f.kind == FaultKind::third_party_outage) {
        comps_[comp_index_.at(f.target)].crash_holds += start ? 1 : -1;
      }
      for (auto* h : fault_hosts(f)) start ? hold(h) : release(h);
      break;
    }
    case FaultKind::network_partition:
    case FaultKind::network_degradation: {
      sg4::Link* link = partition_link(f);
      if (link == nullptr) break;
      if (f.kind == FaultKind::network_partition) {
        start ? link->turn_off() : link->turn_on();
        partitions_ += start ? 1 : -1;
        full_pending_ = true;
      } else if (start) {
        degraded_[link] = {link->get_bandwidth(), link->get_latency()};
        link->set_bandwidth(link->get_bandwidth() * f.bandwidth_factor);
        link->set_latency(link->get_latency() + f.extra_latency_s);
      } else if (auto it = degraded_.find(link); it != degraded_.end()) {
        link->set_bandwidth(it->second.first);
        link->set_latency(it->second.second);
      }
      break;
    }
    case FaultKind::data_corruption:
    case FaultKind::operator_deletion: {
      Comp& c = comps_[comp_index_.at(f.target)];
      if (start && c.data && c.data->corrupt_at == kInf) {
        c.data->corrupt_at = now();
        c.data->deletion = f.kind == FaultKind::operator_deletion;
        c.data->damage_local = f.scope == Fault::Scope::filesystem;
        c.data->damage_seen = c.data->deletion;
        touch(comp_index_.at(f.target));
        const double notice = f.detected_after ? f.detected_after->sample(rng_) : 0.0;
        const std::string name = c.spec->name;
        const std::size_t damaged = comp_index_.at(f.target);
        const double corrupt_at = c.data->corrupt_at;
        const bool unseen = !c.data->damage_seen;
        if (unseen) ++notices_pending_;
        at(now() + notice, [this, name, damaged, corrupt_at, unseen] {
          DataRt& d = *comps_[damaged].data;
          if (unseen) --notices_pending_;
          if (!d.damage_seen && d.corrupt_at == corrupt_at) {  // this corruption, not repaired
            d.damage_seen = true;
            touch(damaged);  // alert() asks for the evaluation
          }
          alert(name, "damage noticed");
          for (std::size_t mi = 0; mi < comps_.size(); ++mi) {
            if (comps_[mi].b.monitor && !comps_[mi].b.monitor->team.empty()) {
              page(comp_index_.at(comps_[mi].b.monitor->team), {damaged});
            }
          }
          for (std::size_t ti = 0; ti < comps_.size(); ++ti) {
            if (comps_[ti].team) page(ti, {damaged});
          }
        });
      }
      break;
    }
    case FaultKind::credential_compromise:
      if (start) compromise(f.target);
      break;
    case FaultKind::component_compromise:
      if (start) {
        for (const auto& cred : comps_[comp_index_.at(f.target)].spec->uses_credentials) {
          event("credential-compromised", cred, "held by " + f.target);
          compromise(cred);
        }
      }
      break;
    case FaultKind::team_unavailable:
    case FaultKind::office_unavailable: {
      TeamRt& team = *comps_[comp_index_.at(f.target)].team;
      if (f.kind == FaultKind::office_unavailable) {
        team.office_down = start;
      } else {
        team.unavailable_until = start ? kInf : now();
      }
      break;
    }
  }
  changed();
}

void Trial::compromise(const std::string& credential) {
  for (std::size_t ci = 0; ci < comps_.size(); ++ci) {
    Comp& c = comps_[ci];
    const auto& creds = c.spec->credentials;
    if (std::find(creds.begin(), creds.end(), credential) != creds.end()) {
      touch(ci);
      for (auto& in : c.inst) in.destroyed = true;
      if (c.data && c.data->stop_at == kInf) c.data->stop_at = now();
    }
    if (!c.data) continue;
    for (auto& copy : c.data->copies) {
      const auto& cc = copy.cfg.credentials;
      if (copy.cfg.object_lock || std::find(cc.begin(), cc.end(), credential) == cc.end()) continue;
      copy.destroyed = true;
      touch(ci);
    }
  }
}

void Trial::start_copy_jobs() {
  for (std::size_t ci = 0; ci < comps_.size(); ++ci) {
    if (!comps_[ci].data) continue;
    for (std::size_t k = 0; k < comps_[ci].data->copies.size(); ++k) {
      const CopyConfig& cfg = comps_[ci].data->copies[k].cfg;
      if (cfg.transfer_bytes <= 0 || cfg.interval_s <= 0) continue;
      spawn("job-" + cfg.name, [this, ci, k] {
        const CopyRt& first = comps_[ci].data->copies[k];
        const double phase = first.phase, interval = first.cfg.interval_s;
        double run = next_tick_index(0, phase, interval);  // the next run's tick index
        for (;;) {
          const double run_at = tick(phase, run, interval);
          pause_until(run_at);
          run += 1;
          Comp& c = comps_[ci];
          CopyRt& copy = c.data->copies[k];
          if (!c.inst[0].alive()) {
            // Polling every interval while the primary is down was most of a long outage's
            // trial (a wake-up, and an engine time step, per job and interval up to the
            // horizon): wait until an evaluation finds it alive, then take the ticks up again
            // where polling would have been.
            wait_in(waiting_jobs_, ci, 0);
            run = std::max(run, next_tick_index(now(), phase, interval));
            continue;
          }
          if (copy.destroyed || c.data->restoring) continue;
          // SimGrid asserts (not throws) when a communication starts towards a host that
          // is off: an unreachable destination loses the run here.
          if (!copy.host->is_on()) {
            event("copy-failed", c.spec->name, copy.cfg.name + " unreachable at its run of " +
                                                   format_duration(run_at - t0_));
            continue;
          }
          try {
            transfer(c.inst[0].host, copy.host, copy.cfg.transfer_bytes);
            copy.completed.push_back(run_at);
          } catch (const simgrid::Exception&) {
            event("copy-failed", c.spec->name, copy.cfg.name + " run of " +
                                                   format_duration(run_at - t0_) + " lost in transit");
          }
        }
      });
    }
  }
}

void Trial::start() {
  clock_ = sg4::Engine::get_clock();  // 0: every trial of a batch starts with the engine
  // Snapshot and copy jobs move data as communications: the trial starts one job period
  // before the first fault so the last runs before it really travel (and can be cut off).
  double warmup = 0;
  for (const auto& c : comps_) {
    if (!c.data) continue;
    for (const auto& copy : c.data->copies) {
      if (copy.cfg.transfer_bytes > 0) warmup = std::max(warmup, copy.cfg.interval_s);
    }
  }
  // Fault start times: T0 is the earliest.
  std::vector<double> starts;
  for (const auto& f : d_.faults) starts.push_back(warmup + f.at.sample(rng_));
  t0_ = *std::min_element(starts.begin(), starts.end());
  set_clock(starts);
  for (auto& c : comps_) {
    if (!c.data) continue;
    for (auto& copy : c.data->copies) draw_broken(c.spec->name, copy);
  }
  const double horizon = t0_ + s_.horizon_s;
  faults_pending_ = static_cast<int>(d_.faults.size());
  start_evaluator(false);
  // One actor runs every timer (health checks, detections, propagation, drains, the
  // horizon) in time order, and sets the trial's clock to each one's instant (see at()).
  spawn("timers", [this] {
    std::unique_lock<sg4::Mutex> lock(*timer_mutex_);
    double reached = 0;  // the latest instant SimGrid's clock was waited for
    for (;;) {
      if (timers_.empty()) {
        timer_wake_ = kInf;
        timer_cond_->wait(lock);
        continue;
      }
      const double t = timers_.top().t;
      if (t > std::max(clock_, reached)) {
        // Woken early by a new timer (notify) or at the instant (timeout): which one is known
        // from SimGrid's answer, not from comparing its clock with t.
        timer_wake_ = t;
        if (timer_cond_->wait_until(lock, t) == std::cv_status::timeout) reached = t;
        continue;
      }
      clock_ = std::max(clock_, t);
      timer_wake_ = clock_;
      std::function<void()> f = timers_.top().f;
      timers_.pop();
      f();
    }
  });
  start_copy_jobs();
  for (std::size_t k = 0; k < d_.faults.size(); ++k) {
    const Fault* f = &d_.faults[k];
    const double at = starts[k];
    const double duration = f->duration ? f->duration->sample(rng_) : kInf;
    spawn("fault-" + std::to_string(k), [this, f, at, duration] {
      pause_until(at);
      if (f->kind == FaultKind::team_unavailable && duration != kInf) {
        comps_[comp_index_.at(f->target)].team->unavailable_until = now() + duration;
      }
      inject(*f, true);
      if (now() <= t0_ && !runbooks_started_) {
        runbooks_started_ = true;
        start_runbooks("start");
      }
      --faults_pending_;
      changed();
      if (duration == kInf) return;
      pause_for(duration);
      inject(*f, false);
    });
  }
  // The controller is not spawn()ed: it may run when the trial is finished.
  at(horizon, [this] { cond_->notify_all(); });
  sg4::Actor::create("controller", platform_->control(), [this, horizon] {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    for (;;) {
      if (faults_pending_ == 0 && svcs_down_ == 0 && notices_pending_ == 0) break;
      if (now() >= horizon) {
        horizon_reached_ = true;
        break;
      }
      cond_->wait(lock);
    }
    lock.unlock();
    finished_ = true;
    // The trial is over: what else happens at this instant (its actors already running) is
    // recorded, then its actors (timers, jobs, waiting steps) end, not the batch's others.
    // The yield lets every actor spawned so far start first: without it, bench/empty.json (a
    // trial that ends at the instant it starts) crashed inside SimGrid 3.32's simcall
    // handling.
    sg4::this_actor::yield();
    result_ = measure();
    // The trial's other actors (timers, jobs, waiting steps; all on the control host) stop
    // here, the batch's others go on. Suspended, not killed: a suspended actor never runs its
    // code again, and killing one throws SimGrid's kill exception through its stack (about
    // 35,000 instructions each: a fifth of a small batch). Its process ends when the batch's
    // last trial has (run_prepared_batch), so they are never cleaned up. Each suspension is a
    // simcall: actors of this trial already due at this instant may still run in between,
    // after its result was measured, and can no longer spawn (finished_).
    const aid_t self = sg4::this_actor::get_pid();
    for (const auto& a : platform_->control()->get_all_actors()) {
      if (a->get_pid() != self) a->suspend();
    }
    if (g_trial_ended) g_trial_ended();
  });
}

std::vector<std::size_t> Trial::service_path(const Svc& svc, std::vector<char>& seen) const {
  std::vector<std::size_t> stack(svc.deps.begin(), svc.deps.end());
  for (const auto& group : svc.any_deps) stack.insert(stack.end(), group.begin(), group.end());
  for (const auto& q : svc.queued) stack.push_back(q.comp);
  for (const auto& name : svc.spec->data) stack.push_back(comp_index_.at(name));
  std::vector<std::size_t> path;
  while (!stack.empty()) {
    const std::size_t ci = stack.back();
    stack.pop_back();
    if (seen[ci] != 0) continue;
    seen[ci] = 1;
    path.push_back(ci);
    stack.insert(stack.end(), comps_[ci].deps.begin(), comps_[ci].deps.end());
    stack.insert(stack.end(), comps_[ci].targets.begin(), comps_[ci].targets.end());
    stack.insert(stack.end(), comps_[ci].any_flat.begin(), comps_[ci].any_flat.end());
  }
  for (const std::size_t ci : path) seen[ci] = 0;
  std::sort(path.begin(), path.end());
  return path;
}

double Trial::first_on(const std::vector<double>& at, const std::vector<std::size_t>& path) {
  double first = kInf;
  for (const std::size_t ci : path) first = std::min(first, at[ci]);
  return first;
}

TrialResult Trial::measure() {
  TrialResult r;
  r.disaster = d_.name;
  r.trial = index_;
  r.t0_s = t0_;
  r.end_s = now() - t0_;
  r.horizon_reached = horizon_reached_;
  for (const auto& svc : svcs_) {
    Outcome o;
    o.disaster = d_.name;
    o.service = svc.spec->name;
    o.disruption = d_.cls;
    if (const Target* t = s_.target(*svc.spec, d_.cls)) o.target = *t;
    o.affected = svc.affected;
    if (!svc.up) {
      o.rto_s.reset();
    } else {
      o.rto_s = svc.affected ? svc.last_up - t0_ : 0.0;
    }
    // Data: the union of windows of acknowledged writes each of its data stores lost.
    std::vector<std::pair<double, double>> windows;
    bool data_recovered = true;
    for (const auto& name : svc.spec->data) {
      const Comp& c = comps_[comp_index_.at(name)];
      if (c.data->stop_at != kInf || c.data->corrupt_at != kInf || c.data->restoring) {
        data_recovered = false;
      }
      windows.insert(windows.end(), c.data->lost.begin(), c.data->lost.end());
      for (const auto& from : c.data->recovered_from) {
        if (!o.recovered_from.empty()) o.recovered_from += ", ";
        o.recovered_from += name + ": " + from;
      }
    }
    if (!data_recovered) {
      o.rpo_s.reset();
      o.lost_writes.reset();
    } else {
      std::sort(windows.begin(), windows.end());
      double lost = 0, oldest = kInf, cur_a = 0, cur_b = -kInf;
      for (const auto& [a, b] : windows) {
        if (b <= a) continue;
        oldest = std::min(oldest, a);
        if (a > cur_b) {
          lost += count_writes(svc.spec->writes_per_s, cur_a, cur_b);
          cur_a = a;
          cur_b = b;
        } else {
          cur_b = std::max(cur_b, b);
        }
      }
      lost += count_writes(svc.spec->writes_per_s, cur_a, cur_b);
      o.rpo_s = oldest == kInf ? 0.0 : std::max(0.0, t0_ - oldest);
      o.lost_writes = lost;
    }
    // Phases: monotone milestones clamped to [T0, restored].
    if (o.rto_s && svc.affected) {
      const double end = svc.last_up;
      double prev = t0_;
      auto clamp = [&](double x) {
        prev = std::min(std::max(x, prev), end);
        return prev;
      };
      // Detection and response count only when they came before the components were back:
      // a fault that ended by itself was waited out, not detected.
      const double back = std::min(svc.last_raw_up, end);
      const double detected = first_on(detected_at_, svc.path);
      const double responded = first_on(responded_at_, svc.path);
      const double a1 = clamp(detected <= back ? detected : t0_);
      const double a2 = clamp(responded <= back ? responded : a1);
      const double a3 = clamp(svc.last_raw_up);
      const double a4 = clamp(svc.last_comps_up);
      o.phases.detect_s = a1 - t0_;
      o.phases.respond_s = a2 - a1;
      // Back when a provider or third party came back: that wait was theirs, not a restore.
      (svc.raw_up_by_outside ? o.phases.outside_s : o.phases.restore_s) = a3 - a2;
      o.phases.propagate_s = a4 - a3;
      o.phases.drain_s = end - a4;
    }
    o.met = o.rto_s.has_value() && o.rpo_s.has_value() && *o.rto_s <= o.target.rto_s + 1e-9 &&
            *o.rpo_s <= o.target.rpo_s + 1e-9;
    r.outcomes.push_back(o);
  }
  for (auto e : timeline_) {
    e.t_s -= t0_;
    r.timeline.push_back(std::move(e));
  }
  return r;
}

}  // namespace

struct PreparedBatch {
  sg4::Engine* engine = nullptr;
  std::vector<std::unique_ptr<Trial>> trials;
  // The end of the heap's used part (heap_top) before the engine was created, before the
  // first trial's platform was built, after each trial's (copy_ends[k]: after trial k's), and
  // when all was prepared. See unshare_prepared_memory.
  std::uintptr_t engine_start = 0;
  std::uintptr_t trials_start = 0;
  std::vector<std::uintptr_t> copy_ends;
  std::uintptr_t heap_end = 0;
};

namespace {

// The end of the heap's used part: its top less the free chunk at the top (malloc grows the
// heap in steps of up to 2 MiB, the huge page size, ahead of what it hands out).
std::uintptr_t heap_top() {
  return reinterpret_cast<std::uintptr_t>(::sbrk(0)) - mallinfo2().keepcost;
}

// Makes [from, to) (rounded out to whole pages) private to this process in one system call.
void populate_for_writing(std::uintptr_t from, std::uintptr_t to) {
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  from &= ~(page - 1);
  to = (to + page - 1) & ~(page - 1);
  if (to <= from) return;
  // Best effort: a kernel before 5.14 refuses it (EINVAL), and the pages are then copied one
  // fault at a time, as without it.
  ::madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE);
}

}  // namespace

PreparedBatch* prepare_batch(const Scenario& s, const ModelRegistry& registry, const Disaster& d,
                             std::size_t size) {
  int argc = 1;
  char name[] = "firedrill";
  char* argv[] = {name, nullptr};
  // Deliberately never destroyed: the process ends right after (see the header).
  auto* b = new PreparedBatch;
  b->engine_start = heap_top();
  b->engine = new sg4::Engine(&argc, argv);
  xbt_log_control_set("root.thresh:critical");
  b->engine->set_config("network/model:CM02");
  b->engine->set_config("network/crosstraffic:0");
  b->engine->set_config("network/TCP-gamma:0");
  // The engine's root zone, empty: each trial's platform is a tree of its own that only takes
  // the root's resource models (see Platform), and nothing routes between trials.
  auto* root = sg4::create_full_zone("trials");
  b->trials.reserve(size);
  b->copy_ends.reserve(size);
  b->trials_start = heap_top();
  for (std::size_t k = 0; k < size; ++k) {
    b->trials.push_back(
        std::make_unique<Trial>(s, registry, d, root, "t" + std::to_string(k) + "/"));
    b->copy_ends.push_back(heap_top());
  }
  root->seal();
  sg4::Host::on_state_change_cb([](const sg4::Host& h) {
    auto it = g_host_trial.find(&h);
    if (it != g_host_trial.end()) it->second->host_state_changed(&h);
  });
  g_stacks = actor_stacks(b->trials.empty() ? 0 : b->trials.front()->evaluation_depth());
  b->engine->set_config("contexts/stack-size", static_cast<int>(g_stacks.actor_kib));
  if (!g_stacks.guard) b->engine->set_config("contexts/guard-size", 0);
  // A large evaluation stack comes from mmap, its pages untouched until used; glibc would
  // otherwise raise its mmap threshold after the first one is freed and serve the next from
  // the heap, where calloc clears all of it. A fixed threshold keeps them mmapped.
  if (g_stacks.evaluation_kib >= 128) mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  b->heap_end = heap_top();
  return b;
}

void unshare_prepared_memory(PreparedBatch* b, std::size_t trials) {
  // What the engine and the running trials' platforms were built in. The copies beyond the
  // batch's trials stay idle (a sweep's last, shorter batch; the smaller batches the tuner
  // may settle on), and what came before the engine (the scenario, the sweep's own state) is
  // mostly only read: copying them would only cost.
  const std::size_t used = std::min(trials, b->copy_ends.size());
  populate_for_writing(b->engine_start, used == 0 ? b->trials_start : b->copy_ends[used - 1]);
  populate_for_writing(b->copy_ends.empty() ? b->trials_start : b->copy_ends.back(), b->heap_end);
}

void run_prepared_batch(PreparedBatch* b, const std::vector<std::uint64_t>& trial_indices,
                        const BatchDone& done) {
  if (trial_indices.size() > b->trials.size()) {
    throw std::logic_error("a batch of " + std::to_string(trial_indices.size()) +
                           " trials on " + std::to_string(b->trials.size()) + " prepared");
  }
  auto collect = [b, &trial_indices] {
    std::vector<TrialResult> results;
    results.reserve(trial_indices.size());
    for (std::size_t k = 0; k < trial_indices.size(); ++k) {
      if (!b->trials[k]->result()) {
        throw std::runtime_error("trial " + std::to_string(trial_indices[k]) +
                                 " did not end (the simulation stopped before it)");
      }
      results.push_back(*b->trials[k]->result());
    }
    return results;
  };
  // The last trial to end hands over the results from inside the simulation: the ended
  // trials' actors are suspended (see Trial::start), and the engine would otherwise report
  // them as a deadlock and kill them all.
  std::size_t running = trial_indices.size();
  bool handed_over = false;
  g_trial_ended = [&] {
    if (--running > 0) return;
    handed_over = true;
    done(collect());
  };
  // Trials prepared beyond the batch (its last, shorter one) are never started: their
  // platforms stay idle, disjoint from the others.
  for (std::size_t k = 0; k < trial_indices.size(); ++k) b->trials[k]->bind(trial_indices[k]);
  for (std::size_t k = 0; k < trial_indices.size(); ++k) b->trials[k]->start();
  if (trial_indices.empty()) {
    done({});
    return;
  }
  b->engine->run();
  // Only when `done` returned (the engine then killed the suspended actors), or a trial did
  // not end (collect() says so).
  g_trial_ended = nullptr;
  if (!handed_over) done(collect());
}

void run_trials_in_process(const Scenario& s, const ModelRegistry& registry, const Disaster& d,
                           const std::vector<std::uint64_t>& trial_indices,
                           const BatchDone& done) {
  run_prepared_batch(prepare_batch(s, registry, d, trial_indices.size()), trial_indices, done);
}

}  // namespace firedrill::sim
