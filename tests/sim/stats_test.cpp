#include "sim/stats.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/rng.hpp"

using firedrill::sim::Distribution;
using firedrill::sim::Proportion;
using firedrill::sim::Rng;
using firedrill::sim::Summary;

namespace {

constexpr double kDay = 86400.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string dump(const Summary& s) {
  nlohmann::ordered_json j;
  s.to_json(j);
  return j.dump();
}

nlohmann::json as_json(const Summary& s) { return nlohmann::json::parse(dump(s)); }

// NaN stands for a missing value.
Summary summarise(const std::vector<double>& values) {
  Summary s;
  for (const double v : values) {
    if (std::isnan(v)) {
      s.add_missing();
    } else {
      s.add(v);
    }
  }
  return s;
}

void shuffle(std::vector<double>& values, Rng& rng) {
  for (std::size_t i = values.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rng.next_u64() % i);
    std::swap(values[i - 1], values[j]);
  }
}

// The nearest-rank quantile of the sample itself; `xs` sorted.
double exact_quantile(const std::vector<double>& xs, double q) {
  const auto rank = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(xs.size()))));
  return xs[std::min(rank, xs.size()) - 1];
}

// Standard error of the sample q-quantile of n draws from a law with density f there.
double quantile_sigma(double q, double n, double density) {
  return std::sqrt(q * (1 - q) / n) / density;
}

// Values spread over every category: exact zeros, tiny values, seconds to a month, and missing.
std::vector<double> mixed_values(int n, std::uint64_t seed) {
  Rng rng(seed, 0);
  const auto lag = Distribution::exponential(600);
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    switch (i % 10) {
      case 0:
        out.push_back(0.0);
        break;
      case 1:
        out.push_back(rng.uniform(0, 1e-6));
        break;
      case 2:
        out.push_back(kNaN);
        break;
      case 3:
        out.push_back(rng.uniform(29 * kDay, 30 * kDay));
        break;
      default:
        out.push_back(lag.sample(rng));
    }
  }
  return out;
}

bool near(double a, double b, double tolerance) { return std::fabs(a - b) <= tolerance; }

}  // namespace

