// JSON scenario text -> nlohmann::json plus the line:column of every value and key.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_set>

#include "sim/json_values.hpp"
#include "sim/loader_internal.hpp"

namespace firedrill::sim::detail {

using nlohmann::json;

void SourceMap::build() const {
  if (!build_) return;
  const auto build = std::move(build_);
  build_ = nullptr;
  build(const_cast<SourceMap&>(*this));  // only the mutable maps change
}

SourcePos SourceMap::value_pos(std::string_view pointer) const {
  if (original_ != nullptr) return original_->value_pos(translate_(pointer));
  build();
  std::string p(pointer);
  while (true) {
    if (auto it = values_.find(p); it != values_.end()) return it->second;
    if (p.empty()) return {};
    const std::size_t slash = p.rfind('/');
    p.erase(slash == std::string::npos ? 0 : slash);  // a malformed pointer: the document
  }
}

SourcePos SourceMap::key_pos(std::string_view pointer) const {
  if (original_ != nullptr) return original_->key_pos(translate_(pointer));
  build();
  if (auto it = keys_.find(std::string(pointer)); it != keys_.end()) return it->second;
  return value_pos(pointer);
}

SourcePos position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  SourcePos pos{1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++pos.column;
    }
  }
  return pos;
}

namespace {

// The offset of the first bracket that opens a level deeper than `limit`, if any. Brackets
// inside strings do not count; the text need not be valid JSON.
std::optional<std::size_t> too_deep(std::string_view text, int limit) {
  bool in_string = false;
  bool escaped = false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string between(const std::string& text, std::string_view start, std::string_view end) {
  const std::size_t a = text.find(start);
  if (a == std::string::npos) return {};
  const std::size_t from = a + start.size();
  const std::size_t b = end.empty() ? std::string::npos : text.find(end, from);
  return text.substr(from, b == std::string::npos ? std::string::npos : b - from);
}

// Control characters (nlohmann quotes what it read) are not welcome in one-line messages.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text;
}

// Turns nlohmann's "syntax error while parsing object - unexpected end of input; expected '}'"
// into expected = "'}'" and found = "unexpected end of input while parsing object".
Diagnostic syntax_error(const std::string& file, std::string_view text,
                        const json::parse_error& e) {
  Diagnostic d;
  d.file = file;
  const SourcePos pos = position_of(text, e.byte > 0 ? e.byte - 1 : 0);
  d.line = pos.line;
  d.column = pos.column;
  const std::string message = e.what();
  std::string detail = message;
  if (const std::size_t colon = message.find(": syntax error"); colon != std::string::npos) {
    detail = message.substr(colon + 2);
  }
  const std::string context = between(detail, "syntax error while parsing ", " - ");
  std::string what = between(detail, " - ", "; ");
  const std::string expected = between(detail, "; expected ", "");
  if (what.empty()) what = detail;
  d.expected = expected.empty() ? "valid json" : one_line(expected);
  d.found = one_line(what);
  if (!context.empty()) d.found += " while parsing " + context;
  return d;
}

// Walks a text that nlohmann accepted and records where each value and key starts.
class PositionScanner {
 public:
  PositionScanner(std::string_view text, SourceMap& map) : text_(text), map_(map) {}

  void run() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark
    value("", 0);
  }
  struct Duplicate {
    std::string pointer;
    std::string key;
    SourcePos pos;
  };
  const std::vector<Duplicate>& duplicates() const { return duplicates_; }

