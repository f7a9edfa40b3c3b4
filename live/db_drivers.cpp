// The postgres driver (libpqxx and pg_ctl): an SQL probe, the server actions `stop` (pg_ctl
// stop, fast or immediate), `kill` (SIGKILL to the postmaster found in the data directory's
// postmaster.pid and to every process it started: the server crashes), `start` (their undo,
// idempotent), `promote` (pg_promote() on a standby; nothing to do on a primary), `drop_table`
// (the undo of a workload), and the write workload that measures RPO.
//
// Connection parameters come as a libpq connection string or URI in `dsn` (which may be a
// secret reference) plus an optional `password` (a secret reference); descriptions show the
// unresolved params with any password in a plain dsn masked. Server commands run as the
// `os_user` (default `postgres`) through runuser when we are root: PostgreSQL refuses root.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <regex>
#include <sstream>
#include <thread>

#include "live/drivers_internal.hpp"
#include "live/secrets.hpp"
#include "sim/units.hpp"

namespace firedrill::live {

namespace {

using Clock = std::chrono::steady_clock;

// The params an undo of a server action keeps: plain text only (check() refuses secrets), so
// they can sit in the journal as they are.
const std::vector<std::string> kServerKeys{"data_dir", "bin_dir", "os_user", "log", "options", "timeout"};
// The params of a workload's undo (drop_table); secret references stay references.
const std::vector<std::string> kDropKeys{"dsn", "password", "table", "also", "timeout"};

Json pick(const Json& params, const std::vector<std::string>& keys) {
  Json out = Json::object();
  for (const auto& k : keys) {
    if (params.contains(k)) out[k] = params[k];
  }
  return out;
}

bool is_uri(const std::string& dsn) {
  return dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0;
}

// A dsn as it may be printed: secret references as references, a password written in it masked.
std::string shown_dsn(const Json& params) {
  const Json shown = show_refs(pick(params, {"dsn"}));
  std::string dsn = shown.contains("dsn") && shown["dsn"].is_string() ? shown["dsn"].get<std::string>() : "?";
  dsn = std::regex_replace(dsn, std::regex(R"((password\s*=\s*)('[^']*'|\S+))"), "$1***");
  dsn = std::regex_replace(dsn, std::regex(R"(^(postgres(ql)?://[^:/@]*:)[^@]*@)"), "$1***@");
  return dsn;
}

std::string percent_encode(const std::string& s) {
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// The libpq connection string: the dsn plus the password and a connect timeout.
std::string conninfo(const Json& params) {
  std::string dsn = params.value("dsn", std::string());
  std::vector<std::pair<std::string, std::string>> extra;
  if (params.contains("password")) extra.emplace_back("password", params["password"].get<std::string>());
  if (dsn.find("connect_timeout") == std::string::npos) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout_of(params, "5s")).count();
    extra.emplace_back("connect_timeout", std::to_string(std::max<long long>(2, secs)));
  }
  for (const auto& [k, v] : extra) {
    if (is_uri(dsn)) {
      dsn += (dsn.find('?') == std::string::npos ? "?" : "&") + k + "=" + percent_encode(v);
    } else {
      std::string quoted;
      for (const char c : v) {
        if (c == '\'' || c == '\\') quoted += '\\';
        quoted += c;
      }
      dsn += " " + k + "='" + quoted + "'";
    }
  }
  return dsn;
}

// libpq's messages, one line.
std::string message_of(const std::exception& e) {
  std::string s = e.what();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

std::unique_ptr<pqxx::connection> connect(const Json& params) {
  auto c = std::make_unique<pqxx::connection>(conninfo(params));
  pqxx::nontransaction n(*c);
  n.exec("SET client_min_messages TO warning");
  const auto ms = timeout_of(params, "5s").count();
  n.exec("SET statement_timeout TO " + std::to_string(ms));
  return c;
}

// Connects like connect(), but waits (up to 30 s) for a server that is still starting up or
// replaying its WAL after a restart (an undo's `start` returns before the server accepts
// connections): undoing right after a restart must not fail on that.
std::unique_ptr<pqxx::connection> connect_when_ready(const Json& params) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    try {
      return connect(params);
    } catch (const pqxx::broken_connection& e) {
      const std::string m = e.what();
      const bool starting = m.find("starting up") != std::string::npos ||
                            m.find("not yet accepting connections") != std::string::npos;
      if (!starting || std::chrono::steady_clock::now() >= deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
}

bool in_recovery(pqxx::connection& c) {
  pqxx::nontransaction n(c);
  return n.exec("SELECT pg_is_in_recovery()")[0][0].as<bool>();
}

// The directory of pg_ctl: `bin_dir`, else the newest /usr/lib/postgresql/*/bin, else "" (PATH).
std::string bin_dir(const Json& params) {
  if (params.contains("bin_dir")) return params["bin_dir"].get<std::string>();
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string v = e.path().filename().string();
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) continue;
    if (!std::filesystem::exists(e.path() / "bin" / "pg_ctl")) continue;
    if (std::stoi(v) > best_version) {
      best_version = std::stoi(v);
      best = (e.path() / "bin").string();
    }
  }
  return best;
}

// pg_ctl ARGS..., as the os user when we are root.
std::vector<std::string> pg_ctl(const Json& params, std::vector<std::string> args) {
  std::vector<std::string> argv;
  if (::geteuid() == 0) argv = {"runuser", "-u", params.value("os_user", std::string("postgres")), "--"};
  const std::string dir = bin_dir(params);
  argv.push_back(dir.empty() ? "pg_ctl" : dir + "/pg_ctl");
  argv.push_back("-D");
  argv.push_back(params["data_dir"].get<std::string>());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string timeout_secs(const Json& params, const char* fallback) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(timeout_of(params, fallback)).count();
  return std::to_string(std::max<long long>(1, s));
}

Status run_pg_ctl(const Json& params, const std::vector<std::string>& args, const char* timeout,
                  const Context& ctx) {
  // pg_ctl gets its own -t; ours leaves it 10 s more to report.
  const auto limit = timeout_of(params, timeout) + std::chrono::seconds(10);
  return run_program(pg_ctl(params, args), Json::object(), "/", limit, 0, ctx);
}

// The postmaster's pid from the data directory's postmaster.pid, when it runs.
Status postmaster_pid(const Json& params, pid_t& pid) {
  const std::string file = params["data_dir"].get<std::string>() + "/postmaster.pid";
  std::string why;
  const long long v = read_pid_file(file, why);
  if (v <= 1) return Status::failure(file + ": no postmaster pid (is the server running?)");
  pid = static_cast<pid_t>(v);
  if (!pid_running(pid)) return Status::failure(file + ": the postmaster " + std::to_string(pid) + " is not running");
  return Status::success();
}

// The pids whose parent is `parent` (/proc/PID/stat, field 4).
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string dir = e.path().filename().string();
    if (dir.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string text;
    std::getline(stat, text);
    const auto paren = text.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream rest(text.substr(paren + 1));
    std::string state;
    long long ppid = 0;
    if (rest >> state >> ppid && ppid == parent) out.push_back(static_cast<pid_t>(std::stoll(dir)));
  }
  return out;
}

