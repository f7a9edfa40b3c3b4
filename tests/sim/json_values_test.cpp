#include "sim/json_values.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

using namespace firedrill::sim;
using nlohmann::json;

namespace {

const std::string kDistributionExpected =
    R"(a duration like "5m" or one of {"fixed", "uniform", "normal", "lognormal", )"
    R"("exponential", "triangular", "empirical"})";

Distribution ok(const char* text, Unit unit = Unit::duration) {
  auto result = distribution_from_json(json::parse(text), unit);
  if (const auto* error = std::get_if<FieldError>(&result)) {
    FAIL_CHECK("unexpected error at '" << error->pointer_suffix << "': expected "
                                       << error->expected << ", found " << error->found);
    return Distribution();
  }
  return std::get<Distribution>(result);
}

FieldError fails(const json& value, Unit unit = Unit::duration) {
  auto result = distribution_from_json(value, unit);
  REQUIRE(std::holds_alternative<FieldError>(result));
  return std::get<FieldError>(result);
}

FieldError fails(const char* text, Unit unit = Unit::duration) {
  return fails(json::parse(text), unit);
}

void check_error(const FieldError& e, const std::string& suffix, const std::string& expected,
                 const std::string& found) {
  CHECK(e.pointer_suffix == suffix);
  CHECK(e.expected == expected);
  CHECK(e.found == found);
}

}  // namespace

TEST_CASE("render_found") {
  CHECK(render_found(json(-5)) == "-5");
  CHECK(render_found(json(42u)) == "42");
  CHECK(render_found(json(2.5)) == "2.5");
  CHECK(render_found(json("banana")) == "\"banana\"");
  CHECK(render_found(json("quote\"d")) == R"("quote\"d")");
  CHECK(render_found(json(true)) == "true");
  CHECK(render_found(json(false)) == "false");
  CHECK(render_found(json(nullptr)) == "null");
  CHECK(render_found(json::object()) == "an empty object");
  CHECK(render_found(json::parse(R"({"a": 1})")) == "an object");
  CHECK(render_found(json::array()) == "an empty array");
  CHECK(render_found(json::parse("[1]")) == "an array of 1 item");
  CHECK(render_found(json::parse("[1, 2, 3]")) == "an array of 3 items");
  CHECK(render_found(json(std::numeric_limits<double>::quiet_NaN())) == "nan");
  CHECK(render_found(json(-std::numeric_limits<double>::infinity())) == "-inf");
  // Long strings are shortened to 40 characters including the ellipsis.
  const std::string long_text(100, 'x');
  CHECK(render_found(json(long_text)) == "\"" + std::string(37, 'x') + "...\"");
  // ...without cutting a UTF-8 character in half ("é" is two bytes).
  std::string accents;
  for (int i = 0; i < 30; ++i) accents += "\xC3\xA9";
  const std::string shortened = render_found(json(accents));
  CHECK(shortened == "\"" + accents.substr(0, 36) + "...\"");
}

TEST_CASE("quantity_from_json: accepted") {
  CHECK(std::get<double>(quantity_from_json(json("24h"), Unit::duration)) == 86400);
  CHECK(std::get<double>(quantity_from_json(json("500GB"), Unit::size)) == 5e11);
  CHECK(std::get<double>(quantity_from_json(json("200/s"), Unit::rate)) == 200);
  CHECK(std::get<double>(quantity_from_json(json("1Gbps"), Unit::bandwidth)) == 1.25e8);
  CHECK(std::get<double>(quantity_from_json(json(3), Unit::count)) == 3);
  CHECK(std::get<double>(quantity_from_json(json(2.5), Unit::count)) == 2.5);
  CHECK(std::get<double>(quantity_from_json(json(0), Unit::count)) == 0);
}

