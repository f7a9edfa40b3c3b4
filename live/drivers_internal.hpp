// Shared pieces of the built-in drivers. Not part of the public API.
#pragma once

#include <chrono>
#include <string>

#include "live/driver.hpp"
#include "live/secrets.hpp"

namespace firedrill::live {

// params["timeout"] (a duration string, default `fallback`).
std::chrono::milliseconds timeout_of(const Json& params, const char* fallback = "5s");
// "" when params["timeout"] is absent or a valid duration, else the error.
std::string check_timeout(const Json& params);

void register_net_drivers(DriverRegistry& registry);
void register_process_drivers(DriverRegistry& registry);

}  // namespace firedrill::live
