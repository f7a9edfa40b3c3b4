#include "sim/sweep.hpp"

#include <fcntl.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "sim/batch_tuner.hpp"
#include "sim/engine.hpp"
#include "sim/loader.hpp"
#include "sim/runner.hpp"

namespace firedrill::sim {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

double round_us(double v) { return std::round(v * 1e6) / 1e6; }

ordered_json stat_json(const Summary& s) {
  ordered_json j;
  if (s.count() == 0) {
    for (const char* k : {"mean", "p50", "p90", "p95", "p99", "max"}) j[k] = nullptr;
  } else {
    j["mean"] = round_us(s.mean());
    j["p50"] = round_us(s.quantile(0.50));
    j["p90"] = round_us(s.quantile(0.90));
    j["p95"] = round_us(s.quantile(0.95));
    j["p99"] = round_us(s.quantile(0.99));
    j["max"] = round_us(s.max());
  }
  j["not_recovered"] = s.missing();
  return j;
}

ordered_json proportion_json(const Proportion& p) {
  const auto [lo, hi] = p.wilson();
  return {{"p", round_us(p.p())}, {"ci95", {round_us(lo), round_us(hi)}}, {"trials", p.n}};
}

ordered_json histogram_json(const Summary& s) {
  ordered_json out = ordered_json::array();
  for (const auto& [lo, count] : s.histogram(20)) out.push_back({round_us(lo), count});
  return out;
}

ordered_json summary_state(const Summary& s) {
  ordered_json j;
  s.to_json(j);
  return j;
}

ordered_json cell_json(const CellStats& c) {
  ordered_json j;
  j["disaster"] = c.disaster;
  j["service"] = c.service;
  j["disruption"] = c.disruption;
  j["target"] = {{"rto_s", round_us(c.target.rto_s)},
                 {"rpo_s", round_us(c.target.rpo_s)},
                 {"inferred", c.target.inferred}};
  if (!c.target.note.empty()) j["target"]["note"] = c.target.note;
  j["trials"] = c.miss.n;
  j["affected"] = c.affected;
  j["achieved"] = {{"rto_s", stat_json(c.rto)},
                   {"rpo_s", stat_json(c.rpo)},
                   {"lost_writes", stat_json(c.lost)}};
  j["p_miss"] = {{"any", proportion_json(c.miss)},
                 {"rto", proportion_json(c.miss_rto)},
                 {"rpo", proportion_json(c.miss_rpo)}};
  j["dominant_phase"] = dominant_of(c.dominant);
  ordered_json counts = ordered_json::object();
  ordered_json means = ordered_json::object();
  for (std::size_t k = 0; k < 5; ++k) {
    auto it = c.dominant.find(kPhaseNames[k]);
    counts[kPhaseNames[k]] = it == c.dominant.end() ? 0 : it->second;
    means[kPhaseNames[k]] = c.phases[k].count() == 0 ? 0.0 : round_us(c.phases[k].mean());
  }
  j["dominant_counts"] = counts;
  j["phases_mean_s"] = means;
  j["histograms"] = {{"rto_s", histogram_json(c.rto)}, {"rpo_s", histogram_json(c.rpo)}};
  ordered_json state;
  state["rto"] = summary_state(c.rto);
  state["rpo"] = summary_state(c.rpo);
  state["lost"] = summary_state(c.lost);
  state["phases"] = ordered_json::array();
  for (const auto& p : c.phases) state["phases"].push_back(summary_state(p));
  state["miss"] = {c.miss.hits, c.miss.n};
  state["miss_rto"] = {c.miss_rto.hits, c.miss_rto.n};
  state["miss_rpo"] = {c.miss_rpo.hits, c.miss_rpo.n};
  state["affected"] = c.affected;
  state["dominant"] = counts;
  j["state"] = state;
  return j;
}

Proportion proportion_from(const json& j) {
  Proportion p;
  p.hits = j.at(0).get<std::uint64_t>();
  p.n = j.at(1).get<std::uint64_t>();
  return p;
}

// A worker: a zygote that prepared one disaster's batch, and the batch it runs (if busy).
struct Worker {
  Zygote zygote;
  TrialProcess process;
  std::size_t disaster = 0;
  bool busy = false;
  bool measured = false;     // the batch's time tells the time per trial (see run_sweep())
  std::uint64_t size = 0;    // trials in the batch
  std::uint64_t sequence = 0;  // of the batch, see Batch
  std::chrono::steady_clock::time_point started;
};

struct Batch {
  std::size_t disaster = 0;
  std::vector<std::uint64_t> trials;
  std::uint64_t sequence = 0;  // batches are numbered in the order of their trials
};

// Hands trial results to SweepOptions::on_trial in the order of the batches' numbers (so by
// disaster, then trial), whatever order the workers finish them in.
class InOrder {
 public:
  explicit InOrder(const std::function<void(const TrialResult&)>& sink) : sink_(sink) {}
  void add(std::uint64_t sequence, const std::vector<TrialResult>& results) {
    if (!sink_) return;
    early_.emplace(sequence, results);
    for (auto it = early_.begin(); it != early_.end() && it->first == next_; it = early_.erase(it)) {
      for (const TrialResult& t : it->second) sink_(t);
      ++next_;
    }
  }

