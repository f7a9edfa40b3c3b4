// Live mode without touching anything real: bindings validation (each error with its JSON
// pointer), secret references and redaction, the journal and its recovery, the command driver.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "live/bindings.hpp"
#include "live/driver.hpp"
#include "live/executor.hpp"
#include "live/journal.hpp"
#include "live/secrets.hpp"
#include "models/register.hpp"
#include "sim/loader.hpp"

using namespace firedrill;
using nlohmann::json;

namespace {

const char* kScenario = R"({
  "format": "firedrill.scenario/1",
  "name": "live-unit",
  "providers": [{"name": "local", "kind": "on-prem", "regions": [{"name": "r1", "zones": ["z1"]}]}],
  "components": [
    {"name": "web", "kind": "compute", "zones": ["z1"], "autoscaling": false},
    {"name": "ops", "kind": "team", "people": 1}
  ],
  "services": [{"name": "website", "depends": ["web"], "targets": {"default": {"rto": "1m", "rpo": "0s"}}}],
  "runbooks": [{"name": "restart-web", "team": "ops", "trigger": "alert", "steps": [
    {"id": "restart", "title": "Restart", "kind": "automated", "duration": "5s", "action": {"repair": "web"}},
    {"id": "check", "title": "Look at it", "kind": "manual", "duration": "1m", "after": ["restart"]}]}],
  "disasters": [{"name": "web-crash", "class": "component",
    "faults": [{"kind": "component_crash", "target": "web", "at": "0s"}], "runbooks": ["restart-web"]}]
})";

const sim::Scenario& scenario() {
  static const sim::Scenario s = [] {
    sim::ModelRegistry models;
    models::register_builtin_models(models);
    sim::Loaded l = sim::load_scenario_text(kScenario, "live-unit.json", models);
    REQUIRE_MESSAGE(l.scenario.has_value(), l.diagnostics.to_string());
    return *l.scenario;
  }();
  return s;
}

json good_bindings() {
  return json::parse(R"({
    "format": "firedrill.bindings/1",
    "components": {"web": {"driver": "process", "params": {"pidfile": "/run/web.pid"}}},
    "services": {"website": {"probe": {"driver": "http", "params": {"url": "http://127.0.0.1:8080/health"},
                                       "interval": "500ms", "passes": 2}}},
    "faults": {"web-crash": [{"action": "kill",
       "undo": {"driver": "command", "action": "run",
                "params": {"argv": ["systemctl", "start", "web"], "env": {"TOKEN": {"env": "LIVE_TEST_SECRET"}}}}}]},
    "steps": {"restart-web/restart": {"driver": "command", "action": "run",
       "params": {"argv": ["deploy", "--token", {"env": "LIVE_TEST_SECRET"}]}}},
    "guards": [{"name": "api", "driver": "tcp", "params": {"host": "127.0.0.1", "port": 5432}, "failures": 3}]
  })");
}

live::DriverRegistry& drivers() {
  static live::DriverRegistry r = [] {
    live::DriverRegistry d;
    live::register_builtin_drivers(d);
    return d;
  }();
  return r;
}

live::LoadedBindings load(const json& j, const std::string& file = "b.json") {
  return live::load_bindings_text(j.dump(2), file, scenario(), drivers());
}

// The single diagnostic of loading `j`, which must be exactly one.
sim::Diagnostic only_error(const json& j) {
  const auto l = load(j);
  REQUIRE_MESSAGE(l.diagnostics.size() == 1, l.diagnostics.to_string());
  CHECK_FALSE(l.bindings.has_value());
  return l.diagnostics.items()[0];
}

}  // namespace

TEST_CASE("live: a good bindings file loads, faults merged over their component") {
  const auto l = load(good_bindings());
  REQUIRE_MESSAGE(l.bindings.has_value(), l.diagnostics.to_string());
  const live::Bindings& b = *l.bindings;
  REQUIRE(b.faults.at("web-crash").size() == 1);
  const live::Call& kill = b.faults.at("web-crash")[0];
  CHECK(kill.driver == "process");
  CHECK(kill.action == "kill");
  CHECK(kill.params.at("pidfile") == "/run/web.pid");
  CHECK(kill.undo.at("driver") == "command");
  CHECK(b.probes.at("website").passes == 2);
  CHECK(b.probes.at("website").interval_s == doctest::Approx(0.5));
  CHECK(b.guards.at(0).failures == 3);
  CHECK(live::check_drill(b, scenario(), scenario().disasters[0]).empty());
}

