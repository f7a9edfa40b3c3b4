// The network driver's input checks, commands and refusals, without touching any namespace
// (the real thing: tests/live/netns_test.sh).
#include <doctest/doctest.h>

#include "live/driver.hpp"

using namespace firedrill;
using nlohmann::json;

namespace {

const live::Driver& network(live::DriverRegistry& registry) {
  live::register_builtin_drivers(registry);
  const live::Driver* d = registry.find("network");
  REQUIRE_MESSAGE(d != nullptr, "the network driver is registered");
  return *d;
}

}  // namespace

TEST_CASE("live: the network driver checks its params (expected vs found)") {
  live::DriverRegistry registry;
  const live::Driver& d = network(registry);
  CHECK(d.check("drop", {{"netns", "drill1"}, {"port", 8080}}) == "");
  CHECK(d.check("delay", {{"netns", "drill1"}, {"device", "veth1"}, {"delay", "100ms"}, {"jitter", "10ms"}}) == "");
  CHECK(d.check("", {{"netns", "drill1"}}) == "");
  CHECK(d.check("drop", {{"port", 8080}}).starts_with("/netns: expected the name of the drill's network namespace"));
  CHECK(d.check("drop", {{"netns", "../x"}, {"port", 8080}}).ends_with("found \"../x\""));
  CHECK(d.check("drop", {{"netns", "n"}}) == "/port: expected a port, a host or both to block, found neither");
  CHECK(d.check("drop", {{"netns", "n"}, {"port", 70000}}) == "/port: expected a port number 1-65535, found 70000");
  CHECK(d.check("reject", {{"netns", "n"}, {"host", "example.com"}}).starts_with("/host: expected an IPv4 address"));
  CHECK(d.check("drop", {{"netns", "n"}, {"port", 1}, {"chain", "FORWARD"}}) ==
        "/chain: expected \"INPUT\" or \"OUTPUT\", found \"FORWARD\"");
  CHECK(d.check("loss", {{"netns", "n"}, {"device", "eth0"}, {"percent", 0}}) ==
        "/percent: expected a percentage above 0 and at most 100, found 0");
  CHECK(d.check("delay", {{"netns", "n"}, {"device", "eth0"}, {"delay", "soon"}}) ==
        "/delay: expected a duration like \"100ms\" (at most 1h), found \"soon\"");
  CHECK(d.check("rate", {{"netns", "n"}, {"device", "eth0"}, {"rate", "fast"}}) ==
        "/rate: expected a tc rate like \"1mbit\" or \"64kbit\", found \"fast\"");
  CHECK(d.check("delay", {{"netns", "n"}, {"delay", "1s"}}).starts_with("/device: expected a network device"));
}

TEST_CASE("live: the network driver describes the exact command inside the namespace") {
  live::DriverRegistry registry;
  const live::Driver& d = network(registry);
  CHECK(d.describe("drop", {{"netns", "n1"}, {"port", 8080}}) ==
        "in network namespace n1: iptables -I INPUT -p tcp --dport 8080 -j DROP");
  CHECK(d.describe("reject", {{"netns", "n1"}, {"host", "10.0.0.0/24"}, {"chain", "OUTPUT"}}) ==
        "in network namespace n1: iptables -I OUTPUT -d 10.0.0.0/24 -j REJECT");
  CHECK(d.describe("delay", {{"netns", "n1"}, {"device", "eth0"}, {"delay", "1.5s"}, {"jitter", "0.25ms"}}) ==
        "in network namespace n1: tc qdisc add dev eth0 root netem delay 1500ms 250us");
  CHECK(d.describe("loss", {{"netns", "n1"}, {"device", "eth0"}, {"percent", 2.5}}) ==
        "in network namespace n1: tc qdisc add dev eth0 root netem loss 2.5%");
  CHECK(d.describe("rate", {{"netns", "n1"}, {"device", "eth0"}, {"rate", "1mbit"}}) ==
        "in network namespace n1: tc qdisc add dev eth0 root tbf rate 1mbit burst 32kbit latency 400ms");
  CHECK(d.describe("rule-del", {{"netns", "n1"}, {"port", 80}, {"target", "DROP"}}) ==
        "in network namespace n1: iptables -D INPUT -p tcp --dport 80 -j DROP");
  CHECK(d.undoes_itself("drop"));
  CHECK_FALSE(d.undoes_itself("rule-del"));
}

TEST_CASE("live: the network driver refuses a namespace that does not exist before planning an undo") {
  live::DriverRegistry registry;
  const live::Driver& d = network(registry);
  live::Planned plan;
  const live::Status st = d.plan("drop", {{"netns", "firedrill-no-such-ns"}, {"port", 8080}}, plan);
  CHECK_FALSE(st.ok);
  CHECK(st.detail.find("network namespace firedrill-no-such-ns does not exist") != std::string::npos);
  const live::Status act = d.act("drop", {{"netns", "firedrill-no-such-ns"}, {"port", 8080}}, live::Context{});
  CHECK_FALSE(act.ok);
}