 private:
  const std::function<void(const TrialResult&)>& sink_;
  std::map<std::uint64_t, std::vector<TrialResult>> early_;
  std::uint64_t next_ = 0;
};

void stop_all(std::vector<Worker>& workers, bool kill) {
  for (auto& w : workers) stop_zygote(w.zygote, kill);
}

}  // namespace

std::uint64_t automatic_batch(const Scenario& s, std::uint64_t trials, unsigned jobs) {
  // About eight batches per worker, at most 128 trials, and about 4,000 components a batch.
  const std::uint64_t by_count = (trials + 8 * std::uint64_t{jobs} - 1) / (8 * std::uint64_t{jobs});
  const std::uint64_t by_size = std::max<std::uint64_t>(1, 4000 / std::max<std::size_t>(1, s.components.size()));
  return std::max<std::uint64_t>(1, std::min({by_count, by_size, std::uint64_t{128}}));
}

std::string dominant_of(const std::map<std::string, std::uint64_t>& counts) {
  std::string best = "none";
  std::uint64_t best_n = 0;
  for (const char* phase : kPhaseNames) {  // ties go to the earlier phase
    auto it = counts.find(phase);
    if (it != counts.end() && it->second > best_n) best = phase, best_n = it->second;
  }
  return best;
}

void CellStats::add(const Outcome& o) {
  o.rto_s ? rto.add(*o.rto_s) : rto.add_missing();
  o.rpo_s ? rpo.add(*o.rpo_s) : rpo.add_missing();
  o.lost_writes ? lost.add(*o.lost_writes) : lost.add_missing();
  miss.add(!o.met);
  miss_rto.add(!o.rto_s || *o.rto_s > target.rto_s + 1e-9);
  miss_rpo.add(!o.rpo_s || *o.rpo_s > target.rpo_s + 1e-9);
  if (o.affected) {
    ++affected;
    if (o.rto_s) {
      ++dominant[o.phases.dominant()];
      const double values[5] = {o.phases.detect_s, o.phases.respond_s, o.phases.restore_s,
                                o.phases.propagate_s, o.phases.drain_s};
      for (std::size_t k = 0; k < 5; ++k) phases[k].add(values[k]);
    }
  }
}

void CellStats::merge(const CellStats& o) {
  rto.merge(o.rto);
  rpo.merge(o.rpo);
  lost.merge(o.lost);
  miss.merge(o.miss);
  miss_rto.merge(o.miss_rto);
  miss_rpo.merge(o.miss_rpo);
  affected += o.affected;
  for (const auto& [k, v] : o.dominant) dominant[k] += v;
  for (std::size_t k = 0; k < 5; ++k) phases[k].merge(o.phases[k]);
}