TEST_CASE("live: the same bindings as YAML") {
  const std::string yaml = R"(format: firedrill.bindings/1
components:
  web: {driver: process, params: {program: web-server}}
services:
  website:
    probe: {driver: tcp, params: {host: 127.0.0.1, port: 8080}}
faults:
  web-crash:
    - {action: stop}
steps:
  restart-web/restart: {driver: command, action: run, params: {shell: "systemctl restart web"}}
)";
  const auto l = live::load_bindings_text(yaml, "b.yaml", scenario(), drivers());
  REQUIRE_MESSAGE(l.bindings.has_value(), l.diagnostics.to_string());
  CHECK(l.bindings->faults.at("web-crash")[0].undo.is_null());  // stop undoes itself (SIGCONT)
}

TEST_CASE("live: each bindings error names its JSON pointer, expected and found") {
  SUBCASE("a component the scenario does not have") {
    json j = good_bindings();
    j["components"]["webb"] = j["components"]["web"];
    const auto d = only_error(j);
    CHECK(d.pointer == "/components/webb");
    CHECK(d.hint.find("\"web\"") != std::string::npos);
    CHECK(d.line > 0);
  }
  SUBCASE("an unknown driver lists the known ones") {
    json j = good_bindings();
    j["components"]["web"]["driver"] = "proces";
    const auto l = load(j);
    REQUIRE_FALSE(l.diagnostics.empty());
    const auto& d = l.diagnostics.items()[0];
    CHECK(d.pointer == "/components/web/driver");
    CHECK(d.expected.find("command, haproxy, http, network, postgres, process, tcp") != std::string::npos);
    CHECK(d.found == "\"proces\"");
  }
  SUBCASE("an action the driver does not have") {
    json j = good_bindings();
    j["faults"]["web-crash"][0]["action"] = "explode";
    const auto d = only_error(j);
    CHECK(d.pointer == "/faults/web-crash/0/action");
    CHECK(d.expected.find("kill, stop") != std::string::npos);
  }
  SUBCASE("a kill without an undo") {
    json j = good_bindings();
    j["faults"]["web-crash"][0].erase("undo");
    const auto d = only_error(j);
    CHECK(d.pointer == "/faults/web-crash/0/undo");
    CHECK(d.found == "nothing");
  }
  SUBCASE("one binding per fault") {
    json j = good_bindings();
    j["faults"]["web-crash"].push_back(j["faults"]["web-crash"][0]);
    const auto d = only_error(j);
    CHECK(d.pointer == "/faults/web-crash");
    CHECK(d.expected.find("a list of 1 fault bindings") != std::string::npos);
  }
  SUBCASE("a driver's own parameter check") {
    json j = good_bindings();
    j["services"]["website"]["probe"]["params"]["url"] = "https://x";
    const auto d = only_error(j);
    CHECK(d.pointer == "/services/website/probe/params/url");
    CHECK(d.found == "\"https://x\"");
  }
  SUBCASE("a step the scenario does not have") {
    json j = good_bindings();
    j["steps"]["restart-web/nope"] = j["steps"]["restart-web/restart"];
    const auto d = only_error(j);
    CHECK(d.pointer == "/steps/restart-web~1nope");
  }
  SUBCASE("a disaster the scenario does not have") {
    json j = good_bindings();
    j["faults"]["web-crahs"] = j["faults"]["web-crash"];
    CHECK(only_error(j).pointer == "/faults/web-crahs");
  }
  SUBCASE("a probe interval that is no duration") {
    json j = good_bindings();
    j["services"]["website"]["probe"]["interval"] = "often";
    CHECK(only_error(j).pointer == "/services/website/probe/interval");
  }
  SUBCASE("a guard with an unknown driver") {
    json j = good_bindings();
    j["guards"][0] = {{"driver", "nosuch"}};
    CHECK(only_error(j).pointer == "/guards/0/driver");
  }
  SUBCASE("the format") {
    json j = good_bindings();
    j["format"] = "firedrill.bindings/9";
    CHECK(only_error(j).pointer == "/format");
  }
  SUBCASE("a command with neither argv nor shell") {
    json j = good_bindings();
    j["steps"]["restart-web/restart"]["params"] = json::object();
    CHECK(only_error(j).pointer == "/steps/restart-web~1restart/params/argv");
  }
  SUBCASE("a syntax error has line and column") {
    const auto l = live::load_bindings_text("{\n  \"format\": ,\n}", "b.json", scenario(), drivers());
    REQUIRE_FALSE(l.diagnostics.empty());
    CHECK(l.diagnostics.items()[0].line == 2);
  }
}

