#include "sim/distribution.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

using firedrill::sim::Distribution;
using firedrill::sim::Rng;
using firedrill::sim::Unit;

namespace {

constexpr int kDraws = 200000;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> draw(const Distribution& d, std::uint64_t seed = 12345,
                         std::uint64_t trial = 0, int n = kDraws) {
  Rng rng(seed, trial);
  std::vector<double> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) out.push_back(d.sample(rng));
  return out;
}

double average(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return sum / static_cast<double>(xs.size());
}

double fraction_at_most(const std::vector<double>& xs, double bound) {
  double count = 0;
  for (double x : xs) count += x <= bound ? 1 : 0;
  return count / static_cast<double>(xs.size());
}

// The sample mean is within five standard errors of the true mean.
void check_mean(const std::vector<double>& xs, double mean, double sd) {
  const double tolerance = 5 * sd / std::sqrt(static_cast<double>(xs.size()));
  CAPTURE(mean);
  CAPTURE(tolerance);
  CHECK(std::abs(average(xs) - mean) < tolerance);
}

// The share of draws at or below `bound` is `p` within five binomial standard errors.
void check_cdf(const std::vector<double>& xs, double bound, double p) {
  const double tolerance = 5 * std::sqrt(p * (1 - p) / static_cast<double>(xs.size()));
  CAPTURE(bound);
  CAPTURE(p);
  CHECK(std::abs(fraction_at_most(xs, bound) - p) < tolerance);
}

