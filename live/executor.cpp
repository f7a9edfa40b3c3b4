#include "live/executor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "live/journal.hpp"
#include "live/secrets.hpp"
#include "sim/result.hpp"
#include "sim/units.hpp"

namespace firedrill::live {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* kRpoNote = "not measured: the service has no write workload in the bindings";

// A runbook's steps in dependency order (the loader has checked that `after` is a DAG).
std::vector<const sim::Step*> ordered_steps(const sim::Runbook& rb) {
  std::vector<const sim::Step*> out;
  std::set<std::string> done;
  while (out.size() < rb.steps.size()) {
    const std::size_t before = out.size();
    for (const auto& st : rb.steps) {
      if (done.contains(st.id)) continue;
      bool ready = true;
      for (const auto& a : st.after) ready = ready && done.contains(a);
      if (!ready) continue;
      out.push_back(&st);
      done.insert(st.id);
    }
    if (out.size() == before) break;  // unreachable for a checked scenario
  }
  return out;
}

std::string describe_call(const DriverRegistry& drivers, const json& call) {
  const Driver* d = drivers.find(call.value("driver", std::string()));
  if (d == nullptr) return "unknown driver " + call.value("driver", std::string("?"));
  return d->name() + ": " + d->describe(call.value("action", std::string()), call.value("params", json::object()));
}

std::string describe_undo(const DriverRegistry& drivers, const Call& c) {
  if (c.undo.is_object()) return describe_call(drivers, c.undo);
  if (c.undo == "none") return "none";
  return "the driver's own undo";
}

std::string signal_text(unsigned signo) {
  return signo == SIGINT ? "SIGINT" : signo == SIGTERM ? "SIGTERM" : "SIGHUP";
}

std::string fault_label(const sim::Disaster& d, std::size_t i) {
  return "fault " + d.name + "/" + std::to_string(i) + " (" +
         std::string(sim::fault_kind_name(d.faults[i].kind)) + " " + d.faults[i].target + ")";
}

// Runs the undo of one journal entry: the undo record's action, its secrets resolved now.
bool undo_entry(const DriverRegistry& drivers, Redactor& redactor, const JournalEntry& e,
                std::string& detail) {
  const Driver* d = drivers.find(e.undo.value("driver", std::string()));
  if (d == nullptr) {
    detail = "unknown driver " + e.undo.value("driver", std::string("?"));
    return false;
  }
  const Status st = d->act(e.undo.value("action", std::string()),
                           redactor.resolve(e.undo.value("params", json::object())), Context{});
  detail = redactor.redact(st.detail);
  return st.ok;
}

struct Track {
  std::string name;
  const Probe* probe = nullptr;
  const Driver* driver = nullptr;
  json params;  // resolved
  bool guard = false;
  // Guarded by Drill::mutex_.
  double first_fail = -1;
  int streak = 0;      // consecutive passes
  double streak_start = 0;
  int fails = 0;       // consecutive failures
  bool down = false;
};

// A service's write workload (RPO): its writer thread writes numbered rows at `rate` from
// `warmup` before T0 until the drill ends; then what survived is read back.
struct WorkloadTrack {
  std::string service;
  const Call* call = nullptr;
  const Driver* driver = nullptr;
  json params;  // resolved
  double rate = 1;
  double warmup_s = 2;
  std::unique_ptr<Workload> impl;
  // Written by the writer thread only; read after it has been joined.
  std::vector<std::pair<long long, Clock::time_point>> acks;
  long long written = 0;
  long long failed = 0;
  std::string last_error;
  // After the read back.
  bool read = false;
  std::string read_detail;
  std::vector<long long> lost;  // acknowledged, missing
  long long present = 0;
};

class Drill {
 public:
  Drill(const sim::Scenario& s, const sim::Disaster& d, const Bindings& b, const DriverRegistry& dr,
        const LiveOptions& o, const Say& say)
      : s_(s), d_(d), b_(b), drivers_(dr), o_(o), say_(say) {}

  LiveRun run();