bool valid_table(const std::string& t) {
  return !t.empty() && t.size() <= 63 && std::regex_match(t, std::regex("[a-z_][a-z0-9_]*"));
}

class PgWorkload final : public Workload {
 public:
  explicit PgWorkload(Json params) : params_(std::move(params)), table_(params_["table"].get<std::string>()) {}
  Status setup() override {
    try {
      auto c = connect(params_);
      pqxx::nontransaction n(*c);
      if (!n.exec("SELECT to_regclass('" + table_ + "') IS NULL")[0][0].as<bool>()) {
        return Status::failure("table " + table_ +
                               " exists: the workload writes only to a table it creates (and drops)");
      }
      n.exec("CREATE TABLE " + table_ +
             " (seq bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT clock_timestamp())");
      return Status::success("created table " + table_);
    } catch (const std::exception& e) {
      return Status::failure("cannot create the workload table " + table_ + ": " + message_of(e));
    }
  }
  Status write(long long seq) override {
    try {
      if (!conn_) conn_ = connect(params_);
      pqxx::nontransaction n(*conn_);  // autocommit: the INSERT returned = its commit acknowledged
      n.exec_params("INSERT INTO " + table_ + " (seq) VALUES ($1)", seq);
      return Status::success();
    } catch (const std::exception& e) {
      conn_.reset();
      return Status::failure(message_of(e));
    }
  }
  Status read_back(std::vector<long long>& seqs) override {
    try {
      conn_.reset();
      auto c = connect(params_);
      pqxx::nontransaction n(*c);
      seqs.clear();
      for (const auto& row : n.exec("SELECT seq FROM " + table_ + " ORDER BY seq")) {
        seqs.push_back(row[0].as<long long>());
      }
      return Status::success(std::to_string(seqs.size()) + " rows");
    } catch (const std::exception& e) {
      return Status::failure("cannot read back " + table_ + ": " + message_of(e));
    }
  }

