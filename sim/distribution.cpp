#include "sim/distribution.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace firedrill::sim {

namespace {

// Standard normal quantile of the 95th percentile; lognormal sigma = ln(p95 / p50) / z95.
// Lognormal values are computed as p50 * exp(sigma * z) (= exp(mu + sigma * z), mu = ln p50), so
// that the median and a p50 == p95 law come out exactly.
constexpr double kZ95 = 1.6448536269514722;
constexpr double kInfinity = std::numeric_limits<double>::infinity();
// A normal law whose mass is almost all below zero would resample for ever: give up after this
// many draws and return 0. With mean >= 0 (enforced) a draw is negative with probability at
// most 1/2, so this never happens in practice.
constexpr int kMaxNormalAttempts = 200;

double lognormal_sigma(double p50, double p95) { return std::log(p95 / p50) / kZ95; }

double standard_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

// Acklam's rational approximation of the standard normal quantile for 0 < p <= 0.5 (relative
// error below 1.2e-9), refined by one Halley step on the exact CDF.
double lower_normal_quantile(double p) {
  static constexpr std::array<double, 6> a{-3.969683028665376e+01, 2.209460984245205e+02,
                                           -2.759285104469687e+02, 1.383577518672690e+02,
                                           -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr std::array<double, 5> b{-5.447609879822406e+01, 1.615858368580409e+02,
                                           -1.556989798598866e+02, 6.680131188771972e+01,
                                           -1.328068155288572e+01};
  static constexpr std::array<double, 6> c{-7.784894002430293e-03, -3.223964580411365e-01,
                                           -2.400758277161838e+00, -2.549732539343734e+00,
                                           4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr std::array<double, 4> d{7.784695709041462e-03, 3.224671290700398e-01,
                                           2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;

  double x = 0.0;
  if (p < p_low) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // Halley's method on f(x) = cdf(x) - p; in the lower half the CDF is accurate in relative terms.
  const double e = standard_normal_cdf(x) - p;
  const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

// The standard normal quantile; -inf at 0, +inf at 1.
double standard_normal_quantile(double p) {
  if (p <= 0.0) return -kInfinity;
  if (p >= 1.0) return kInfinity;
  if (p == 0.5) return 0.0;
  // 1 - p is exact for p >= 0.5, so the upper half mirrors the (more accurate) lower half.
  return p < 0.5 ? lower_normal_quantile(p) : -lower_normal_quantile(1.0 - p);
}

double standard_normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}

// One standard normal draw by Box-Muller from two uniforms (the sine half is discarded so that
// sample() stays stateless).
double standard_normal_draw(Rng& rng) {
  const double u1 = rng.uniform01();
  const double u2 = rng.uniform01();
  const double radius = std::sqrt(-2.0 * std::log1p(-u1));  // 1 - u1 is in (0, 1]
  return radius * std::cos(2.0 * std::numbers::pi * u2);
}

void require(bool condition, const char* message) {
  if (!condition) throw std::invalid_argument(message);
}

bool non_negative(double v) { return std::isfinite(v) && v >= 0.0; }

void append_number(std::string& out, double value) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

const char* kind_name(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::fixed:
      return "fixed";
    case Distribution::Kind::uniform:
      return "uniform";
    case Distribution::Kind::normal:
      return "normal";
    case Distribution::Kind::lognormal:
      return "lognormal";
    case Distribution::Kind::exponential:
      return "exponential";
    case Distribution::Kind::triangular:
      return "triangular";
    case Distribution::Kind::empirical:
      return "empirical";
  }
  return "fixed";
}

}  // namespace

Distribution Distribution::fixed(double v) {
  require(non_negative(v), "fixed: value must be finite and >= 0");
  Distribution d;
  d.kind_ = Kind::fixed;
  d.p_ = {v};
  return d;
}

Distribution Distribution::uniform(double lo, double hi) {
  require(non_negative(lo) && non_negative(hi) && lo <= hi, "uniform: need 0 <= lo <= hi");
  Distribution d;
  d.kind_ = Kind::uniform;
  d.p_ = {lo, hi};
  return d;
}

Distribution Distribution::normal(double mean, double sd) {
  require(non_negative(mean) && non_negative(sd), "normal: need mean >= 0 and sd >= 0");
  Distribution d;
  d.kind_ = Kind::normal;
  d.p_ = {mean, sd};
  return d;
}

Distribution Distribution::lognormal_p50_p95(double p50, double p95) {
  require(non_negative(p50) && non_negative(p95) && p50 > 0.0 && p50 <= p95,
          "lognormal: need 0 < p50 <= p95");
  Distribution d;
  d.kind_ = Kind::lognormal;
  d.p_ = {p50, p95};
  return d;
}

Distribution Distribution::exponential(double mean) {
  require(non_negative(mean) && mean > 0.0, "exponential: need mean > 0");
  Distribution d;
  d.kind_ = Kind::exponential;
  d.p_ = {mean};
  return d;
}

Distribution Distribution::triangular(double lo, double mode, double hi) {
  require(non_negative(lo) && non_negative(mode) && non_negative(hi) && lo <= mode && mode <= hi,
          "triangular: need 0 <= lo <= mode <= hi");
  Distribution d;
  d.kind_ = Kind::triangular;
  d.p_ = {lo, mode, hi};
  return d;
}

Distribution Distribution::empirical(std::vector<double> samples) {
  require(!samples.empty(), "empirical: need at least one sample");
  require(std::all_of(samples.begin(), samples.end(), non_negative),
          "empirical: samples must be finite and >= 0");
  // Kept sorted: canonical text, and quantile() needs the order statistics.
  std::sort(samples.begin(), samples.end());
  Distribution d;
  d.kind_ = Kind::empirical;
  d.p_ = std::move(samples);
  return d;
}

double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case Kind::fixed:
      return p_[0];
    case Kind::uniform:
      return std::min(p_[0] + (p_[1] - p_[0]) * rng.uniform01(), p_[1]);
    case Kind::normal:
      for (int attempt = 0; attempt < kMaxNormalAttempts; ++attempt) {
        const double x = p_[0] + p_[1] * standard_normal_draw(rng);
        if (x >= 0.0) return x;
      }
      return 0.0;
    case Kind::lognormal:
      return p_[0] * std::exp(lognormal_sigma(p_[0], p_[1]) * standard_normal_draw(rng));
    case Kind::exponential:
      return -p_[0] * std::log1p(-rng.uniform01());
    case Kind::triangular:
      return quantile(rng.uniform01());
    case Kind::empirical: {
      const auto n = p_.size();
      auto index = static_cast<std::size_t>(rng.uniform01() * static_cast<double>(n));
      return p_[std::min(index, n - 1)];
    }
  }
  return 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::fixed:
      return p_[0];
    case Kind::uniform:
      return 0.5 * (p_[0] + p_[1]);
    case Kind::normal: {
      // Mean of the law sample() draws from: the normal truncated to [0, inf).
      const double mu = p_[0];
      const double sd = p_[1];
      if (sd == 0.0) return mu;
      const double alpha = -mu / sd;
      const double upper_mass = 0.5 * std::erfc(alpha / std::numbers::sqrt2);  // P(X >= 0)
      return mu + sd * standard_normal_pdf(alpha) / upper_mass;
    }
    case Kind::lognormal: {
      const double sigma = lognormal_sigma(p_[0], p_[1]);
      return p_[0] * std::exp(0.5 * sigma * sigma);
    }
    case Kind::exponential:
      return p_[0];
    case Kind::triangular:
      return (p_[0] + p_[1] + p_[2]) / 3.0;
    case Kind::empirical: {
      double sum = 0.0;
      for (double v : p_) sum += v;
      return sum / static_cast<double>(p_.size());
    }
  }
  return 0.0;
}

