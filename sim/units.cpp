#include "sim/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <system_error>

namespace firedrill::sim {

namespace {

struct UnitFactor {
  std::string_view suffix;
  double factor;
};

constexpr double kMinute = 60.0;
constexpr double kHour = 3600.0;
constexpr double kDay = 86400.0;
constexpr double kWeek = 604800.0;

// Duration units from the largest to the smallest: in "1h30m" each part must use a smaller
// unit than the one before it.
constexpr std::array<UnitFactor, 6> kDurationUnits{{
    {"w", kWeek},
    {"d", kDay},
    {"h", kHour},
    {"m", kMinute},
    {"s", 1.0},
    {"ms", 0.001},
}};

constexpr std::array<UnitFactor, 12> kSizeUnits{{
    {"B", 1.0},
    {"KB", 1e3},
    {"kB", 1e3},
    {"MB", 1e6},
    {"GB", 1e9},
    {"TB", 1e12},
    {"PB", 1e15},
    {"KiB", 1024.0},
    {"MiB", 1048576.0},
    {"GiB", 1073741824.0},
    {"TiB", 1099511627776.0},
    {"PiB", 1125899906842624.0},
}};

constexpr std::array<UnitFactor, 6> kRateUnits{{
    {"s", 1.0},
    {"m", kMinute},
    {"min", kMinute},
    {"h", kHour},
    {"d", kDay},
    {"w", kWeek},
}};

// Bit rates; the factor converts to bytes per second.
constexpr std::array<UnitFactor, 12> kBitRateUnits{{
    {"bps", 1.0 / 8},
    {"Kbps", 1e3 / 8},
    {"kbps", 1e3 / 8},
    {"Mbps", 1e6 / 8},
    {"Gbps", 1e9 / 8},
    {"Tbps", 1e12 / 8},
    {"bit/s", 1.0 / 8},
    {"Kbit/s", 1e3 / 8},
    {"kbit/s", 1e3 / 8},
    {"Mbit/s", 1e6 / 8},
    {"Gbit/s", 1e9 / 8},
    {"Tbit/s", 1e12 / 8},
}};

template <std::size_t N>
std::optional<double> lookup(const std::array<UnitFactor, N>& table, std::string_view suffix) {
  for (const UnitFactor& u : table) {
    if (u.suffix == suffix) return u.factor;
  }
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Reads `digits [ "." digits ]` at `pos` (no sign, no exponent, no leading dot) and advances
// `pos` past it. Locale independent.
std::optional<double> scan_number(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  std::size_t i = pos;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == start) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    const std::size_t fraction = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == fraction) return std::nullopt;
  }
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data() + start, text.data() + i, value);
  if (ec != std::errc() || end != text.data() + i || !std::isfinite(value)) return std::nullopt;
  pos = i;
  return value;
}

// A whole text that is `number suffix`; returns the number and leaves the suffix in `suffix`.
std::optional<double> split_number(std::string_view text, std::string_view& suffix) {
  std::size_t pos = 0;
  const std::optional<double> value = scan_number(text, pos);
  if (!value) return std::nullopt;
  suffix = text.substr(pos);
  return value;
}

std::optional<double> finite_or_none(double value) {
  if (!std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

// Up to 15 significant digits, no trailing zeros, locale independent: 4.999999999999999 -> "5".
std::string compact_number(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::general, 15);
  return std::string(buffer.data(), result.ptr);
}

std::string integer_text(double value) {
  std::array<char, 400> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, 0);
  return std::string(buffer.data(), result.ptr);
}

std::string non_finite_text(double value) {
  if (std::isnan(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}

}  // namespace

std::optional<double> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::size_t pos = 0;
  std::size_t previous_rank = kDurationUnits.size();  // nothing yet
  double total = 0.0;
  while (pos < text.size()) {
    const std::optional<double> number = scan_number(text, pos);
    if (!number) return std::nullopt;
    const std::size_t unit_start = pos;
    while (pos < text.size() && is_letter(text[pos])) ++pos;
    const std::string_view unit = text.substr(unit_start, pos - unit_start);
    if (unit.empty()) {
      // A bare number is only accepted as the whole text and only when it is zero.
      if (previous_rank == kDurationUnits.size() && pos == text.size() && *number == 0.0) {
        return 0.0;
      }
      return std::nullopt;
    }
    std::size_t rank = kDurationUnits.size();
    for (std::size_t i = 0; i < kDurationUnits.size(); ++i) {
      if (kDurationUnits[i].suffix == unit) rank = i;
    }
    if (rank == kDurationUnits.size()) return std::nullopt;  // unknown unit
    if (previous_rank != kDurationUnits.size() && rank <= previous_rank) {
      return std::nullopt;  // units out of order or repeated: "30m1h", "5m5m"
    }
    previous_rank = rank;
    total += *number * kDurationUnits[rank].factor;
  }
  return finite_or_none(total);
}