 private:
  Json params_;
  std::string table_;
  std::unique_ptr<pqxx::connection> conn_;
};

class PostgresDriver final : public Driver {
 public:
  [[nodiscard]] std::string name() const override { return "postgres"; }
  [[nodiscard]] std::vector<std::string> actions() const override {
    return {"stop", "kill", "start", "promote", "drop_table"};
  }
  [[nodiscard]] bool undoes_itself(std::string_view action) const override {
    return action == "stop" || action == "kill";
  }
  [[nodiscard]] bool can_probe() const override { return true; }
  [[nodiscard]] bool can_write() const override { return true; }

  [[nodiscard]] std::string check(std::string_view action, const Json& params) const override {
    const bool server = action == "stop" || action == "kill" || action == "start";
    if (action.empty() && !params.contains("dsn") && !params.contains("data_dir")) {
      return "/dsn: expected a libpq connection string (or a data_dir to check the server with "
             "pg_ctl status), found nothing";
    }
    if ((!action.empty() && !server) || params.contains("dsn")) {
      if (auto e = check_dsn(params); !e.empty()) return e;
    }
    if (server || params.contains("data_dir")) {
      if (auto e = expect_string(params, "data_dir", "the server's data directory"); !e.empty()) return e;
    }
    for (const auto& key : kServerKeys) {
      if (key == "timeout" || !params.contains(key)) continue;
      if (auto e = expect_string(params, key.c_str(), "plain text (no secret)"); !e.empty()) return e;
    }
    if (const auto it = params.find("password"); it != params.end() && !is_secret_ref(*it)) {
      return "/password: expected a secret reference like {\"env\": \"PGPASSWORD_STAGING\"}, found " +
             std::string(it->is_string() ? "a password written in the file" : it->dump());
    }
    if (const auto it = params.find("mode"); it != params.end() && *it != "fast" && *it != "immediate") {
      return "/mode: expected \"fast\" or \"immediate\", found " + it->dump();
    }
    if (const auto it = params.find("primary"); it != params.end() && !it->is_boolean()) {
      return "/primary: expected true or false, found " + it->dump();
    }
    if (const auto it = params.find("query"); it != params.end() && !it->is_string()) {
      return "/query: expected an SQL query, found " + it->dump();
    }
    if (action == "workload" || action == "drop_table" || params.contains("table")) {
      const auto it = params.find("table");
      if (it == params.end() || !it->is_string() || !valid_table(it->get<std::string>())) {
        return "/table: expected a new table's name (lower case letters, digits, _), found " +
               (it == params.end() ? std::string("nothing") : it->dump());
      }
    }
    if (const auto it = params.find("also"); it != params.end()) {
      if (!it->is_array()) return "/also: expected a list of connection strings, found " + it->dump();
      for (std::size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_string() && !is_secret_ref((*it)[i])) {
          return "/also/" + std::to_string(i) + ": expected a connection string, found " + (*it)[i].dump();
        }
      }
    }
    if (action == "workload" || params.contains("rate")) {
      const auto it = params.find("rate");
      const auto r = it != params.end() && it->is_string() ? sim::parse_rate(it->get<std::string>())
                                                           : std::nullopt;
      if (!r || *r <= 0 || *r > 5000) {
        return "/rate: expected a write rate from \"1/s\" to \"5000/s\", found " +
               (it == params.end() ? std::string("nothing") : it->dump());
      }
    }
    if (const auto it = params.find("warmup"); it != params.end()) {
      if (!it->is_string() || !sim::parse_duration(it->get<std::string>())) {
        return "/warmup: expected a duration like \"2s\", found " + it->dump();
      }
    }
    return check_timeout(params);
  }

  [[nodiscard]] std::string describe(std::string_view action, const Json& params) const override {
    const std::string data = params.value("data_dir", std::string("?"));
    const std::string table = params.value("table", std::string("?"));
    if (action.empty()) {
      if (!params.contains("dsn")) return "check that the server of " + data + " runs (pg_ctl status)";
      return "run " + params.value("query", std::string("SELECT 1")) + " on " + shown_dsn(params) +
             (params.value("primary", false) ? ", requiring a writable primary" : "");
    }
    if (action == "stop") return "pg_ctl stop -m " + params.value("mode", std::string("fast")) + " the server of " + data;
    if (action == "kill") return "SIGKILL the postmaster of " + data + " and every process it started";
    if (action == "start") return "pg_ctl start the server of " + data + " (if it is not running)";
    if (action == "promote") return "pg_promote() the standby at " + shown_dsn(params) + " (nothing if a primary)";
    std::string where = shown_dsn(params);
    if (params.contains("also")) {
      for (const auto& a : show_refs(params["also"])) {
        where += ", " + shown_dsn(Json{{"dsn", a}});
      }
    }
    if (action == "drop_table") return "DROP TABLE IF EXISTS " + table + " on " + where + " (primaries only)";
    return "write " + params.value("rate", std::string("?")) + " numbered rows to a new table " + table +
           " through " + shown_dsn(params) + " from " + params.value("warmup", std::string("2s")) +
           " before T0 until the end, then read back what survived; undo: drop " + table + " on " + where;
  }

  Status probe(const Json& params, const Context& ctx) const override {
    if (!params.contains("dsn")) return run_pg_ctl(params, {"status"}, "5s", ctx);
    try {
      auto c = connect(params);
      {
        pqxx::nontransaction n(*c);
        n.exec(params.value("query", std::string("SELECT 1")));
      }
      if (params.value("primary", false) && in_recovery(*c)) {
        return Status::failure("connected, but the server is a standby (in recovery)");
      }
      return Status::success("query ok");
    } catch (const std::exception& e) {
      return Status::failure(message_of(e));
    }
  }

  Status plan(std::string_view action, const Json& params, Planned& out) const override {
    out.params = params;
    out.undo = nullptr;
    if (action == "kill") {
      pid_t pid = 0;
      if (Status st = postmaster_pid(params, pid); !st.ok) return st;
      out.params["pid"] = pid;
    }
    if (action == "kill" || action == "stop") {
      out.undo = {{"driver", "postgres"}, {"action", "start"}, {"params", pick(params, kServerKeys)}};
    } else if (action == "workload") {
      out.undo = {{"driver", "postgres"}, {"action", "drop_table"}, {"params", pick(params, kDropKeys)}};
    }
    return Status::success();
  }

  Status act(std::string_view action, const Json& params, const Context& ctx) const override {
    if (action == "stop") {
      return run_pg_ctl(params, {"-m", params.value("mode", std::string("fast")), "-w", "-t",
                                 timeout_secs(params, "60s"), "stop"},
                        "60s", ctx);
    }
    if (action == "kill") return kill_server(params);
    if (action == "start") return start(params, ctx);
    if (action == "promote") return promote(params);
    if (action == "drop_table") return drop_table(params);
    return Driver::act(action, params, ctx);
  }

  [[nodiscard]] std::unique_ptr<Workload> workload(const Json& params) const override {
    return std::make_unique<PgWorkload>(params);
  }

 private:
  static std::string check_dsn(const Json& params) {
    const auto it = params.find("dsn");
    if (it != params.end() && is_secret_ref(*it)) return "";
    return expect_string(params, "dsn",
                         "a libpq connection string like \"host=10.0.0.9 port=5432 dbname=app user=app\"");
  }

  static Status kill_server(const Json& params) {
    pid_t pid = params.contains("pid") ? params["pid"].get<pid_t>() : 0;
    if (pid == 0) {
      if (Status st = postmaster_pid(params, pid); !st.ok) return st;
    }
    if (pid <= 1 || pid == ::getpid()) return Status::failure("refusing to signal pid " + std::to_string(pid));
    const auto children = children_of(pid);  // before the postmaster dies and they are reparented
    if (::kill(pid, SIGKILL) != 0) {
      return Status::failure("SIGKILL to the postmaster " + std::to_string(pid) + ": " + std::strerror(errno));
    }
    for (const pid_t c : children) ::kill(c, SIGKILL);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    const auto alive = [&] {
      if (pid_running(pid)) return true;
      return std::any_of(children.begin(), children.end(), [](pid_t c) { return pid_running(c); });
    };
    while (alive() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return Status::success("SIGKILL to the postmaster " + std::to_string(pid) + " and its " +
                           std::to_string(children.size()) + " processes");
  }

  static Status start(const Json& params, const Context& ctx) {
    pid_t pid = 0;
    if (postmaster_pid(params, pid).ok) return Status::success("already running (postmaster " + std::to_string(pid) + ")");
    // A killed postmaster may stay a zombie until its parent (often init) reaps it, and
    // PostgreSQL takes a zombie's pid in postmaster.pid for a running server: the lock file of
    // a postmaster that no longer runs is stale and goes.
    const std::string lock = params["data_dir"].get<std::string>() + "/postmaster.pid";
    std::error_code ec;
    if (std::filesystem::exists(lock, ec)) std::filesystem::remove(lock, ec);
    std::vector<std::string> args{"-w", "-t", timeout_secs(params, "60s")};
    if (params.contains("log")) args.insert(args.end(), {"-l", params["log"].get<std::string>()});
    if (params.contains("options")) args.insert(args.end(), {"-o", params["options"].get<std::string>()});
    args.push_back("start");
    // Processes of a killed postmaster may hold its shared memory for a moment: retry.
    const auto deadline = Clock::now() + timeout_of(params, "60s");
    for (;;) {
      Status st = run_pg_ctl(params, args, "60s", ctx);
      if (st.ok || Clock::now() > deadline || ctx.cancelled()) return st;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      if (postmaster_pid(params, pid).ok) return Status::success("running (postmaster " + std::to_string(pid) + ")");
    }
  }

  static Status promote(const Json& params) {
    try {
      auto c = connect(params);
      if (!in_recovery(*c)) return Status::success("already a primary: nothing to promote");
      const auto secs = timeout_secs(params, "60s");
      pqxx::nontransaction n(*c);
      n.exec("SET statement_timeout TO 0");
      if (!n.exec("SELECT pg_promote(true, " + secs + ")")[0][0].as<bool>()) {
        return Status::failure("pg_promote() did not finish within " + secs + "s");
      }
      return Status::success("promoted");
    } catch (const std::exception& e) {
      return Status::failure(message_of(e));
    }
  }

  static Status drop_table(const Json& params) {
    std::vector<std::string> dsns{params["dsn"].get<std::string>()};
    for (const auto& a : params.value("also", Json::array())) dsns.push_back(a.get<std::string>());
    const std::string table = params["table"].get<std::string>();
    std::string detail, errors, dsn_error;
    int dropped = 0;
    for (std::size_t i = 0; i < dsns.size(); ++i) {
      Json p = params;
      p["dsn"] = dsns[i];
      const std::string label = i == 0 ? "dsn" : "also[" + std::to_string(i - 1) + "]";
      try {
        auto c = connect_when_ready(p);
        if (in_recovery(*c)) {
          detail += label + ": a standby (the drop reaches it by replication); ";
          continue;
        }
        pqxx::nontransaction n(*c);
        // A primary whose synchronous standby is gone would wait for it forever.
        n.exec("SET synchronous_commit TO local");
        n.exec("DROP TABLE IF EXISTS " + table);
        detail += label + ": dropped; ";
        ++dropped;
      } catch (const std::exception& e) {
        (i == 0 ? dsn_error : errors) += label + ": " + message_of(e) + "; ";
      }
    }
    // The dsn may lead nowhere after a failover (a load balancer with no server ready): that is
    // fine when every server in `also` was reached and one of them was a primary.
    if (dsns.size() == 1 || dropped == 0) errors = dsn_error + errors;
    if (!errors.empty()) return Status::failure("drop " + table + ": " + errors + detail);
    if (!dsn_error.empty()) detail += dsn_error;
    return Status::success("drop " + table + ": " + detail);
  }
};

}  // namespace

void register_db_drivers(DriverRegistry& registry) { registry.add(std::make_unique<PostgresDriver>()); }

}  // namespace firedrill::live
