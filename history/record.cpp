#include "history/record.hpp"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include <nlohmann/json.hpp>

#include "sim/hash.hpp"

namespace firedrill::history {

using nlohmann::json;
using nlohmann::ordered_json;

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

Provenance current_provenance(std::string command, std::string variant) {
  Provenance p;
  p.recorded_at = utc_now_iso8601();
  p.command = std::move(command);
  p.variant = std::move(variant);
  char buf[4096];
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(::geteuid(), &pw, buf, sizeof buf, &found) == 0 && found != nullptr) {
    p.user = found->pw_name;
  } else if (const char* u = std::getenv("USER"); u != nullptr && *u != '\0') {
    p.user = u;
  } else {
    p.user = "uid " + std::to_string(::geteuid());
  }
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) p.host = host;
  return p;
}

namespace {

// A number or null from j[key]; absent counts as null.
ordered_json number_or_null(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return nullptr;
  return j.at(key).get<double>();
}

// The fields every cell has: disaster, service, disruption, target.
ordered_json cell_head(const json& o) {
  ordered_json c;
  c["disaster"] = o.at("disaster");
  c["service"] = o.at("service");
  c["disruption"] = o.at("disruption");
  const json& t = o.at("target");
  c["target"] = {{"rto_s", t.at("rto_s")}, {"rpo_s", t.at("rpo_s")}, {"inferred", t.value("inferred", false)}};
  return c;
}

ordered_json run_cell(const json& o) {
  ordered_json c = cell_head(o);
  c["rto_s"] = number_or_null(o.at("achieved"), "rto_s");
  c["rpo_s"] = number_or_null(o.at("achieved"), "rpo_s");
  c["lost_writes"] = number_or_null(o.at("achieved"), "lost_writes");
  c["met"] = o.at("met").get<bool>();
  return c;
}

ordered_json sweep_cell(const json& o) {
  ordered_json c = cell_head(o);
  const json& a = o.at("achieved");
  c["rto_s"] = number_or_null(a.at("rto_s"), "p95");
  c["rpo_s"] = number_or_null(a.at("rpo_s"), "p95");
  c["lost_writes"] = number_or_null(a.at("lost_writes"), "p95");
  c["rto_p50_s"] = number_or_null(a.at("rto_s"), "p50");
  c["rpo_p50_s"] = number_or_null(a.at("rpo_s"), "p50");
  c["not_recovered"] = a.at("rto_s").at("not_recovered");
  const double p_miss = o.at("p_miss").at("any").at("p").get<double>();
  c["p_miss"] = p_miss;
  c["met"] = p_miss == 0.0;
  return c;
}

json parse_result(const std::string& result_json) {
  json j = json::parse(result_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    throw HistoryError("expected a firedrill result (JSON object), found text that is not JSON");
  }
  if (j.value("schema", "") != "firedrill.result/1") {
    throw HistoryError("expected a result with \"schema\": \"firedrill.result/1\", found " +
                       (j.contains("schema") ? j.at("schema").dump() : std::string("none")));
  }
  const std::string kind = j.value("kind", "");
  if (kind != "run" && kind != "sweep" && kind != "live") {
    throw HistoryError("expected a result of kind run, sweep or live, found \"" + kind + "\"");
  }
  return j;
}

}  // namespace

std::string summarise_result(const std::string& result_json) {
  const json j = parse_result(result_json);
  try {
    const bool sweep = j.at("kind") == "sweep";
    ordered_json cells = ordered_json::array();
    int met = 0, missed = 0;
    for (const auto& o : j.at("outcomes")) {
      cells.push_back(sweep ? sweep_cell(o) : run_cell(o));
      (cells.back().at("met").get<bool>() ? met : missed) += 1;
    }
    return ordered_json{{"met", met}, {"missed", missed}, {"cells", cells}}.dump();
  } catch (const json::exception& e) {
    throw HistoryError(std::string("malformed result: ") + e.what());
  }
}