double Distribution::quantile(double q) const {
  if (!(q >= 0.0 && q <= 1.0)) throw std::invalid_argument("quantile: q must be in [0, 1]");
  switch (kind_) {
    case Kind::fixed:
      return p_[0];
    case Kind::uniform:
      return p_[0] + (p_[1] - p_[0]) * q;
    case Kind::normal:
      if (p_[1] == 0.0) return p_[0];
      return p_[0] + p_[1] * standard_normal_quantile(q);
    case Kind::lognormal: {
      if (p_[0] == p_[1]) return p_[0];
      if (q == 0.0) return 0.0;
      return p_[0] * std::exp(lognormal_sigma(p_[0], p_[1]) * standard_normal_quantile(q));
    }
    case Kind::exponential:
      return q == 1.0 ? kInfinity : -p_[0] * std::log1p(-q);
    case Kind::triangular: {
      const double lo = p_[0];
      const double mode = p_[1];
      const double hi = p_[2];
      const double width = hi - lo;
      if (width == 0.0) return lo;
      const double mode_mass = (mode - lo) / width;  // CDF at the mode
      if (q < mode_mass) return lo + std::sqrt(q * width * (mode - lo));
      return std::clamp(hi - std::sqrt((1.0 - q) * width * (hi - mode)), lo, hi);
    }
    case Kind::empirical: {
      // Type 7 (linear interpolation between order statistics), as R and NumPy default to.
      const double h = static_cast<double>(p_.size() - 1) * q;
      const auto below = static_cast<std::size_t>(std::floor(h));
      if (below + 1 >= p_.size()) return p_.back();
      return p_[below] + (h - static_cast<double>(below)) * (p_[below + 1] - p_[below]);
    }
  }
  return 0.0;
}

