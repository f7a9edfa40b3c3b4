#include "sim/stats.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/json_values.hpp"

namespace firedrill::sim {

namespace {

using json = nlohmann::json;

constexpr const char* kScheme = "log1.01-1us";
constexpr double kTinyRepresentative = 5e-7;  // what quantile() gives for a value in (0, 1e-6)

// Category of a value: exact zero, tiny, or its log bucket index (>= 0).
constexpr int kZeroCategory = -2;
constexpr int kTinyCategory = -1;

// Lower bounds of the log buckets: bounds()[i] = 1e-6 * 1.01^i by repeated multiplication (every
// step is one correctly rounded IEEE operation, so the table is the same on every machine), up
// to the first bound above kMaxValue.
const std::vector<double>& bounds() {
  static const std::vector<double> table = [] {
    std::vector<double> b{Summary::kTiny};
    while (b.back() <= Summary::kMaxValue) b.push_back(b.back() * Summary::kRatio);
    return b;
  }();
  return table;
}

// The bucket of v in [kTiny, kMaxValue]: the last lower bound <= v.
int bucket_of(double v) {
  const auto& b = bounds();
  return static_cast<int>(std::upper_bound(b.begin(), b.end(), v) - b.begin()) - 1;
}

int category_of(double v) {
  if (v == 0.0) return kZeroCategory;
  if (v < Summary::kTiny) return kTinyCategory;
  return bucket_of(v);
}

// Geometric midpoint of bucket i: relative error at most sqrt(1.01) - 1 < 0.5% for any value in it.
double representative(int bucket) {
  const auto& b = bounds();
  return std::sqrt(b[static_cast<std::size_t>(bucket)] * b[static_cast<std::size_t>(bucket) + 1]);
}

// The number of bucket indices a value up to kMaxValue can have.
int bucket_limit() { return static_cast<int>(bounds().size()) - 1; }

std::uint64_t to_micros(double v) { return static_cast<std::uint64_t>(std::llround(v * 1e6)); }

[[noreturn]] void malformed(const std::string& what) {
  throw std::runtime_error("statistics summary: " + what);
}

std::string key_text(std::string_view key) { return "\"" + std::string(key) + "\""; }

const json& member(const json& in, std::string_view key) {
  const auto it = in.find(key);
  if (it == in.end()) malformed("missing key " + key_text(key));
  return *it;
}

std::uint64_t read_count(const json& value, const std::string& what) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  }
  malformed(what + " must be a non-negative integer, found " + render_found(value));
}

double read_value(const json& value, const std::string& what) {
  if (!value.is_number()) malformed(what + " must be a number, found " + render_found(value));
  const double v = value.get<double>();
  if (!std::isfinite(v) || v < 0 || v > Summary::kMaxValue) {
    malformed(what + " must be between 0 and 1e12, found " + render_found(value));
  }
  return v == 0.0 ? 0.0 : v;  // no negative zero
}

}  // namespace