 private:
  void say(const std::string& text) {
    std::lock_guard lock(say_mutex_);
    say_(redactor_.redact(text));
  }
  double now() const { return std::chrono::duration<double>(Clock::now() - t0_).count(); }
  // An event at `at` seconds after T0 (default: now).
  void event(const std::string& ev, const std::string& subject, const std::string& detail = "",
             std::optional<double> at = std::nullopt) {
    const std::string clean = redactor_.redact(detail);
    const double t = at.value_or(now());
    {
      std::lock_guard lock(mutex_);
      timeline_.push_back({t, d_.name, ev, subject, clean});
    }
    say("[+" + sim::format_duration(std::max(0.0, t)) + "] " + ev + " " + subject +
        (clean.empty() ? "" : ": " + clean));
  }
  void fail(const std::string& why) {
    std::lock_guard lock(mutex_);
    if (failure_.empty()) failure_ = why;
  }
  bool cancelled() const { return cancel_.load(); }
  Context context() const {
    return Context{[this] { return cancelled(); }};
  }

  bool preflight();
  bool start_workloads();
  void write_loop(WorkloadTrack& w);
  void read_back(WorkloadTrack& w);
  bool wait_unless_signalled(int sfd, double seconds);
  bool inject();
  void probe_loop(Track& t);
  void record(Track& t, double at, const Status& st);
  void runbook_worker(const sim::Runbook& rb);
  bool run_step(const sim::Runbook& rb, const sim::Step& st);
  bool wait_for_operator(const std::string& key);
  bool restored() const;
  sim::TrialResult result(double end_s, bool max_reached) const;