double Distribution::min() const {
  switch (kind_) {
    case Kind::fixed:
    case Kind::uniform:
    case Kind::triangular:
    case Kind::empirical:
      return p_.front();
    case Kind::normal:
      return p_[1] == 0.0 ? p_[0] : 0.0;
    case Kind::lognormal:
      return p_[0] == p_[1] ? p_[0] : 0.0;
    case Kind::exponential:
      return 0.0;
  }
  return 0.0;
}

double Distribution::max() const {
  switch (kind_) {
    case Kind::fixed:
    case Kind::uniform:
    case Kind::triangular:
    case Kind::empirical:
      return p_.back();
    case Kind::normal:
      return p_[1] == 0.0 ? p_[0] : kInfinity;
    case Kind::lognormal:
      return p_[0] == p_[1] ? p_[0] : kInfinity;
    case Kind::exponential:
      return kInfinity;
  }
  return kInfinity;
}

std::string Distribution::describe(Unit unit) const {
  auto f = [unit](double v) { return format_quantity(unit, v); };
  switch (kind_) {
    case Kind::fixed:
      return "fixed " + f(p_[0]);
    case Kind::uniform:
      return "uniform " + f(p_[0]) + ".." + f(p_[1]);
    case Kind::normal:
      return "normal mean " + f(p_[0]) + " sd " + f(p_[1]);
    case Kind::lognormal:
      return "lognormal p50 " + f(p_[0]) + " p95 " + f(p_[1]);
    case Kind::exponential:
      return "exponential mean " + f(p_[0]);
    case Kind::triangular:
      return "triangular " + f(p_[0]) + ".." + f(p_[2]) + " mode " + f(p_[1]);
    case Kind::empirical: {
      const std::size_t n = p_.size();
      std::string text = "empirical " + std::to_string(n) + (n == 1 ? " sample " : " samples ");
      if (n == 1) return text + f(p_[0]);
      return text + f(p_.front()) + ".." + f(p_.back());
    }
  }
  return "fixed " + f(p_[0]);
}

std::string Distribution::to_json_text() const {
  std::string out = "{\"";
  out += kind_name(kind_);
  out += "\":";
  switch (kind_) {
    case Kind::fixed:
      append_number(out, p_[0]);
      break;
    case Kind::exponential:
      out += "{\"mean\":";
      append_number(out, p_[0]);
      out += '}';
      break;
    case Kind::normal:
      out += "{\"mean\":";
      append_number(out, p_[0]);
      out += ",\"sd\":";
      append_number(out, p_[1]);
      out += '}';
      break;
    case Kind::lognormal:
      out += "{\"p50\":";
      append_number(out, p_[0]);
      out += ",\"p95\":";
      append_number(out, p_[1]);
      out += '}';
      break;
    case Kind::uniform:
    case Kind::triangular:
    case Kind::empirical:
      out += '[';
      for (std::size_t i = 0; i < p_.size(); ++i) {
        if (i > 0) out += ',';
        append_number(out, p_[i]);
      }
      out += ']';
      break;
  }
  out += '}';
  return out;
}

}  // namespace firedrill::sim
