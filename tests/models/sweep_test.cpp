// Sweeps against closed-form answers, and shards that merge back to the same bytes.
#include "tests/models/harness.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include "sim/sweep.hpp"

using namespace firedrill;
using firedrill::testing::load_text;
using firedrill::testing::preamble;

namespace {

// A database with daily snapshots only; the fault comes at a uniformly random time of day
// (the snapshot schedule's phase is drawn per trial), so RPO is uniform on [0, 24h).
sim::Scenario daily_snapshot() {
  return load_text(preamble("daily") + R"(
  "components": [
    {"name": "oncall", "kind": "team", "response": "0s"},
    {"name": "db", "kind": "database", "zones": ["r1-a"], "size": "1GB", "failover": "none",
     "snapshots": {"interval": "24h", "retention": "7d", "copy_size": "1MB"}}
  ],
  "services": [{"name": "app", "depends": ["db"], "writes": "1/s", "data": ["db"],
                "targets": {"data": {"rto": "1h", "rpo": "12h"}}}],
  "runbooks": [{"name": "restore", "team": "oncall", "steps": [
     {"id": "restore", "duration": "0s", "action": {"restore": "db", "from": "snapshot"}}]}],
  "disasters": [{"name": "deleted", "class": "data", "runbooks": ["restore"],
                 "faults": [{"kind": "operator_deletion", "target": "db", "detected_after": "0s"}]}]
  })");
}

sim::Scenario exponential_lag() {
  return load_text(preamble("lag") + R"(
  "components": [
    {"name": "oncall", "kind": "team"},
    {"name": "db", "kind": "database", "zones": ["r1-a", "r1-b"], "replication": "async",
     "replication_lag": {"exponential": {"mean": "10s"}}, "failover_time": "30s"}
  ],
  "services": [{"name": "app", "depends": ["db"], "writes": "1/s", "data": ["db"],
                "targets": {"component": {"rto": "5m", "rpo": "20s"}}}],
  "disasters": [{"name": "crash", "class": "component",
                 "faults": [{"kind": "component_crash", "target": "db"}]}]
  })");
}

sim::SweepResult sweep(const sim::Scenario& s, std::uint64_t trials, unsigned jobs = 2,
                       unsigned shard = 0, unsigned shards = 1, std::uint64_t seed = 1) {
  sim::SweepOptions opt;
  opt.trials = trials;
  opt.seed = seed;
  opt.jobs = jobs;
  opt.shard_index = shard;
  opt.shard_count = shards;
  return sim::run_sweep(s, testing::registry(), opt);
}

}  // namespace

TEST_CASE("sweep: a daily snapshot gives an RPO uniform on 0 to 24h") {
  const std::uint64_t n = 1500;
  const auto r = sweep(daily_snapshot(), n);
  REQUIRE(r.cells.size() == 1);
  const auto& c = r.cells[0];
  CHECK(c.rpo.count() == n);
  CHECK(c.rpo.missing() == 0);
  // Quantile q of U[0, 24h] is q * 24h; the sampling error of a quantile is
  // sqrt(q(1-q)/n) * 24h; allow 5 of those plus the histogram's 0.5%.
  for (double q : {0.5, 0.9, 0.95}) {
    const double expected = q * 86400;
    const double tol = 5 * std::sqrt(q * (1 - q) / n) * 86400 + 0.005 * expected;
    INFO("q = " << q);
    CHECK(std::abs(c.rpo.quantile(q) - expected) < tol);
  }
  CHECK(std::abs(c.rpo.mean() - 43200) < 5 * 86400 / std::sqrt(12.0 * n));
  // The target is 12h: missed about half the time, and the Wilson interval holds 0.5.
  const auto [lo, hi] = c.miss_rpo.wilson();
  CHECK(lo < 0.5);
  CHECK(hi > 0.5);
  CHECK(c.miss_rpo.n == n);
}

TEST_CASE("sweep: an exponential replication lag comes back as the RPO distribution") {
  const std::uint64_t n = 1500;
  const auto r = sweep(exponential_lag(), n);
  const auto& c = r.cells[0];
  REQUIRE(c.rpo.count() == n);
  // Exponential, mean 10 s: mean 10 +- 5 standard errors, median 10 ln 2, p95 10 ln 20.
  CHECK(std::abs(c.rpo.mean() - 10.0) < 5 * 10.0 / std::sqrt(double(n)));
  CHECK(c.rpo.quantile(0.5) == doctest::Approx(10 * std::log(2.0)).epsilon(0.12));
  CHECK(c.rpo.quantile(0.95) == doctest::Approx(10 * std::log(20.0)).epsilon(0.12));
  // P(lag > 20 s) = e^-2.
  const auto [lo, hi] = c.miss_rpo.wilson();
  CHECK(lo < std::exp(-2.0));
  CHECK(hi > std::exp(-2.0));
}

