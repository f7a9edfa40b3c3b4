#include "live/driver.hpp"

namespace firedrill::live {

Status Driver::probe(const Json&, const Context&) const {
  return Status::failure("driver " + name() + " cannot probe");
}

Status Driver::plan(std::string_view, const Json& params, Planned& out) const {
  out.params = params;
  out.undo = nullptr;
  return Status::success();
}

Status Driver::act(std::string_view action, const Json&, const Context&) const {
  return Status::failure("driver " + name() + " has no action \"" + std::string(action) + "\"");
}

void DriverRegistry::add(std::unique_ptr<Driver> driver) {
  std::string n = driver->name();
  drivers_[n] = std::move(driver);
}

const Driver* DriverRegistry::find(std::string_view name) const {
  const auto it = drivers_.find(name);
  return it == drivers_.end() ? nullptr : it->second.get();
}

std::vector<std::string> DriverRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, d] : drivers_) out.push_back(n);
  return out;
}

std::string expect_string(const Json& params, const char* key, const char* what) {
  const auto it = params.find(key);
  if (it == params.end()) return std::string("/") + key + ": expected " + what + ", found nothing";
  if (!it->is_string() || it->get<std::string>().empty()) {
    return std::string("/") + key + ": expected " + what + ", found " + it->dump();
  }
  return "";
}

}  // namespace firedrill::live