  const sim::Scenario& s_;
  const sim::Disaster& d_;
  const Bindings& b_;
  const DriverRegistry& drivers_;
  const LiveOptions& o_;
  const Say& say_;
  Redactor redactor_;
  std::mutex say_mutex_, manual_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::atomic<bool> stop_probes_{false}, cancel_{false};
  std::optional<Journal> journal_;
  Clock::time_point t0_ = Clock::now();
  std::vector<std::unique_ptr<Track>> tracks_;
  std::vector<std::unique_ptr<WorkloadTrack>> workloads_;
  std::vector<std::thread> writers_;
  std::atomic<bool> stop_writes_{false};
  std::map<std::string, json> step_params_;
  std::vector<json> fault_params_;
  // Guarded by mutex_.
  std::vector<sim::TimelineEvent> timeline_;
  std::string failure_;
  double alert_at_ = -1;
  double first_manual_start_ = -1;
  std::size_t runbooks_done_ = 0;
  bool input_error_ = false;  // a secret reference could not be resolved
};

// Resolves every secret before anything is touched, and checks every target is healthy.
bool Drill::preflight() {
  try {
    for (const auto& svc : s_.services) {
      const Probe& p = b_.probes.at(svc.name);
      tracks_.push_back(std::make_unique<Track>(
          Track{svc.name, &p, drivers_.find(p.call.driver), redactor_.resolve(p.call.params)}));
    }
    for (const auto& g : b_.guards) {
      auto t = std::make_unique<Track>(Track{g.name, &g, drivers_.find(g.call.driver),
                                             redactor_.resolve(g.call.params)});
      t->guard = true;
      tracks_.push_back(std::move(t));
    }
    for (const auto& c : b_.faults.at(d_.name)) {
      fault_params_.push_back(redactor_.resolve(c.params));
      if (c.undo.is_object()) redactor_.resolve(c.undo["params"]);
    }
    for (const auto& [key, c] : b_.steps) step_params_[key] = redactor_.resolve(c.params);
    for (const auto& [service, c] : b_.workloads) {
      auto w = std::make_unique<WorkloadTrack>();
      w->service = service;
      w->call = &c;
      w->driver = drivers_.find(c.driver);
      w->params = redactor_.resolve(c.params);
      w->rate = sim::parse_rate(c.params.value("rate", std::string("1/s"))).value_or(1);
      w->warmup_s = sim::parse_duration(c.params.value("warmup", std::string("2s"))).value_or(2);
      workloads_.push_back(std::move(w));
    }
  } catch (const std::exception& e) {
    say(std::string("firedrill: ") + e.what() + "; nothing was touched");
    input_error_ = true;
    return false;
  }
  for (const auto& t : tracks_) {
    const Status st = t->driver->probe(t->params, Context{});
    if (!st.ok) {
      say("firedrill: " + std::string(t->guard ? "guard " : "service ") + t->name +
          " is not healthy before the drill (" + t->driver->describe("", t->probe->call.params) +
          "): " + redactor_.redact(st.detail) + "; nothing was touched");
      return false;
    }
  }
  return true;
}

// Creates each workload's table (journaled first, with the undo that drops it) and starts its
// writer. False (the drill aborts) when one cannot start.
bool Drill::start_workloads() {
  for (auto& w : workloads_) {
    Planned plan;
    if (Status st = w->driver->plan("workload", w->call->params, plan); !st.ok) {
      fail("workload " + w->service + ": " + redactor_.redact(st.detail));
      return false;
    }
    const std::string describe = w->driver->describe("workload", w->call->params);
    const int id = journal_->record_action("workload " + w->service, describe, plan.undo);
    w->impl = w->driver->workload(w->params);
    const Status st = w->impl->setup();
    if (!st.ok) {
      journal_->mark(id, "failed");
      fail("workload " + w->service + ": " + redactor_.redact(st.detail));
      return false;
    }
    say("workload " + w->service + ": " + describe);
    WorkloadTrack* track = w.get();
    writers_.emplace_back([this, track] {
      try {
        write_loop(*track);
      } catch (const std::exception& e) {
        fail(std::string("workload ") + track->service + ": " + e.what());
      }
    });
  }
  return true;
}

void Drill::write_loop(WorkloadTrack& w) {
  const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / w.rate));
  auto next = Clock::now();
  while (!stop_writes_) {
    const long long seq = ++w.written;
    const Status st = w.impl->write(seq);
    if (st.ok) {
      w.acks.emplace_back(seq, Clock::now());
    } else {
      ++w.failed;
      w.last_error = st.detail;
    }
    next += period;
    const auto now = Clock::now();
    if (next < now - period) next = now;  // after a slow failure: go on at the rate, no burst
    std::this_thread::sleep_until(next);
  }
}

// Reads back what survived (a few tries: the service may have just come back) and compares
// it with the acknowledgements.
void Drill::read_back(WorkloadTrack& w) {
  std::vector<long long> present;
  Status st;
  bool aborted = false;
  {
    std::lock_guard lock(mutex_);
    aborted = !failure_.empty();
  }
  const int attempts = aborted ? 1 : 10;  // after an abort, roll back soon
  for (int attempt = 0; attempt < attempts; ++attempt) {
    st = w.impl->read_back(present);
    if (st.ok || attempt + 1 == attempts) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  w.read = st.ok;
  w.read_detail = redactor_.redact(st.detail);
  if (!st.ok) {
    say("workload " + w.service + ": " + w.read_detail);
    return;
  }
  std::sort(present.begin(), present.end());
  w.present = static_cast<long long>(present.size());
  for (const auto& [seq, at] : w.acks) {
    if (!std::binary_search(present.begin(), present.end(), seq)) w.lost.push_back(seq);
  }
  say("workload " + w.service + ": " + std::to_string(w.written) + " written, " +
      std::to_string(w.acks.size()) + " acknowledged, " + std::to_string(w.present) +
      " present after recovery, " + std::to_string(w.lost.size()) + " acknowledged and lost");
}

// Waits `seconds` unless SIGINT/SIGTERM/SIGHUP arrives (then: fail, false).
bool Drill::wait_unless_signalled(int sfd, double seconds) {
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < end) {
    pollfd p{sfd, POLLIN, 0};
    if (::poll(&p, 1, 50) == 1) {
      signalfd_siginfo info{};
      if (::read(sfd, &info, sizeof info) == sizeof info) {
        fail("interrupted by " + signal_text(info.ssi_signo) + " during the workload's warm-up");
        return false;
      }
    }
    std::lock_guard lock(mutex_);
    if (!failure_.empty()) return false;
  }
  return true;
}

