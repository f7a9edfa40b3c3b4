// Runs each trial in a fresh child process (a SimGrid engine must not be reused in one
// process) and reads its result back through a pipe.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "sim/engine.hpp"

namespace firedrill::sim {
namespace {

void write_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      _exit(4);
    }
    off += static_cast<std::size_t>(n);
  }
}

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("reading a trial's result: ") + std::strerror(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

TrialResult run_trial_isolated(const Scenario& s, const ModelRegistry& registry,
                               const Disaster& d, std::uint64_t trial_index) {
  int out[2], err[2];
  if (::pipe(out) != 0 || ::pipe(err) != 0) {
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  std::fflush(nullptr);  // buffered output must not be written twice (parent and child)
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(out[0]);
    ::close(err[0]);
    ::dup2(err[1], STDERR_FILENO);
    int code = 0;
    try {
      write_all(out[1], trial_to_json_text(run_trial_in_process(s, registry, d, trial_index)));
    } catch (const std::exception& e) {
      write_all(err[1], std::string("trial failed: ") + e.what() + "\n");
      code = 3;
    }
    ::close(out[1]);
    ::close(err[1]);
    _exit(code);
  }
  ::close(out[1]);
  ::close(err[1]);
  // The child writes results and errors on two pipes; results are read first. A child that
  // fills the error pipe before writing its result would block: errors are a few lines.
  std::string result = read_all(out[0]);
  std::string errors = read_all(err[0]);
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string why = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                          : "exit code " + std::to_string(WEXITSTATUS(status));
    throw std::runtime_error("trial " + std::to_string(trial_index) + " of disaster " + d.name +
                             " failed (" + why + ")" + (errors.empty() ? "" : ": " + errors));
  }
  return trial_from_json_text(result);
}

}  // namespace firedrill::sim
