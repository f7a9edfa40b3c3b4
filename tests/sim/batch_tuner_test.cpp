#include "sim/batch_tuner.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>

using firedrill::sim::BatchTuner;

namespace {

// Runs `batches` batches through the tuner, each taking cost(size) seconds per trial (times a
// deterministic noise factor within +-noise), and counts the batches run at each size.
std::map<std::uint64_t, int> drive(BatchTuner& t, const std::function<double(double)>& per_trial,
                                   int batches, double noise = 0) {
  std::map<std::uint64_t, int> runs;
  std::uint64_t state = 12345;
  for (int k = 0; k < batches; ++k) {
    const std::uint64_t size = t.next();
    ++runs[size];
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(state >> 11) / 9007199254740992.0;  // [0, 1)
    const double factor = 1 + noise * (2 * u - 1);
    t.record(size, per_trial(static_cast<double>(size)) * static_cast<double>(size) * factor);
  }
  return runs;
}

// A process cost shared by the batch plus a per-trial cost growing with the batch: the
// shape measured on the benchmark machines; its minimum is at sqrt(fixed / growth).
double u_shaped(double fixed, double growth, double n) { return 1.0 + fixed / n + growth * n; }

}  // namespace

TEST_CASE("BatchTuner settles on the fastest size of its ladder and spends most batches there") {
  // Minimum at sqrt(96 / 0.1) ~ 31: 32 on the ladder.
  BatchTuner t(64);
  CHECK(t.next() == 64);  // it starts at 64
  const auto runs = drive(t, [](double n) { return u_shaped(96, 0.1, n); }, 300);
  CHECK(t.current() == 32);
  CHECK(runs.at(32) > 200);
  // Sizes away from the best are measured a few times at most.
  CHECK(runs.count(8) == 0);
  CHECK(runs.count(12) == 0);
}

TEST_CASE("BatchTuner finds small sizes for trials that suffer in large batches") {
  // Minimum at sqrt(20 / 0.15) ~ 11.5: 12.
  BatchTuner t(64);
  drive(t, [](double n) { return u_shaped(20, 0.15, n); }, 300);
  CHECK(t.current() == 12);
}

TEST_CASE("BatchTuner stays at the largest size for light trials") {
  BatchTuner t(64);
  const auto runs = drive(t, [](double n) { return u_shaped(500, 0.01, n); }, 200);
  CHECK(t.current() == 64);
  CHECK(runs.at(64) > 150);
}

TEST_CASE("BatchTuner climbs from 64 for light trials, and heavy ones never see large sizes") {
  BatchTuner light(256);  // ladder ... 64, 96, 128, 192, 256
  CHECK(light.next() == 64);
  const auto light_runs = drive(light, [](double n) { return u_shaped(500, 0.001, n); }, 300);
  CHECK(light.current() == 256);
  CHECK(light_runs.at(256) > 200);

  BatchTuner heavy(256);
  const auto heavy_runs = drive(heavy, [](double n) { return u_shaped(96, 0.1, n); }, 300);
  CHECK(heavy.current() == 32);
  CHECK(heavy_runs.count(128) == 0);  // 96 is measured as 64's neighbour, nothing above
  CHECK(heavy_runs.count(192) == 0);
  CHECK(heavy_runs.count(256) == 0);
}

TEST_CASE("BatchTuner is not thrown off by noisy measurements") {
  // +-10% noise on every batch; neighbours 24 and 48 are 3% and 4% slower than 32.
  BatchTuner t(64);
  drive(t, [](double n) { return u_shaped(96, 0.1, n); }, 400, 0.10);
  CHECK(t.current() == 32);
}

TEST_CASE("BatchTuner keeps to sizes up to its largest, and ignores batches off its ladder") {
  BatchTuner small(5);
  CHECK(small.next() == 5);
  drive(small, [](double n) { return u_shaped(1, 1, n); }, 20);
  CHECK(small.next() == 5);  // nothing smaller on the ladder

  BatchTuner t(20);  // ladder 8, 12, 16, 20
  CHECK(t.next() == 20);
  t.record(7, 1.0);  // the shorter last batch of a disaster: not on the ladder
  CHECK(t.next() == 20);
  t.record(20, 20.0);
  t.record(20, 20.0);
  CHECK(t.next() == 16);  // then it measures the neighbour below
}
