// The http and tcp probes: plain POSIX sockets, every wait bounded by the probe's timeout.
// Also the socket helpers the other drivers share (drivers_internal.hpp).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "live/driver.hpp"
#include "live/drivers_internal.hpp"

namespace firedrill::live {

using Clock = std::chrono::steady_clock;

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

int ms_left(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

int connect_before(const std::string& host, const std::string& port, Clock::time_point deadline,
                   std::string& err) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list); rc != 0) {
    err = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return -1;
  }
  err = "no address for " + host;
  int result = -1;
  for (addrinfo* a = list; a != nullptr && result < 0; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
      err = "connect to " + host + ":" + port + ": " + std::strerror(errno);
      ::close(fd);
      continue;
    }
    pollfd p{fd, POLLOUT, 0};
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (::poll(&p, 1, ms_left(deadline)) != 1) {
      err = "connect to " + host + ":" + port + ": timed out";
    } else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) {
      err = "connect to " + host + ":" + port + ": " + std::strerror(so_error);
    } else {
      result = fd;
      continue;
    }
    ::close(fd);
  }
  ::freeaddrinfo(list);
  return result;
}

namespace {

struct Url {
  std::string host, port = "80", path = "/";
};

bool parse_url(const std::string& text, Url& url) {
  const std::string scheme = "http://";
  if (text.rfind(scheme, 0) != 0) return false;
  std::string rest = text.substr(scheme.size());
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    url.path = rest.substr(slash);
    rest = rest.substr(0, slash);
  }
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']') == std::string::npos) {
    url.port = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  url.host = rest;
  if (url.host.size() > 2 && url.host.front() == '[') url.host = url.host.substr(1, url.host.size() - 2);
  return !url.host.empty() && !url.port.empty();
}

class HttpDriver final : public Driver {
 public:
  [[nodiscard]] std::string name() const override { return "http"; }
  [[nodiscard]] std::vector<std::string> actions() const override { return {}; }
  [[nodiscard]] bool can_probe() const override { return true; }
  [[nodiscard]] std::string check(std::string_view, const Json& params) const override {
    if (const auto it = params.find("url"); it != params.end() && it->is_string()) {
      Url u;
      if (!parse_url(it->get<std::string>(), u)) {
        return "/url: expected a url like \"http://127.0.0.1:8080/health\" (plain http), found " +
               it->dump();
      }
    } else if (it == params.end() || !is_secret_ref(*it)) {
      return expect_string(params, "url", "a url like \"http://127.0.0.1:8080/health\"");
    }
    if (auto e = check_timeout(params); !e.empty()) return e;
    if (const auto it = params.find("status"); it != params.end() && !it->is_number_integer()) {
      return "/status: expected an http status code like 200, found " + it->dump();
    }
    return "";
  }
  [[nodiscard]] std::string describe(std::string_view, const Json& params) const override {
    return "GET " + show_refs(params).value("url", std::string("?")) + " expecting status " +
           std::to_string(params.value("status", 200));
  }
  Status probe(const Json& params, const Context&) const override {
    Url u;
    if (!parse_url(params.value("url", std::string()), u)) return Status::failure("bad url");
    const auto deadline = Clock::now() + timeout_of(params);
    std::string err;
    Fd fd(connect_before(u.host, u.port, deadline, err));
    if (fd.get() < 0) return Status::failure(err);
    const std::string request = "GET " + u.path + " HTTP/1.0\r\nHost: " + u.host +
                                "\r\nConnection: close\r\nUser-Agent: firedrill-live\r\n\r\n";
    std::size_t sent = 0;
    while (sent < request.size()) {
      pollfd p{fd.get(), POLLOUT, 0};
      if (::poll(&p, 1, ms_left(deadline)) != 1) return Status::failure("send timed out");
      const ssize_t n = ::send(fd.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return Status::failure(std::string("send: ") + std::strerror(errno));
      sent += static_cast<std::size_t>(n);
    }
    std::string head;
    while (head.find("\r\n") == std::string::npos && head.size() < 4096) {
      pollfd p{fd.get(), POLLIN, 0};
      if (::poll(&p, 1, ms_left(deadline)) != 1) return Status::failure("no response in time");
      char buf[1024];
      const ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
      if (n < 0) return Status::failure(std::string("recv: ") + std::strerror(errno));
      if (n == 0) break;
      head.append(buf, static_cast<std::size_t>(n));
    }
    const auto sp = head.find(' ');
    if (head.rfind("HTTP/", 0) != 0 || sp == std::string::npos) {
      return Status::failure("not an http response");
    }
    const int status = std::atoi(head.c_str() + sp + 1);
    const int want = params.value("status", 200);
    if (status != want) {
      return Status::failure("status " + std::to_string(status) + ", expected " + std::to_string(want));
    }
    return Status::success("status " + std::to_string(status));
  }
};

class TcpDriver final : public Driver {
 public:
  [[nodiscard]] std::string name() const override { return "tcp"; }
  [[nodiscard]] std::vector<std::string> actions() const override { return {}; }
  [[nodiscard]] bool can_probe() const override { return true; }
  [[nodiscard]] std::string check(std::string_view, const Json& params) const override {
    if (auto e = expect_string(params, "host", "a host name or address"); !e.empty()) return e;
    const auto it = params.find("port");
    if (it == params.end() || !it->is_number_integer() || *it < 1 || *it > 65535) {
      return "/port: expected a port number 1-65535, found " +
             (it == params.end() ? std::string("nothing") : it->dump());
    }
    return check_timeout(params);
  }
  [[nodiscard]] std::string describe(std::string_view, const Json& params) const override {
    return "connect to " + params.value("host", std::string("?")) + ":" +
           std::to_string(params.value("port", 0));
  }
  Status probe(const Json& params, const Context&) const override {
    std::string err;
    Fd fd(connect_before(params.at("host").get<std::string>(),
                         std::to_string(params.at("port").get<int>()),
                         Clock::now() + timeout_of(params), err));
    if (fd.get() < 0) return Status::failure(err);
    return Status::success("connected");
  }
};

}  // namespace

void register_net_drivers(DriverRegistry& registry) {
  registry.add(std::make_unique<HttpDriver>());
  registry.add(std::make_unique<TcpDriver>());
}

}  // namespace firedrill::live
