// Monte Carlo sweeps: many trials of each disaster, aggregated as they arrive (memory does not
// grow with the number of trials), split into shards that merge back to the same bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/model.hpp"
#include "sim/result.hpp"
#include "sim/scenario.hpp"
#include "sim/stats.hpp"

namespace firedrill::sim {

inline constexpr const char* kPhaseNames[] = {"detect", "respond", "restore", "propagate",
                                              "drain"};

// Everything measured about one service in one disaster, over all trials.
struct CellStats {
  std::string disaster, service, disruption;
  Target target;
  Summary rto, rpo, lost;        // missing = not recovered
  Proportion miss, miss_rto, miss_rpo;
  std::uint64_t affected = 0;
  std::map<std::string, std::uint64_t> dominant;  // dominant phase -> trials (affected ones)
  Summary phases[5];                              // per phase, over affected recovered trials
  void add(const Outcome& o);
  void merge(const CellStats& other);
};

// The phase that dominated RTO in most affected trials ("none" when none was affected); ties
// go to the earlier phase.
std::string dominant_of(const std::map<std::string, std::uint64_t>& counts);

// Picks a disaster's representative trial: the one whose recovery time (the longest RTO among
// the services it took down, not recovered being the longest, 0 when none went down) is the
// median. Memory is bounded by the number of coarse buckets of that time (about 1.6% wide),
// not by the number of trials; merging is order-independent (counts add, the smallest trial
// index of a bucket wins), so shards merged pick the trial the whole sweep picks.
struct TrialPicker {
  // bucket -> (trials, smallest trial index)
  std::map<std::int64_t, std::pair<std::uint64_t, std::uint64_t>> buckets;
  void add(const TrialResult& t);
  void merge(const TrialPicker& other);
  // The smallest trial index in the bucket holding the median; nullopt when empty.
  [[nodiscard]] std::optional<std::uint64_t> median_trial() const;
  bool operator==(const TrialPicker&) const = default;
};

struct SweepOptions {
  std::uint64_t trials = 1000;
  std::uint64_t seed = 1;
  unsigned jobs = 1;             // trial processes at once
  unsigned batch = 0;            // trials per process, side by side in one engine; 0: automatic
  unsigned shard_index = 0;      // 0-based: runs trials t with t % shard_count == shard_index
  unsigned shard_count = 1;
  std::vector<std::string> disasters;  // empty: all
  // Called with every trial's result (without timeline), by disaster then trial, whatever
  // order the batches end in.
  std::function<void(const TrialResult&)> on_trial;
  // Called after each finished trial with (done, total) of this run.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct SweepResult {
  std::string scenario_name, scenario_title, scenario_file, scenario_sha256, scenario_source;
  std::string variant;  // the file's named variant swept; "" for its base
  std::string scenario_text;  // the scenario file's bytes (reports re-read the scenario)
  std::uint64_t seed = 0, trials = 0;
  unsigned shard_index = 0, shard_count = 1;
  std::vector<std::string> disasters;  // names, in scenario order
  std::vector<CellStats> cells;        // disaster-major, services in scenario order
  std::vector<TrialPicker> pickers;    // per disaster, in `disasters` order
  // Each disaster's median trial replayed with its timeline (replay_representatives); empty
  // for shard parts and until replayed.
  std::vector<TrialResult> representatives;
};

// The number of trials a worker process runs together when SweepOptions::batch is 0.
std::uint64_t automatic_batch(const Scenario& s, std::uint64_t trials, unsigned jobs);

// Runs the sweep. Throws std::runtime_error when a trial process fails.
SweepResult run_sweep(const Scenario& s, const ModelRegistry& registry, const SweepOptions& opt);

// Replays each disaster's median trial (TrialPicker) of a whole sweep with its timeline into
// r.representatives. `s` is the scenario swept (with any variant). Throws std::runtime_error
// when a trial process fails.
void replay_representatives(SweepResult& r, const Scenario& s, const ModelRegistry& registry);
// The same with the scenario read back from the text the sweep carries (for merged parts).
// Does nothing when it carries none (written before results did); throws std::runtime_error
// when the text does not load.
void replay_representatives(SweepResult& r, const ModelRegistry& registry);

// The result document ("firedrill.result/1", kind "sweep"). Shard parts carry their shard;
// a whole sweep (unsharded or merged) does not, so both print the same bytes.
std::string sweep_result_json(const SweepResult& r);

// Reads a sweep result or part back (for merge). Throws std::runtime_error naming the
// problem.
SweepResult sweep_result_from_json_text(const std::string& text);

// Merges the parts of one sharded sweep. Refuses (std::invalid_argument, message in lower
// case) parts of different scenarios, seeds, trial counts, disasters or shard counts, and
// duplicate or missing shards.
SweepResult merge_sweeps(const std::vector<SweepResult>& parts);

// The canonical command that reproduces a sweep.
std::string sweep_command(const SweepResult& r);

}  // namespace firedrill::sim
