#include "live/secrets.hpp"

#include <stdexcept>

#include "sim/input_file.hpp"

namespace firedrill::live {

using nlohmann::json;

bool is_secret_ref(const json& v) {
  if (!v.is_object() || v.size() != 1) return false;
  const auto it = v.begin();
  return (it.key() == "env" || it.key() == "file") && it->is_string();
}

namespace {

std::string read_secret(const json& ref) {
  const std::string key = ref.begin().key();
  const std::string where = ref.begin()->get<std::string>();
  if (key == "env") {
    const char* v = std::getenv(where.c_str());
    if (v == nullptr) throw std::runtime_error("secret env:" + where + ": the variable is not set");
    return v;
  }
  auto text = sim::read_input_file(where, "secret file");
  if (const auto* d = std::get_if<sim::Diagnostic>(&text)) {
    throw std::runtime_error("secret " + d->to_string());
  }
  std::string s = std::move(std::get<std::string>(text));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

template <class F>
json map_refs(const json& v, F&& on_ref) {
  if (is_secret_ref(v)) return on_ref(v);
  if (v.is_object()) {
    json out = json::object();
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = map_refs(*it, on_ref);
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (const auto& e : v) out.push_back(map_refs(e, on_ref));
    return out;
  }
  return v;
}

}  // namespace

json Redactor::resolve(const json& params) {
  return map_refs(params, [this](const json& ref) {
    std::string value = read_secret(ref);
    std::lock_guard lock(mutex_);
    if (!value.empty()) secrets_.push_back(value);
    return json(value);
  });
}

std::string Redactor::redact(std::string text) const {
  std::lock_guard lock(mutex_);
  for (const auto& s : secrets_) {
    for (std::size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 3)) {
      text.replace(at, s.size(), "***");
    }
  }
  return text;
}

json show_refs(const json& params) {
  return map_refs(params, [](const json& ref) {
    return json("<secret " + ref.begin().key() + ":" + ref.begin()->get<std::string>() + ">");
  });
}

}  // namespace firedrill::live