TEST_CASE("live: postgres and haproxy bindings, and a service's write workload") {
  const auto with_workload = [](const json& params) {
    json j = good_bindings();
    j["services"]["website"]["workload"] = {{"driver", "postgres"}, {"params", params}};
    return j;
  };
  const json wl = {{"dsn", "host=127.0.0.1 port=5432 dbname=app user=app"},
                   {"password", {{"env", "LIVE_TEST_PG"}}},
                   {"table", "firedrill_orders"},
                   {"rate", "100/s"},
                   {"also", {"host=10.0.0.1 dbname=app"}}};
  SUBCASE("a good workload loads") {
    const auto l = load(with_workload(wl));
    REQUIRE_MESSAGE(l.bindings.has_value(), l.diagnostics.to_string());
    CHECK(l.bindings->workloads.at("website").action == "workload");
  }
  SUBCASE("a workload needs a driver that writes") {
    json j = with_workload(wl);
    j["services"]["website"]["workload"]["driver"] = "http";
    const auto d = only_error(j);
    CHECK(d.pointer == "/services/website/workload/driver");
    CHECK(d.expected.find("write workload") != std::string::npos);
  }
  SUBCASE("a workload's table, rate and password are checked") {
    json bad = wl;
    bad["table"] = "Orders; DROP";
    CHECK(only_error(with_workload(bad)).pointer == "/services/website/workload/params/table");
    bad = wl;
    bad["rate"] = "fast";
    CHECK(only_error(with_workload(bad)).pointer == "/services/website/workload/params/rate");
    bad = wl;
    bad["password"] = "hunter2";
    const auto d = only_error(with_workload(bad));
    CHECK(d.pointer == "/services/website/workload/params/password");
    CHECK(d.found.find("hunter2") == std::string::npos);
  }
  SUBCASE("postgres server actions need the data directory, as plain text") {
    json j = good_bindings();
    j["faults"]["web-crash"][0] = {{"driver", "postgres"}, {"action", "kill"}, {"params", json::object()}};
    CHECK(only_error(j).pointer == "/faults/web-crash/0/params/data_dir");
    j["faults"]["web-crash"][0]["params"]["data_dir"] = {{"env", "X"}};
    CHECK(only_error(j).pointer == "/faults/web-crash/0/params/data_dir");
    j["faults"]["web-crash"][0]["params"]["data_dir"] = "/var/lib/postgresql/15/main";
    const auto l = load(j);  // kill undoes itself (pg_ctl start)
    REQUIRE_MESSAGE(l.bindings.has_value(), l.diagnostics.to_string());
  }
  SUBCASE("haproxy: a socket or host and port, a backend and a server") {
    json j = good_bindings();
    j["steps"]["restart-web/restart"] = {{"driver", "haproxy"}, {"action", "disable"},
                                         {"params", {{"socket", "/run/haproxy.sock"}, {"backend", "pg"}}}};
    CHECK(only_error(j).pointer == "/steps/restart-web~1restart/params/server");
    j["steps"]["restart-web/restart"]["params"]["server"] = "pg1";
    j["steps"]["restart-web/restart"]["params"]["host"] = "127.0.0.1";
    CHECK(only_error(j).pointer == "/steps/restart-web~1restart/params/socket");
  }
  SUBCASE("descriptions show references and mask a password in a dsn") {
    const live::Driver* pg = drivers().find("postgres");
    const std::string text = pg->describe("", {{"dsn", "host=h password=hunter2 dbname=app"}});
    CHECK(text.find("hunter2") == std::string::npos);
    CHECK(text.find("password=***") != std::string::npos);
    CHECK(pg->describe("", {{"dsn", "postgresql://app:hunter2@h/app"}}).find("hunter2") == std::string::npos);
    CHECK(pg->describe("workload", wl).find("<secret") == std::string::npos);  // the password is not shown at all
    CHECK(pg->describe("", {{"dsn", {{"env", "PG_DSN"}}}}).find("<secret env:PG_DSN>") != std::string::npos);
    const live::Driver* hap = drivers().find("haproxy");
    CHECK(hap->describe("disable", {{"socket", "/s"}, {"backend", "b"}, {"server", "s1"}}) ==
          "set server b/s1 state maint (/s)");
  }
  SUBCASE("the undo of a workload keeps secret references, never values") {
    const live::Driver* pg = drivers().find("postgres");
    live::Planned plan;
    REQUIRE(pg->plan("workload", wl, plan).ok);
    CHECK(plan.undo["action"] == "drop_table");
    CHECK(plan.undo["params"]["password"] == json{{"env", "LIVE_TEST_PG"}});
    const live::Driver* hap = drivers().find("haproxy");
    REQUIRE(hap->plan("disable", {{"socket", "/s"}, {"backend", "b"}, {"server", "s1"}}, plan).ok);
    CHECK(plan.undo["action"] == "enable");
  }
}

