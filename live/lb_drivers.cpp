// The haproxy driver: HAProxy's runtime API over its stats socket (a unix socket, or TCP when
// it is exposed on host:port). `disable` puts a server in maintenance and `enable` makes it
// ready again (`set server BACKEND/SERVER state maint|ready`), each the other's undo; the
// probe reads the server's state from `show servers state BACKEND`.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>

#include "live/drivers_internal.hpp"

namespace firedrill::live {

namespace {

using Clock = std::chrono::steady_clock;

int connect_unix(const std::string& path, std::string& err) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) {
    err = path + ": the socket path is too long";
    return -1;
  }
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    err = "connect to " + path + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

// Sends one command and reads the answer until HAProxy closes the connection.
Status runtime_command(const Json& params, const std::string& command, std::string& answer) {
  const auto deadline = Clock::now() + timeout_of(params, "5s");
  std::string err;
  const std::string where = params.contains("socket")
                                ? params["socket"].get<std::string>()
                                : params.value("host", std::string()) + ":" +
                                      std::to_string(params.value("port", 0));
  Fd fd(params.contains("socket")
            ? connect_unix(params["socket"].get<std::string>(), err)
            : connect_before(params.value("host", std::string()),
                             std::to_string(params.value("port", 0)), deadline, err));
  if (fd.get() < 0) return Status::failure("haproxy runtime API: " + err);
  const std::string line = command + "\n";
  std::size_t sent = 0;
  while (sent < line.size()) {
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, ms_left(deadline)) != 1) return Status::failure("haproxy " + where + ": send timed out");
    const ssize_t n = ::send(fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return Status::failure("haproxy " + where + ": send: " + std::strerror(errno));
    sent += static_cast<std::size_t>(n);
  }
  answer.clear();
  for (;;) {
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, ms_left(deadline)) != 1) return Status::failure("haproxy " + where + ": no answer in time");
    char buf[4096];
    const ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0) return Status::failure("haproxy " + where + ": recv: " + std::strerror(errno));
    if (n == 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
    if (answer.size() > (1 << 20)) return Status::failure("haproxy " + where + ": answer too long");
  }
  return Status::success();
}

std::string one_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  for (auto& c : s) {
    if (c == '\n') c = ' ';
  }
  return s;
}

// The server's srv_op_state and srv_admin_state from `show servers state BACKEND`.
Status server_state(const Json& params, int& op_state, int& admin_state) {
  const std::string backend = params["backend"].get<std::string>();
  const std::string server = params["server"].get<std::string>();
  std::string answer;
  if (Status st = runtime_command(params, "show servers state " + backend, answer); !st.ok) return st;
  std::istringstream in(answer);
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.empty()) continue;
    if (w[0] == "#") {
      header.assign(w.begin() + 1, w.end());
      continue;
    }
    if (header.empty() || w.size() < header.size()) continue;
    const auto col = [&](const char* name) -> std::string {
      for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return w[i];
      }
      return "";
    };
    if (col("be_name") != backend || col("srv_name") != server) continue;
    try {
      op_state = std::stoi(col("srv_op_state"));
      admin_state = std::stoi(col("srv_admin_state"));
    } catch (const std::exception&) {
      return Status::failure("haproxy: cannot read the state of " + backend + "/" + server);
    }
    return Status::success();
  }
  return Status::failure("haproxy: no server " + backend + "/" + server + " (" + one_line(answer) + ")");
}

class HaproxyDriver final : public Driver {
 public:
  [[nodiscard]] std::string name() const override { return "haproxy"; }
  [[nodiscard]] std::vector<std::string> actions() const override { return {"disable", "enable"}; }
  [[nodiscard]] bool undoes_itself(std::string_view) const override { return true; }
  [[nodiscard]] bool can_probe() const override { return true; }
  [[nodiscard]] std::string check(std::string_view, const Json& params) const override {
    if (params.contains("socket") == params.contains("host")) {
      return "/socket: expected either \"socket\" (the runtime API's unix socket) or \"host\" and "
             "\"port\", found " + std::string(params.contains("socket") ? "both" : "neither");
    }
    if (params.contains("socket")) {
      if (auto e = expect_string(params, "socket", "a unix socket path"); !e.empty()) return e;
    } else {
      if (auto e = expect_string(params, "host", "a host name or address"); !e.empty()) return e;
      const auto it = params.find("port");
      if (it == params.end() || !it->is_number_integer() || *it < 1 || *it > 65535) {
        return "/port: expected a port number 1-65535, found " +
               (it == params.end() ? std::string("nothing") : it->dump());
      }
    }
    for (const char* key : {"backend", "server"}) {
      const auto it = params.find(key);
      if (it == params.end() || !it->is_string() || it->get<std::string>().empty() ||
          it->get<std::string>().find_first_of(" /\n;") != std::string::npos) {
        return std::string("/") + key + ": expected a " + key + " name (no spaces, slashes or ;), found " +
               (it == params.end() ? std::string("nothing") : it->dump());
      }
    }
    return check_timeout(params);
  }
  [[nodiscard]] std::string describe(std::string_view action, const Json& params) const override {
    const std::string where = params.contains("socket")
                                  ? params.value("socket", std::string("?"))
                                  : params.value("host", std::string("?")) + ":" +
                                        std::to_string(params.value("port", 0));
    const std::string server = params.value("backend", std::string("?")) + "/" +
                               params.value("server", std::string("?"));
    if (action.empty()) return "check that HAProxy server " + server + " is ready (" + where + ")";
    return "set server " + server + " state " + (action == "disable" ? "maint" : "ready") + " (" + where + ")";
  }
  Status probe(const Json& params, const Context&) const override {
    int op = -1, admin = -1;
    if (Status st = server_state(params, op, admin); !st.ok) return st;
    const std::string state = "op_state " + std::to_string(op) + ", admin_state " + std::to_string(admin);
    // op_state 2: running; admin_state 0: neither in maintenance nor draining.
    if (op != 2 || admin != 0) return Status::failure("not ready: " + state);
    return Status::success("ready: " + state);
  }
  Status plan(std::string_view action, const Json& params, Planned& out) const override {
    out.params = params;
    Json undo_params = Json::object();
    for (const char* key : {"socket", "host", "port", "backend", "server", "timeout"}) {
      if (params.contains(key)) undo_params[key] = params[key];
    }
    out.undo = {{"driver", "haproxy"},
                {"action", action == "disable" ? "enable" : "disable"},
                {"params", undo_params}};
    return Status::success();
  }
  Status act(std::string_view action, const Json& params, const Context&) const override {
    const std::string server = params["backend"].get<std::string>() + "/" + params["server"].get<std::string>();
    const std::string command =
        "set server " + server + " state " + (action == "disable" ? "maint" : "ready");
    std::string answer;
    if (Status st = runtime_command(params, command, answer); !st.ok) return st;
    if (!one_line(answer).empty()) return Status::failure("haproxy: " + command + ": " + one_line(answer));
    return Status::success(command);
  }
};

}  // namespace

void register_lb_drivers(DriverRegistry& registry) { registry.add(std::make_unique<HaproxyDriver>()); }

}  // namespace firedrill::live
