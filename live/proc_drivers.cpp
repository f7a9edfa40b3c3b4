// The command driver (fork/exec an argv array, a shell only when asked) and the process driver
// (signal a pid, a pidfile's pid or a program found in /proc).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "live/drivers_internal.hpp"
#include "sim/input_file.hpp"
#include "sim/units.hpp"

namespace firedrill::live {

std::chrono::milliseconds timeout_of(const Json& params, const char* fallback) {
  const auto it = params.find("timeout");
  const auto s = sim::parse_duration(it != params.end() && it->is_string() ? it->get<std::string>()
                                                                            : fallback);
  return std::chrono::milliseconds(static_cast<long long>(s.value_or(5) * 1000));
}

std::string check_timeout(const Json& params) {
  const auto it = params.find("timeout");
  if (it == params.end()) return "";
  if (it->is_string() && sim::parse_duration(it->get<std::string>())) return "";
  return "/timeout: expected a duration like \"5s\", found " + it->dump();
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kOutputLimit = 2000;

const std::vector<std::pair<std::string, int>>& signal_names() {
  static const std::vector<std::pair<std::string, int>> names{
      {"KILL", SIGKILL}, {"TERM", SIGTERM}, {"INT", SIGINT},   {"HUP", SIGHUP},
      {"STOP", SIGSTOP}, {"CONT", SIGCONT}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}};
  return names;
}

int signal_of(const std::string& name) {
  for (const auto& [n, s] : signal_names()) {
    if (n == name || "SIG" + n == name) return s;
  }
  return 0;
}

}  // namespace

Status run_program(const std::vector<std::string>& argv, const Json& env, const std::string& cwd,
                   std::chrono::milliseconds timeout, int expect_exit, const Context& ctx) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Status::failure(std::string("pipe: ") + std::strerror(errno));
  // Everything the child needs is built before fork: other threads (probes) may hold the
  // allocator's lock, so the child calls only async-signal-safe functions until exec.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string var = *e;
    const std::string key = var.substr(0, var.find('='));
    if (!env.is_object() || !env.contains(key)) env_text.push_back(var);
  }
  if (env.is_object()) {
    for (auto it = env.begin(); it != env.end(); ++it) {
      env_text.push_back(it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump()));
    }
  }
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return Status::failure(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    ::setpgid(0, 0);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(out[1], 1);
    ::dup2(out[1], 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) _exit(126);
    ::execvpe(args[0], args.data(), envp.data());
    _exit(127);
  }
  ::close(out[1]);
  std::string output;
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  std::string why;
  for (;;) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 50) == 1) {
      char buf[4096];
      const ssize_t n = ::read(out[0], buf, sizeof buf);
      if (n > 0 && output.size() < kOutputLimit) output.append(buf, static_cast<std::size_t>(n));
      if (n == 0) p.fd = -1;
    }
    if (::waitpid(pid, &status, WNOHANG) == pid) break;
    if (Clock::now() > deadline || ctx.cancelled()) {
      why = Clock::now() > deadline ? "timed out" : "cancelled";
      ::kill(-pid, SIGTERM);
      for (int i = 0; i < 40 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
  }
  // What is already in the pipe, without waiting for it to close.
  for (;;) {
    pollfd p{out[0], POLLIN, 0};
    char buf[4096];
    if (::poll(&p, 1, 0) != 1) break;
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    if (output.size() < kOutputLimit) output.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  if (output.size() > kOutputLimit) output = output.substr(0, kOutputLimit) + "...";
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  for (auto& c : output) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  const std::string tail = output.empty() ? "" : ": " + output;
  if (!why.empty()) return Status::failure(argv[0] + " " + why + tail);
  if (WIFSIGNALED(status)) {
    return Status::failure(argv[0] + " killed by signal " + std::to_string(WTERMSIG(status)) + tail);
  }
  const int code = WEXITSTATUS(status);
  if (code == 127) return Status::failure(argv[0] + ": cannot run the program (exit 127)" + tail);
  if (code != expect_exit) {
    return Status::failure(argv[0] + " exited " + std::to_string(code) + ", expected " +
                           std::to_string(expect_exit) + tail);
  }
  return Status::success(argv[0] + " exited " + std::to_string(code) + tail);
}

namespace {

class CommandDriver final : public Driver {
 public:
  [[nodiscard]] std::string name() const override { return "command"; }
  [[nodiscard]] std::vector<std::string> actions() const override { return {"run"}; }
  [[nodiscard]] bool can_probe() const override { return true; }
  [[nodiscard]] std::string check(std::string_view, const Json& params) const override {
    const bool has_argv = params.contains("argv"), has_shell = params.contains("shell");
    if (has_argv == has_shell) {
      return "/argv: expected either \"argv\" (a list of strings) or \"shell\" (a command line), found " +
             std::string(has_argv ? "both" : "neither");
    }
    if (has_argv) {
      const Json& a = params["argv"];
      if (!a.is_array() || a.empty()) return "/argv: expected a non-empty list of strings, found " + a.dump();
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_string() && !is_secret_ref(a[i])) {
          return "/argv/" + std::to_string(i) + ": expected a string, found " + a[i].dump();
        }
      }
      if (!a[0].is_string()) return "/argv/0: expected the program as plain text, found a secret";
    } else if (!params["shell"].is_string()) {
      return "/shell: expected a command line (run by /bin/sh -c), found " + params["shell"].dump();
    }
    if (const auto it = params.find("env"); it != params.end() && !it->is_object()) {
      return "/env: expected an object of variables, found " + it->dump();
    }
    if (const auto it = params.find("cwd"); it != params.end() && !it->is_string()) {
      return "/cwd: expected a directory path, found " + it->dump();
    }
    if (const auto it = params.find("expect_exit"); it != params.end() && !it->is_number_integer()) {
      return "/expect_exit: expected an exit status like 0, found " + it->dump();
    }
    return check_timeout(params);
  }
  [[nodiscard]] std::string describe(std::string_view, const Json& params) const override {
    const Json shown = show_refs(params);
    std::string text;
    if (shown.contains("shell")) {
      text = "sh -c " + shown["shell"].dump();
    } else {
      for (const auto& a : shown["argv"]) text += (text.empty() ? "" : " ") + a.get<std::string>();
    }
    if (shown.contains("env")) {
      std::string names;
      for (auto it = shown["env"].begin(); it != shown["env"].end(); ++it) names += " " + it.key();
      text += " (env:" + names + ")";
    }
    return "run `" + text + "` (timeout " + shown.value("timeout", std::string("60s")) + ")";
  }
  Status probe(const Json& params, const Context& ctx) const override { return act("run", params, ctx); }
  Status act(std::string_view, const Json& params, const Context& ctx) const override {
    std::vector<std::string> argv;
    if (params.contains("shell")) {
      argv = {"/bin/sh", "-c", params["shell"].get<std::string>()};
    } else {
      for (const auto& a : params["argv"]) argv.push_back(a.get<std::string>());
    }
    return run_program(argv, params.value("env", Json::object()), params.value("cwd", std::string()),
                       timeout_of(params, "60s"), params.value("expect_exit", 0), ctx);
  }
};