namespace {

// The coarse bucket of a recovery time: exact (frexp, no libm rounding), 64 buckets per
// doubling; 0 and "not recovered" have their own, first and last.
constexpr std::int64_t kNoneDown = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNotRecovered = std::numeric_limits<std::int64_t>::max();

std::int64_t bucket_of(std::optional<double> recovery_s) {
  if (!recovery_s) return kNotRecovered;
  if (*recovery_s <= 0) return kNoneDown;
  int exponent = 0;
  const double mantissa = std::frexp(*recovery_s, &exponent);  // in [0.5, 1)
  return std::int64_t{exponent} * 64 + static_cast<std::int64_t>((mantissa - 0.5) * 128);
}

}  // namespace

void TrialPicker::add(const TrialResult& t) {
  std::optional<double> longest = 0.0;
  for (const auto& o : t.outcomes) {
    if (!o.affected) continue;
    if (!o.rto_s) {
      longest.reset();
      break;
    }
    longest = std::max(*longest, *o.rto_s);
  }
  auto [it, fresh] = buckets.try_emplace(bucket_of(longest), 1, t.trial);
  if (!fresh) {
    ++it->second.first;
    it->second.second = std::min(it->second.second, t.trial);
  }
}

void TrialPicker::merge(const TrialPicker& other) {
  for (const auto& [key, v] : other.buckets) {
    auto [it, fresh] = buckets.try_emplace(key, v);
    if (!fresh) {
      it->second.first += v.first;
      it->second.second = std::min(it->second.second, v.second);
    }
  }
}

std::optional<std::uint64_t> TrialPicker::median_trial() const {
  std::uint64_t total = 0;
  for (const auto& [key, v] : buckets) total += v.first;
  const std::uint64_t rank = std::max<std::uint64_t>(1, (total + 1) / 2);
  std::uint64_t seen = 0;
  for (const auto& [key, v] : buckets) {
    seen += v.first;
    if (seen >= rank) return v.second;
  }
  return std::nullopt;
}

void replay_representatives(SweepResult& r, const Scenario& s, const ModelRegistry& registry) {
  Scenario seeded = s;
  seeded.seed = r.seed;
  r.representatives.clear();
  for (std::size_t i = 0; i < r.disasters.size() && i < r.pickers.size(); ++i) {
    const Disaster* d = seeded.disaster(r.disasters[i]);
    const std::optional<std::uint64_t> trial = r.pickers[i].median_trial();
    if (d == nullptr || !trial) continue;
    r.representatives.push_back(run_trial_isolated(seeded, registry, *d, *trial));
  }
}

void replay_representatives(SweepResult& r, const ModelRegistry& registry) {
  if (r.scenario_text.empty()) return;
  const Loaded loaded = load_scenario_text(r.scenario_text, r.scenario_file, registry);
  const Scenario* s = loaded.scenario ? find_variant(loaded, r.variant) : nullptr;
  if (s == nullptr) {
    throw std::runtime_error("the scenario text the sweep carries does not load: " +
                             (loaded.diagnostics.empty() ? "no variant " + r.variant
                                                         : loaded.diagnostics.items().front().to_string()));
  }
  replay_representatives(r, *s, registry);
}