TEST_SUITE("stats") {

TEST_CASE("Summary: uniform 0..24h gives the closed-form mean and quantiles") {
  constexpr int kN = 100000;
  Rng rng(20240601, 0);
  Summary s;
  std::vector<double> xs;
  for (int i = 0; i < kN; ++i) {
    xs.push_back(rng.uniform(0, kDay));
    s.add(xs.back());
  }
  CHECK(s.count() == kN);
  CHECK(s.missing() == 0);
  const double density = 1 / kDay;
  for (const auto& [q, expected] : {std::pair{0.5, 43200.0}, std::pair{0.95, 82080.0},
                                    std::pair{0.9, 77760.0}, std::pair{0.99, 85536.0}}) {
    CAPTURE(q);
    const double tolerance = 0.01 * expected + 5 * quantile_sigma(q, kN, density);
    CHECK(near(s.quantile(q), expected, tolerance));
  }
  CHECK(near(s.mean(), kDay / 2, 5 * kDay / std::sqrt(12.0 * kN)));
  CHECK(s.min() == *std::min_element(xs.begin(), xs.end()));
  CHECK(s.max() == *std::max_element(xs.begin(), xs.end()));
  CHECK(s.max() <= kDay);
}

TEST_CASE("Summary: exponential draws come back as the exponential law") {
  constexpr int kN = 100000;
  constexpr double kMean = 600;
  const auto law = Distribution::exponential(kMean);
  Rng rng(7, 3);
  Summary s;
  for (int i = 0; i < kN; ++i) s.add(law.sample(rng));
  CHECK(near(s.mean(), kMean, 5 * kMean / std::sqrt(kN)));
  for (const double q : {0.5, 0.9, 0.95, 0.99}) {
    CAPTURE(q);
    const double expected = -kMean * std::log1p(-q);  // 600 ln 2 for the median
    const double density = (1 - q) / kMean;
    CHECK(near(s.quantile(q), expected, 0.01 * expected + 5 * quantile_sigma(q, kN, density)));
  }
  CHECK(near(-kMean * std::log1p(-0.5), kMean * std::numbers::ln2, 1e-9));
}

TEST_CASE("Summary: quantiles are within 0.5% of the sample's own nearest-rank quantiles") {
  auto xs = mixed_values(20000, 11);
  std::erase_if(xs, [](double v) { return std::isnan(v); });
  const Summary s = summarise(xs);
  std::sort(xs.begin(), xs.end());
  for (int k = 0; k <= 1000; ++k) {
    const double q = k / 1000.0;
    CAPTURE(q);
    const double exact = exact_quantile(xs, q);
    const double got = s.quantile(q);
    if (exact == 0) {
      CHECK(got == 0);
    } else if (exact < Summary::kTiny) {
      CHECK(got > 0);
      CHECK(got < Summary::kTiny);
    } else {
      CHECK(std::fabs(got - exact) <= 0.005 * exact);
    }
  }
  CHECK(s.quantile(0) == s.min());
  CHECK(s.quantile(1) == s.max());
  CHECK(s.quantile(0) == exact_quantile(xs, 0));
  CHECK(s.quantile(1) == exact_quantile(xs, 1));

  // Mean: every value rounded to the microsecond, so within half a microsecond of the truth.
  long double sum = 0;
  for (const double v : xs) sum += v;
  CHECK(near(s.mean(), static_cast<double>(sum / xs.size()), 5e-7));
}

TEST_CASE("Summary: the state does not depend on the order values were added") {
  const auto values = mixed_values(10000, 99);
  auto shuffled = values;
  Rng rng(5, 5);
  shuffle(shuffled, rng);
  auto reversed = values;
  std::reverse(reversed.begin(), reversed.end());
  REQUIRE(shuffled != values);

  const Summary a = summarise(values);
  const Summary b = summarise(shuffled);
  const Summary c = summarise(reversed);
  CHECK(a.count() == 9000);
  CHECK(a.missing() == 1000);
  CHECK(a == b);
  CHECK(a == c);
  CHECK(dump(a) == dump(b));
  CHECK(dump(a) == dump(c));
  CHECK(a.mean() == b.mean());
  for (const double q : {0.0, 0.5, 0.9, 0.95, 0.99, 1.0}) CHECK(a.quantile(q) == b.quantile(q));

  Summary d = a;
  d.add(1.0);
  CHECK_FALSE(d == a);
  Summary e = a;
  e.add_missing();
  CHECK_FALSE(e == a);
}

TEST_CASE("Summary: parts merged in any order equal the whole, byte for byte") {
  auto values = mixed_values(10000, 42);
  Rng rng(1, 2);
  shuffle(values, rng);
  const Summary whole = summarise(values);

  // Contiguous blocks.
  std::vector<Summary> parts(4);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    Summary& part = parts[i * 4 / values.size()];
    if (std::isnan(v)) {
      part.add_missing();
    } else {
      part.add(v);
    }
  }
  Summary left = parts[0];  // (p0 + p1) + (p2 + p3)
  left.merge(parts[1]);
  Summary right = parts[2];
  right.merge(parts[3]);
  left.merge(right);

  Summary other;  // p3, p1, p0, p2 into an empty summary
  for (const int i : {3, 1, 0, 2}) other.merge(parts[static_cast<std::size_t>(i)]);

  // Interleaved shards (trial K, K + N, ...), merged in reverse.
  std::vector<Summary> shards(4);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      shards[i % 4].add_missing();
    } else {
      shards[i % 4].add(values[i]);
    }
  }
  Summary interleaved;
  for (auto it = shards.rbegin(); it != shards.rend(); ++it) interleaved.merge(*it);
  interleaved.merge(Summary{});  // merging nothing changes nothing

  CHECK(left == whole);
  CHECK(other == whole);
  CHECK(interleaved == whole);
  CHECK(dump(left) == dump(whole));
  CHECK(dump(other) == dump(whole));
  CHECK(dump(interleaved) == dump(whole));
  CHECK(other.mean() == whole.mean());
  CHECK(other.quantile(0.95) == whole.quantile(0.95));

  // Shards that went through JSON (as `firedrill merge` reads them) merge to the same bytes.
  Summary via_json;
  for (const auto& part : parts) via_json.merge(Summary::from_json(as_json(part)));
  CHECK(dump(via_json) == dump(whole));
}