// Whether pid runs: it exists and is not a zombie waiting to be reaped.
bool running(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  const auto paren = text.rfind(')');
  return paren == std::string::npos || text.size() < paren + 3 || text[paren + 2] != 'Z';
}

// The pids of processes whose name (/proc/PID/comm) or program (argv[0]'s base name) is `name`.
std::vector<pid_t> pids_of_program(const std::string& name) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string dir = entry.path().filename().string();
    if (dir.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(dir);
    if (pid == ::getpid()) continue;
    std::ifstream comm(entry.path() / "comm"), cmdline(entry.path() / "cmdline");
    std::string c, argv0;
    std::getline(comm, c);
    std::getline(cmdline, argv0, '\0');
    if (!running(pid)) continue;
    if (c == name || (!argv0.empty() && std::filesystem::path(argv0).filename() == name)) {
      out.push_back(pid);
    }
  }
  return out;
}

class ProcessDriver final : public Driver {
 public:
  [[nodiscard]] std::string name() const override { return "process"; }
  [[nodiscard]] std::vector<std::string> actions() const override {
    return {"kill", "stop", "cont", "signal"};
  }
  [[nodiscard]] bool undoes_itself(std::string_view action) const override { return action == "stop"; }
  [[nodiscard]] bool can_probe() const override { return true; }
  [[nodiscard]] std::string check(std::string_view action, const Json& params) const override {
    int forms = 0;
    for (const char* k : {"pid", "pidfile", "program"}) forms += params.contains(k) ? 1 : 0;
    if (forms != 1) {
      return "/pid: expected exactly one of \"pid\", \"pidfile\", \"program\", found " +
             std::to_string(forms);
    }
    if (params.contains("pid") && (!params["pid"].is_number_integer() || params["pid"] <= 1)) {
      return "/pid: expected a process id above 1, found " + params["pid"].dump();
    }
    if (params.contains("pidfile")) {
      if (auto e = expect_string(params, "pidfile", "a pid file path"); !e.empty()) return e;
    }
    if (params.contains("program")) {
      if (auto e = expect_string(params, "program", "a program name"); !e.empty()) return e;
    }
    if (const auto it = params.find("signal"); it != params.end()) {
      if (!it->is_string() || signal_of(it->get<std::string>()) == 0) {
        std::string known;
        for (const auto& [n, s] : signal_names()) known += (known.empty() ? "" : ", ") + n;
        return "/signal: expected one of " + known + ", found " + it->dump();
      }
    } else if (action == "signal") {
      return "/signal: expected a signal name like \"TERM\", found nothing";
    }
    return "";
  }
  [[nodiscard]] std::string describe(std::string_view action, const Json& params) const override {
    std::string target = params.contains("pid")       ? "pid " + params["pid"].dump()
                         : params.contains("pidfile") ? "the pid in " + params["pidfile"].get<std::string>()
                                                      : "program " + params.value("program", std::string());
    if (action.empty()) return "check that " + target + " is running";
    return "send SIG" + signal_name(action, params) + " to " + target;
  }
  Status probe(const Json& params, const Context&) const override {
    pid_t pid = 0;
    if (Status s = resolve(params, pid); !s.ok) return s;
    if (!running(pid)) return Status::failure("pid " + std::to_string(pid) + " is not running");
    return Status::success("pid " + std::to_string(pid) + " is running");
  }
  Status plan(std::string_view action, const Json& params, Planned& out) const override {
    pid_t pid = 0;
    if (Status s = resolve(params, pid); !s.ok) return s;
    out.params = params;
    out.params.erase("pidfile");
    out.params.erase("program");
    out.params["pid"] = pid;
    out.undo = nullptr;
    if (action == "stop") {
      out.undo = {{"driver", "process"}, {"action", "cont"}, {"params", {{"pid", pid}}}};
    }
    return Status::success();
  }
  Status act(std::string_view action, const Json& params, const Context&) const override {
    pid_t pid = 0;
    if (Status s = resolve(params, pid); !s.ok) return s;
    const std::string sig = signal_name(action, params);
    if (::kill(pid, signal_of(sig)) != 0) {
      return Status::failure("SIG" + sig + " to pid " + std::to_string(pid) + ": " + std::strerror(errno));
    }
    return Status::success("sent SIG" + sig + " to pid " + std::to_string(pid));
  }

