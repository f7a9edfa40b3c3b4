// Live drivers: the effectors and probes of live mode, behind one interface, looked up by name
// in a registry. Built-ins are registered by an explicit call (register_builtin_drivers).
//
// Every driver works on a params object (JSON) whose secret references have been resolved by
// the caller (live/secrets.hpp); `describe` gets the unresolved params and must not resolve.
// An action's undo is decided before the action runs (`plan`), so that the journal holds it
// before anything is touched. An undo record is {"driver", "action", "params"}: undoing is
// running that action (secret references in it are resolved again at undo time).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace firedrill::live {

using Json = nlohmann::json;

// The outcome of a probe or an action: ok, or not with a one-line detail.
struct Status {
  bool ok = false;
  std::string detail;
  static Status success(std::string d = "") { return {true, std::move(d)}; }
  static Status failure(std::string d) { return {false, std::move(d)}; }
};

// What the driver needs from its caller while it waits: whether to give up early.
struct Context {
  std::function<bool()> cancelled = [] { return false; };
};

// An action made ready to run: its params with every lookup done (a pidfile read into a pid),
// and its undo record (null: nothing to undo).
struct Planned {
  Json params;
  Json undo;
};

// A write workload (RPO measurement) through a service's data path: sequence-numbered,
// timestamped rows, one per write, each acknowledged when its commit returned. Used by one
// thread at a time.
class Workload {
 public:
  virtual ~Workload() = default;
  // Creates what the writes go to (a table the workload owns; refuses one that exists).
  virtual Status setup() = 0;
  // Writes row `seq`; ok when its commit was acknowledged. After a failure the next write
  // reconnects.
  virtual Status write(long long seq) = 0;
  // The sequence numbers present now.
  virtual Status read_back(std::vector<long long>& seqs) = 0;
};

class Driver {
 public:
  virtual ~Driver() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  // The actions it knows ("kill", "run", ...); empty for a probe-only driver.
  [[nodiscard]] virtual std::vector<std::string> actions() const = 0;
  [[nodiscard]] virtual bool can_probe() const = 0;
  // Whether `plan` gives the action its own undo (a SIGSTOP's SIGCONT); otherwise a fault
  // binding must name its undo (or "none").
  [[nodiscard]] virtual bool undoes_itself(std::string_view action) const { return false; }
  // Input check before the drill (params unresolved): "" when fine, else `expected ..., found ...`.
  [[nodiscard]] virtual std::string check(std::string_view action, const Json& params) const = 0;
  // One line for the dry run and the journal: what it would do to which target.
  [[nodiscard]] virtual std::string describe(std::string_view action, const Json& params) const = 0;
  virtual Status probe(const Json& params, const Context& ctx) const;
  virtual Status plan(std::string_view action, const Json& params, Planned& out) const;
  virtual Status act(std::string_view action, const Json& params, const Context& ctx) const;
  // Whether it can run a write workload; its params are checked by check("workload", ...),
  // described by describe("workload", ...), and plan("workload", unresolved params) gives the
  // undo that removes what the workload created.
  [[nodiscard]] virtual bool can_write() const { return false; }
  [[nodiscard]] virtual std::unique_ptr<Workload> workload(const Json& params) const { return nullptr; }
};

class DriverRegistry {
 public:
  void add(std::unique_ptr<Driver> driver);
  [[nodiscard]] const Driver* find(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  std::map<std::string, std::unique_ptr<Driver>, std::less<>> drivers_;
};

// http, tcp, command, process, network, postgres, haproxy.
void register_builtin_drivers(DriverRegistry& registry);

// "expected one of a, b, found "x"" helpers shared by the drivers' checks.
std::string expect_string(const Json& params, const char* key, const char* what);

}  // namespace firedrill::live