TEST_CASE("Summary: JSON round trip is exact and canonical") {
  const Summary s = summarise(mixed_values(5000, 3));
  nlohmann::ordered_json j;
  s.to_json(j);
  const std::string text = j.dump();

  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"scheme", "count", "missing", "zeros", "tiny", "sum_us",
                                         "min", "max", "buckets"});
  CHECK(j["sum_us"].is_string());
  CHECK(j["count"].get<std::uint64_t>() == s.count());
  CHECK(j["missing"].get<std::uint64_t>() == s.missing());
  REQUIRE(j["buckets"].is_array());
  REQUIRE(!j["buckets"].empty());
  CHECK(j["buckets"].size() <= 4200);  // bounded by the number of buckets, not of values
  for (std::size_t i = 1; i < j["buckets"].size(); ++i) {
    CHECK(j["buckets"][i - 1][0].get<int>() < j["buckets"][i][0].get<int>());
  }

  const Summary back = Summary::from_json(nlohmann::json::parse(text));
  CHECK(back == s);
  CHECK(dump(back) == text);
  CHECK(back.mean() == s.mean());
  CHECK(back.min() == s.min());
  CHECK(back.max() == s.max());
  for (const double q : {0.0, 0.25, 0.5, 0.99, 1.0}) CHECK(back.quantile(q) == s.quantile(q));

  // Dumping twice, or a copy, gives the same bytes.
  CHECK(dump(s) == text);
  const Summary copy = s;
  CHECK(dump(copy) == text);

  // Special states round-trip too.
  Summary empty;
  Summary all_missing;
  all_missing.add_missing();
  Summary zeros;
  zeros.add(0.0);
  zeros.add(-0.0);
  for (const Summary* special : {&empty, &all_missing, &zeros}) {
    const Summary again = Summary::from_json(as_json(*special));
    CHECK(again == *special);
    CHECK(dump(again) == dump(*special));
  }
  CHECK(dump(empty) ==
        R"({"scheme":"log1.01-1us","count":0,"missing":0,"zeros":0,"tiny":0,"sum_us":"0",)"
        R"("min":0.0,"max":0.0,"buckets":[]})");
}

TEST_CASE("Summary: sums beyond 64 bits are exact and survive JSON") {
  Summary s;
  for (int i = 0; i < 40; ++i) s.add(Summary::kMaxValue);  // 40 * 1e18 us > 2^64
  s.add(0.5);
  const auto j = as_json(s);
  CHECK(j["sum_us"] == "40000000000000500000");
  const Summary back = Summary::from_json(j);
  CHECK(back == s);
  CHECK(dump(back) == dump(s));
  CHECK(near(s.mean(), (40 * 1e12 + 0.5) / 41, 1e-3));
  CHECK(s.max() == Summary::kMaxValue);
}