// Draws check against the distribution's own quantile function at a few levels.
void check_quantiles(const Distribution& d, const std::vector<double>& xs) {
  for (double q : {0.05, 0.25, 0.5, 0.75, 0.95}) check_cdf(xs, d.quantile(q), q);
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

bool all_non_negative(const std::vector<double>& xs) {
  for (double x : xs) {
    if (!(x >= 0)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("fixed") {
  const auto d = Distribution::fixed(30);
  CHECK(d.kind() == Distribution::Kind::fixed);
  CHECK(d.is_fixed());
  Rng rng(1, 1);
  CHECK(d.sample(rng) == 30);
  CHECK(d.mean() == 30);
  CHECK(d.quantile(0) == 30);
  CHECK(d.quantile(1) == 30);
  CHECK(d.min() == 30);
  CHECK(d.max() == 30);
  const Distribution zero;
  CHECK(zero.is_fixed());
  CHECK(zero.mean() == 0);
  CHECK(zero.parameters() == std::vector<double>{0.0});
}

TEST_CASE("uniform: draws match the law") {
  const auto d = Distribution::uniform(60, 300);
  const auto xs = draw(d);
  for (double x : xs) {
    REQUIRE(x >= 60);
    REQUIRE(x < 300);
  }
  CHECK(d.mean() == 180);
  check_mean(xs, 180, 240 / std::sqrt(12.0));
  check_quantiles(d, xs);
  CHECK(d.quantile(0.25) == 120);
  CHECK(d.quantile(0) == 60);
  CHECK(d.quantile(1) == 300);
  CHECK(d.min() == 60);
  CHECK(d.max() == 300);
  Rng rng(3, 3);
  CHECK(Distribution::uniform(5, 5).sample(rng) == 5);
}

TEST_CASE("normal: draws match the law when truncation is negligible") {
  const auto d = Distribution::normal(300, 60);
  const auto xs = draw(d);
  CHECK(all_non_negative(xs));
  // mean() is of the truncated law: 300 + 60 * pdf(5) / cdf(5), about 300.0000892.
  const double truncated_mean =
      300 + 60 * std::exp(-12.5) / std::sqrt(2 * std::numbers::pi) / normal_cdf(5);
  CHECK(d.mean() == doctest::Approx(truncated_mean).epsilon(1e-14));
  CHECK(d.mean() > 300);
  check_mean(xs, 300, 60);
  check_quantiles(d, xs);
  CHECK(d.min() == 0);
  CHECK(d.max() == kInf);
}

TEST_CASE("normal: truncated at zero by resampling") {
  // mean 0: exactly the half-normal law.
  const auto d = Distribution::normal(0, 1);
  const auto xs = draw(d);
  CHECK(all_non_negative(xs));
  const double half_normal_mean = std::sqrt(2 / std::numbers::pi);
  CHECK(d.mean() == doctest::Approx(half_normal_mean).epsilon(1e-14));
  check_mean(xs, half_normal_mean, std::sqrt(1 - 2 / std::numbers::pi));
  for (double x : {0.5, 1.0, 2.0}) check_cdf(xs, x, 2 * normal_cdf(x) - 1);
  // quantile() is of the untruncated law.
  CHECK(d.quantile(0.5) == 0);
  CHECK(d.quantile(0.025) == doctest::Approx(-1.959963984540054).epsilon(1e-14));

  // A mean one sd above zero: truncated mean mu + sd * pdf(a) / (1 - cdf(a)), a = -mu/sd.
  const auto e = Distribution::normal(10, 10);
  const double a = -1;
  const double pdf = std::exp(-0.5 * a * a) / std::sqrt(2 * std::numbers::pi);
  const double expected_mean = 10 + 10 * pdf / (1 - normal_cdf(a));
  CHECK(e.mean() == doctest::Approx(expected_mean).epsilon(1e-14));
  const auto ys = draw(e);
  CHECK(all_non_negative(ys));
  // sd of the truncated law is below the untruncated sd, so 10 is a safe bound.
  check_mean(ys, expected_mean, 10);
}

TEST_CASE("normal: exact quantiles") {
  const auto d = Distribution::normal(10, 2);
  CHECK(d.quantile(0.975) == doctest::Approx(10 + 2 * 1.959963984540054).epsilon(1e-15));
  CHECK(d.quantile(0.5) == 10);
  CHECK(d.quantile(0.95) == doctest::Approx(10 + 2 * 1.6448536269514722).epsilon(1e-15));
  CHECK(d.quantile(0) == -kInf);
  CHECK(d.quantile(1) == kInf);

  const auto z = Distribution::normal(0, 1);
  CHECK(z.quantile(0.999) == doctest::Approx(3.090232306167813).epsilon(1e-14));
  CHECK(z.quantile(1e-10) == doctest::Approx(-6.361340902404056).epsilon(1e-13));
  CHECK(z.quantile(0.8413447460685429) == doctest::Approx(1.0).epsilon(1e-14));
  // quantile inverts the CDF across the whole range, tails included.
  for (double q : {1e-300, 1e-20, 1e-6, 0.001, 0.01, 0.02425, 0.03, 0.1, 0.3, 0.49, 0.51, 0.7,
                   0.9, 0.97, 0.99, 0.999999}) {
    CAPTURE(q);
    CHECK(normal_cdf(z.quantile(q)) == doctest::Approx(q).epsilon(1e-13));
  }
  // Exact symmetry where 1 - q is exact.
  for (double q : {0.0078125, 0.125, 0.25, 0.375}) CHECK(z.quantile(q) == -z.quantile(1 - q));

  const auto point = Distribution::normal(7, 0);
  CHECK(point.quantile(0.9) == 7);
  CHECK(point.mean() == 7);
  CHECK(point.min() == 7);
  CHECK(point.max() == 7);
}

TEST_CASE("lognormal by p50 and p95") {
  const auto d = Distribution::lognormal_p50_p95(120, 600);
  CHECK(d.quantile(0.95) == doctest::Approx(600).epsilon(1e-14));
  CHECK(d.quantile(0.5) == 120);
  CHECK(d.quantile(0) == 0);
  CHECK(d.quantile(1) == kInf);
  const double mu = std::log(120.0);
  const double sigma = (std::log(600.0) - mu) / 1.6448536269514722;
  const double mean = std::exp(mu + sigma * sigma / 2);
  const double sd = mean * std::sqrt(std::exp(sigma * sigma) - 1);
  CHECK(d.mean() == doctest::Approx(mean).epsilon(1e-14));
  const auto xs = draw(d);
  CHECK(all_non_negative(xs));
  check_mean(xs, mean, sd);
  check_quantiles(d, xs);
  check_cdf(xs, 600, 0.95);
  CHECK(d.min() == 0);
  CHECK(d.max() == kInf);

  const auto point = Distribution::lognormal_p50_p95(30, 30);
  Rng rng(9, 9);
  CHECK(point.sample(rng) == 30);
  CHECK(point.quantile(0.99) == 30);
  CHECK(point.mean() == 30);
}

TEST_CASE("exponential") {
  const auto d = Distribution::exponential(10);
  CHECK(d.quantile(0.5) == doctest::Approx(10 * std::numbers::ln2).epsilon(1e-15));
  CHECK(d.quantile(0.95) == doctest::Approx(-10 * std::log(0.05)).epsilon(1e-15));
  CHECK(d.quantile(0) == 0);
  CHECK(d.quantile(1) == kInf);
  CHECK(d.mean() == 10);
  const auto xs = draw(d);
  CHECK(all_non_negative(xs));
  check_mean(xs, 10, 10);
  check_quantiles(d, xs);
  CHECK(d.min() == 0);
  CHECK(d.max() == kInf);
}

TEST_CASE("triangular") {
  const auto d = Distribution::triangular(60, 120, 600);
  CHECK(d.mean() == 260);
  CHECK(d.quantile(0) == 60);
  CHECK(d.quantile(1) == 600);
  CHECK(d.quantile(1.0 / 9) == doctest::Approx(120).epsilon(1e-14));  // CDF at the mode
  CHECK(d.quantile(0.5) == doctest::Approx(240).epsilon(1e-14));     // 600 - sqrt(.5*540*480)
  CHECK(d.quantile(0.05) == doctest::Approx(60 + std::sqrt(0.05 * 540 * 60)).epsilon(1e-14));
  const double a = 60, c = 120, b = 600;
  const double sd = std::sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18);
  const auto xs = draw(d);
  for (double x : xs) {
    REQUIRE(x >= 60);
    REQUIRE(x <= 600);
  }
  check_mean(xs, 260, sd);
  check_quantiles(d, xs);
  CHECK(d.min() == 60);
  CHECK(d.max() == 600);

  // Degenerate shapes: mode at an end, and a single point.
  const auto left = Distribution::triangular(0, 0, 1);
  CHECK(left.quantile(0.75) == doctest::Approx(0.5).epsilon(1e-15));
  const auto right = Distribution::triangular(0, 1, 1);
  CHECK(right.quantile(0.25) == doctest::Approx(0.5).epsilon(1e-15));
  const auto point = Distribution::triangular(5, 5, 5);
  CHECK(point.quantile(0.3) == 5);
  Rng rng(4, 4);
  CHECK(point.sample(rng) == 5);
}

TEST_CASE("empirical") {
  const auto d = Distribution::empirical({2400, 7200, 3300});
  CHECK(d.parameters() == std::vector<double>{2400, 3300, 7200});  // kept sorted
  CHECK(d.mean() == 4300);
  CHECK(d.min() == 2400);
  CHECK(d.max() == 7200);
  const auto xs = draw(d);
  for (double value : {2400.0, 3300.0, 7200.0}) {
    double count = 0;
    for (double x : xs) count += x == value ? 1 : 0;
    const double p = 1.0 / 3;
    CHECK(std::abs(count / kDraws - p) < 5 * std::sqrt(p * (1 - p) / kDraws));
  }
  const double var = ((2400.0 - 4300) * (2400 - 4300) + (3300.0 - 4300) * (3300 - 4300) +
                      (7200.0 - 4300) * (7200 - 4300)) / 3;
  check_mean(xs, 4300, std::sqrt(var));

  // Type 7 quantiles.
  const auto e = Distribution::empirical({4, 1, 3, 2});
  CHECK(e.quantile(0) == 1);
  CHECK(e.quantile(1) == 4);
  CHECK(e.quantile(0.5) == 2.5);
  CHECK(e.quantile(0.25) == 1.75);
  CHECK(e.quantile(0.9) == doctest::Approx(3.7).epsilon(1e-15));
  const auto one = Distribution::empirical({42});
  CHECK(one.quantile(0.3) == 42);
  Rng rng(5, 5);
  CHECK(one.sample(rng) == 42);
}

TEST_CASE("sampling is deterministic per (seed, trial)") {
  const std::vector<Distribution> all{
      Distribution::fixed(1),
      Distribution::uniform(1, 2),
      Distribution::normal(5, 3),
      Distribution::lognormal_p50_p95(1, 4),
      Distribution::exponential(2),
      Distribution::triangular(1, 2, 5),
      Distribution::empirical({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}),
  };
  for (const auto& d : all) {
    CAPTURE(d.to_json_text());
    CHECK(draw(d, 99, 4, 1000) == draw(d, 99, 4, 1000));
    if (!d.is_fixed()) {
      CHECK(draw(d, 99, 4, 1000) != draw(d, 99, 5, 1000));
      CHECK(draw(d, 99, 4, 1000) != draw(d, 98, 4, 1000));
    }
  }
}

TEST_CASE("sampling consumes a fixed number of generator outputs") {
  // How many outputs sample() read: the next output after it is the (k+1)-th of a fresh copy.
  auto consumed = [](const Distribution& d) {
    Rng used(7, 7);
    d.sample(used);
    const auto next = used.next_u64();
    Rng fresh(7, 7);
    for (int k = 0; k < 8; ++k) {
      if (fresh.next_u64() == next) return k;
    }
    return -1;
  };
  CHECK(consumed(Distribution::fixed(1)) == 0);
  CHECK(consumed(Distribution::uniform(1, 2)) == 1);
  CHECK(consumed(Distribution::exponential(2)) == 1);
  CHECK(consumed(Distribution::triangular(1, 2, 3)) == 1);
  CHECK(consumed(Distribution::empirical({1, 2})) == 1);
  CHECK(consumed(Distribution::lognormal_p50_p95(1, 2)) == 2);
  CHECK(consumed(Distribution::normal(100, 1)) == 2);  // never resamples at 100 sd
}

TEST_CASE("invalid parameters are refused") {
  CHECK_THROWS_AS(Distribution::fixed(-1), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::fixed(NAN), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::uniform(5, 1), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::uniform(0, INFINITY), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::normal(1, -1), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::normal(-1, 1), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal_p50_p95(0, 1), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal_p50_p95(2, 1), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::exponential(0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::triangular(1, 0, 2), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::triangular(1, 3, 2), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({}), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({1, -1}), std::invalid_argument);
  const auto d = Distribution::uniform(1, 2);
  CHECK_THROWS_AS(static_cast<void>(d.quantile(-0.1)), std::invalid_argument);
  CHECK_THROWS_AS(static_cast<void>(d.quantile(1.1)), std::invalid_argument);
  CHECK_THROWS_AS(static_cast<void>(d.quantile(NAN)), std::invalid_argument);
}

TEST_CASE("describe") {
  CHECK(Distribution::fixed(30).describe(Unit::duration) == "fixed 30s");
  CHECK(Distribution::uniform(60, 300).describe(Unit::duration) == "uniform 1m..5m");
  CHECK(Distribution::normal(300, 60).describe(Unit::duration) == "normal mean 5m sd 1m");
  CHECK(Distribution::lognormal_p50_p95(120, 600).describe(Unit::duration) ==
        "lognormal p50 2m p95 10m");
  CHECK(Distribution::exponential(10).describe(Unit::duration) == "exponential mean 10s");
  CHECK(Distribution::triangular(60, 120, 600).describe(Unit::duration) ==
        "triangular 1m..10m mode 2m");
  CHECK(Distribution::empirical({2400, 7200, 3300}).describe(Unit::duration) ==
        "empirical 3 samples 40m..2h");
  CHECK(Distribution::empirical({60}).describe(Unit::duration) == "empirical 1 sample 1m");
  CHECK(Distribution::fixed(200).describe(Unit::rate) == "fixed 200/s");
  CHECK(Distribution::uniform(5e11, 1e12).describe(Unit::size) == "uniform 500GB..1TB");
  CHECK(Distribution::fixed(1.25e8).describe(Unit::bandwidth) == "fixed 125MB/s");
  CHECK(Distribution::uniform(1, 3).describe(Unit::count) == "uniform 1..3");
}

TEST_CASE("to_json_text") {
  CHECK(Distribution().to_json_text() == R"({"fixed":0})");
  CHECK(Distribution::fixed(0.1).to_json_text() == R"({"fixed":0.1})");
  CHECK(Distribution::uniform(60, 300).to_json_text() == R"({"uniform":[60,300]})");
  CHECK(Distribution::normal(300, 60).to_json_text() == R"({"normal":{"mean":300,"sd":60}})");
  CHECK(Distribution::lognormal_p50_p95(120, 600).to_json_text() ==
        R"({"lognormal":{"p50":120,"p95":600}})");
  CHECK(Distribution::exponential(10).to_json_text() == R"({"exponential":{"mean":10}})");
  CHECK(Distribution::triangular(60, 120, 600).to_json_text() ==
        R"({"triangular":[60,120,600]})");
  CHECK(Distribution::empirical({7200, 2400, 3300.5}).to_json_text() ==
        R"({"empirical":[2400,3300.5,7200]})");
  // Shortest text that reads back as the same double.
  CHECK(Distribution::fixed(1.0 / 3).to_json_text() == R"({"fixed":0.3333333333333333})");
  CHECK(Distribution::fixed(1e300).to_json_text() == R"({"fixed":1e+300})");
}