TEST_CASE("live: the drill is refused while a fault, automated step or probe is unbound") {
  json j = good_bindings();
  j.erase("steps");
  j["services"].erase("website");
  j.erase("faults");
  const auto l = load(j);
  REQUIRE_MESSAGE(l.bindings.has_value(), l.diagnostics.to_string());
  const auto missing = live::check_drill(*l.bindings, scenario(), scenario().disasters[0]);
  std::vector<std::string> pointers;
  for (const auto& d : missing.items()) pointers.push_back(d.pointer);
  // The manual step "check" needs no binding.
  CHECK(pointers == std::vector<std::string>{"/faults/web-crash", "/steps/restart-web~1restart",
                                             "/services/website/probe"});
}

TEST_CASE("live: secrets resolve from env and file, and are redacted everywhere") {
  ::setenv("LIVE_TEST_SECRET", "hunter2-xyz", 1);
  live::Redactor r;
  const json resolved = r.resolve({{"argv", {"deploy", json{{"env", "LIVE_TEST_SECRET"}}}}});
  CHECK(resolved["argv"][1] == "hunter2-xyz");
  CHECK(r.redact("token hunter2-xyz twice hunter2-xyz") == "token *** twice ***");

  const auto file = std::filesystem::temp_directory_path() / ("live-secret-" + std::to_string(::getpid()));
  std::ofstream(file) << "from-a-file\n";
  CHECK(r.resolve(json{{"file", file.string()}}) == "from-a-file");
  CHECK(r.redact("x from-a-file y") == "x *** y");
  std::filesystem::remove(file);

  ::unsetenv("LIVE_TEST_UNSET");
  try {
    r.resolve(json{{"env", "LIVE_TEST_UNSET"}});
    FAIL("an unset variable must throw");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("env:LIVE_TEST_UNSET") != std::string::npos);
  }
  CHECK(live::show_refs(json{{"x", json{{"env", "A"}}}})["x"] == "<secret env:A>");
  CHECK_FALSE(live::is_secret_ref(json{{"env", json{{"A", "b"}}}}));  // a command's env object
}

TEST_CASE("live: the dry run shows secrets as references, never their values") {
  ::setenv("LIVE_TEST_SECRET", "hunter2-xyz", 1);
  const auto l = load(good_bindings());
  REQUIRE(l.bindings.has_value());
  std::string text;
  live::describe_drill(scenario(), scenario().disasters[0], *l.bindings, drivers(),
                       [&](const std::string& line) { text += line + "\n"; });
  CHECK(text.find("hunter2-xyz") == std::string::npos);
  CHECK(text.find("<secret env:LIVE_TEST_SECRET>") != std::string::npos);
  CHECK(text.find("send SIGKILL to the pid in /run/web.pid") != std::string::npos);
  CHECK(text.find("manual step restart-web/check") != std::string::npos);
}

namespace {

// A driver that touches nothing and counts its actions; "fail" fails.
struct Counting final : live::Driver {
  mutable std::vector<std::string> done;
  std::string name() const override { return "counting"; }
  std::vector<std::string> actions() const override { return {"ok", "fail"}; }
  bool can_probe() const override { return false; }
  std::string check(std::string_view, const json&) const override { return ""; }
  std::string describe(std::string_view a, const json&) const override { return std::string(a); }
  live::Status act(std::string_view a, const json& p, const live::Context&) const override {
    done.push_back(std::string(a) + ":" + p.value("tag", std::string()));
    return a == "ok" ? live::Status::success() : live::Status::failure("it failed");
  }
};

std::string temp_journal_dir() {
  return (std::filesystem::temp_directory_path() / ("live-journal-" + live::new_run_id())).string();
}

json undo_call(const std::string& action, const std::string& tag) {
  return {{"driver", "counting"}, {"action", action}, {"params", {{"tag", tag}}}};
}

}  // namespace

