// The network driver: degradation and drops inside a named network namespace, through the
// iproute2 and iptables programs (`ip netns exec NAME tc ...`, `ip netns exec NAME iptables ...`).
// It never acts outside a namespace the bindings name: a namespace that does not exist, or that
// is the host's own (the one of pid 1), is refused. Each fault plans its exact undo: a qdisc it
// adds is deleted (`tc qdisc del dev D root`, only while a qdisc of that kind is there), a rule
// it inserts is deleted by the same rule (`iptables -D`, only while `iptables -C` finds it), so
// undoing twice, or undoing what never reached the kernel, does nothing.
#include <sys/stat.h>

#include <cmath>
#include <regex>

#include "live/drivers_internal.hpp"
#include "sim/units.hpp"

namespace firedrill::live {

namespace {

constexpr const char* kQdiscActions[] = {"delay", "loss", "corrupt", "rate"};

bool is_qdisc_action(std::string_view a) {
  for (const char* x : kQdiscActions) {
    if (a == x) return true;
  }
  return a == "qdisc-del";
}

std::string found(const Json& params, const char* key) {
  const auto it = params.find(key);
  return it == params.end() ? std::string("nothing") : it->dump();
}

// A duration as tc writes it: "150ms", "2500us".
std::string tc_time(double seconds) {
  const long long us = std::llround(seconds * 1e6);
  return us % 1000 == 0 ? std::to_string(us / 1000) + "ms" : std::to_string(us) + "us";
}

std::string tc_percent(double p) {
  std::string s = std::to_string(p);
  while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) s.pop_back();
  return s + "%";
}

std::string check_duration(const Json& params, const char* key, bool required) {
  const auto it = params.find(key);
  if (it == params.end() && !required) return "";
  if (it != params.end() && it->is_string()) {
    if (const auto s = sim::parse_duration(it->get<std::string>()); s && *s >= 0 && *s <= 3600) return "";
  }
  return std::string("/") + key + ": expected a duration like \"100ms\" (at most 1h), found " +
         found(params, key);
}

std::string check_percent(const Json& params, const char* key) {
  const auto it = params.find(key);
  if (it != params.end() && it->is_number() && *it > 0 && *it <= 100) return "";
  return std::string("/") + key + ": expected a percentage above 0 and at most 100, found " +
         found(params, key);
}

std::string check_rate(const Json& params, const char* key, bool required) {
  static const std::regex rate(R"(^[0-9]+(\.[0-9]+)?(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)$)");
  const auto it = params.find(key);
  if (it == params.end() && !required) return "";
  if (it != params.end() && it->is_string() && std::regex_match(it->get<std::string>(), rate)) return "";
  return std::string("/") + key + ": expected a tc rate like \"1mbit\" or \"64kbit\", found " +
         found(params, key);
}

// The tc arguments after `qdisc add dev D root`.
std::vector<std::string> qdisc_spec(std::string_view action, const Json& p) {
  if (action == "rate") {
    return {"tbf", "rate", p["rate"].get<std::string>(), "burst", p.value("burst", std::string("32kbit")),
            "latency", tc_time(*sim::parse_duration(p.value("latency", std::string("400ms"))))};
  }
  std::vector<std::string> spec{"netem"};
  if (action == "delay") {
    spec.insert(spec.end(), {"delay", tc_time(*sim::parse_duration(p["delay"].get<std::string>()))});
    if (p.contains("jitter")) spec.push_back(tc_time(*sim::parse_duration(p["jitter"].get<std::string>())));
  } else {
    spec.insert(spec.end(), {std::string(action), tc_percent(p["percent"].get<double>())});
  }
  return spec;
}

std::string qdisc_kind(std::string_view action) { return action == "rate" ? "tbf" : "netem"; }

// The iptables rule after the chain: [-p P] [--dport N] [-s|-d HOST] -j TARGET.
std::vector<std::string> rule_spec(const Json& p, const std::string& target) {
  std::vector<std::string> spec;
  const bool output = p.value("chain", std::string("INPUT")) == "OUTPUT";
  if (p.contains("port") || p.contains("protocol")) {
    spec.insert(spec.end(), {"-p", p.value("protocol", std::string("tcp"))});
  }
  if (p.contains("port")) spec.insert(spec.end(), {"--dport", std::to_string(p["port"].get<int>())});
  if (p.contains("host")) spec.insert(spec.end(), {output ? "-d" : "-s", p["host"].get<std::string>()});
  spec.insert(spec.end(), {"-j", target});
  return spec;
}

std::string rule_target(std::string_view action, const Json& p) {
  if (action == "drop") return "DROP";
  if (action == "reject") return "REJECT";
  return p.value("target", std::string());
}

std::string joined(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

std::vector<std::string> in_netns(const Json& p, std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"ip", "netns", "exec", p["netns"].get<std::string>()});
  return argv;
}