TEST_CASE("sweep: shards merge to the bytes of the whole sweep, whatever the jobs or order") {
  const auto s = exponential_lag();
  const std::string whole = sim::sweep_result_json(sweep(s, 60, 2));
  CHECK(sim::sweep_result_json(sweep(s, 60, 1)) == whole);  // --jobs does not matter
  std::vector<sim::SweepResult> parts;
  for (unsigned k = 0; k < 4; ++k) {
    parts.push_back(sim::sweep_result_from_json_text(sim::sweep_result_json(sweep(s, 60, 2, k, 4))));
  }
  CHECK(sim::sweep_result_json(sim::merge_sweeps(parts)) == whole);
  std::vector<sim::SweepResult> reversed(parts.rbegin(), parts.rend());
  CHECK(sim::sweep_result_json(sim::merge_sweeps(reversed)) == whole);

  SUBCASE("a missing shard is refused") {
    std::vector<sim::SweepResult> three(parts.begin(), parts.begin() + 3);
    CHECK_THROWS_WITH_AS(sim::merge_sweeps(three), "shard 4/4 is missing", std::invalid_argument);
  }
  SUBCASE("a shard given twice is refused") {
    auto dup = parts;
    dup[3] = parts[2];
    CHECK_THROWS_WITH_AS(sim::merge_sweeps(dup), "shard 3/4 is given twice", std::invalid_argument);
  }
  SUBCASE("parts of another seed are refused") {
    auto other = parts;
    other[1] = sweep(s, 60, 2, 1, 4, 99);
    CHECK_THROWS_WITH_AS(sim::merge_sweeps(other), "parts of different sweeps: seed 1 vs 99",
                         std::invalid_argument);
  }
}

TEST_CASE("sweep: a seed gives the same result; another seed a different one") {
  const auto s = exponential_lag();
  CHECK(sim::sweep_result_json(sweep(s, 40)) == sim::sweep_result_json(sweep(s, 40)));
  CHECK(sim::sweep_result_json(sweep(s, 40)) !=
        sim::sweep_result_json(sweep(s, 40, 2, 0, 1, 2)));
}

namespace {

sim::TrialResult trial_with(std::uint64_t index, std::vector<std::optional<double>> rtos) {
  sim::TrialResult t;
  t.trial = index;
  for (const auto& rto : rtos) {
    sim::Outcome o;
    o.affected = !rto || *rto > 0;
    o.rto_s = rto;
    t.outcomes.push_back(o);
  }
  return t;
}

}  // namespace

TEST_CASE("the median trial: by the longest RTO of a trial, not recovered last, mergeable") {
  // Longest RTOs: trial 0: 10s, 1: 20s, 2: nothing went down, 3: not recovered, 4: 40s.
  const std::vector<sim::TrialResult> trials{
      trial_with(0, {10.0, 5.0}), trial_with(1, {20.0, 0.0}), trial_with(2, {0.0, 0.0}),
      trial_with(3, {std::nullopt, 30.0}), trial_with(4, {40.0, 1.0})};
  sim::TrialPicker whole, first, second;
  for (const auto& t : trials) whole.add(t);
  for (std::size_t i = 0; i < trials.size(); ++i) (i % 2 == 0 ? first : second).add(trials[i]);
  CHECK(whole.median_trial() == 1u);  // 0s, 10s, [20s], 40s, not recovered
  sim::TrialPicker ab = first, ba = second;
  ab.merge(second);
  ba.merge(first);
  CHECK(ab == whole);
  CHECK(ba == whole);
  // Equal times keep the smallest trial index, whatever the order they came in.
  sim::TrialPicker same;
  same.add(trial_with(9, {60.0}));
  same.add(trial_with(4, {60.0}));
  same.add(trial_with(7, {60.0}));
  CHECK(same.median_trial() == 4u);
  CHECK_FALSE(sim::TrialPicker{}.median_trial().has_value());
}