TEST_CASE("Summary: malformed JSON is rejected with a clear message") {
  Summary s;
  for (const double v : {0.0, 5e-7, 1.5, 60.0, 3600.0, 7200.0}) s.add(v);
  s.add_missing();
  const nlohmann::json good = as_json(s);
  REQUIRE(Summary::from_json(good) == s);

  const auto rejects = [&](const std::function<void(nlohmann::json&)>& change,
                           const std::string& message) {
    nlohmann::json bad = good;
    change(bad);
    CAPTURE(bad.dump());
    CHECK_THROWS_WITH_AS(Summary::from_json(bad), doctest::Contains(message.c_str()),
                         std::runtime_error);
  };
  CHECK_THROWS_WITH_AS(Summary::from_json(nlohmann::json::array()),
                       doctest::Contains("statistics summary: expected an object"),
                       std::runtime_error);
  CHECK_THROWS_AS(Summary::from_json(nlohmann::json("summary")), std::runtime_error);

  rejects([](auto& j) { j.erase("count"); }, "missing key \"count\"");
  rejects([](auto& j) { j.erase("buckets"); }, "missing key \"buckets\"");
  rejects([](auto& j) { j["extra"] = 1; }, "unknown key \"extra\"");
  rejects([](auto& j) { j["scheme"] = "log1.02-1us"; }, "\"scheme\" must be");
  rejects([](auto& j) { j["count"] = -1; }, "\"count\" must be a non-negative integer");
  rejects([](auto& j) { j["count"] = "6"; }, "\"count\" must be a non-negative integer");
  rejects([](auto& j) { j["missing"] = 1.5; }, "\"missing\" must be a non-negative integer");
  rejects([](auto& j) { j["sum_us"] = 3; }, "\"sum_us\" must be a string of decimal digits");
  rejects([](auto& j) { j["sum_us"] = "12a"; }, "\"sum_us\" must be a string of decimal digits");
  rejects([](auto& j) { j["sum_us"] = ""; }, "\"sum_us\" must be a string of decimal digits");
  rejects([](auto& j) { j["sum_us"] = "-5"; }, "\"sum_us\" must be a string of decimal digits");
  rejects([](auto& j) { j["sum_us"] = "0012"; }, "leading zeros");
  rejects([](auto& j) { j["sum_us"] = std::string(40, '9'); }, "\"sum_us\" is too large");
  rejects([](auto& j) { j["sum_us"] = "1"; }, "\"sum_us\" does not agree with the buckets");
  rejects([](auto& j) { j["sum_us"] = "100000000000"; }, "\"sum_us\" does not agree");
  rejects([](auto& j) { j["min"] = "0"; }, "\"min\" must be a number");
  rejects([](auto& j) { j["max"] = -1.0; }, "\"max\" must be between 0 and 1e12");
  rejects([](auto& j) { j["max"] = 1e300; }, "\"max\" must be between 0 and 1e12");
  rejects([](auto& j) { j["min"] = 7200.0; j["max"] = 60.0; }, "\"min\" must not exceed");
  rejects([](auto& j) { j["min"] = 1.0; }, "\"min\" does not fall in the lowest bucket");
  rejects([](auto& j) { j["max"] = 9000.0; }, "\"max\" does not fall in the highest bucket");
  rejects([](auto& j) { j["count"] = 7; }, "\"count\" must equal zeros + tiny");
  rejects([](auto& j) { j["zeros"] = 2; }, "\"count\" must equal zeros + tiny");
  rejects([](auto& j) { j["buckets"] = nlohmann::json::object(); }, "\"buckets\" must be an array");
  rejects([](auto& j) { j["buckets"][0] = 5; }, "\"buckets\" item 0 must be an [index, count]");
  rejects([](auto& j) { j["buckets"][1] = {1, 2, 3}; }, "\"buckets\" item 1 must be an");
  rejects([](auto& j) { j["buckets"][0][0] = -1; }, "\"buckets\" item 0 index must be a non-neg");
  rejects([](auto& j) { j["buckets"][0][0] = 100000; }, "\"buckets\" item 0 index must be below");
  rejects([](auto& j) { j["buckets"][0][1] = 0; }, "\"buckets\" item 0 count must be at least 1");
  rejects([](auto& j) { std::swap(j["buckets"][0], j["buckets"][1]); },
          "\"buckets\" item 1 index must be greater than the one before it");
  rejects([](auto& j) { j["buckets"][1][0] = j["buckets"][0][0]; },
          "\"buckets\" item 1 index must be greater than the one before it");

  Summary empty;
  const nlohmann::json empty_json = as_json(empty);
  nlohmann::json bad = empty_json;
  bad["max"] = 3.0;
  CHECK_THROWS_WITH_AS(Summary::from_json(bad), doctest::Contains("an empty summary must have"),
                       std::runtime_error);
  bad = empty_json;
  bad["sum_us"] = "10";
  CHECK_THROWS_AS(Summary::from_json(bad), std::runtime_error);

  Summary one;
  one.add(10.0);
  bad = as_json(one);
  bad["max"] = 10.01;  // same bucket, but one value cannot have min != max
  CHECK_THROWS_WITH_AS(Summary::from_json(bad), doctest::Contains("min == max"),
                       std::runtime_error);
}