// Whether `name` is a namespace we may act in: it exists under /run/netns and is not the
// namespace of pid 1 (the host's). "" when it is, else why not.
std::string refuse_netns(const std::string& name) {
  struct stat ns {}, host {};
  const std::string path = "/run/netns/" + name;
  if (::stat(path.c_str(), &ns) != 0) {
    return "network namespace " + name + " does not exist (no " + path + "; see `ip netns list`)";
  }
  if (::stat("/proc/1/ns/net", &host) == 0 && ns.st_dev == host.st_dev && ns.st_ino == host.st_ino) {
    return "network namespace " + name + " is the host's own namespace: refusing to act outside a drill namespace";
  }
  return "";
}

class NetworkDriver final : public Driver {
 public:
  [[nodiscard]] std::string name() const override { return "network"; }
  [[nodiscard]] std::vector<std::string> actions() const override {
    return {"delay", "loss", "corrupt", "rate", "drop", "reject", "qdisc-del", "rule-del"};
  }
  [[nodiscard]] bool can_probe() const override { return false; }
  [[nodiscard]] bool undoes_itself(std::string_view action) const override {
    return action != "qdisc-del" && action != "rule-del";
  }

  [[nodiscard]] std::string check(std::string_view action, const Json& params) const override {
    static const std::regex name_re(R"(^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$)");
    const auto ns = params.find("netns");
    if (ns == params.end() || !ns->is_string() || !std::regex_match(ns->get<std::string>(), name_re)) {
      return "/netns: expected the name of the drill's network namespace (letters, digits, . _ -), "
             "found " + found(params, "netns");
    }
    if (auto e = check_timeout(params); !e.empty()) return e;
    if (action.empty()) return "";  // a component's target: the namespace; the faults say the rest
    if (is_qdisc_action(action)) {
      if (auto e = expect_string(params, "device", "a network device inside the namespace, like \"veth1\"");
          !e.empty()) {
        return e;
      }
      if (action == "delay") {
        if (auto e = check_duration(params, "delay", true); !e.empty()) return e;
        return check_duration(params, "jitter", false);
      }
      if (action == "loss" || action == "corrupt") return check_percent(params, "percent");
      if (action == "rate") {
        if (auto e = check_rate(params, "rate", true); !e.empty()) return e;
        if (auto e = check_rate(params, "burst", false); !e.empty()) return e;
        return check_duration(params, "latency", false);
      }
      const auto kind = params.find("kind");  // qdisc-del
      if (kind == params.end() || (*kind != "netem" && *kind != "tbf")) {
        return "/kind: expected the qdisc kind to delete, \"netem\" or \"tbf\", found " + found(params, "kind");
      }
      return "";
    }
    if (const auto it = params.find("chain"); it != params.end() && *it != "INPUT" && *it != "OUTPUT") {
      return "/chain: expected \"INPUT\" or \"OUTPUT\", found " + it->dump();
    }
    if (!params.contains("port") && !params.contains("host")) {
      return "/port: expected a port, a host or both to block, found neither";
    }
    if (const auto it = params.find("port");
        it != params.end() && (!it->is_number_integer() || *it < 1 || *it > 65535)) {
      return "/port: expected a port number 1-65535, found " + it->dump();
    }
    if (const auto it = params.find("protocol"); it != params.end() && *it != "tcp" && *it != "udp") {
      return "/protocol: expected \"tcp\" or \"udp\", found " + it->dump();
    }
    static const std::regex host_re(R"(^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$)");
    if (const auto it = params.find("host");
        it != params.end() && (!it->is_string() || !std::regex_match(it->get<std::string>(), host_re))) {
      return "/host: expected an IPv4 address or network like \"10.0.0.2\" or \"10.0.0.0/24\", found " +
             it->dump();
    }
    if (action == "rule-del" && params.value("target", std::string()) != "DROP" &&
        params.value("target", std::string()) != "REJECT") {
      return "/target: expected \"DROP\" or \"REJECT\", found " + found(params, "target");
    }
    return "";
  }