bool Drill::inject() {
  const auto& calls = b_.faults.at(d_.name);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Call& c = calls[i];
    const Driver* d = drivers_.find(c.driver);
    Planned plan;
    if (Status st = d->plan(c.action, fault_params_[i], plan); !st.ok) {
      fail(fault_label(d_, i) + ": " + redactor_.redact(st.detail));
      return false;
    }
    const json undo = c.undo.is_object() ? c.undo : c.undo == "none" ? json() : plan.undo;
    const std::string what = fault_label(d_, i);
    const int id = journal_->record_action(what, d->describe(c.action, c.params), undo);
    if (i == 0) t0_ = Clock::now();  // T0: the moment the first fault is injected
    const Status st = d->act(c.action, plan.params, context());
    if (!st.ok) {
      journal_->mark(id, "failed");
      fail(what + ": " + redactor_.redact(st.detail));
      return false;
    }
    event("fault", d_.faults[i].target, d->describe(c.action, c.params) + ": " + st.detail);
  }
  return true;
}

void Drill::record(Track& t, double at, const Status& st) {
  std::string ev;
  double ev_at = at;
  {
    std::lock_guard lock(mutex_);
    if (st.ok) {
      if (t.streak == 0) t.streak_start = at;
      ++t.streak;
      t.fails = 0;
      if (t.down && t.streak == t.probe->passes) {  // up since the streak's first pass
        t.down = false;
        ev = t.guard ? "guard-passing" : "service-up";
        ev_at = t.streak_start;
      }
    } else {
      t.streak = 0;
      ++t.fails;
      if (!t.down) {
        t.down = true;
        ev = t.guard ? "guard-failing" : "service-down";
      }
      if (t.first_fail < 0 && !t.guard) t.first_fail = at;
      if (t.guard && t.fails >= t.probe->failures && failure_.empty()) {
        failure_ = "guard " + t.name + " failed " + std::to_string(t.fails) + " times: " +
                   redactor_.redact(st.detail);
      }
      if (!t.guard && alert_at_ < 0) {
        alert_at_ = at;
        ev = "alert";
      }
    }
  }
  if (ev == "alert") {
    event("service-down", t.name, st.detail, at);
    event("alert", t.name, "its probe failed (live mode's stand-in for an alert)", at);
  } else if (!ev.empty()) {
    event(ev, t.name, st.detail, ev_at);
  }
}

void Drill::probe_loop(Track& t) {
  while (!stop_probes_) {
    const double at = now();
    const Status st = t.driver->probe(t.params, Context{[this] { return stop_probes_.load(); }});
    if (stop_probes_) break;
    record(t, at, st);
    std::unique_lock lock(mutex_);
    stop_cv_.wait_for(lock, std::chrono::duration<double>(t.probe->interval_s),
                      [this] { return stop_probes_.load(); });
  }
}

bool Drill::wait_for_operator(const std::string& key) {
  std::string line;
  while (!cancelled()) {
    pollfd p{o_.input_fd, POLLIN, 0};
    if (::poll(&p, 1, 200) != 1) continue;
    char c = 0;
    const ssize_t n = ::read(o_.input_fd, &c, 1);
    if (n <= 0) {
      fail("the input closed while waiting for the manual step " + key);
      return false;
    }
    if (c != '\n') {
      line += c;
      continue;
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line == "done") return true;
    say("type `done` (or press Enter) when the step \"" + key + "\" is finished");
    line.clear();
  }
  return false;
}

