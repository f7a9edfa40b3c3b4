// Secrets in bindings: only as references, {"env": "NAME"} or {"file": "PATH"}, resolved at
// run time. Every value resolved is remembered by a Redactor, which replaces it in any text
// before it is printed, journaled or put in a result.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace firedrill::live {

// Whether `v` is a secret reference: an object with the single key "env" or "file" whose value
// is a string.
bool is_secret_ref(const nlohmann::json& v);

class Redactor {
 public:
  // `params` with every secret reference replaced by its value; throws std::runtime_error
  // naming the reference (never the value) when an environment variable is unset or a file
  // cannot be read. Remembers each value resolved.
  nlohmann::json resolve(const nlohmann::json& params);
  // `text` with every remembered secret value replaced by "***".
  [[nodiscard]] std::string redact(std::string text) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
};

// The params as the dry run and the journal show them: references as "<secret env:NAME>".
nlohmann::json show_refs(const nlohmann::json& params);

}  // namespace firedrill::live