TEST_CASE("Summary: empty and all-missing summaries") {
  Summary empty;
  CHECK(empty.count() == 0);
  CHECK(empty.missing() == 0);
  CHECK(empty.mean() == 0);
  CHECK(empty.min() == 0);
  CHECK(empty.max() == 0);
  CHECK(empty.quantile(0) == 0);
  CHECK(empty.quantile(0.5) == 0);
  CHECK(empty.quantile(1) == 0);
  CHECK(empty.histogram(10).empty());
  CHECK(empty == Summary{});

  Summary missing;
  for (int i = 0; i < 5; ++i) missing.add_missing();
  CHECK(missing.count() == 0);
  CHECK(missing.missing() == 5);
  CHECK(missing.mean() == 0);
  CHECK(missing.quantile(0.99) == 0);
  CHECK(missing.histogram(4).empty());
  CHECK_FALSE(missing == empty);

  // Merging into an empty summary takes the other's min and max, not 0.
  Summary some;
  some.add(100.0);
  some.add(200.0);
  missing.merge(some);
  CHECK(missing.min() == 100.0);
  CHECK(missing.max() == 200.0);
  CHECK(missing.count() == 2);
  CHECK(missing.missing() == 5);
  CHECK(missing.mean() == 150.0);
}

TEST_CASE("Summary: zeros, tiny values and a single value") {
  Summary zeros;
  for (int i = 0; i < 100; ++i) zeros.add(i % 2 ? 0.0 : -0.0);
  CHECK(zeros.count() == 100);
  CHECK(zeros.zeros() == 100);
  CHECK(zeros.mean() == 0);
  CHECK(zeros.quantile(0.5) == 0);
  CHECK(zeros.quantile(1) == 0);
  CHECK_FALSE(std::signbit(zeros.min()));
  const auto bins = zeros.histogram(10);
  REQUIRE(bins.size() == 1);
  CHECK(bins[0] == std::pair<double, std::uint64_t>{0.0, 100});

  // Half zeros: the median is exactly 0, higher quantiles are not.
  Summary half = zeros;
  for (int i = 0; i < 100; ++i) half.add(10.0);
  CHECK(half.quantile(0.5) == 0);
  CHECK(near(half.quantile(0.51), 10.0, 0.05));
  CHECK(half.quantile(1) == 10.0);
  CHECK(half.mean() == 5.0);

  Summary tiny;
  tiny.add(1e-7);
  tiny.add(5e-7);
  tiny.add(2e-6);
  CHECK(tiny.zeros() == 0);
  CHECK(tiny.min() == 1e-7);
  CHECK(tiny.max() == 2e-6);
  CHECK(tiny.quantile(0.5) == 5e-7);
  CHECK(tiny.mean() == doctest::Approx(1e-6));  // 0 + 1 + 2 us over 3

  Summary one;
  one.add(123.456);
  CHECK(one.count() == 1);
  CHECK(one.mean() == 123.456);
  for (const double q : {0.0, 0.01, 0.5, 0.99, 1.0}) CHECK(one.quantile(q) == 123.456);
  const auto one_bins = one.histogram(5);
  REQUIRE(one_bins.size() == 1);
  CHECK(one_bins[0] == std::pair<double, std::uint64_t>{123.456, 1});
}