  [[nodiscard]] std::string describe(std::string_view action, const Json& params) const override {
    return "in network namespace " + params.value("netns", std::string("?")) + ": " +
           joined(command(action, params));
  }

  Status plan(std::string_view action, const Json& params, Planned& out) const override {
    if (auto why = refuse_netns(params["netns"].get<std::string>()); !why.empty()) return Status::failure(why);
    out.params = params;
    out.undo = nullptr;
    Json undo_params{{"netns", params["netns"]}};
    if (action == "qdisc-del" || action == "rule-del") return Status::success();
    if (is_qdisc_action(action)) {
      undo_params["device"] = params["device"];
      undo_params["kind"] = qdisc_kind(action);
      out.undo = {{"driver", "network"}, {"action", "qdisc-del"}, {"params", undo_params}};
    } else {
      for (const char* k : {"chain", "protocol", "port", "host"}) {
        if (params.contains(k)) undo_params[k] = params[k];
      }
      undo_params["target"] = rule_target(action, params);
      out.undo = {{"driver", "network"}, {"action", "rule-del"}, {"params", undo_params}};
    }
    return Status::success();
  }

  Status act(std::string_view action, const Json& params, const Context& ctx) const override {
    if (auto why = refuse_netns(params["netns"].get<std::string>()); !why.empty()) return Status::failure(why);
    const auto timeout = timeout_of(params, "10s");
    if (action == "qdisc-del") {  // only while the kind we added is the root qdisc
      const Status shown = run_program(in_netns(params, {"tc", "qdisc", "show", "dev", params["device"].get<std::string>(), "root"}),
                                       Json::object(), "", timeout, 0, ctx);
      if (!shown.ok) return shown;
      if (shown.detail.find(": qdisc " + params["kind"].get<std::string>() + " ") == std::string::npos) {
        return Status::success("no " + params["kind"].get<std::string>() + " qdisc on " +
                               params["device"].get<std::string>() + ": nothing to undo");
      }
    } else if (action == "rule-del") {  // only while the rule is there
      auto probe = command(action, params);
      probe[1] = "-C";
      if (!run_program(in_netns(params, probe), Json::object(), "", timeout, 0, ctx).ok) {
        return Status::success("no rule `" + joined(probe) + "`: nothing to undo");
      }
    }
    const auto argv = command(action, params);
    const Status st = run_program(in_netns(params, argv), Json::object(), "", timeout, 0, ctx);
    if (!st.ok) return st;
    if (undoes_itself(action)) return Status::success("done");  // the line already shows the command
    return Status::success("in " + params["netns"].get<std::string>() + ": " + joined(argv));
  }

 private:
  // The command run inside the namespace (without `ip netns exec NAME`).
  static std::vector<std::string> command(std::string_view action, const Json& p) {
    if (is_qdisc_action(action)) {
      const std::string dev = p.value("device", std::string("?"));
      if (action == "qdisc-del") return {"tc", "qdisc", "del", "dev", dev, "root"};
      std::vector<std::string> argv{"tc", "qdisc", "add", "dev", dev, "root"};
      for (auto& a : qdisc_spec(action, p)) argv.push_back(std::move(a));
      return argv;
    }
    std::vector<std::string> argv{"iptables", action == "rule-del" ? "-D" : "-I",
                                  p.value("chain", std::string("INPUT"))};
    for (auto& a : rule_spec(p, rule_target(action, p))) argv.push_back(std::move(a));
    return argv;
  }
};

}  // namespace

void register_network_drivers(DriverRegistry& registry) {
  registry.add(std::make_unique<NetworkDriver>());
}

}  // namespace firedrill::live