SweepResult run_sweep(const Scenario& s, const ModelRegistry& registry, const SweepOptions& opt) {
  SweepResult r;
  r.scenario_name = s.name;
  r.scenario_title = s.title;
  r.scenario_file = s.file;
  r.scenario_sha256 = s.sha256;
  r.scenario_source = s.source;
  r.variant = s.variant;
  r.scenario_text = s.text;
  r.seed = opt.seed;
  r.trials = opt.trials;
  r.shard_index = opt.shard_index;
  r.shard_count = opt.shard_count;
  std::vector<const Disaster*> disasters;
  for (const auto& d : s.disasters) {
    if (opt.disasters.empty() ||
        std::find(opt.disasters.begin(), opt.disasters.end(), d.name) != opt.disasters.end()) {
      disasters.push_back(&d);
      r.disasters.push_back(d.name);
    }
  }
  r.pickers.resize(disasters.size());
  std::map<std::string, std::size_t> service_index;
  for (std::size_t i = 0; i < s.services.size(); ++i) service_index[s.services[i].name] = i;
  for (const auto* d : disasters) {
    for (const auto& svc : s.services) {
      CellStats c;
      c.disaster = d->name;
      c.service = svc.name;
      c.disruption = d->cls;
      if (const Target* t = s.target(svc, d->cls)) c.target = *t;
      r.cells.push_back(std::move(c));
    }
  }

  Scenario seeded = s;
  seeded.seed = opt.seed;
  const std::uint64_t shard_trials =
      opt.trials > opt.shard_index
          ? (opt.trials - opt.shard_index + opt.shard_count - 1) / opt.shard_count
          : 0;
  const std::uint64_t total = shard_trials * disasters.size();
  // Batches: a worker process runs a batch of trials of one disaster side by side in one
  // engine (disjoint copies of the topology), which shares the process's start among them.
  // Small enough that both workers stay busy to the end and memory stays bounded. One
  // disaster after the other: a worker's zygote serves all its batches of one disaster.
  //
  // With the automatic size, the zygotes prepare automatic_batch()'s size, and a BatchTuner
  // per disaster searches for the batch size that runs its trials fastest on this machine
  // (between 8 and that size). Results do not depend on batches.
  const unsigned jobs = std::max(1u, opt.jobs);
  const std::uint64_t per_batch =
      opt.batch > 0 ? opt.batch : automatic_batch(s, shard_trials, jobs);
  std::vector<BatchTuner> tuners(disasters.size(), BatchTuner(per_batch));
  std::size_t next_disaster = 0;
  std::uint64_t next_trial = 0;  // of the shard, in next_disaster
  std::uint64_t next_sequence = 0;
  InOrder in_order(opt.on_trial);
  auto take = [&](Batch& b) {
    while (next_disaster < disasters.size() && next_trial >= shard_trials) {
      ++next_disaster;
      next_trial = 0;
    }
    if (next_disaster >= disasters.size()) return false;
    b.disaster = next_disaster;
    b.sequence = next_sequence++;
    b.trials.clear();
    const std::uint64_t size = opt.batch > 0 ? per_batch : tuners[next_disaster].next();
    const std::uint64_t end = std::min(shard_trials, next_trial + size);
    for (; next_trial < end; ++next_trial) {
      b.trials.push_back(opt.shard_index + next_trial * opt.shard_count);
    }
    return true;
  };
  std::uint64_t done = 0;
  std::vector<Worker> workers(jobs);
  std::vector<pollfd> fds;
  std::vector<Worker*> polled;
  try {
    for (;;) {
      for (auto& w : workers) {
        Batch b;
        if (w.busy || !take(b)) continue;
        const bool zygote_ready = w.zygote.pid >= 0 && w.zygote.key == b.disaster;
        // The first batch of a zygote also waits for its preparation: not measured.
        w.measured = zygote_ready;
        if (!zygote_ready) {
          stop_zygote(w.zygote, false);
          w.zygote = start_zygote(seeded, registry, *disasters[b.disaster],
                                  std::min<std::uint64_t>(per_batch, shard_trials), b.disaster);
          ::fcntl(w.zygote.out, F_SETFL, ::fcntl(w.zygote.out, F_GETFL) | O_NONBLOCK);
        }
        w.size = b.trials.size();
        w.sequence = b.sequence;
        w.process = submit_batch(w.zygote, std::move(b.trials));
        w.disaster = b.disaster;
        w.busy = true;
        w.started = std::chrono::steady_clock::now();
      }
      fds.clear();
      polled.clear();
      for (auto& w : workers) {
        if (!w.busy) continue;
        fds.push_back({w.process.fd, POLLIN, 0});
        polled.push_back(&w);
      }
      if (fds.empty()) break;
      if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
        throw std::runtime_error("poll failed while waiting for trials");
      }
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        Worker& w = *polled[i];
        if (!read_trial_output(w.process, false)) continue;
        w.busy = false;
        const std::vector<TrialResult> results =
            finish_trial_process(w.process, *disasters[w.disaster]);
        in_order.add(w.sequence, results);
        for (const TrialResult& t : results) {
          r.pickers[w.disaster].add(t);
          for (const auto& o : t.outcomes) {
            r.cells[w.disaster * s.services.size() + service_index.at(o.service)].add(o);
          }
        }
        done += results.size();
        if (opt.progress) opt.progress(done, total);
        if (opt.batch == 0 && w.measured && results.size() == w.size) {
          const std::chrono::duration<double> took = std::chrono::steady_clock::now() - w.started;
          tuners[w.disaster].record(w.size, took.count());
        }
      }
    }
  } catch (...) {
    stop_all(workers, true);
    throw;
  }
  stop_all(workers, false);
  return r;
}