TEST_CASE("Summary: huge values (30 days) keep their precision") {
  constexpr double kMonth = 30 * kDay;
  Rng rng(30, 0);
  Summary s;
  std::vector<double> xs;
  for (int i = 0; i < 1000; ++i) {
    xs.push_back(rng.uniform(kMonth - kDay, kMonth));
    s.add(xs.back());
  }
  s.add(kMonth);
  xs.push_back(kMonth);
  std::sort(xs.begin(), xs.end());
  CHECK(s.max() == kMonth);
  CHECK(s.quantile(1) == kMonth);
  CHECK(s.quantile(0) == *std::min_element(xs.begin(), xs.end()));
  for (const double q : {0.1, 0.5, 0.9, 0.95}) {
    const double exact = exact_quantile(xs, q);
    CHECK(std::fabs(s.quantile(q) - exact) <= 0.005 * exact);
  }
  long double sum = 0;
  for (const double v : xs) sum += v;
  CHECK(near(s.mean(), static_cast<double>(sum / xs.size()), 5e-7));
}

TEST_CASE("Summary: invalid values and arguments are refused") {
  Summary s;
  CHECK_THROWS_AS(s.add(-1.0), std::invalid_argument);
  CHECK_THROWS_AS(s.add(-1e-300), std::invalid_argument);
  CHECK_THROWS_AS(s.add(kNaN), std::invalid_argument);
  CHECK_THROWS_AS(s.add(std::numeric_limits<double>::infinity()), std::invalid_argument);
  CHECK_THROWS_AS(s.add(Summary::kMaxValue * 1.01), std::invalid_argument);
  CHECK(s == Summary{});  // nothing was counted
  CHECK_NOTHROW(s.add(Summary::kMaxValue));
  CHECK_THROWS_AS((void)s.quantile(-0.01), std::invalid_argument);
  CHECK_THROWS_AS((void)s.quantile(1.01), std::invalid_argument);
  CHECK_THROWS_AS((void)s.quantile(kNaN), std::invalid_argument);
  CHECK_THROWS_AS((void)s.histogram(0), std::invalid_argument);
}

TEST_CASE("Summary: histogram bins are equal-width, cover min to max and sum to the count") {
  Rng rng(8, 8);
  Summary uniform;
  for (int i = 0; i < 100000; ++i) uniform.add(rng.uniform(0, kDay));
  uniform.add_missing();  // not in any bin
  for (const int n : {1, 7, 10, 20, 100}) {
    CAPTURE(n);
    const auto bins = uniform.histogram(n);
    REQUIRE(bins.size() == static_cast<std::size_t>(n));
    std::uint64_t total = 0;
    for (const auto& [lower, count] : bins) total += count;
    CHECK(total == uniform.count());
    CHECK(bins.front().first == uniform.min());
    const double width = (uniform.max() - uniform.min()) / n;
    for (std::size_t i = 0; i < bins.size(); ++i) {
      CHECK(near(bins[i].first, uniform.min() + static_cast<double>(i) * width, 1e-6));
    }
  }
  // A flat law gives flat bins (within sampling error and the 1% bucket width).
  for (const auto& [lower, count] : uniform.histogram(10)) {
    CAPTURE(lower);
    CHECK(near(static_cast<double>(count), 10000, 1000));
  }

  const Summary mixed = summarise(mixed_values(10000, 17));
  for (const int n : {1, 3, 50}) {
    std::uint64_t total = 0;
    for (const auto& [lower, count] : mixed.histogram(n)) total += count;
    CHECK(total == mixed.count());
  }
  // Zeros land in the first bin, month-long values in the last.
  const auto bins = mixed.histogram(30);
  CHECK(bins.front().second >= mixed.zeros());
  CHECK(bins.back().second >= 1000);
}