 private:
  static std::string signal_name(std::string_view action, const Json& params) {
    if (action == "stop") return "STOP";
    if (action == "cont") return "CONT";
    std::string s = params.value("signal", std::string(action == "kill" ? "KILL" : "TERM"));
    return s.rfind("SIG", 0) == 0 ? s.substr(3) : s;
  }
  static Status resolve(const Json& params, pid_t& pid) {
    if (params.contains("pid")) {
      pid = params["pid"].get<pid_t>();
    } else if (params.contains("pidfile")) {
      const std::string file = params["pidfile"].get<std::string>();
      std::string why;
      const long long v = read_pid_file(file, why);
      if (!why.empty()) return Status::failure(why);
      pid = static_cast<pid_t>(v);
    } else {
      const std::string name = params.value("program", std::string());
      const auto pids = pids_of_program(name);
      if (pids.size() != 1) {
        return Status::failure("program " + name + ": expected exactly one running process, found " +
                               std::to_string(pids.size()));
      }
      pid = pids[0];
    }
    if (pid <= 1 || pid == ::getpid()) {
      return Status::failure("refusing to signal pid " + std::to_string(pid));
    }
    return Status::success();
  }
};

}  // namespace

bool pid_running(int pid) { return running(pid); }

long long read_pid_file(const std::string& file, std::string& why) {
  auto text = sim::read_input_file(file, "pid file", 4096);
  if (const auto* d = std::get_if<sim::Diagnostic>(&text)) {
    why = d->to_string();
    return 0;
  }
  std::istringstream in(std::get<std::string>(text));
  long long v = 0;
  if (!(in >> v)) why = file + ": expected a process id, found none";
  return v;
}

void register_process_drivers(DriverRegistry& registry) {
  registry.add(std::make_unique<CommandDriver>());
  registry.add(std::make_unique<ProcessDriver>());
}

void register_builtin_drivers(DriverRegistry& registry) {
  register_net_drivers(registry);
  register_process_drivers(registry);
  register_network_drivers(registry);
  register_db_drivers(registry);
  register_lb_drivers(registry);
}

}  // namespace firedrill::live
