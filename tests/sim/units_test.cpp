#include "sim/units.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace firedrill::sim;

namespace {

// Exact comparison of an optional result with an expected value.
bool is(const std::optional<double>& got, double expected) {
  return got.has_value() && *got == doctest::Approx(expected).epsilon(1e-15);
}

}  // namespace

TEST_CASE("parse_duration accepts every documented form") {
  CHECK(is(parse_duration("250ms"), 0.25));
  CHECK(is(parse_duration("90s"), 90));
  CHECK(is(parse_duration("5m"), 300));
  CHECK(is(parse_duration("1h30m"), 5400));
  CHECK(is(parse_duration("1.5h"), 5400));
  CHECK(is(parse_duration("24h"), 86400));
  CHECK(is(parse_duration("7d"), 604800));
  CHECK(is(parse_duration("2w"), 1209600));
  CHECK(is(parse_duration("0"), 0));
  CHECK(is(parse_duration("0s"), 0));
  CHECK(is(parse_duration("0.0"), 0));
  CHECK(is(parse_duration("1d2h3m4s"), 93784));
  CHECK(is(parse_duration("1d2h3m4.5s"), 93784.5));
  CHECK(is(parse_duration("1m30s"), 90));
  CHECK(is(parse_duration("1s500ms"), 1.5));
  CHECK(is(parse_duration("1w1d"), 691200));
  CHECK(is(parse_duration("0.5s"), 0.5));
  CHECK(is(parse_duration("007m"), 420));
}

TEST_CASE("parse_duration rejects malformed text") {
  for (const char* text :
       {"", "-5m", "-0s", "+5m", "5", "5.", ".5s", "5.s", "m", "5x", "5M", "5H", "5 m", " 5m",
        "5m ", "5min", "5mm", "5m30", "30m1h", "5m5m", "1s1m", "5ms1s", "1h30m20", "nan", "inf",
        "NaNs", "infs", "1e3s", "1,5h", "5m!", "5/s", "0x10s", "\t5s", "1h 30m"}) {
    CAPTURE(std::string(text));
    CHECK_FALSE(parse_duration(text).has_value());
  }
  // Overflow to infinity is rejected, not turned into inf.
  CHECK_FALSE(parse_duration(std::string(400, '9') + "s").has_value());
  CHECK_FALSE(parse_duration(std::string(308, '9') + "w").has_value());
}

TEST_CASE("parse_size: decimal and binary units") {
  CHECK(is(parse_size("0B"), 0));
  CHECK(is(parse_size("0"), 0));
  CHECK(is(parse_size("512B"), 512));
  CHECK(is(parse_size("512KB"), 512e3));
  CHECK(is(parse_size("512kB"), 512e3));
  CHECK(is(parse_size("500GB"), 5e11));
  CHECK(is(parse_size("1.5TB"), 1.5e12));
  CHECK(is(parse_size("3MB"), 3e6));
  CHECK(is(parse_size("2PB"), 2e15));
  CHECK(is(parse_size("10MiB"), 10.0 * 1024 * 1024));
  CHECK(is(parse_size("2GiB"), 2.0 * 1024 * 1024 * 1024));
  CHECK(is(parse_size("1KiB"), 1024));
  CHECK(is(parse_size("1TiB"), 1099511627776.0));
  CHECK(is(parse_size("1PiB"), 1125899906842624.0));
  for (const char* text : {"", "5", "-5GB", "5gb", "5Gb", "5G", "5 GB", "GB", "5GBs", "5GiBB",
                           "5kiB", "nanGB", "infB", "1e3B", "5GB/s"}) {
    CAPTURE(std::string(text));
    CHECK_FALSE(parse_size(text).has_value());
  }
}

TEST_CASE("parse_rate: events per second") {
  CHECK(is(parse_rate("200/s"), 200));
  CHECK(is(parse_rate("12000/min"), 200));
  CHECK(is(parse_rate("60/m"), 1));
  CHECK(is(parse_rate("5/h"), 5.0 / 3600));
  CHECK(is(parse_rate("1000/d"), 1000.0 / 86400));
  CHECK(is(parse_rate("7/w"), 7.0 / 604800));
  CHECK(is(parse_rate("0/s"), 0));
  CHECK(is(parse_rate("0"), 0));
  CHECK(is(parse_rate("0.5/s"), 0.5));
  for (const char* text :
       {"", "200", "200/", "/s", "200/x", "200/sec", "200 /s", "-1/s", "200s", "200/S",
        "200/s/s", "nan/s", "inf/s", "1e2/s"}) {
    CAPTURE(std::string(text));
    CHECK_FALSE(parse_rate(text).has_value());
  }
}