 private:
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }
  [[nodiscard]] SourcePos here() const { return {line_, column_}; }

  void advance() {
    if (at_end()) return;
    const auto c = static_cast<unsigned char>(text_[pos_++]);
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;
    }
  }

  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      advance();
    }
  }

  // A string literal starting at the current '"'; returns its decoded text.
  std::string string_literal() {
    const std::size_t start = pos_;
    advance();  // opening quote
    bool escaped = false;
    while (!at_end()) {
      const char c = peek();
      advance();
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        break;
      }
    }
    const json decoded = json::parse(text_.substr(start, pos_ - start), nullptr, false);
    return decoded.is_string() ? decoded.get<std::string>() : std::string();
  }

  void value(const std::string& pointer, int depth) {
    skip_space();
    map_.set_value(pointer, here());
    if (depth > kMaxNesting) return;  // cannot happen: too_deep() ran first
    const char c = peek();
    if (c == '{') {
      advance();
      std::unordered_set<std::string> seen;
      while (true) {
        skip_space();
        if (peek() != '"') break;  // '}' of an empty object (or malformed input)
        const SourcePos key_pos = here();
        const std::string key = string_literal();
        const std::string child = pointer_join(pointer, key);
        if (!seen.insert(key).second) duplicates_.push_back({child, key, key_pos});
        map_.set_key(child, key_pos);
        skip_space();
        if (peek() != ':') return;
        advance();
        value(child, depth + 1);
        skip_space();
        if (peek() != ',') break;
        advance();
      }
      if (peek() == '}') advance();
    } else if (c == '[') {
      advance();
      std::size_t index = 0;
      skip_space();
      if (peek() == ']') {
        advance();
        return;
      }
      while (!at_end()) {
        value(pointer_join(pointer, index++), depth + 1);
        skip_space();
        if (peek() != ',') break;
        advance();
      }
      if (peek() == ']') advance();
    } else if (c == '"') {
      string_literal();
    } else {
      while (!at_end()) {
        const char d = peek();
        if (d == ',' || d == ']' || d == '}' || d == ' ' || d == '\t' || d == '\n' || d == '\r') {
          break;
        }
        advance();
      }
    }
  }

  std::string_view text_;
  SourceMap& map_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  std::vector<Duplicate> duplicates_;
};

// Builds the document as json::parse does and notes whether an object repeats a key. Not
// json::parse with a callback: nlohmann's callback parser (3.11) searches the enclosing
// container for a discarded value after every object, so an array of n objects cost n^2/2
// steps (loading 50,000 components: a tenth of `firedrill run`'s time, and growing).
class DomSeeingKeys {
 public:
  explicit DomSeeingKeys(json& root) : dom_(root) {}
  [[nodiscard]] bool duplicate() const { return duplicate_; }

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return dom_.number_float(v, s); }
  bool string(json::string_t& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) {
    keys_.emplace_back();
    return dom_.start_object(n);
  }
  bool key(json::string_t& k) {
    if (!keys_.back().insert(k).second) duplicate_ = true;
    return dom_.key(k);
  }
  bool end_object() {
    keys_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return dom_.start_array(n); }
  bool end_array() { return dom_.end_array(); }
  template <class Exception>
  bool parse_error(std::size_t at, const std::string& token, const Exception& e) {
    return dom_.parse_error(at, token, e);  // throws it
  }

 private:
  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<std::unordered_set<std::string>> keys_;  // of the objects being parsed
  bool duplicate_ = false;
};

}  // namespace

bool parse_json_source(std::string_view text, const std::string& file, json& root, SourceMap& map,
                       Diagnostics& out) {
  if (const std::optional<std::size_t> at = too_deep(text, kMaxNesting)) {
    const SourcePos pos = position_of(text, *at);
    out.add(Diagnostic{file, "", pos.line, pos.column,
                       "at most " + std::to_string(kMaxNesting) + " levels of nesting",
                       "deeper nesting", ""});
    return false;
  }
  // Duplicate keys are seen while parsing (nlohmann keeps the last); positions are found by a
  // second pass over the text, only when asked for: a diagnostic, or a duplicate here (that
  // pass on every load made `firedrill validate` of 50,000 components 2.04 s instead of 1.19).
  DomSeeingKeys builder(root);
  bool duplicate = false;
  try {
    json::sax_parse(text, &builder);
    duplicate = builder.duplicate();
  } catch (const json::parse_error& e) {
    out.add(syntax_error(file, text, e));
    return false;
  }
  if (!duplicate) {
    map.build_when_asked(
        [text = std::string(text)](SourceMap& m) { PositionScanner(text, m).run(); });
  } else {
    PositionScanner scanner(text, map);
    scanner.run();
    for (const auto& d : scanner.duplicates()) {
      out.add(Diagnostic{file, d.pointer, d.pos.line, d.pos.column, "each key once in an object",
                         "a second " + render_found(json(d.key)), ""});
    }
  }
  return true;
}

}  // namespace firedrill::sim::detail
