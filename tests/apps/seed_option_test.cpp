#include "apps/seed_option.hpp"

#include <doctest/doctest.h>

#include <limits>

using namespace firedrill::apps;

TEST_CASE("seed option: unsigned 64-bit integers in decimal, every one of them distinct") {
  CHECK(parse_seed("0") == std::uint64_t{0});
  CHECK(parse_seed("18446744073709551615") == std::numeric_limits<std::uint64_t>::max());
  // Above 2^53 a double cannot tell these apart.
  CHECK(parse_seed("9007199254740993") == std::uint64_t{9007199254740993ULL});
  CHECK(parse_seed("9007199254740992") == std::uint64_t{9007199254740992ULL});
  for (const char* bad : {"", "18446744073709551616", "99999999999999999999999", "-1", "+1", "1.5",
                          "1e3", "0x10", " 1", "1 ", "nan", "inf"}) {
    INFO(bad);
    CHECK_FALSE(parse_seed(bad).has_value());
  }
}

TEST_CASE("seed option: refused seeds say what was expected and found, control characters escaped") {
  CHECK(seed_problem("7").empty());
  CHECK(seed_problem("99999999999999999999999") ==
        "expected an unsigned 64-bit integer (0 to 18446744073709551615), found "
        "\"99999999999999999999999\" (too large)");
  CHECK(seed_problem("1.5") ==
        "expected an unsigned 64-bit integer (0 to 18446744073709551615), found \"1.5\"");
  CHECK(seed_problem("\x1b[31m") ==
        "expected an unsigned 64-bit integer (0 to 18446744073709551615), found \"\\x1b[31m\"");
}

TEST_CASE("seed option: on a command, the value or a parse error") {
  CLI::App app;
  std::optional<std::uint64_t> seed;
  add_seed_option(app, seed, "seed");
  app.parse(std::vector<std::string>{"18446744073709551615", "--seed"});
  CHECK(seed == std::numeric_limits<std::uint64_t>::max());
  CLI::App bad;
  std::optional<std::uint64_t> s2;
  add_seed_option(bad, s2, "seed");
  CHECK_THROWS_AS(bad.parse(std::vector<std::string>{"18446744073709551616", "--seed"}), CLI::ValidationError);
}
