#include "sim/error.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace firedrill::sim {

std::string Diagnostic::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':';
      out += std::to_string(line);
      if (column > 0) {
        out += ':';
        out += std::to_string(column);
      }
    }
    out += ": ";
  }
  out += pointer.empty() ? std::string("(document)") : pointer;
  out += ": ";
  if (warning) out += "warning: ";

  if (!expected.empty()) {
    out += "expected ";
    out += expected;
    if (!found.empty()) {
      out += ", found ";
      out += found;
    }
    if (!hint.empty()) {
      out += " (";
      out += hint;
      out += ')';
    }
  } else if (!found.empty()) {
    out += found;
    if (!hint.empty()) {
      out += " (";
      out += hint;
      out += ')';
    }
  } else {
    out += hint;
  }
  return escape_control(out);
}

std::string escape_control(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

std::string Diagnostics::to_string() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    out += d.to_string();
    out += '\n';
  }
  return out;
}

std::string pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_join(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  out += pointer_token(token);
  return out;
}

std::string pointer_join(std::string_view base, std::size_t index) {
  std::string out(base);
  out += '/';
  out += std::to_string(index);
  return out;
}

namespace {

// Edit distance counting a swap of two neighbouring characters as one edit ("regoin" is one
// from "region"), as typing mistakes go (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the table at a time: the one before the previous (for swaps), the previous
  // and the current.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

}  // namespace

std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance <= limit && (best == nullptr || distance < best_distance)) {
      best = &candidate;
      best_distance = distance;
    }
  }
  return best != nullptr ? *best : std::string();
}

}  // namespace firedrill::sim
