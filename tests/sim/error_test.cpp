#include "sim/error.hpp"

#include <doctest/doctest.h>

using namespace firedrill::sim;

TEST_CASE("diagnostic text: file, position, pointer, expected, found, hint") {
  Diagnostic d{"scenarios/x.json", "/components/3/backup/interval", 12, 7,
               "a duration like \"24h\"", "-5", ""};
  CHECK(d.to_string() ==
        "scenarios/x.json:12:7: /components/3/backup/interval: expected a duration like \"24h\", "
        "found -5");
  d.line = 0;
  d.column = 0;
  CHECK(d.to_string() ==
        "scenarios/x.json: /components/3/backup/interval: expected a duration like \"24h\", "
        "found -5");
  d.hint = "did you mean \"db-primary\"?";
  CHECK(d.to_string() ==
        "scenarios/x.json: /components/3/backup/interval: expected a duration like \"24h\", "
        "found -5 (did you mean \"db-primary\"?)");
}

TEST_CASE("diagnostic text: whole document and free-form messages") {
  Diagnostic d;
  d.file = "a.json";
  d.line = 3;
  d.column = 1;
  d.expected = "an object";
  d.found = "an array of 2 items";
  CHECK(d.to_string() == "a.json:3:1: (document): expected an object, found an array of 2 items");

  Diagnostic message;
  message.file = "a.json";
  message.pointer = "/services/0";
  message.found = "hard dependencies form a cycle: api -> db -> api";
  CHECK(message.to_string() ==
        "a.json: /services/0: hard dependencies form a cycle: api -> db -> api");
  message.hint = "break one edge";
  CHECK(message.to_string() ==
        "a.json: /services/0: hard dependencies form a cycle: api -> db -> api (break one edge)");

  Diagnostic line_only;
  line_only.file = "b.json";
  line_only.line = 4;
  line_only.found = "syntax error";
  CHECK(line_only.to_string() == "b.json:4: (document): syntax error");
}

TEST_CASE("diagnostics: one per line") {
  Diagnostics all;
  CHECK(all.empty());
  CHECK(all.to_string().empty());
  all.add({"a.json", "/x", 0, 0, "a size like \"500GB\"", "true", ""});
  all.add({"b.json", "", 1, 2, "", "unexpected end of input", ""});
  CHECK(all.size() == 2);
  CHECK_FALSE(all.empty());
  CHECK(all.items()[1].file == "b.json");
  CHECK(all.to_string() ==
        "a.json: /x: expected a size like \"500GB\", found true\n"
        "b.json:1:2: (document): unexpected end of input\n");
}

TEST_CASE("json pointer tokens per RFC 6901") {
  CHECK(pointer_token("plain") == "plain");
  CHECK(pointer_token("a/b") == "a~1b");
  CHECK(pointer_token("m~n") == "m~0n");
  CHECK(pointer_token("~/") == "~0~1");
  CHECK(pointer_token("~1") == "~01");  // "~" first, so "~1" does not turn back into "/"
  CHECK(pointer_token("") == "");
  CHECK(pointer_join("", "components") == "/components");
  CHECK(pointer_join("/components", 3) == "/components/3");
  CHECK(pointer_join("/components/3", "a/b") == "/components/3/a~1b");
  CHECK(pointer_join("", "") == "/");
  CHECK(pointer_join(pointer_join("", "x"), std::size_t{0}) == "/x/0");
}

TEST_CASE("nearest_name") {
  const std::vector<std::string> names{"db-primary", "db-replica", "api", "load-balancer"};
  CHECK(nearest_name("db-primry", names) == "db-primary");
  CHECK(nearest_name("db-replika", names) == "db-replica");
  CHECK(nearest_name("apj", names) == "api");
  CHECK(nearest_name("ap", names) == "api");
  CHECK(nearest_name("api", names) == "api");
  CHECK(nearest_name("loadbalancr", names) == "load-balancer");  // distance 2 <= 11 / 3
  CHECK(nearest_name("banana", names) == "");
  CHECK(nearest_name("xyz", names) == "");  // distance 3 from "api": over max(2, 1)
  CHECK(nearest_name("anything", {}) == "");
  // A swap of two neighbouring characters is one edit: the swapped name wins a tie.
  CHECK(nearest_name("rop", {"rto", "rpo", "inferred", "note"}) == "rpo");
  CHECK(nearest_name("regoin", {"zone", "region", "provider"}) == "region");
  CHECK(nearest_name("rgeoin", {"region"}) == "region");  // two swaps: 4 edits before
  CHECK(nearest_name("abcdef", {"badcfe"}) == "");  // three swaps: over max(2, 6 / 3)
  // The limit grows with the length: 12 characters allow 4 edits.
  CHECK(nearest_name("abcdefghijkl", {"abcdefghijxy"}) == "abcdefghijxy");
  CHECK(nearest_name("abcdefghijkl", {"abcdefghxxxx"}) == "abcdefghxxxx");
  CHECK(nearest_name("abcdefghijkl", {"abcdefgxxxxx"}) == "");
  // Ties go to the first candidate.
  CHECK(nearest_name("ab", {"ax", "ay"}) == "ax");
  CHECK(nearest_name("kind", {"kinds", "mind", "kid"}) == "kinds");
}

TEST_CASE("diagnostics: a warning says so after its pointer") {
  Diagnostic d{"a.json", "/runbooks/0", 3, 5, "a runbook that can start", "\"rb\"", "add monitoring"};
  CHECK(d.to_string() == "a.json:3:5: /runbooks/0: expected a runbook that can start, found \"rb\" "
                         "(add monitoring)");
  d.warning = true;
  CHECK(d.to_string() == "a.json:3:5: /runbooks/0: warning: expected a runbook that can start, "
                         "found \"rb\" (add monitoring)");
}

TEST_CASE("error: control characters are escaped in every diagnostic, never printed raw") {
  CHECK(escape_control("plain-name") == "plain-name");
  CHECK(escape_control("a\x1b[31mb\n\t\x7f") == "a\\x1b[31mb\\x0a\\x09\\x7f");
  const Diagnostic d{"dir\x1b/s.json", "/components/0/name", 1, 2, "a name", "x", "known: a\x1b[31mb"};
  CHECK(d.to_string() == "dir\\x1b/s.json:1:2: /components/0/name: expected a name, found x (known: a\\x1b[31mb)");
}
