#include "apps/seed_option.hpp"

#include <charconv>
#include <limits>

#include "sim/error.hpp"

namespace firedrill::apps {

std::optional<std::uint64_t> parse_seed(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (err != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string seed_problem(std::string_view text) {
  if (parse_seed(text)) return "";
  const std::string found = sim::escape_control(text);
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
  return "expected an unsigned 64-bit integer (0 to " +
         std::to_string(std::numeric_limits<std::uint64_t>::max()) + "), found \"" + found + "\"" +
         (digits ? " (too large)" : "");
}

CLI::Option* add_seed_option(CLI::App& command, std::optional<std::uint64_t>& seed, const std::string& help) {
  return command.add_option("--seed", seed, help)
      ->type_name("UINT64")
      ->check(CLI::Validator([](std::string& text) { return seed_problem(text); }, "UINT64", "seed"));
}

}  // namespace firedrill::apps
