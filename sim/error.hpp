// Input diagnostics: every user-facing error names the file, the JSON pointer of the offending
// value (with line:column where the parser knows it), what was expected and what was found.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace firedrill::sim {

struct Diagnostic {
  std::string file;     // path as the user gave it
  std::string pointer;  // RFC 6901 JSON pointer, "" for the whole document
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string expected; // lower case: `a duration like "24h"`
  std::string found;    // lower case rendering of what was there: `-5`, `"banana"`, `nothing`
  std::string hint;     // optional: `did you mean "db-primary"?`, `known kinds: ...`
  bool warning = false; // a valid input that will not do what was meant (not an error)

  // "file:line:col: /pointer: expected X, found Y (hint)"; a warning: "/pointer: warning: ..."
  [[nodiscard]] std::string to_string() const;
};

// A list of diagnostics collected while reading one or more files.
class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  [[nodiscard]] bool empty() const { return items_.empty(); }
  [[nodiscard]] std::size_t size() const { return items_.size(); }
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
  [[nodiscard]] std::string to_string() const;  // one diagnostic per line

 private:
  std::vector<Diagnostic> items_;
};

// `text` with its control characters (below 0x20, and 0x7f) written as \x1b, \x0a, ...: what a
// message shows of names, paths and values, so that nothing it quotes drives the terminal.
std::string escape_control(std::string_view text);

// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view token);
std::string pointer_join(std::string_view base, std::string_view token);
std::string pointer_join(std::string_view base, std::size_t index);

// The name in `candidates` closest to `name` (Levenshtein), or "" when none is close enough.
std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace firedrill::sim