TEST_CASE("quantity_from_json: rejected, with what was found") {
  auto error = [](const json& value, Unit unit) {
    auto result = quantity_from_json(value, unit);
    REQUIRE(std::holds_alternative<FieldError>(result));
    return std::get<FieldError>(result);
  };
  check_error(error(json(-5), Unit::duration), "", R"(a duration like "24h")", "-5");
  check_error(error(json(300), Unit::duration), "", R"(a duration like "24h")", "300");
  check_error(error(json("-5m"), Unit::duration), "", R"(a duration like "24h")", R"("-5m")");
  check_error(error(json("5"), Unit::duration), "", R"(a duration like "24h")", R"("5")");
  check_error(error(json(""), Unit::duration), "", R"(a duration like "24h")", R"("")");
  check_error(error(json("5 minutes"), Unit::duration), "", R"(a duration like "24h")",
              R"("5 minutes")");
  check_error(error(json(nullptr), Unit::duration), "", R"(a duration like "24h")", "null");
  check_error(error(json::parse(R"({"uniform": ["1m", "2m"]})"), Unit::duration), "",
              R"(a duration like "24h")", "an object");
  check_error(error(json("5m"), Unit::size), "", R"(a size like "500GB")", R"("5m")");
  check_error(error(json("200"), Unit::rate), "", R"(a rate like "200/s")", R"("200")");
  check_error(error(json("1GB"), Unit::bandwidth), "", R"(a bandwidth like "1Gbps")",
              R"("1GB")");
  check_error(error(json(-1), Unit::count), "", "a non-negative number like 3", "-1");
  check_error(error(json("3"), Unit::count), "", "a non-negative number like 3", R"("3")");
  check_error(error(json(true), Unit::count), "", "a non-negative number like 3", "true");
  check_error(error(json(std::numeric_limits<double>::infinity()), Unit::count), "",
              "a non-negative number like 3", "inf");
}

TEST_CASE("distribution_from_json: every accepted form") {
  auto d = ok(R"("5m")");
  CHECK(d.kind() == Distribution::Kind::fixed);
  CHECK(d.parameters() == std::vector<double>{300});

  d = ok(R"({"fixed": "30s"})");
  CHECK(d.kind() == Distribution::Kind::fixed);
  CHECK(d.parameters() == std::vector<double>{30});

  d = ok(R"({"uniform": ["1m", "5m"]})");
  CHECK(d.kind() == Distribution::Kind::uniform);
  CHECK(d.parameters() == std::vector<double>{60, 300});
  CHECK(ok(R"({"uniform": ["5m", "5m"]})").parameters() == std::vector<double>{300, 300});

  d = ok(R"({"normal": {"mean": "5m", "sd": "1m"}})");
  CHECK(d.kind() == Distribution::Kind::normal);
  CHECK(d.parameters() == std::vector<double>{300, 60});
  CHECK(ok(R"({"normal": {"sd": "0", "mean": "5m"}})").parameters() ==
        std::vector<double>{300, 0});

  d = ok(R"({"lognormal": {"p50": "2m", "p95": "10m"}})");
  CHECK(d.kind() == Distribution::Kind::lognormal);
  CHECK(d.parameters() == std::vector<double>{120, 600});
  CHECK(ok(R"({"lognormal": {"p50": "2m", "p95": "2m"}})").parameters() ==
        std::vector<double>{120, 120});

  d = ok(R"({"exponential": {"mean": "10s"}})");
  CHECK(d.kind() == Distribution::Kind::exponential);
  CHECK(d.parameters() == std::vector<double>{10});

  d = ok(R"({"triangular": ["1m", "2m", "10m"]})");
  CHECK(d.kind() == Distribution::Kind::triangular);
  CHECK(d.parameters() == std::vector<double>{60, 120, 600});
  CHECK(ok(R"({"triangular": ["1m", "1m", "1m"]})").parameters() ==
        std::vector<double>{60, 60, 60});

  d = ok(R"({"empirical": ["40m", "2h", "55m"]})");
  CHECK(d.kind() == Distribution::Kind::empirical);
  CHECK(d.parameters() == std::vector<double>{2400, 3300, 7200});
  CHECK(ok(R"({"empirical": ["1h"]})").parameters() == std::vector<double>{3600});

  // Other units.
  CHECK(ok(R"({"uniform": ["100/s", "200/s"]})", Unit::rate).parameters() ==
        std::vector<double>{100, 200});
  CHECK(ok(R"("500GB")", Unit::size).parameters() == std::vector<double>{5e11});
  CHECK(ok(R"({"fixed": "1Gbps"})", Unit::bandwidth).parameters() ==
        std::vector<double>{1.25e8});
  CHECK(ok("3", Unit::count).parameters() == std::vector<double>{3});
  CHECK(ok(R"({"uniform": [1, 4]})", Unit::count).parameters() == std::vector<double>{1, 4});
}