TEST_CASE("Proportion: Wilson score interval matches known values") {
  const auto interval = [](std::uint64_t hits, std::uint64_t n) {
    return Proportion{hits, n}.wilson();
  };
  auto [lo, hi] = interval(0, 10);
  CHECK(lo == 0.0);
  CHECK(near(hi, 0.2775, 5e-5));
  std::tie(lo, hi) = interval(5, 10);
  CHECK(near(lo, 0.2366, 5e-5));
  CHECK(near(hi, 0.7634, 5e-5));
  std::tie(lo, hi) = interval(1, 100);
  CHECK(near(lo, 0.00177, 5e-6));
  CHECK(near(hi, 0.0545, 5e-5));
  std::tie(lo, hi) = interval(10, 10);
  CHECK(near(lo, 0.7225, 5e-5));
  CHECK(hi == 1.0);

  // Symmetric in hits <-> misses, and the interval holds p.
  const auto [a_lo, a_hi] = interval(3, 7);
  const auto [b_lo, b_hi] = interval(4, 7);
  CHECK(near(a_lo, 1 - b_hi, 1e-12));
  CHECK(near(a_hi, 1 - b_lo, 1e-12));
  CHECK(a_lo < 3.0 / 7);
  CHECK(a_hi > 3.0 / 7);

  // A wider z gives a wider interval; z = 0 collapses it to p.
  const auto [w_lo, w_hi] = Proportion{5, 10}.wilson(2.5758293035489004);
  CHECK(w_lo < 0.2366);
  CHECK(w_hi > 0.7634);
  const auto [z_lo, z_hi] = Proportion{5, 10}.wilson(0);
  CHECK(z_lo == 0.5);
  CHECK(z_hi == 0.5);
  const Proportion one_in_ten{1, 10};
  const Proportion impossible{11, 10};
  CHECK_THROWS_AS((void)one_in_ten.wilson(-1), std::invalid_argument);
  CHECK_THROWS_AS((void)impossible.wilson(), std::invalid_argument);
}

TEST_CASE("Proportion: counting, p, merge and the empty case") {
  Proportion empty;
  CHECK(empty.p() == 0);
  CHECK(empty.wilson() == std::pair{0.0, 1.0});

  Proportion all;
  Proportion first;
  Proportion second;
  for (int i = 0; i < 100; ++i) {
    const bool hit = i % 4 == 0;
    all.add(hit);
    (i < 37 ? first : second).add(hit);
  }
  CHECK(all.hits == 25);
  CHECK(all.n == 100);
  CHECK(all.p() == 0.25);
  Proportion merged = second;
  merged.merge(first);
  CHECK(merged == all);
  CHECK(merged.wilson() == all.wilson());
}

}  // TEST_SUITE

TEST_CASE("Summary: rank counts the values below a value's bucket and in it, missing ones aside") {
  Summary s;
  for (double v : {0.0, 0.0, 5e-7, 1.0, 2.0, 2.005, 3.0}) s.add(v);
  s.add_missing();
  CHECK(s.rank(0.0) == std::pair<std::uint64_t, std::uint64_t>{0, 2});
  CHECK(s.rank(1e-7) == std::pair<std::uint64_t, std::uint64_t>{2, 1});
  CHECK(s.rank(1.0) == std::pair<std::uint64_t, std::uint64_t>{3, 1});
  CHECK(s.rank(2.001) == std::pair<std::uint64_t, std::uint64_t>{4, 2});  // 2 and 2.005 share a 1% bucket
  CHECK(s.rank(2.5) == std::pair<std::uint64_t, std::uint64_t>{6, 0});
  CHECK(s.rank(100.0) == std::pair<std::uint64_t, std::uint64_t>{7, 0});
}
