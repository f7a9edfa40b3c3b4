// YAML scenario text -> nlohmann::json (the loader reads one tree whatever the syntax), with
// yaml-cpp's mark of every value and key kept by JSON pointer.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "sim/json_values.hpp"
#include "sim/loader_internal.hpp"

namespace firedrill::sim::detail {

using nlohmann::json;

namespace {

SourcePos to_pos(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// YAML 1.2 core schema integer: [-+]?[0-9]+ (decimal only).
std::optional<json> as_integer(std::string_view text) {
  std::string_view digits = text;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
  if (!is_digits(digits)) return std::nullopt;
  if (negative) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size()) return json(v);
  } else {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc() && end == digits.data() + digits.size()) return json(v);
  }
  double d = 0;  // too large for 64 bits: keep it as a float
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
  if (ec != std::errc() || !std::isfinite(d)) return std::nullopt;
  return json(negative ? -d : d);
}

// YAML 1.2 core schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
// (.inf and .nan are left as text: JSON cannot hold them).
std::optional<json> as_float(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  std::size_t i = 0;
  std::size_t int_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const std::size_t exp_start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == exp_start) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::string normalized(s);
  if (normalized.front() == '.') normalized.insert(normalized.begin(), '0');
  double v = 0;
  const auto [end, ec] =
      std::from_chars(normalized.data(), normalized.data() + normalized.size(), v);
  if (ec != std::errc() || !std::isfinite(v)) return std::nullopt;
  return json(negative ? -v : v);
}

// The JSON value of a plain (unquoted, untagged) scalar.
json resolve_plain(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return json(nullptr);
  }
  if (text == "true" || text == "True" || text == "TRUE") return json(true);
  if (text == "false" || text == "False" || text == "FALSE") return json(false);
  if (auto v = as_integer(text)) return *v;
  if (auto v = as_float(text)) return *v;
  return json(text);
}

// Replaces invalid UTF-8 sequences by U+FFFD; returns false when there were any.
bool make_valid_utf8(std::string& text) {
  bool valid = true;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      length = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      cp = c & 0x07;
    }
    bool ok = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; ok && k < length; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      ok = !(length == 2 && cp < 0x80) && !(length == 3 && cp < 0x800) &&
           !(length == 4 && (cp < 0x10000 || cp > 0x10FFFF)) && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (ok) {
      out.append(text, i, length);
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      valid = false;
      ++i;
    }
  }
  if (!valid) text = std::move(out);
  return valid;
}

struct Abort {};  // the diagnostic was recorded; stop parsing

// Builds the JSON tree from yaml-cpp's parse events.
class JsonBuilder : public YAML::EventHandler {
 public:
  JsonBuilder(const std::string& file, SourceMap& map, Diagnostics& out)
      : file_(file), map_(map), out_(out) {}