void Summary::add(double v) {
  if (!std::isfinite(v) || v < 0 || v > kMaxValue) {
    throw std::invalid_argument("Summary::add: need a finite value between 0 and 1e12, got " +
                                std::to_string(v));
  }
  if (v == 0.0) v = 0.0;  // -0.0 would make min's text depend on the order of adds
  if (count_ == 0) {
    min_ = max_ = v;
  } else {
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
  ++count_;
  sum_us_ += to_micros(v);
  if (v == 0.0) {
    ++zeros_;
  } else if (v < kTiny) {
    ++tiny_;
  } else {
    ++buckets_[bucket_of(v)];
  }
}

void Summary::add_missing() { ++missing_; }

void Summary::merge(const Summary& other) {
  if (other.count_ > 0) {
    if (count_ == 0) {
      min_ = other.min_;
      max_ = other.max_;
    } else {
      min_ = std::min(min_, other.min_);
      max_ = std::max(max_, other.max_);
    }
  }
  count_ += other.count_;
  missing_ += other.missing_;
  zeros_ += other.zeros_;
  tiny_ += other.tiny_;
  sum_us_ += other.sum_us_;
  for (const auto& [index, n] : other.buckets_) buckets_[index] += n;
}

double Summary::mean() const {
  if (count_ == 0) return 0;
  // Each value is at most 1e18 us, so the quotient fits in 64 bits.
  const auto q = static_cast<std::uint64_t>(sum_us_ / count_);
  const auto r = static_cast<std::uint64_t>(sum_us_ % count_);
  return (static_cast<double>(q) + static_cast<double>(r) / static_cast<double>(count_)) / 1e6;
}

double Summary::quantile(double q) const {
  if (!(q >= 0.0 && q <= 1.0)) {
    throw std::invalid_argument("Summary::quantile: need q in [0, 1], got " + std::to_string(q));
  }
  if (count_ == 0) return 0;
  const double wanted = std::ceil(q * static_cast<double>(count_));
  std::uint64_t rank = 1;
  if (wanted >= static_cast<double>(count_)) {
    rank = count_;
  } else if (wanted > 1) {
    rank = static_cast<std::uint64_t>(wanted);
  }
  if (rank == 1) return min_;
  if (rank == count_) return max_;
  const auto clamp = [this](double v) { return std::clamp(v, min_, max_); };
  std::uint64_t seen = zeros_;
  if (rank <= seen) return 0;
  seen += tiny_;
  if (rank <= seen) return clamp(kTinyRepresentative);
  for (const auto& [index, n] : buckets_) {
    seen += n;
    if (rank <= seen) return clamp(representative(index));
  }
  return max_;  // unreachable while the counts add up
}

std::pair<std::uint64_t, std::uint64_t> Summary::rank(double v) const {
  const int cat = category_of(std::clamp(v, 0.0, kMaxValue));
  if (cat == kZeroCategory) return {0, zeros_};
  if (cat == kTinyCategory) return {zeros_, tiny_};
  std::uint64_t below = zeros_ + tiny_, same = 0;
  for (const auto& [index, n] : buckets_) {
    if (index < cat) below += n;
    if (index == cat) same = n;
  }
  return {below, same};
}

std::vector<std::pair<double, std::uint64_t>> Summary::histogram(int bins) const {
  if (bins < 1) {
    throw std::invalid_argument("Summary::histogram: need at least 1 bin, got " +
                                std::to_string(bins));
  }
  std::vector<std::pair<double, std::uint64_t>> out;
  if (count_ == 0) return out;
  if (min_ == max_) {
    out.emplace_back(min_, count_);
    return out;
  }
  const double width = (max_ - min_) / bins;
  out.reserve(static_cast<std::size_t>(bins));
  for (int i = 0; i < bins; ++i) out.emplace_back(min_ + i * width, 0);
  const auto place = [&](double v, std::uint64_t n) {
    if (n == 0) return;
    v = std::clamp(v, min_, max_);
    const double at = std::floor((v - min_) / width);
    const int bin = at <= 0 ? 0 : at >= bins - 1 ? bins - 1 : static_cast<int>(at);
    out[static_cast<std::size_t>(bin)].second += n;
  };
  place(0.0, zeros_);
  place(kTinyRepresentative, tiny_);
  for (const auto& [index, n] : buckets_) place(representative(index), n);
  return out;
}

bool Summary::operator==(const Summary& other) const {
  return count_ == other.count_ && missing_ == other.missing_ && zeros_ == other.zeros_ &&
         tiny_ == other.tiny_ && sum_us_ == other.sum_us_ && min_ == other.min_ &&
         max_ == other.max_ && buckets_ == other.buckets_;
}

void Summary::to_json(nlohmann::ordered_json& out) const {
  std::string sum;
  Sum s = sum_us_;
  do {
    sum.push_back(static_cast<char>('0' + static_cast<int>(s % 10)));
    s /= 10;
  } while (s != 0);
  std::reverse(sum.begin(), sum.end());

  auto buckets = nlohmann::ordered_json::array();
  for (const auto& [index, n] : buckets_) buckets.push_back({index, n});

  out = nlohmann::ordered_json::object();
  out["scheme"] = kScheme;
  out["count"] = count_;
  out["missing"] = missing_;
  out["zeros"] = zeros_;
  out["tiny"] = tiny_;
  out["sum_us"] = sum;
  out["min"] = min_;
  out["max"] = max_;
  out["buckets"] = std::move(buckets);
}

Summary Summary::from_json(const nlohmann::json& in) {
  if (!in.is_object()) malformed("expected an object, found " + render_found(in));
  static constexpr std::string_view kKeys[] = {"scheme", "count", "missing", "zeros", "tiny",
                                               "sum_us", "min",   "max",     "buckets"};
  for (const auto& [key, value] : in.items()) {
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
      malformed("unknown key " + key_text(key));
    }
  }
  const json& scheme = member(in, "scheme");
  if (!scheme.is_string() || scheme.get<std::string>() != kScheme) {
    malformed(std::string("\"scheme\" must be \"") + kScheme + "\", found " + render_found(scheme));
  }

  Summary s;
  s.count_ = read_count(member(in, "count"), "\"count\"");
  s.missing_ = read_count(member(in, "missing"), "\"missing\"");
  s.zeros_ = read_count(member(in, "zeros"), "\"zeros\"");
  s.tiny_ = read_count(member(in, "tiny"), "\"tiny\"");
  s.min_ = read_value(member(in, "min"), "\"min\"");
  s.max_ = read_value(member(in, "max"), "\"max\"");

  const json& sum = member(in, "sum_us");
  const std::string digits = sum.is_string() ? sum.get<std::string>() : std::string();
  const bool digits_ok =
      !digits.empty() && (digits.size() == 1 || digits[0] != '0') &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits_ok) {
    malformed("\"sum_us\" must be a string of decimal digits without leading zeros, found " +
              render_found(sum));
  }
  const Sum max_sum = ~Sum{0};
  for (const char c : digits) {
    const auto d = static_cast<unsigned>(c - '0');
    if (s.sum_us_ > (max_sum - d) / 10) malformed("\"sum_us\" is too large: " + digits);
    s.sum_us_ = s.sum_us_ * 10 + d;
  }

  const json& buckets = member(in, "buckets");
  if (!buckets.is_array()) malformed("\"buckets\" must be an array, found " + render_found(buckets));
  Sum total = Sum{s.zeros_} + s.tiny_;
  int previous = -1;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const json& b = buckets[i];
    const std::string where = "\"buckets\" item " + std::to_string(i);
    if (!b.is_array() || b.size() != 2) {
      malformed(where + " must be an [index, count] pair, found " + render_found(b));
    }
    const std::uint64_t index = read_count(b[0], where + " index");
    if (index >= static_cast<std::uint64_t>(bucket_limit())) {
      malformed(where + " index must be below " + std::to_string(bucket_limit()) + ", found " +
                render_found(b[0]));
    }
    if (static_cast<int>(index) <= previous) {
      malformed(where + " index must be greater than the one before it (sorted, no repeats)");
    }
    previous = static_cast<int>(index);
    const std::uint64_t n = read_count(b[1], where + " count");
    if (n == 0) malformed(where + " count must be at least 1");
    s.buckets_.emplace(previous, n);
    total += n;
  }

  if (total != s.count_) {
    malformed("\"count\" must equal zeros + tiny + the bucket counts");
  }
  if (s.count_ == 0) {
    if (s.min_ != 0 || s.max_ != 0 || s.sum_us_ != 0) {
      malformed("an empty summary must have min, max and sum_us 0");
    }
    return s;
  }
  if (s.min_ > s.max_) malformed("\"min\" must not exceed \"max\"");
  if (s.count_ == 1 && s.min_ != s.max_) malformed("a single value must have min == max");
  const int lowest = s.zeros_ > 0   ? kZeroCategory
                     : s.tiny_ > 0  ? kTinyCategory
                                    : s.buckets_.begin()->first;
  const int highest = !s.buckets_.empty() ? s.buckets_.rbegin()->first
                      : s.tiny_ > 0       ? kTinyCategory
                                          : kZeroCategory;
  if (category_of(s.min_) != lowest) malformed("\"min\" does not fall in the lowest bucket used");
  if (category_of(s.max_) != highest) malformed("\"max\" does not fall in the highest bucket used");
  // Every value rounds to a whole number of microseconds within its bucket's bounds and
  // within [min, max], so the sum has a floor and a ceiling.
  const auto& b = bounds();
  Sum low = 0;
  Sum high = s.tiny_;  // a tiny value rounds to 0 or 1 us
  for (const auto& [index, n] : s.buckets_) {
    low += Sum{n} * to_micros(b[static_cast<std::size_t>(index)]);
    high += Sum{n} * to_micros(b[static_cast<std::size_t>(index) + 1]);
  }
  low = std::max(low, Sum{s.count_} * to_micros(s.min_));
  high = std::min(high, Sum{s.count_} * to_micros(s.max_));
  if (s.sum_us_ < low || s.sum_us_ > high) {
    malformed("\"sum_us\" does not agree with the buckets, min and max");
  }
  return s;
}

void Proportion::add(bool hit) {
  ++n;
  if (hit) ++hits;
}

void Proportion::merge(const Proportion& o) {
  hits += o.hits;
  n += o.n;
}

double Proportion::p() const {
  return n == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(n);
}

std::pair<double, double> Proportion::wilson(double z) const {
  if (!(z >= 0) || !std::isfinite(z)) {
    throw std::invalid_argument("Proportion::wilson: need a finite z >= 0");
  }
  if (hits > n) throw std::invalid_argument("Proportion::wilson: hits exceed n");
  if (n == 0) return {0.0, 1.0};
  const double nn = static_cast<double>(n);
  const double phat = p();
  const double z2 = z * z;
  const double denominator = 1 + z2 / nn;
  const double centre = (phat + z2 / (2 * nn)) / denominator;
  const double half = z * std::sqrt(phat * (1 - phat) / nn + z2 / (4 * nn * nn)) / denominator;
  const double lo = hits == 0 ? 0.0 : std::max(0.0, centre - half);
  const double hi = hits == n ? 1.0 : std::min(1.0, centre + half);
  return {lo, hi};
}

}  // namespace firedrill::sim