TEST_CASE("distribution_from_json: the value itself is wrong") {
  check_error(fails("-5"), "", kDistributionExpected, "-5");
  check_error(fails("300"), "", kDistributionExpected, "300");
  check_error(fails("true"), "", kDistributionExpected, "true");
  check_error(fails("null"), "", kDistributionExpected, "null");
  check_error(fails(R"(["1m", "5m"])"), "", kDistributionExpected, "an array of 2 items");
  check_error(fails("{}"), "", kDistributionExpected, "an empty object");
  check_error(fails(R"({"unifrom": ["1m", "5m"]})"), "", kDistributionExpected,
              R"(an object with an unknown key "unifrom")");
  check_error(fails(R"({"fixed": "1m", "uniform": ["1m", "5m"]})"), "", kDistributionExpected,
              "an object with 2 keys");
  // A string that is not a duration is reported as a duration error.
  check_error(fails(R"("5 minutes")"), "", R"(a duration like "24h")", R"("5 minutes")");
  check_error(fails(R"("-5m")"), "", R"(a duration like "24h")", R"("-5m")");
  // Other units name their own example.
  check_error(fails(R"({"x": 1})", Unit::rate), "",
              R"(a rate like "200/s" or one of {"fixed", "uniform", "normal", "lognormal", )"
              R"("exponential", "triangular", "empirical"})",
              R"(an object with an unknown key "x")");
  check_error(fails("-1", Unit::count), "", "a non-negative number like 3", "-1");
}

TEST_CASE("distribution_from_json: fixed") {
  check_error(fails(R"({"fixed": 5})"), "/fixed", R"(a duration like "24h")", "5");
  check_error(fails(R"({"fixed": "5x"})"), "/fixed", R"(a duration like "24h")", R"("5x")");
  check_error(fails(R"({"fixed": {"uniform": ["1m", "2m"]}})"), "/fixed",
              R"(a duration like "24h")", "an object");
}

TEST_CASE("distribution_from_json: uniform") {
  const std::string shape = "an array of 2 durations [lo, hi]";
  check_error(fails(R"({"uniform": "1m"})"), "/uniform", shape, R"("1m")");
  check_error(fails(R"({"uniform": ["1m"]})"), "/uniform", shape, "an array of 1 item");
  check_error(fails(R"({"uniform": ["1m", "2m", "3m"]})"), "/uniform", shape,
              "an array of 3 items");
  check_error(fails(R"({"uniform": {"lo": "1m"}})"), "/uniform", shape, "an object");
  check_error(fails(R"({"uniform": [1, "5m"]})"), "/uniform/0", R"(a duration like "24h")", "1");
  check_error(fails(R"({"uniform": ["1m", "5"]})"), "/uniform/1", R"(a duration like "24h")",
              R"("5")");
  check_error(fails(R"({"uniform": ["5m", "1m"]})"), "/uniform/1",
              R"(a duration not less than the lower bound "5m")", R"("1m")");
  check_error(fails(R"({"uniform": [5, 1]})", Unit::count), "/uniform/1",
              "a count not less than the lower bound 5", "1");
}