std::string sweep_command(const SweepResult& r) {
  std::string cmd = "firedrill sweep " + r.scenario_file + " --trials " + std::to_string(r.trials) +
                    " --seed " + std::to_string(r.seed);
  if (!r.variant.empty()) cmd += " --variant " + r.variant;
  return cmd;
}

std::string sweep_result_json(const SweepResult& r) {
  ordered_json j;
  j["schema"] = kResultSchema;
  j["kind"] = "sweep";
  j["scenario"] = {{"name", r.scenario_name},
                   {"title", r.scenario_title},
                   {"file", r.scenario_file},
                   {"sha256", r.scenario_sha256},
                   {"source", r.scenario_source}};
  if (!r.variant.empty()) j["scenario"]["variant"] = r.variant;
  j["scenario"]["text"] = r.scenario_text;
  j["seed"] = r.seed;
  j["trials"] = r.trials;
  if (r.shard_count > 1) j["shard"] = {{"index", r.shard_index + 1}, {"count", r.shard_count}};
  j["versions"] = {{"firedrill", firedrill_version()}, {"simgrid", simgrid_version()}};
  j["command"] = sweep_command(r);
  j["disasters"] = r.disasters;
  j["outcomes"] = ordered_json::array();
  for (const auto& c : r.cells) j["outcomes"].push_back(cell_json(c));
  // Each disaster's median trial, with its timeline (whole sweeps), and the state that picks
  // it: per disaster, [bucket, trials, smallest trial index] (merged across shards).
  if (!r.representatives.empty()) {
    j["representatives"] = ordered_json::array();
    for (const auto& t : r.representatives) {
      j["representatives"].push_back(ordered_json::parse(trial_to_json_text(t, true)));
    }
  }
  j["representative_state"] = ordered_json::array();
  for (const auto& p : r.pickers) {
    ordered_json buckets = ordered_json::array();
    for (const auto& [key, v] : p.buckets) buckets.push_back({key, v.first, v.second});
    j["representative_state"].push_back(buckets);
  }
  return j.dump(1) + "\n";
}

SweepResult sweep_result_from_json_text(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("not valid json");
  try {
    if (j.at("schema") != kResultSchema || j.at("kind") != "sweep") {
      throw std::runtime_error("expected a sweep result (\"schema\": \"" +
                               std::string(kResultSchema) + "\", \"kind\": \"sweep\")");
    }
    SweepResult r;
    const auto& sc = j.at("scenario");
    r.scenario_name = sc.at("name").get<std::string>();
    r.scenario_title = sc.at("title").get<std::string>();
    r.scenario_file = sc.at("file").get<std::string>();
    r.scenario_sha256 = sc.at("sha256").get<std::string>();
    r.scenario_source = sc.at("source").get<std::string>();
    r.variant = sc.value("variant", "");
    r.scenario_text = sc.value("text", "");
    r.seed = j.at("seed").get<std::uint64_t>();
    r.trials = j.at("trials").get<std::uint64_t>();
    if (j.contains("shard")) {
      r.shard_index = j.at("shard").at("index").get<unsigned>() - 1;
      r.shard_count = j.at("shard").at("count").get<unsigned>();
    }
    r.disasters = j.at("disasters").get<std::vector<std::string>>();
    for (const auto& o : j.at("outcomes")) {
      CellStats c;
      c.disaster = o.at("disaster").get<std::string>();
      c.service = o.at("service").get<std::string>();
      c.disruption = o.at("disruption").get<std::string>();
      c.target.rto_s = o.at("target").at("rto_s").get<double>();
      c.target.rpo_s = o.at("target").at("rpo_s").get<double>();
      c.target.inferred = o.at("target").at("inferred").get<bool>();
      c.target.note = o.at("target").value("note", "");
      const auto& st = o.at("state");
      c.rto = Summary::from_json(st.at("rto"));
      c.rpo = Summary::from_json(st.at("rpo"));
      c.lost = Summary::from_json(st.at("lost"));
      for (std::size_t k = 0; k < 5; ++k) c.phases[k] = Summary::from_json(st.at("phases").at(k));
      c.miss = proportion_from(st.at("miss"));
      c.miss_rto = proportion_from(st.at("miss_rto"));
      c.miss_rpo = proportion_from(st.at("miss_rpo"));
      c.affected = st.at("affected").get<std::uint64_t>();
      for (const auto& [k, v] : st.at("dominant").items()) {
        if (v.get<std::uint64_t>() > 0) c.dominant[k] = v.get<std::uint64_t>();
      }
      r.cells.push_back(std::move(c));
    }
    if (j.contains("representative_state")) {
      for (const auto& jp : j.at("representative_state")) {
        TrialPicker p;
        for (const auto& b : jp) {
          p.buckets[b.at(0).get<std::int64_t>()] = {b.at(1).get<std::uint64_t>(), b.at(2).get<std::uint64_t>()};
        }
        r.pickers.push_back(std::move(p));
      }
    }
    if (j.contains("representatives")) {
      for (const auto& t : j.at("representatives")) r.representatives.push_back(trial_from_json_text(t.dump()));
    }
    return r;
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("malformed sweep result: ") + e.what());
  }
}