TEST_CASE("parse_bandwidth: bits and bytes per second") {
  CHECK(is(parse_bandwidth("1Gbps"), 1.25e8));
  CHECK(is(parse_bandwidth("100Mbps"), 1.25e7));
  CHECK(is(parse_bandwidth("10Gbit/s"), 1.25e9));
  CHECK(is(parse_bandwidth("8bps"), 1));
  CHECK(is(parse_bandwidth("8kbps"), 1000));
  CHECK(is(parse_bandwidth("1Tbps"), 1.25e11));
  CHECK(is(parse_bandwidth("200MB/s"), 2e8));
  CHECK(is(parse_bandwidth("1.5GB/s"), 1.5e9));
  CHECK(is(parse_bandwidth("500KiB/s"), 512000));
  CHECK(is(parse_bandwidth("1B/s"), 1));
  CHECK(is(parse_bandwidth("0"), 0));
  for (const char* text : {"", "1", "1G", "1GB", "1Gb", "1gbps", "1Gbps/s", "/s", "1/s", "B/s",
                           "-1Gbps", "1 Gbps", "1GB/sec", "1GB/h", "infGbps", "nanMB/s"}) {
    CAPTURE(std::string(text));
    CHECK_FALSE(parse_bandwidth(text).has_value());
  }
}

TEST_CASE("parse_quantity dispatches on the unit") {
  CHECK(is(parse_quantity(Unit::duration, "5m"), 300));
  CHECK(is(parse_quantity(Unit::size, "5GB"), 5e9));
  CHECK(is(parse_quantity(Unit::rate, "5/s"), 5));
  CHECK(is(parse_quantity(Unit::bandwidth, "8Mbps"), 1e6));
  CHECK(is(parse_quantity(Unit::count, "3"), 3));
  CHECK(is(parse_quantity(Unit::count, "2.5"), 2.5));
  CHECK(is(parse_quantity(Unit::count, "0"), 0));
  for (const char* text : {"", "-1", "3x", "1e3", "nan", "inf", " 3"}) {
    CAPTURE(std::string(text));
    CHECK_FALSE(parse_quantity(Unit::count, text).has_value());
  }
  CHECK_FALSE(parse_quantity(Unit::duration, "5GB").has_value());
  CHECK_FALSE(parse_quantity(Unit::size, "5m").has_value());
}

TEST_CASE("unit names and examples") {
  CHECK(unit_name(Unit::duration) == "duration");
  CHECK(unit_name(Unit::size) == "size");
  CHECK(unit_name(Unit::rate) == "rate");
  CHECK(unit_name(Unit::bandwidth) == "bandwidth");
  CHECK(unit_name(Unit::count) == "count");
  CHECK(unit_example(Unit::duration) == "a duration like \"24h\"");
  CHECK(unit_example(Unit::size) == "a size like \"500GB\"");
  CHECK(unit_example(Unit::rate) == "a rate like \"200/s\"");
  CHECK(unit_example(Unit::bandwidth) == "a bandwidth like \"1Gbps\"");
  CHECK(unit_example(Unit::count) == "a non-negative number like 3");
  // Every example is itself accepted.
  CHECK(parse_duration("24h"));
  CHECK(parse_size("500GB"));
  CHECK(parse_rate("200/s"));
  CHECK(parse_bandwidth("1Gbps"));
}

TEST_CASE("format_duration") {
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(5.2) == "5.2s");
  CHECK(format_duration(90) == "1m30s");
  CHECK(format_duration(86400) == "1d");
  CHECK(format_duration(93784) == "1d2h3m4s");
  CHECK(format_duration(0.25) == "250ms");
  CHECK(format_duration(0.001) == "1ms");
  CHECK(format_duration(0.0004) == "0.4ms");  // below half a millisecond: in microseconds
  CHECK(format_duration(0.0002) == "0.2ms");  // the default latency inside one zone
  CHECK(format_duration(0.000015) == "0.015ms");
  CHECK(format_duration(0.0000004) == "0s");  // below half a microsecond
  CHECK(format_duration(0.0005) == "1ms");    // half a millisecond rounds as before
  CHECK(format_duration(-0.0002) == "-0.2ms");
  CHECK(format_duration(60.05) == "1m0.05s");
  CHECK(format_duration(3600) == "1h");
  CHECK(format_duration(3601.5) == "1h1.5s");
  CHECK(format_duration(604800) == "7d");
  CHECK(format_duration(59.9996) == "1m");  // rounds to the millisecond and carries
  CHECK(format_duration(-90) == "-1m30s");
  CHECK(format_duration(INFINITY) == "inf");
  CHECK(format_duration(NAN) == "nan");
}