bool Drill::run_step(const sim::Runbook& rb, const sim::Step& st) {
  const std::string key = rb.name + "/" + st.id;
  if (st.manual) {
    std::lock_guard manual(manual_mutex_);
    if (cancelled()) return false;
    {
      std::lock_guard lock(mutex_);
      if (first_manual_start_ < 0) first_manual_start_ = now();
    }
    event("step-start", key, st.title);
    say(">>> MANUAL STEP " + key + ": " + st.title + (st.team.empty() ? "" : " (team " + st.team + ")") +
        "\n>>> type `done` (or press Enter) when it is finished");
    if (!wait_for_operator(key)) return false;
    event("step-done", key, "marked done by the operator");
    return true;
  }
  const Call& c = b_.steps.at(key);
  const Driver* d = drivers_.find(c.driver);
  event("step-start", key, st.title);
  Planned plan;
  if (Status p = d->plan(c.action, step_params_.at(key), plan); !p.ok) {
    fail("step " + key + ": " + redactor_.redact(p.detail));
    return false;
  }
  const int id = journal_->record_action("step " + key, d->describe(c.action, c.params), json());
  const Status r = d->act(c.action, plan.params, context());
  if (!r.ok) {
    journal_->mark(id, "failed");
    fail("step " + key + " failed: " + redactor_.redact(r.detail));
    return false;
  }
  event("step-done", key, r.detail);
  return true;
}

