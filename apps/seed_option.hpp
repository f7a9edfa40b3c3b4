// The --seed option of every command that takes one: an unsigned 64-bit integer, written in
// decimal digits and nothing else. CLI11 on its own read it through a double (its
// NonNegativeNumber check), so 99999999999999999999999 was taken (as 2^64 - 1) and seeds
// above 2^53 could not be told apart by the check.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace firedrill::apps {

// The seed written in `text`: decimal digits only (no sign, space, point, exponent or base
// prefix), 0 to 18446744073709551615; nothing when it is not one.
std::optional<std::uint64_t> parse_seed(std::string_view text);

// Why `text` is not a seed ("" when it is one), as the error message after "--seed: " says it.
std::string seed_problem(std::string_view text);

// Adds --seed to `command`, into `seed` (left empty when the option is not given).
CLI::Option* add_seed_option(CLI::App& command, std::optional<std::uint64_t>& seed, const std::string& help);

}  // namespace firedrill::apps