std::optional<double> parse_size(std::string_view text) {
  std::string_view suffix;
  const std::optional<double> number = split_number(text, suffix);
  if (!number) return std::nullopt;
  if (suffix.empty()) return *number == 0.0 ? std::optional<double>(0.0) : std::nullopt;
  const std::optional<double> factor = lookup(kSizeUnits, suffix);
  if (!factor) return std::nullopt;
  return finite_or_none(*number * *factor);
}

std::optional<double> parse_rate(std::string_view text) {
  std::string_view suffix;
  const std::optional<double> number = split_number(text, suffix);
  if (!number) return std::nullopt;
  if (suffix.empty()) return *number == 0.0 ? std::optional<double>(0.0) : std::nullopt;
  if (suffix.front() != '/') return std::nullopt;
  const std::optional<double> period = lookup(kRateUnits, suffix.substr(1));
  if (!period) return std::nullopt;
  return finite_or_none(*number / *period);
}

std::optional<double> parse_bandwidth(std::string_view text) {
  std::string_view suffix;
  const std::optional<double> number = split_number(text, suffix);
  if (!number) return std::nullopt;
  if (suffix.empty()) return *number == 0.0 ? std::optional<double>(0.0) : std::nullopt;
  if (const std::optional<double> bits = lookup(kBitRateUnits, suffix)) {
    return finite_or_none(*number * *bits);
  }
  constexpr std::string_view per_second = "/s";
  if (suffix.size() > per_second.size() && suffix.ends_with(per_second)) {
    const std::string_view size_unit = suffix.substr(0, suffix.size() - per_second.size());
    if (const std::optional<double> bytes = lookup(kSizeUnits, size_unit)) {
      return finite_or_none(*number * *bytes);
    }
  }
  return std::nullopt;
}

std::optional<double> parse_quantity(Unit unit, std::string_view text) {
  switch (unit) {
    case Unit::duration:
      return parse_duration(text);
    case Unit::size:
      return parse_size(text);
    case Unit::rate:
      return parse_rate(text);
    case Unit::bandwidth:
      return parse_bandwidth(text);
    case Unit::count: {
      std::string_view suffix;
      const std::optional<double> number = split_number(text, suffix);
      if (!number || !suffix.empty()) return std::nullopt;
      return number;
    }
  }
  return std::nullopt;
}

std::string unit_example(Unit unit) {
  switch (unit) {
    case Unit::duration:
      return "a duration like \"24h\"";
    case Unit::size:
      return "a size like \"500GB\"";
    case Unit::rate:
      return "a rate like \"200/s\"";
    case Unit::bandwidth:
      return "a bandwidth like \"1Gbps\"";
    case Unit::count:
      return "a non-negative number like 3";
  }
  return "a value";
}

std::string unit_name(Unit unit) {
  switch (unit) {
    case Unit::duration:
      return "duration";
    case Unit::size:
      return "size";
    case Unit::rate:
      return "rate";
    case Unit::bandwidth:
      return "bandwidth";
    case Unit::count:
      return "count";
  }
  return "value";
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return non_finite_text(seconds);
  if (seconds < 0) return "-" + format_duration(-seconds);
  constexpr double ms_per_day = 86'400'000.0;
  const double total_ms = std::round(seconds * 1000.0);
  if (total_ms == 0.0) {
    // Below half a millisecond (a latency inside one zone, 0.2ms): in microseconds, not "0s".
    const auto micros = static_cast<std::int64_t>(std::round(seconds * 1e6));
    if (micros == 0) return "0s";
    std::string fraction = std::to_string(1000 + micros).substr(1);  // "200" for 200 us
    while (fraction.back() == '0') fraction.pop_back();
    return "0." + fraction + "ms";
  }

  double days = std::floor(total_ms / ms_per_day);
  double rest = total_ms - days * ms_per_day;
  if (rest < 0) rest = 0;  // rounding noise on huge values
  if (rest >= ms_per_day) {
    days += 1;
    rest -= ms_per_day;
  }
  auto remaining = static_cast<std::int64_t>(rest);
  const std::int64_t hours = remaining / 3'600'000;
  remaining %= 3'600'000;
  const std::int64_t minutes = remaining / 60'000;
  remaining %= 60'000;
  const std::int64_t secs = remaining / 1000;
  const std::int64_t millis = remaining % 1000;

  std::string out;
  if (days > 0) out += integer_text(days) + "d";
  if (hours > 0) out += std::to_string(hours) + "h";
  if (minutes > 0) out += std::to_string(minutes) + "m";
  if (out.empty() && secs == 0) return std::to_string(millis) + "ms";
  if (secs > 0 || millis > 0) {
    out += std::to_string(secs);
    if (millis > 0) {
      std::string fraction = std::to_string(1000 + millis).substr(1);  // "050" for 50
      while (fraction.back() == '0') fraction.pop_back();
      out += "." + fraction;
    }
    out += "s";
  }
  return out;
}