  json take_root() { return std::move(root_); }
  [[nodiscard]] bool has_root() const { return has_root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (in_key_position()) {
      fail(mark, "a text key", "an empty key");
    }
    add_value(mark, anchor, json(nullptr), 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark, "an alias to an earlier anchor", "an unknown alias");
    if (in_key_position()) {
      if (!it->second.value.is_string()) fail(mark, "a text key", render_found(it->second.value));
      set_key(mark, it->second.value.get<std::string>());
      return;
    }
    add_value(mark, 0, it->second.value, it->second.count);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    std::string text = value;
    if (!make_valid_utf8(text)) {
      const SourcePos pos = to_pos(mark);
      out_.add(Diagnostic{file_, next_pointer(), pos.line, pos.column, "utf-8 text",
                          "invalid utf-8 bytes", ""});
    }
    if (in_key_position()) {
      if (anchor != 0) anchors_[anchor] = Anchored{json(text), 1};
      set_key(mark, std::move(text));
      return;
    }
    const bool is_text = tag == "!" || tag == "tag:yaml.org,2002:str";
    add_value(mark, anchor, is_text ? json(std::move(text)) : resolve_plain(text), 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, json::array());
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, json::object());
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    json value;
    std::string pointer;
    YAML::anchor_t anchor = 0;
    std::size_t count_at_open = 0;
    std::optional<std::string> key;  // maps: the key waiting for its value
    std::unordered_set<std::string> keys;
  };
  struct Anchored {
    json value;
    std::size_t count = 1;
  };

  [[nodiscard]] bool in_key_position() const {
    return !stack_.empty() && stack_.back().value.is_object() && !stack_.back().key;
  }

  // The pointer of the value that comes next.
  [[nodiscard]] std::string next_pointer() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (top.value.is_object()) return top.key ? pointer_join(top.pointer, *top.key) : top.pointer;
    return pointer_join(top.pointer, top.value.size());
  }

  [[noreturn]] void fail(const YAML::Mark& mark, std::string expected, std::string found) {
    const SourcePos pos = to_pos(mark);
    out_.add(Diagnostic{file_, next_pointer(), pos.line, pos.column, std::move(expected),
                        std::move(found), ""});
    throw Abort{};
  }

  void count(const YAML::Mark& mark, std::size_t n) {
    count_ += n;
    if (count_ > kMaxValues) {
      fail(mark, "at most " + std::to_string(kMaxValues) + " values",
           "more (aliases expand too far)");
    }
  }

  void set_key(const YAML::Mark& mark, std::string key) {
    Frame& top = stack_.back();
    const std::string pointer = pointer_join(top.pointer, key);
    if (!top.keys.insert(key).second) {
      const SourcePos pos = to_pos(mark);
      out_.add(Diagnostic{file_, pointer, pos.line, pos.column, "each key once in a mapping",
                          "a second " + render_found(json(key)), ""});
    }
    map_.set_key(pointer, to_pos(mark));
    top.key = std::move(key);
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, json empty) {
    if (in_key_position()) fail(mark, "a text key", "a complex key");
    if (static_cast<int>(stack_.size()) >= kMaxNesting) {
      fail(mark, "at most " + std::to_string(kMaxNesting) + " levels of nesting", "deeper nesting");
    }
    count(mark, 1);
    const std::string pointer = next_pointer();
    map_.set_value(pointer, to_pos(mark));
    stack_.push_back(Frame{std::move(empty), pointer, anchor, count_, std::nullopt, {}});
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.anchor != 0) {
      anchors_[frame.anchor] = Anchored{frame.value, count_ - frame.count_at_open + 1};
    }
    place(std::move(frame.value));
  }

  void add_value(const YAML::Mark& mark, YAML::anchor_t anchor, json value, std::size_t n) {
    count(mark, n);
    map_.set_value(next_pointer(), to_pos(mark));
    if (anchor != 0) anchors_[anchor] = Anchored{value, n};
    place(std::move(value));
  }

  void place(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      has_root_ = true;
      return;
    }
    Frame& top = stack_.back();
    if (top.value.is_object()) {
      top.value[*top.key] = std::move(value);
      top.key.reset();
    } else {
      top.value.push_back(std::move(value));
    }
  }

  const std::string& file_;
  SourceMap& map_;
  Diagnostics& out_;
  std::vector<Frame> stack_;
  json root_;
  bool has_root_ = false;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  std::size_t count_ = 0;
};

// Notes where a second document starts.
class DocumentStartProbe : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    mark_ = mark;
    throw Abort{};  // nothing else is needed
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  YAML::Mark mark_ = YAML::Mark::null_mark();
};

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text;
}

void add_yaml_error(const std::string& file, const YAML::Exception& e, Diagnostics& out) {
  const SourcePos pos = to_pos(e.mark);
  out.add(Diagnostic{file, "", pos.line, pos.column, "valid yaml", lower(e.msg), ""});
}

}  // namespace

bool parse_yaml_source(std::string_view text, const std::string& file, json& root, SourceMap& map,
                       Diagnostics& out) {
  std::istringstream stream{std::string(text)};
  JsonBuilder builder(file, map, out);
  try {
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder) || !builder.has_root()) {
      root = json(nullptr);
      map.set_value("", SourcePos{1, 1});
      return true;  // an empty document: the loader says what was expected
    }
    DocumentStartProbe probe;
    try {
      if (parser.HandleNextDocument(probe)) {
        // A document without any event still counts: report where the parser stopped.
      }
    } catch (const Abort&) {
      const SourcePos pos = to_pos(probe.mark_);
      out.add(Diagnostic{file, "", pos.line, pos.column, "a single yaml document",
                         "a second document", ""});
      return false;
    }
  } catch (const Abort&) {
    return false;
  } catch (const YAML::Exception& e) {
    add_yaml_error(file, e, out);
    return false;
  }
  root = builder.take_root();
  return true;
}

}  // namespace firedrill::sim::detail
