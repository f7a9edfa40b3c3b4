// Readable quantities: durations ("90s", "5m", "1h30m", "24h", "7d"), sizes ("500GB"),
// rates ("200/s") and bandwidths ("1Gbps", "200MB/s"). All results are in SI base units:
// seconds, bytes, events per second, bytes per second.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace firedrill::sim {

enum class Unit { duration, size, rate, bandwidth, count };

// "250ms", "90s", "5m", "1h30m", "1.5h", "24h", "7d", "2w", "0" (bare zero only).
// Negative, empty, unit-less (other than 0), NaN/inf: nullopt.
std::optional<double> parse_duration(std::string_view text);
// "0B", "512KB", "500GB", "1.5TB", "10MiB", "2GiB": decimal units are powers of 1000,
// binary (KiB, MiB, GiB, TiB, PiB) powers of 1024; "B" alone means bytes.
std::optional<double> parse_size(std::string_view text);
// "200/s", "12000/min", "5/h", "1000/d": events per second.
std::optional<double> parse_rate(std::string_view text);
// "1Gbps", "100Mbps", "10Gbit/s", "200MB/s", "1.5GB/s", "500KiB/s": bytes per second.
std::optional<double> parse_bandwidth(std::string_view text);
// Dispatch on unit; Unit::count accepts a plain non-negative number written as a string.
std::optional<double> parse_quantity(Unit unit, std::string_view text);

// A time of day on a 24-hour clock, "HH:MM" or "HH:MM:SS" ("17:20", "05:20:30"), as seconds
// after midnight in [0, 86400). Anything else (a missing or extra field, "24:00", "7:5"):
// nullopt.
std::optional<double> parse_time_of_day(std::string_view text);
// 62400 -> "17:20", 62430 -> "17:20:30" (seconds rounded to whole ones, modulo a day).
std::string format_time_of_day(double seconds_after_midnight);

// What a value of this unit looks like, for error messages: `a duration like "24h"`.
std::string unit_example(Unit unit);
std::string unit_name(Unit unit);  // "duration", "size", ...

// Compact, exact-enough human form: 0 -> "0s", 5.2 -> "5.2s", 90 -> "1m30s", 86400 -> "1d",
// 93784 -> "1d2h3m4s"; sub-second precision kept to milliseconds.
std::string format_duration(double seconds);
std::string format_size(double bytes);       // 5e11 -> "500GB"
std::string format_rate(double per_second);  // 200 -> "200/s"
std::string format_bandwidth(double bytes_per_second);  // 2e8 -> "200MB/s"
// The human form of a value of this unit (format_duration, format_size, ...; count: "3").
std::string format_quantity(Unit unit, double value);

}  // namespace firedrill::sim
