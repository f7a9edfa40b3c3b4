#include "sim/runner.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace firedrill::sim {
namespace {

// The sweep's ends of the live zygotes' pipes. A new zygote closes them: holding another
// zygote's command pipe open, it would keep that one from ever seeing its end.
std::vector<int> g_zygote_fds;

constexpr std::size_t kFrameHeader = sizeof(std::int32_t) + sizeof(std::uint64_t);

bool write_all_or_fail(int fd, const char* data, std::size_t size) {
  std::size_t off = 0;
  while (off < size) {
    const ssize_t n = ::write(fd, data + off, size - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// In a child: its reader is gone, nothing is left to report to.
void write_all(int fd, const std::string& data) {
  if (!write_all_or_fail(fd, data.data(), data.size())) _exit(4);
}

bool read_exact(int fd, char* data, std::size_t size) {
  std::size_t off = 0;
  while (off < size) {
    const ssize_t n = ::read(fd, data + off, size - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

std::string read_to_end(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// A child dies with the process that forked it (a zygote with its sweep, a batch with its
// zygote), so an interrupted sweep leaves nothing running.
void die_with(pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) _exit(1);
}

// In a batch's child: runs the trials (`run` hands their results to the BatchDone it is given)
// and writes "ok\n" and their results, then ends the process; or "error\n<message>" and exit
// code 3.
[[noreturn]] void run_batch_child(int fd, const std::function<void(const BatchDone&)>& run,
                                  bool with_timeline) {
  try {
    run([fd, with_timeline](const std::vector<TrialResult>& results) {
      std::string out = "ok\n";
      for (const auto& r : results) trial_to_wire(r, with_timeline, out);
      write_all(fd, out);
      ::close(fd);
      _exit(0);
    });
    throw std::logic_error("a batch ended without its results");
  } catch (const std::exception& e) {
    write_all(fd, std::string("error\n") + e.what());
  }
  ::close(fd);
  _exit(3);
}

// For the tests of failing workers: a process that reaches the point named by `variable` (set
// to a trial index: the process running that trial; "any": any) kills itself as a crash would.
void test_crash_point(const char* variable, const std::vector<std::uint64_t>& trials) {
  const char* value = std::getenv(variable);
  if (value == nullptr) return;
  const std::string v = value;
  if (v == "any" || std::find(trials.begin(), trials.end(), std::strtoull(value, nullptr, 10)) !=
                        trials.end()) {
    ::raise(SIGKILL);
  }
}

// Runs one batch in a child forked from the prepared state; its output and exit status.
std::pair<int, std::string> run_forked_batch(PreparedBatch* prepared,
                                             const std::vector<std::uint64_t>& trials,
                                             int cmd, int out) {
  int fds[2];
  if (::pipe(fds) != 0) {
    return {W_EXITCODE(3, 0), std::string("error\npipe: ") + std::strerror(errno)};
  }
  std::fflush(nullptr);
  const pid_t self = ::getpid();
  const pid_t child = ::fork();
  if (child == 0) {
    die_with(self);
    ::close(fds[0]);
    ::close(cmd);
    ::close(out);
    test_crash_point("FIREDRILL_TEST_KILL_TRIAL", trials);
    unshare_prepared_memory(prepared, trials.size());
    run_batch_child(
        fds[1], [&](const BatchDone& done) { run_prepared_batch(prepared, trials, done); }, false);
  }
  ::close(fds[1]);
  if (child < 0) {
    ::close(fds[0]);
    return {W_EXITCODE(3, 0), std::string("error\nfork: ") + std::strerror(errno)};
  }
  std::string output = read_to_end(fds[0]);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return {status, std::move(output)};
}

[[noreturn]] void zygote_main(const Scenario& s, const ModelRegistry& registry, const Disaster& d,
                              std::size_t batch_size, int cmd, int out) {
  PreparedBatch* prepared = nullptr;
  std::string error;
  try {
    prepared = prepare_batch(s, registry, d, batch_size);
  } catch (const std::exception& e) {
    error = e.what();
  }
  for (;;) {
    std::uint64_t n = 0;
    if (!read_exact(cmd, reinterpret_cast<char*>(&n), sizeof n)) _exit(0);  // the sweep is done
    std::vector<std::uint64_t> trials(n);
    if (!read_exact(cmd, reinterpret_cast<char*>(trials.data()), n * sizeof(std::uint64_t))) {
      _exit(0);
    }
    test_crash_point("FIREDRILL_TEST_KILL_ZYGOTE", trials);
    auto [status, output] = prepared != nullptr
                                ? run_forked_batch(prepared, trials, cmd, out)
                                : std::pair<int, std::string>{W_EXITCODE(3, 0), "error\n" + error};
    const std::int32_t st = status;
    const std::uint64_t size = output.size();
    std::string frame(kFrameHeader, '\0');
    std::memcpy(frame.data(), &st, sizeof st);
    std::memcpy(frame.data() + sizeof st, &size, sizeof size);
    frame += output;
    write_all(out, frame);
  }
}

bool frame_complete(const std::string& output) {
  if (output.size() < kFrameHeader) return false;
  std::uint64_t size = 0;
  std::memcpy(&size, output.data() + sizeof(std::int32_t), sizeof size);
  return output.size() - kFrameHeader >= size;
}

}  // namespace

Zygote start_zygote(const Scenario& s, const ModelRegistry& registry, const Disaster& d,
                    std::size_t batch_size, std::size_t key) {
  // Writing to a zygote that ended fails with EPIPE (and is reported when its frame is
  // missing) instead of ending the sweep with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  int cmd[2];
  int out[2];
  if (::pipe(cmd) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe(out) != 0) {
    ::close(cmd[0]);
    ::close(cmd[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (const int fd : {cmd[0], cmd[1], out[0], out[1]}) ::close(fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    die_with(parent);
    for (const int fd : g_zygote_fds) ::close(fd);
    ::close(cmd[1]);
    ::close(out[0]);
    zygote_main(s, registry, d, batch_size, cmd[0], out[1]);
  }
  ::close(cmd[0]);
  ::close(out[1]);
  g_zygote_fds.push_back(cmd[1]);
  g_zygote_fds.push_back(out[0]);
  return {pid, cmd[1], out[0], key};
}

TrialProcess submit_batch(Zygote& z, std::vector<std::uint64_t> trial_indices) {
  const std::uint64_t n = trial_indices.size();
  std::string request(sizeof n, '\0');
  std::memcpy(request.data(), &n, sizeof n);
  request.append(reinterpret_cast<const char*>(trial_indices.data()), n * sizeof(std::uint64_t));
  // A zygote that ended shows as the end of its output, reported by finish_trial_process.
  static_cast<void>(write_all_or_fail(z.cmd, request.data(), request.size()));
  TrialProcess p;
  p.pid = z.pid;
  p.fd = z.out;
  p.trials = std::move(trial_indices);
  p.framed = true;
  return p;
}

void stop_zygote(Zygote& z, bool kill) {
  if (z.pid < 0) return;
  if (kill) ::kill(z.pid, SIGKILL);
  for (const int fd : {z.cmd, z.out}) {
    ::close(fd);
    g_zygote_fds.erase(std::remove(g_zygote_fds.begin(), g_zygote_fds.end(), fd),
                       g_zygote_fds.end());
  }
  int status = 0;
  while (::waitpid(z.pid, &status, 0) < 0 && errno == EINTR) {
  }
  z = Zygote{};
}

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
    for (const int fd : g_zygote_fds) ::close(fd);
    run_batch_child(
        fds[1],
        [&](const BatchDone& done) { run_trials_in_process(s, registry, d, trial_indices, done); },
        with_timeline);
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
    if (p.framed && frame_complete(p.output)) return true;
    if (!block) return false;
  }
}

std::vector<TrialResult> finish_trial_process(TrialProcess& p, const Disaster& d) {
  int status = 0;
  bool worker_ended = false;
  if (p.framed) {  // the pipe is the zygote's, still in use
    p.fd = -1;
    if (frame_complete(p.output)) {
      std::int32_t st = 0;
      std::memcpy(&st, p.output.data(), sizeof st);
      status = st;
      p.output.erase(0, kFrameHeader);
    } else {  // the zygote ended: its own status says why
      worker_ended = true;
      // Read without reaping it (WNOWAIT): stop_zygote() reaps it, and until then its pid
      // cannot go to another process that stop_zygote() would signal.
      siginfo_t info{};
      while (::waitid(P_PID, static_cast<id_t>(p.pid), &info, WEXITED | WNOWAIT) < 0 &&
             errno == EINTR) {
      }
      status = info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0) : info.si_status;
      p.output.clear();
    }
  } else {
    ::close(p.fd);
    p.fd = -1;
    while (::waitpid(p.pid, &status, 0) < 0 && errno == EINTR) {
    }
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
    if (worker_ended) why = "the process preparing them ended, " + why;
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