std::string format_size(double bytes) {
  if (!std::isfinite(bytes)) return non_finite_text(bytes);
  if (bytes < 0) return "-" + format_size(-bytes);
  if (bytes == 0) return "0B";

  static constexpr std::array<UnitFactor, 6> decimal{{
      {"B", 1.0}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15}}};
  static constexpr std::array<UnitFactor, 5> binary{{
      {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
      {"PiB", 1125899906842624.0}}};

  std::size_t k = 0;
  while (k + 1 < decimal.size() && bytes >= decimal[k + 1].factor) ++k;
  std::string text = compact_number(bytes / decimal[k].factor) + std::string(decimal[k].suffix);

  // A whole number of binary units reads better when shorter: 2^30 -> "1GiB".
  for (std::size_t i = binary.size(); i-- > 0;) {
    if (std::fmod(bytes, binary[i].factor) == 0.0) {
      std::string alternative =
          compact_number(bytes / binary[i].factor) + std::string(binary[i].suffix);
      if (alternative.size() < text.size()) text = std::move(alternative);
      break;
    }
  }
  return text;
}

std::string format_rate(double per_second) {
  if (!std::isfinite(per_second)) return non_finite_text(per_second) + "/s";
  if (per_second < 0) return "-" + format_rate(-per_second);
  if (per_second == 0 || per_second >= 1) return compact_number(per_second) + "/s";
  if (per_second * kMinute >= 1) return compact_number(per_second * kMinute) + "/min";
  if (per_second * kHour >= 1) return compact_number(per_second * kHour) + "/h";
  return compact_number(per_second * kDay) + "/d";
}

std::string format_bandwidth(double bytes_per_second) {
  return format_size(bytes_per_second) + "/s";
}

std::string format_quantity(Unit unit, double value) {
  switch (unit) {
    case Unit::duration:
      return format_duration(value);
    case Unit::size:
      return format_size(value);
    case Unit::rate:
      return format_rate(value);
    case Unit::bandwidth:
      return format_bandwidth(value);
    case Unit::count:
      return std::isfinite(value) ? compact_number(value) : non_finite_text(value);
  }
  return compact_number(value);
}

std::optional<double> parse_time_of_day(std::string_view text) {
  // Two digits per field, fields separated by ':'.
  if (text.size() != 5 && text.size() != 8) return std::nullopt;
  double out = 0;
  const double limits[] = {24, 60, 60};
  const double scale[] = {3600, 60, 1};
  for (std::size_t field = 0; field * 3 < text.size(); ++field) {
    const std::size_t at = field * 3;
    if (field > 0 && text[at - 1] != ':') return std::nullopt;
    const char hi = text[at], lo = text[at + 1];
    if (hi < '0' || hi > '9' || lo < '0' || lo > '9') return std::nullopt;
    const double v = (hi - '0') * 10 + (lo - '0');
    if (v >= limits[field]) return std::nullopt;
    out += v * scale[field];
  }
  return out;
}

std::string format_time_of_day(double seconds_after_midnight) {
  if (!std::isfinite(seconds_after_midnight)) return non_finite_text(seconds_after_midnight);
  const auto total = static_cast<std::int64_t>(std::llround(seconds_after_midnight));
  const std::int64_t s = ((total % 86400) + 86400) % 86400;
  char buf[16];
  const auto h = static_cast<int>(s / 3600), m = static_cast<int>(s / 60 % 60),
             sec = static_cast<int>(s % 60);
  if (sec == 0) {
    std::snprintf(buf, sizeof buf, "%02d:%02d", h, m);
  } else {
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, m, sec);
  }
  return buf;
}

}  // namespace firedrill::sim