void Drill::runbook_worker(const sim::Runbook& rb) {
  if (rb.trigger == "alert") {
    while (!cancelled()) {
      {
        std::lock_guard lock(mutex_);
        if (alert_at_ >= 0) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  for (const sim::Step* st : ordered_steps(rb)) {
    if (cancelled() || !run_step(rb, *st)) return;
  }
  std::lock_guard lock(mutex_);
  ++runbooks_done_;
}

bool Drill::restored() const {
  std::lock_guard lock(mutex_);
  for (const auto& t : tracks_) {
    if (!t->guard && t->streak < t->probe->passes) return false;
  }
  return true;
}

sim::TrialResult Drill::result(double end_s, bool max_reached) const {
  std::lock_guard lock(mutex_);
  sim::TrialResult r;
  r.disaster = d_.name;
  r.end_s = end_s;
  r.horizon_reached = max_reached;
  r.timeline = timeline_;
  std::stable_sort(r.timeline.begin(), r.timeline.end(),
                   [](const auto& a, const auto& b) { return a.t_s < b.t_s; });
  for (const auto& t : tracks_) {
    if (t->guard) continue;
    const sim::Service& svc = *std::find_if(s_.services.begin(), s_.services.end(),
                                            [&](const auto& x) { return x.name == t->name; });
    sim::Outcome o;
    o.disaster = d_.name;
    o.service = svc.name;
    o.disruption = d_.cls;
    const sim::Target* target = s_.target(svc, d_.cls);
    if (target != nullptr) o.target = *target;
    o.affected = t->first_fail >= 0;
    const bool up = t->streak >= t->probe->passes;
    if (up) o.rto_s = o.affected ? t->streak_start : 0.0;
    if (o.rto_s && o.affected) {
      const double end = *o.rto_s;
      const double detect = std::min(t->first_fail, end);
      const double respond =
          first_manual_start_ >= detect ? std::min(first_manual_start_, end) : detect;
      o.phases.detect_s = detect;
      o.phases.respond_s = respond - detect;
      o.phases.restore_s = end - respond;
    }
    o.met = o.rto_s.has_value() && (target == nullptr || *o.rto_s <= target->rto_s + 1e-9);
    // RPO as DESIGN.md defines it: T0 minus the acknowledgement time of the oldest
    // acknowledged write that is missing; 0 when none is.
    for (const auto& w : workloads_) {
      if (w->service != svc.name) continue;
      if (!w->read) {  // the RPO target cannot be shown met
        o.met = false;
        continue;
      }
      double oldest = 0;
      bool any = false;
      for (const auto& [seq, at] : w->acks) {
        if (!std::binary_search(w->lost.begin(), w->lost.end(), seq)) continue;
        const double t = std::chrono::duration<double>(at - t0_).count();
        oldest = any ? std::min(oldest, t) : t;
        any = true;
      }
      o.rpo_s = any ? std::max(0.0, -oldest) : 0.0;
      o.lost_writes = static_cast<double>(w->lost.size());
      o.met = o.met && (target == nullptr || *o.rpo_s <= target->rpo_s + 1e-9);
    }
    r.outcomes.push_back(o);
  }
  return r;
}

LiveRun Drill::run() {
  LiveRun out;
  if (!preflight()) {
    out.exit_code = input_error_ ? 2 : 3;
    return out;
  }
  sigset_t signals, old;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);  // the terminal went away: roll back all the same
  ::pthread_sigmask(SIG_BLOCK, &signals, &old);
  // An ignored signal is discarded, not queued: a drill started in the background (where the
  // shell ignores SIGINT) must still roll back on it.
  struct sigaction dfl {}, old_int {}, old_term {}, old_hup {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGINT, &dfl, &old_int);
  ::sigaction(SIGTERM, &dfl, &old_term);
  ::sigaction(SIGHUP, &dfl, &old_hup);
  const auto restore_signals = [&] {
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
    ::sigaction(SIGHUP, &old_hup, nullptr);
  };
  const int sfd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  try {
    journal_ = Journal::create(o_.journal_dir, {{"run_id", o_.run_id},
                                                {"scenario", s_.name},
                                                {"scenario_file", s_.file},
                                                {"disaster", d_.name},
                                                {"bindings", b_.file}});
  } catch (const std::exception& e) {
    say(std::string("firedrill: ") + e.what() + "; nothing was touched");
    ::close(sfd);
    restore_signals();
    return out;
  }
  say("journal: " + o_.journal_dir + " (after a crash: firedrill live recover --journal " +
      o_.journal_dir + ")");
  bool aborted = false, max_reached = false;
  std::string reason;
  std::vector<std::thread> threads;
  bool warmed_up = false;
  try {
    double warmup = 0;
    for (const auto& w : workloads_) warmup = std::max(warmup, w->warmup_s);
    warmed_up = start_workloads() && wait_unless_signalled(sfd, warmup);
  } catch (const std::exception& e) {  // the journal could not be written
    fail(e.what());
  }
  t0_ = Clock::now();
  try {
    if (warmed_up && inject()) {
      // A thread's exception (a journal that cannot be written, a driver's bug) aborts the
      // drill instead of terminating the program before its rollback.
      const auto guarded = [this](auto body) {
        return [this, body] {
          try {
            body();
          } catch (const std::exception& e) {
            fail(e.what());
          }
        };
      };
      for (auto& t : tracks_) threads.emplace_back(guarded([this, &t] { probe_loop(*t); }));
      // Runbooks started by an alert are awaited only once an alert came: a fault that no
      // probe noticed leaves the services unaffected, and the drill ends when they pass.
      std::size_t at_start = 0, on_alert = 0;
      for (const auto& name : d_.runbooks) {
        if (const sim::Runbook* rb = s_.runbook(name)) {
          ++(rb->trigger == "alert" ? on_alert : at_start);
          threads.emplace_back(guarded([this, rb] { runbook_worker(*rb); }));
        }
      }
      for (;;) {
        pollfd p{sfd, POLLIN, 0};
        if (::poll(&p, 1, 100) == 1) {
          signalfd_siginfo info{};
          if (::read(sfd, &info, sizeof info) == sizeof info) {
            fail("interrupted by " + signal_text(info.ssi_signo));
          }
        }
        if (now() > o_.max_duration_s) {
          max_reached = true;
          fail("the maximum duration (" + sim::format_duration(o_.max_duration_s) + ") was reached");
        }
        {
          std::lock_guard lock(mutex_);
          if (!failure_.empty()) break;
          if (runbooks_done_ < at_start + (alert_at_ >= 0 ? on_alert : 0)) continue;
        }
        if (restored()) break;
      }
    }
  } catch (const std::exception& e) {  // the journal could not be written
    fail(e.what());
  }
  const double end_s = now();
  {
    std::lock_guard lock(mutex_);
    aborted = !failure_.empty();
    reason = failure_;
  }
  cancel_ = true;
  stop_probes_ = true;
  stop_cv_.notify_all();
  for (auto& t : threads) t.join();
  stop_writes_ = true;
  for (auto& t : writers_) t.join();
  for (auto& w : workloads_) {
    if (w->impl) read_back(*w);
  }
  if (aborted) {
    event("abort", d_.name, reason);
    say("firedrill: the drill was aborted: " + reason);
  }
  say("rolling back (newest first)");
  UndoReport rb;
  try {
    rb = roll_back(
        *journal_,
        [this](const JournalEntry& e, std::string& detail) {
          return undo_entry(drivers_, redactor_, e, detail);
        },
        [this](const std::string& line) { say(line); });
  } catch (const std::exception& e) {
    say(std::string("firedrill: rollback stopped: ") + e.what());
    rb.failed = 1;
  }
  for (pollfd p{sfd, POLLIN, 0}; ::poll(&p, 1, 0) == 1;) {  // signals during the rollback
    signalfd_siginfo info{};
    if (::read(sfd, &info, sizeof info) != sizeof info) break;
    aborted = true;
  }
  ::close(sfd);
  restore_signals();
  if (rb.failed > 0) say("firedrill: " + std::to_string(rb.failed) + " undo(s) failed; see the journal");

  const sim::TrialResult trial = result(end_s, max_reached);
  ordered_json j = ordered_json::parse(sim::run_result_json(s_, {s_.seed, o_.command}, {trial}));
  j["kind"] = "live";
  j["trials"] = 1;
  json workloads = json::object();
  for (const auto& w : workloads_) {
    json acks = json::array();
    for (const auto& [seq, at] : w->acks) {
      acks.push_back({seq, std::round(std::chrono::duration<double>(at - t0_).count() * 1e6) / 1e6});
    }
    workloads[w->service] = {{"driver", w->call->driver},
                             {"describe", w->driver->describe("workload", w->call->params)},
                             {"rate_per_s", w->rate},
                             {"warmup_s", w->warmup_s},
                             {"written", w->written},
                             {"acknowledged", w->acks.size()},
                             {"failed", w->failed},
                             {"last_error", w->last_error},
                             {"read_back", w->read},
                             {"read_back_detail", w->read_detail},
                             {"present", w->present},
                             {"lost", w->lost.size()},
                             {"lost_seqs", w->lost},
                             {"acks", acks}};
  }
  for (auto& o : j["outcomes"]) {
    const std::string service = o["service"].get<std::string>();
    if (!workloads.contains(service)) {
      o["achieved"]["rpo_note"] = kRpoNote;
    } else if (!workloads[service]["read_back"].get<bool>()) {
      o["achieved"]["rpo_note"] = "not measured: the read back failed: " + workloads[service]["read_back_detail"].get<std::string>();
    }
  }
  json not_measured = json::object();
  for (const auto& svc : s_.services) {
    if (!workloads.contains(svc.name)) not_measured["rpo"][svc.name] = kRpoNote;
  }
  json measured = {"rto", "phases"};
  if (!workloads.empty()) measured.push_back("rpo");
  j["live"] = {{"run_id", o_.run_id},
               {"journal", o_.journal_dir},
               {"bindings", b_.file},
               {"max_duration_s", o_.max_duration_s},
               {"aborted", aborted},
               {"abort_reason", reason},
               {"rollback", {{"undone", rb.undone}, {"failed", rb.failed}}},
               {"measured", measured},
               {"not_measured", not_measured},
               {"workloads", workloads}};
  out.result_json = redactor_.redact(j.dump(2) + "\n");
  if (aborted || rb.failed > 0) {
    out.exit_code = 3;
  } else {
    out.exit_code = 0;
    for (const auto& o : trial.outcomes) {
      if (!o.met) out.exit_code = 1;
    }
  }
  return out;
}

}  // namespace

LiveRun run_live(const sim::Scenario& s, const sim::Disaster& d, const Bindings& b,
                 const DriverRegistry& drivers, const LiveOptions& o, const Say& say) {
  Drill drill(s, d, b, drivers, o, say);
  return drill.run();
}

void describe_drill(const sim::Scenario& s, const sim::Disaster& d, const Bindings& b,
                    const DriverRegistry& drivers, const Say& say) {
  say("the drill of disaster " + d.name + " (" + d.cls + "), step by step:");
  say("before T0, each probe must pass once:");
  for (const auto& svc : s.services) {
    const Probe& p = b.probes.at(svc.name);
    say("  probe service " + svc.name + ": " + p.call.driver + ": " +
        drivers.find(p.call.driver)->describe("", p.call.params) + ", every " +
        sim::format_duration(p.interval_s) + ", restored after " + std::to_string(p.passes) +
        " consecutive passes");
  }
  for (const auto& g : b.guards) {
    say("  guard " + g.name + ": " + g.call.driver + ": " +
        drivers.find(g.call.driver)->describe("", g.call.params) + ", aborts after " +
        std::to_string(g.failures) + " consecutive failures");
  }
  for (const auto& [service, c] : b.workloads) {
    say("before T0, workload of service " + service + ": " + c.driver + ": " +
        drivers.find(c.driver)->describe("workload", c.params));
  }
  const auto& calls = b.faults.at(d.name);
  std::vector<std::string> undos;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Call& c = calls[i];
    say("T0: inject " + fault_label(d, i) + ": " + c.driver + ": " +
        drivers.find(c.driver)->describe(c.action, c.params));
    undos.push_back(fault_label(d, i) + ": " + describe_undo(drivers, c));
  }
  for (const auto& name : d.runbooks) {
    const sim::Runbook* rb = s.runbook(name);
    if (rb == nullptr) continue;
    say("runbook " + rb->name + " (starts " +
        (rb->trigger == "start" ? std::string("at T0") : "when a service probe fails") + "):");
    for (const sim::Step* st : ordered_steps(*rb)) {
      const std::string key = rb->name + "/" + st->id;
      if (st->manual) {
        say("  manual step " + key + ": \"" + st->title + "\": announced, waits for the operator");
      } else {
        const Call& c = b.steps.at(key);
        say("  step " + key + ": " + c.driver + ": " + drivers.find(c.driver)->describe(c.action, c.params));
      }
    }
  }
  say("rollback, newest first:");
  for (auto it = undos.rbegin(); it != undos.rend(); ++it) say("  undo " + *it);
  for (const auto& [service, c] : b.workloads) {
    say("  undo workload " + service + ": " + c.driver + ": " +
        drivers.find(c.driver)->describe("drop_table", c.params));
  }
}

int recover(const std::string& dir, const DriverRegistry& drivers, const Say& say) {
  Redactor redactor;
  std::optional<Journal> opened;
  std::size_t pending = 0;
  try {  // a directory that holds no readable journal is an input error
    opened = Journal::open(dir);
    for (const auto& e : opened->entries()) pending += (!e.undone && !e.failed) ? 1 : 0;
  } catch (const std::exception& e) {
    say(std::string("firedrill: ") + e.what());
    return 2;
  }
  if (pending == 0) {
    say("nothing to undo: every action of " + dir + " is already undone");
    return 0;
  }
  try {
    const UndoReport r = roll_back(
        *opened,
        [&](const JournalEntry& e, std::string& detail) { return undo_entry(drivers, redactor, e, detail); },
        [&](const std::string& line) { say(redactor.redact(line)); });
    say("recovered " + dir + ": " + std::to_string(r.undone) + " undone, " + std::to_string(r.failed) +
        " failed");
    return r.failed > 0 ? 3 : 0;
  } catch (const std::exception& e) {  // the journal could not be written
    say(std::string("firedrill: ") + redactor.redact(e.what()));
    return 3;
  }
}

}  // namespace firedrill::live