TEST_CASE("the median trial of a sweep is near the true median, and shards pick the same one") {
  const sim::Scenario s = daily_snapshot();
  std::vector<std::pair<double, std::uint64_t>> longest;  // (longest RTO, trial)
  sim::SweepOptions opt;
  opt.trials = 60;
  opt.seed = 4;
  opt.jobs = 2;
  opt.on_trial = [&](const sim::TrialResult& t) {
    double l = 0;
    for (const auto& o : t.outcomes) {
      if (o.affected && o.rto_s) l = std::max(l, *o.rto_s);
    }
    longest.emplace_back(l, t.trial);
  };
  const sim::SweepResult whole = sim::run_sweep(s, testing::registry(), opt);
  REQUIRE(longest.size() == 60);
  std::sort(longest.begin(), longest.end());
  const double true_median = longest[29].first;  // nearest rank ceil(60 / 2) = 30
  REQUIRE(whole.pickers.size() == 1);
  const auto picked = whole.pickers[0].median_trial();
  REQUIRE(picked.has_value());
  double picked_rto = -1;
  for (const auto& [rto, trial] : longest) {
    if (trial == *picked) picked_rto = rto;
  }
  CHECK(std::abs(picked_rto - true_median) <= 0.02 * true_median);
  opt.on_trial = nullptr;
  std::vector<sim::SweepResult> parts;
  for (unsigned k = 0; k < 3; ++k) {
    opt.shard_index = k;
    opt.shard_count = 3;
    parts.push_back(sim::run_sweep(s, testing::registry(), opt));
  }
  CHECK(sim::merge_sweeps(parts).pickers == whole.pickers);
}

namespace {

// This process's Private_Dirty in KiB (/proc/self/smaps_rollup); -1 when it cannot be read.
long private_dirty_kib() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Private_Dirty:", 0) == 0) return std::stol(line.substr(14));
  }
  return -1;
}

// In a child: prepares `prepared` copies of `s`'s disaster, then for each size forks a batch
// of that many trials (0, 1, ...) that unshares the prepared memory and runs. Writes one line
// per batch: the size, how much Private_Dirty grew by unsharing (KiB), and each trial's RPO.
std::string unshared_batches(const sim::Scenario& s, const sim::Disaster& d,
                             std::size_t prepared, const std::vector<std::size_t>& sizes) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::fflush(nullptr);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The forked processes never return into doctest: an exception would otherwise run the
    // rest of the suite a second time in the child. They end with a code the parent checks.
    try {
      ::close(fds[0]);
      sim::PreparedBatch* b = sim::prepare_batch(s, testing::registry(), d, prepared);
      for (const std::size_t n : sizes) {
        const pid_t batch = ::fork();
        if (batch == 0) {
          try {
            const long before = private_dirty_kib();
            sim::unshare_prepared_memory(b, n);
            const long grown = private_dirty_kib() - before;
            std::vector<std::uint64_t> trials(n);
            for (std::size_t k = 0; k < n; ++k) trials[k] = k;
            sim::run_prepared_batch(b, trials, [&](const std::vector<sim::TrialResult>& results) {
              std::string line = std::to_string(n) + " " + std::to_string(grown);
              for (const auto& r : results) {
                line += " " + std::to_string(r.outcomes.front().rpo_s.value_or(-1));
              }
              line += "\n";
              if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
                _exit(2);
              }
              _exit(0);
            });
          } catch (...) {
          }
          _exit(3);
        }
        int status = 0;
        ::waitpid(batch, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) _exit(4);
      }
    } catch (...) {
      _exit(5);
    }
    _exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  return out;
}

}  // namespace

TEST_CASE("sweep: a batch forked from a prepared state copies the pages it writes up front") {
  const sim::Scenario s = daily_snapshot();
  const sim::Disaster* d = s.disaster("deleted");
  REQUIRE(d != nullptr);
  std::istringstream lines(unshared_batches(s, *d, 48, {4, 48}));
  std::map<std::size_t, long> grown;
  std::map<std::size_t, std::vector<double>> rpo;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream in(line);
    std::size_t n = 0;
    in >> n >> grown[n];
    for (double v; in >> v;) rpo[n].push_back(v);
  }
  REQUIRE(grown.size() == 2);
  // Unsharing made the running trials' copies private at once (each prepared copy of this
  // scenario takes about 40 KiB; without it, the batch has written nearly nothing yet: about
  // 12 KiB in all), and only theirs: the more of the prepared trials a batch runs, the more.
  CHECK(grown[4] > 4 * 16);
  CHECK(grown[48] > grown[4] + 44 * 16);
  // And each trial's result is the one it gives alone.
  REQUIRE(rpo[4].size() == 4);
  REQUIRE(rpo[48].size() == 48);
  for (std::size_t k = 0; k < 48; ++k) {
    const auto alone = testing::run(s, "deleted", k);
    const double expected = alone.outcomes.front().rpo_s.value_or(-1);
    CHECK(std::stod(std::to_string(expected)) == rpo[48][k]);
    if (k < 4) CHECK(std::stod(std::to_string(expected)) == rpo[4][k]);
  }
}
