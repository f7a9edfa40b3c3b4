// Shared pieces of the built-in drivers. Not part of the public API.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "live/driver.hpp"
#include "live/secrets.hpp"

namespace firedrill::live {

// params["timeout"] (a duration string, default `fallback`).
std::chrono::milliseconds timeout_of(const Json& params, const char* fallback = "5s");
// "" when params["timeout"] is absent or a valid duration, else the error.
std::string check_timeout(const Json& params);

// Runs argv (no shell) with `env` added to this process's environment, in `cwd` ("" for the
// current one), stdin from /dev/null, with a timeout; captures stdout+stderr (truncated to a
// line). Never waits for the output pipe to close: a program that leaves a daemon behind
// holding it open is not waited for. Fails unless the exit status is `expect_exit`.
Status run_program(const std::vector<std::string>& argv, const Json& env, const std::string& cwd,
                   std::chrono::milliseconds timeout, int expect_exit, const Context& ctx);

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

// Milliseconds until the deadline (0 when past).
int ms_left(std::chrono::steady_clock::time_point deadline);
// Connects (TCP) to host:port before the deadline; returns the socket (non-blocking) or -1
// with `err` set.
int connect_before(const std::string& host, const std::string& port,
                   std::chrono::steady_clock::time_point deadline, std::string& err);

// Whether the process runs (exists and is not a zombie).
bool pid_running(int pid);

// The process id written at the start of a pid file (read with sim::read_input_file: a
// regular file of at most 4 KiB); 0 with `why` set when there is none.
long long read_pid_file(const std::string& file, std::string& why);

void register_net_drivers(DriverRegistry& registry);
void register_network_drivers(DriverRegistry& registry);  // netns_driver.cpp
void register_process_drivers(DriverRegistry& registry);
void register_db_drivers(DriverRegistry& registry);
void register_lb_drivers(DriverRegistry& registry);

}  // namespace firedrill::live