TEST_CASE("live: journal lines are recorded, a failed undo does not stop the others, recover is idempotent") {
  const std::string dir = temp_journal_dir();
  {
    live::Journal j = live::Journal::create(dir, {{"run_id", "t"}});
    j.record_action("fault a", "a", undo_call("ok", "a"));
    j.record_action("fault b", "b", undo_call("fail", "b"));
    const int c = j.record_action("fault c", "c", undo_call("ok", "c"));
    j.record_action("step s", "s", json());
    j.mark(c, "failed");  // c never happened: nothing to undo
  }
  live::DriverRegistry reg;
  auto counting = std::make_unique<Counting>();
  Counting* seen = counting.get();
  reg.add(std::move(counting));
  std::vector<std::string> said;
  const auto say = [&](const std::string& l) { said.push_back(l); };

  CHECK(live::recover(dir, reg, say) == 3);  // b's undo failed
  CHECK(seen->done == std::vector<std::string>{"fail:b", "ok:a"});  // newest first, a still ran
  const auto entries = live::Journal::open(dir).entries();
  REQUIRE(entries.size() == 4);
  CHECK(entries[0].undone);
  CHECK_FALSE(entries[1].undone);
  CHECK(entries[2].failed);
  CHECK(entries[3].undone);

  seen->done.clear();
  CHECK(live::recover(dir, reg, say) == 3);  // only b is tried again
  CHECK(seen->done == std::vector<std::string>{"fail:b"});

  // A line cut short by a crash at the end is ignored.
  {
    std::ofstream(dir + "/journal.jsonl", std::ios::app) << R"({"type":"undone","id":2})" "\n{\"type\":\"act";
  }
  seen->done.clear();
  CHECK(live::recover(dir, reg, say) == 0);
  CHECK(seen->done.empty());
  CHECK(said.back().find("nothing to undo") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("live: recover of a directory that holds no journal is an input error") {
  live::DriverRegistry reg;
  CHECK(live::recover("/nonexistent/journal", reg, [](const std::string&) {}) == 2);
}

TEST_CASE("live: the command driver bounds the program's time and reports its exit") {
  const live::Driver* cmd = drivers().find("command");
  REQUIRE(cmd != nullptr);
  const auto start = std::chrono::steady_clock::now();
  const auto slow = cmd->act("run", {{"argv", {"sleep", "20"}}, {"timeout", "300ms"}}, {});
  CHECK_FALSE(slow.ok);
  CHECK(slow.detail.find("timed out") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));

  const auto fails = cmd->act("run", {{"shell", "echo out; exit 4"}}, {});
  CHECK_FALSE(fails.ok);
  CHECK(fails.detail.find("exited 4") != std::string::npos);
  CHECK(fails.detail.find("out") != std::string::npos);

  const auto missing = cmd->act("run", {{"argv", {"/nonexistent/program"}}}, {});
  CHECK_FALSE(missing.ok);
  CHECK(missing.detail.find("cannot run") != std::string::npos);

  const auto big = cmd->act("run", {{"shell", "head -c 100000 /dev/zero | tr '\\\\0' x"}}, {});
  CHECK(big.ok);
  CHECK(big.detail.size() < 2200);
}

TEST_CASE("live: the process driver refuses pid 1 and reports a missing pidfile") {
  const live::Driver* proc = drivers().find("process");
  live::Planned plan;
  CHECK_FALSE(proc->plan("kill", {{"pid", 1}}, plan).ok);
  CHECK(proc->check("kill", {{"pid", 1}}).find("/pid") == 0);
  const auto st = proc->plan("kill", {{"pidfile", "/nonexistent/x.pid"}}, plan);
  CHECK_FALSE(st.ok);
  CHECK(st.detail.find("/nonexistent/x.pid") != std::string::npos);
}

TEST_CASE("live: a drill whose runbook has a fallback is refused, not run as one more step") {
  json text = json::parse(kScenario);
  json& steps = text["runbooks"][0]["steps"];
  steps[0]["requires"] = {"web"};
  steps.push_back({{"id", "by-hand"}, {"kind", "manual"}, {"duration", "5m"},
                   {"fallback_for", "restart"}});
  sim::ModelRegistry models;
  models::register_builtin_models(models);
  const sim::Loaded s = sim::load_scenario_text(text.dump(), "fb.json", models);
  REQUIRE_MESSAGE(s.scenario.has_value(), s.diagnostics.to_string());
  const auto l = live::load_bindings_text(good_bindings().dump(), "b.json", *s.scenario, drivers());
  REQUIRE_MESSAGE(l.bindings.has_value(), l.diagnostics.to_string());
  const auto refused = live::check_drill(*l.bindings, *s.scenario, s.scenario->disasters[0]);
  REQUIRE(refused.size() == 1);
  const sim::Diagnostic& d = refused.items()[0];
  CHECK(d.file == "fb.json");
  CHECK(d.pointer == "/runbooks/0/steps/2/fallback_for");
  CHECK(d.expected ==
        "no fallback step in a live drill (the live executor checks no precondition)");
}
