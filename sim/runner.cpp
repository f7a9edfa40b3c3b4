#include "sim/runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

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

}  // namespace

TrialProcess start_trial_process(const Scenario& s, const ModelRegistry& registry,
                                 const Disaster& d, std::vector<std::uint64_t> trial_indices,
                                 bool with_timeline) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);  // buffered output must not be written twice (parent and child)
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    int code = 0;
    try {
      const std::vector<TrialResult> results = run_trials_in_process(s, registry, d, trial_indices);
      std::string out = "ok\n";
      for (const auto& r : results) trial_to_wire(r, with_timeline, out);
      write_all(fds[1], out);
    } catch (const std::exception& e) {
      write_all(fds[1], std::string("error\n") + e.what());
      code = 3;
    }
    ::close(fds[1]);
    _exit(code);
  }
  ::close(fds[1]);
  return {pid, fds[0], {}, std::move(trial_indices)};
}

bool read_trial_output(TrialProcess& p, bool block) {
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(p.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN && !block) return false;
      throw std::runtime_error(std::string("reading a trial's result: ") + std::strerror(errno));
    }
    if (n == 0) return true;
    p.output.append(buf, static_cast<std::size_t>(n));
    if (!block) return false;
  }
}

std::vector<TrialResult> finish_trial_process(TrialProcess& p, const Disaster& d) {
  ::close(p.fd);
  p.fd = -1;
  int status = 0;
  while (::waitpid(p.pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string where = (p.trials.size() == 1 ? "trial " : "trials ");
  for (std::size_t k = 0; k < p.trials.size() && k < 4; ++k) {
    where += (k > 0 ? ", " : "") + std::to_string(p.trials[k]);
  }
  if (p.trials.size() > 4) where += ", ... (" + std::to_string(p.trials.size()) + " in all)";
  where += " of disaster " + d.name;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string why = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                          : "exit code " + std::to_string(WEXITSTATUS(status));
    std::string message;
    if (p.output.rfind("error\n", 0) == 0) message = ": " + p.output.substr(6);
    throw std::runtime_error(where + " failed (" + why + ")" + message);
  }
  if (p.output.rfind("ok\n", 0) != 0) throw std::runtime_error(where + " sent no result");
  std::vector<TrialResult> results;
  results.reserve(p.trials.size());
  std::size_t pos = 3;
  while (pos < p.output.size()) results.push_back(trial_from_wire(p.output, pos));
  if (results.size() != p.trials.size()) {
    throw std::runtime_error(where + " sent " + std::to_string(results.size()) + " results for " +
                             std::to_string(p.trials.size()) + " trials");
  }
  return results;
}

TrialResult run_trial_isolated(const Scenario& s, const ModelRegistry& registry,
                               const Disaster& d, std::uint64_t trial_index) {
  TrialProcess p = start_trial_process(s, registry, d, {trial_index}, true);
  read_trial_output(p, true);
  return finish_trial_process(p, d).front();
}

}  // namespace firedrill::sim