RecordContent content_from_result(const std::string& result_json, const Provenance& p) {
  const json j = parse_result(result_json);
  RecordContent c;
  try {
    c.kind = j.at("kind").get<std::string>();
    const json& s = j.at("scenario");
    c.scenario_name = s.at("name").get<std::string>();
    c.scenario_file = s.value("file", "");
    c.scenario_sha256 = s.value("sha256", "");
    c.variant = s.value("variant", p.variant);
    c.seed = j.at("seed").get<std::uint64_t>();
    c.trials = j.at("trials").get<std::uint64_t>();
    c.firedrill_version = j.at("versions").at("firedrill").get<std::string>();
    c.command = p.command.empty() ? j.value("command", "") : p.command;
  } catch (const json::exception& e) {
    throw HistoryError(std::string("malformed result: ") + e.what());
  }
  c.recorded_at = p.recorded_at;
  c.user = p.user;
  c.host = p.host;
  c.summary_json = summarise_result(result_json);
  c.result_json = result_json;
  return c;
}

std::string canonical_text(const Record& r) {
  // Length-prefixed fields: unambiguous for any bytes, independent of JSON formatting.
  std::string out;
  auto field = [&out](const char* name, const std::string& value) {
    out += name;
    out += ' ';
    out += std::to_string(value.size());
    out += '\n';
    out += value;
    out += '\n';
  };
  field("schema", kHistorySchema);
  field("id", std::to_string(r.id));
  field("kind", r.kind);
  field("recorded_at", r.recorded_at);
  field("user", r.user);
  field("host", r.host);
  field("scenario_name", r.scenario_name);
  field("scenario_file", r.scenario_file);
  field("scenario_sha256", r.scenario_sha256);
  field("variant", r.variant);
  field("seed", std::to_string(r.seed));
  field("trials", std::to_string(r.trials));
  field("firedrill_version", r.firedrill_version);
  field("command", r.command);
  field("summary", r.summary_json);
  field("result", r.result_json);
  field("prev_hash", r.prev_hash);
  return out;
}

std::string record_hash(const Record& r) { return sim::sha256_hex(canonical_text(r)); }

ChainVerifier::ChainVerifier(std::string known_head) : known_head_(std::move(known_head)) {
  if (!known_head_.empty() &&
      (known_head_.size() < 12 || known_head_.size() > 64 ||
       known_head_.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    throw HistoryError("--head: expected 12 to 64 lower-case hex digits of a record hash, found \"" +
                       known_head_ + "\"");
  }
}

void ChainVerifier::add(const Record& r) {
  ++report_.records;
  if (r.id != expected_id_) {
    const std::int64_t first = expected_id_, last = r.id - 1;
    report_.problems.push_back(
        {r.id, r.id > expected_id_
                   ? "ids jump from " + std::to_string(first - 1) + " to " + std::to_string(r.id) +
                         ": record " + std::to_string(first) +
                         (last > first ? "-" + std::to_string(last) : std::string()) + " removed"
                   : "id " + std::to_string(r.id) + " out of order (expected " +
                         std::to_string(expected_id_) + ")"});
  }
  if (r.prev_hash != report_.head_hash) {
    report_.problems.push_back(
        {r.id, "previous record removed or changed: prev_hash " + r.prev_hash.substr(0, 12) +
                   " does not match the hash " +
                   (report_.head_hash.empty() ? std::string("(none, first record)")
                                              : report_.head_hash.substr(0, 12)) +
                   " of the record before it"});
  }
  const std::string actual = record_hash(r);
  if (actual != r.hash) {
    report_.problems.push_back({r.id, "content changed: its fields hash to " + actual.substr(0, 12) +
                                          ", the record says " + r.hash.substr(0, 12)});
  }
  if (!known_head_.empty() && r.hash.compare(0, known_head_.size(), known_head_) == 0) {
    known_head_seen_ = true;
  }
  expected_id_ = r.id + 1;
  report_.head_hash = r.hash;
}

ChainReport ChainVerifier::finish() const {
  ChainReport report = report_;
  if (!known_head_.empty() && !known_head_seen_) {
    report.problems.push_back({0, "no record has the head hash " + known_head_.substr(0, 12) +
                                      ": records were removed from the end, or changed"});
  }
  return report;
}

ChainReport verify_chain(const std::vector<Record>& records, const std::string& known_head) {
  ChainVerifier v(known_head);
  for (const Record& r : records) v.add(r);
  return v.finish();
}

}  // namespace firedrill::history