TEST_CASE("distribution_from_json: normal") {
  const std::string shape = R"(an object with keys "mean" and "sd")";
  check_error(fails(R"({"normal": ["5m", "1m"]})"), "/normal", shape, "an array of 2 items");
  check_error(fails(R"({"normal": {"mean": "5m", "sdev": "1m"}})"), "/normal", shape,
              R"(an object with an unknown key "sdev")");
  check_error(fails(R"({"normal": {"mean": "5m"}})"), "/normal/sd", R"(a duration like "24h")",
              "nothing");
  check_error(fails(R"({"normal": {"sd": "1m"}})"), "/normal/mean", R"(a duration like "24h")",
              "nothing");
  check_error(fails(R"({"normal": {"mean": "5m", "sd": "-1m"}})"), "/normal/sd",
              R"(a duration like "24h")", R"("-1m")");
  check_error(fails(R"({"normal": {"mean": -300, "sd": "1m"}})"), "/normal/mean",
              R"(a duration like "24h")", "-300");
}

TEST_CASE("distribution_from_json: lognormal") {
  const std::string shape = R"(an object with keys "p50" and "p95")";
  check_error(fails(R"({"lognormal": "2m"})"), "/lognormal", shape, R"("2m")");
  check_error(fails(R"({"lognormal": {"p50": "2m", "p99": "10m"}})"), "/lognormal", shape,
              R"(an object with an unknown key "p99")");
  check_error(fails(R"({"lognormal": {"p50": "2m"}})"), "/lognormal/p95",
              R"(a duration like "24h")", "nothing");
  check_error(fails(R"({"lognormal": {"p50": "0s", "p95": "10m"}})"), "/lognormal/p50",
              "a duration greater than 0", R"("0s")");
  check_error(fails(R"({"lognormal": {"p50": "10m", "p95": "2m"}})"), "/lognormal/p95",
              R"(a duration not less than p50 "10m")", R"("2m")");
  check_error(fails(R"({"lognormal": {"p50": "2m", "p95": true}})"), "/lognormal/p95",
              R"(a duration like "24h")", "true");
}

TEST_CASE("distribution_from_json: exponential") {
  const std::string shape = R"(an object with key "mean")";
  check_error(fails(R"({"exponential": "10s"})"), "/exponential", shape, R"("10s")");
  check_error(fails(R"({"exponential": {"mean": "10s", "rate": "1/s"}})"), "/exponential",
              shape, R"(an object with an unknown key "rate")");
  check_error(fails(R"({"exponential": {}})"), "/exponential/mean", R"(a duration like "24h")",
              "nothing");
  check_error(fails(R"({"exponential": {"mean": "0"}})"), "/exponential/mean",
              "a duration greater than 0", R"("0")");
  check_error(fails(R"({"exponential": {"mean": "ten"}})"), "/exponential/mean",
              R"(a duration like "24h")", R"("ten")");
}

TEST_CASE("distribution_from_json: triangular") {
  const std::string shape = "an array of 3 durations [lo, mode, hi]";
  check_error(fails(R"({"triangular": ["1m", "2m"]})"), "/triangular", shape,
              "an array of 2 items");
  check_error(fails(R"({"triangular": {"lo": "1m"}})"), "/triangular", shape, "an object");
  check_error(fails(R"({"triangular": ["1m", "2m", null]})"), "/triangular/2",
              R"(a duration like "24h")", "null");
  check_error(fails(R"({"triangular": ["5m", "2m", "10m"]})"), "/triangular/1",
              R"(a duration not less than the lower bound "5m")", R"("2m")");
  check_error(fails(R"({"triangular": ["1m", "20m", "10m"]})"), "/triangular/2",
              R"(a duration not less than the mode "20m")", R"("10m")");
}

TEST_CASE("distribution_from_json: empirical") {
  const std::string shape = "a non-empty array of durations";
  check_error(fails(R"({"empirical": []})"), "/empirical", shape, "an empty array");
  check_error(fails(R"({"empirical": "40m"})"), "/empirical", shape, R"("40m")");
  check_error(fails(R"({"empirical": ["40m", "2h", "soon"]})"), "/empirical/2",
              R"(a duration like "24h")", R"("soon")");
  check_error(fails(R"({"empirical": ["40m", -1]})"), "/empirical/1", R"(a duration like "24h")",
              "-1");
}