SweepResult merge_sweeps(const std::vector<SweepResult>& parts) {
  if (parts.empty()) throw std::invalid_argument("no parts to merge");
  const SweepResult& first = parts.front();
  auto mismatch = [](const std::string& what, const std::string& a, const std::string& b) {
    return std::invalid_argument("parts of different sweeps: " + what + " " + a + " vs " + b);
  };
  std::set<unsigned> seen;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const SweepResult& p = parts[i];
    if (p.scenario_sha256 != first.scenario_sha256) {
      throw mismatch("scenario", first.scenario_sha256.substr(0, 12), p.scenario_sha256.substr(0, 12));
    }
    if (p.seed != first.seed) {
      throw mismatch("seed", std::to_string(first.seed), std::to_string(p.seed));
    }
    if (p.trials != first.trials) {
      throw mismatch("trials", std::to_string(first.trials), std::to_string(p.trials));
    }
    if (p.disasters != first.disasters) throw mismatch("disasters", "one set", "another");
    if (p.shard_count != first.shard_count) {
      throw mismatch("shard count", std::to_string(first.shard_count),
                     std::to_string(p.shard_count));
    }
    if (!seen.insert(p.shard_index).second) {
      throw std::invalid_argument("shard " + std::to_string(p.shard_index + 1) + "/" +
                                  std::to_string(p.shard_count) + " is given twice");
    }
  }
  if (first.shard_count < 2) {
    throw std::invalid_argument("expected shard parts (written with --shard K/N), found a whole sweep");
  }
  for (unsigned k = 0; k < first.shard_count; ++k) {
    if (!seen.count(k)) {
      throw std::invalid_argument("shard " + std::to_string(k + 1) + "/" +
                                  std::to_string(first.shard_count) + " is missing");
    }
  }
  SweepResult merged = first;
  merged.shard_index = 0;
  merged.shard_count = 1;
  merged.representatives.clear();  // replay_representatives picks them from the merged state
  for (std::size_t i = 1; i < parts.size(); ++i) {
    for (std::size_t c = 0; c < merged.cells.size(); ++c) merged.cells[c].merge(parts[i].cells[c]);
    if (parts[i].pickers.size() != merged.pickers.size()) {
      throw std::invalid_argument("parts of different sweeps: representative state of " +
                                  std::to_string(merged.pickers.size()) + " vs " +
                                  std::to_string(parts[i].pickers.size()) + " disasters");
    }
    for (std::size_t d = 0; d < merged.pickers.size(); ++d) merged.pickers[d].merge(parts[i].pickers[d]);
  }
  return merged;
}

}  // namespace firedrill::sim