TEST_CASE("format_duration round trips through parse_duration") {
  for (double seconds : {0.0, 0.0002, 0.000015, 0.001, 0.25, 1.0, 5.2, 59.999, 60.0, 90.0, 3599.5,
                         3600.0, 5400.0, 86399.999, 86400.0, 93784.5, 604800.0, 31536000.0,
                         1e9 + 0.125}) {
    CAPTURE(seconds);
    const std::string text = format_duration(seconds);
    CAPTURE(text);
    const auto back = parse_duration(text);
    REQUIRE(back.has_value());
    CHECK(*back == doctest::Approx(seconds).epsilon(1e-12));
  }
  // Every whole number of milliseconds up to a bit over a day, by a coarse stride.
  for (long ms = 0; ms < 90'000'000; ms += 7'919) {
    const double seconds = static_cast<double>(ms) / 1000.0;
    const auto back = parse_duration(format_duration(seconds));
    REQUIRE(back.has_value());
    CHECK(std::abs(*back - seconds) < 1e-9);
  }
}

TEST_CASE("format_size, format_rate, format_bandwidth") {
  CHECK(format_size(0) == "0B");
  CHECK(format_size(512) == "512B");
  CHECK(format_size(5e11) == "500GB");
  CHECK(format_size(1.5e12) == "1.5TB");
  CHECK(format_size(1536) == "1.536KB");     // a tie with "1.5KiB": decimal wins
  CHECK(format_size(3145728) == "3MiB");       // shorter than "3.145728MB"
  CHECK(format_size(1073741824.0) == "1GiB");
  CHECK(format_size(2e15) == "2PB");
  CHECK(format_size(123456789) == "123.456789MB");
  for (double bytes : {1.0, 999.0, 1000.0, 1024.0, 5e11, 1.5e12, 10.0 * 1048576, 123456789.0}) {
    CAPTURE(bytes);
    const auto back = parse_size(format_size(bytes));
    REQUIRE(back.has_value());
    CHECK(*back == doctest::Approx(bytes).epsilon(1e-14));
  }

  CHECK(format_rate(0) == "0/s");
  CHECK(format_rate(200) == "200/s");
  CHECK(format_rate(0.5) == "30/min");
  CHECK(format_rate(5.0 / 3600) == "5/h");
  CHECK(format_rate(1.0 / 86400) == "1/d");
  for (double rate : {200.0, 0.5, 5.0 / 3600, 1000.0 / 86400, 1.5}) {
    CAPTURE(rate);
    const auto back = parse_rate(format_rate(rate));
    REQUIRE(back.has_value());
    CHECK(*back == doctest::Approx(rate).epsilon(1e-13));
  }

  CHECK(format_bandwidth(2e8) == "200MB/s");
  CHECK(format_bandwidth(1.25e8) == "125MB/s");
  CHECK(parse_bandwidth(format_bandwidth(1.25e8)) == 1.25e8);

  CHECK(format_quantity(Unit::duration, 90) == "1m30s");
  CHECK(format_quantity(Unit::size, 5e11) == "500GB");
  CHECK(format_quantity(Unit::rate, 200) == "200/s");
  CHECK(format_quantity(Unit::bandwidth, 2e8) == "200MB/s");
  CHECK(format_quantity(Unit::count, 3) == "3");
  CHECK(format_quantity(Unit::count, 2.5) == "2.5");
}

TEST_CASE("parse_time_of_day: HH:MM and HH:MM:SS on a 24-hour clock") {
  CHECK(parse_time_of_day("00:00") == 0.0);
  CHECK(parse_time_of_day("17:20") == 62400.0);
  CHECK(parse_time_of_day("05:20:30") == 19230.0);
  CHECK(parse_time_of_day("23:59:59") == 86399.0);
  for (const char* bad : {"24:00", "7:05", "17:60", "17:20:60", "17-20", "17:20:", "", "5pm",
                          " 17:20", "17:20:00:00"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_time_of_day(bad).has_value());
  }
  CHECK(format_time_of_day(62400) == "17:20");
  CHECK(format_time_of_day(19230) == "05:20:30");
  CHECK(format_time_of_day(62400 + 86400) == "17:20");
  CHECK(format_time_of_day(-3600) == "23:00");
}
