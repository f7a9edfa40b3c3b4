#include "apps/cmd_history.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <sstream>

#include "apps/table.hpp"
#include "history/store.hpp"
#include "history/trend.hpp"
#include "sim/error.hpp"
#include "sim/units.hpp"

namespace firedrill::apps {
namespace {

using nlohmann::ordered_json;

constexpr int kDone = 0, kBroken = 1, kInvalid = 2, kFailure = 3;
constexpr const char* kLocationHelp =
    "a SQLite file (PATH or sqlite:PATH) or postgresql://USER@HOST/DB (default: "
    "$FIREDRILL_HISTORY, else $XDG_DATA_HOME/firedrill/history.sqlite, else "
    "~/.local/share/firedrill/history.sqlite)";

std::string duration(const nlohmann::json& v) {
  return v.is_number() ? sim::format_duration(v.get<double>()) : std::string("not recovered");
}

std::string duration(const std::optional<double>& v) {
  return v ? sim::format_duration(*v) : std::string("not recovered");
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

// "2026-12-02T00:20:00Z" -> "2026-12-02 00:20:00"
std::string shown_time(std::string iso) {
  if (iso.size() == 20 && iso[10] == 'T' && iso.back() == 'Z') {
    iso[10] = ' ';
    iso.pop_back();
  }
  return iso;
}

nlohmann::json parsed_summary(const history::Record& r) {
  return nlohmann::json::parse(r.summary_json, nullptr, false);
}

std::string met_missed(const nlohmann::json& summary) {
  if (summary.is_discarded() || !summary.contains("met")) return "?";
  return summary.value("met", 0) == 0 && summary.value("missed", 0) == 0
             ? "-"
             : std::to_string(summary.value("met", 0)) + " met, " +
                   std::to_string(summary.value("missed", 0)) + " missed";
}

ordered_json record_json(const history::Record& r) {
  const auto summary = parsed_summary(r);
  return {{"id", r.id},
          {"recorded_at", r.recorded_at},
          {"kind", r.kind},
          {"user", r.user},
          {"host", r.host},
          {"scenario", {{"name", r.scenario_name}, {"file", r.scenario_file}, {"sha256", r.scenario_sha256}}},
          {"variant", r.variant},
          {"seed", r.seed},
          {"trials", r.trials},
          {"firedrill_version", r.firedrill_version},
          {"command", r.command},
          {"summary", summary.is_discarded() ? ordered_json(r.summary_json) : ordered_json(summary)},
          {"prev_hash", r.prev_hash},
          {"hash", r.hash}};
}

std::string target(const nlohmann::json& t, const char* key) {
  return duration(t.value(key, nlohmann::json())) + (t.value("inferred", false) ? "*" : "");
}

// "25%", "0.5%", "0%"
std::string percent(double p) {
  std::ostringstream o;
  o << std::setprecision(3) << p * 100 << "%";
  return o.str();
}

void print_summary_cells(std::ostream& out, const history::Record& r) {
  const auto summary = parsed_summary(r);
  if (summary.is_discarded() || !summary.contains("cells") || !summary.at("cells").is_array()) {
    out << "summary unreadable (see firedrill history verify)\n";
    return;
  }
  const bool sweep = r.kind == "sweep";
  std::vector<std::vector<std::string>> rows;
  if (sweep) {
    rows.push_back({"disaster", "service", "RTO target", "RTO p50", "RTO p95", "RPO target", "RPO p50",
                    "RPO p95", "not rec.", "P(miss)", "verdict"});
  } else {
    rows.push_back({"disaster", "service", "RTO target", "RTO", "RPO target", "RPO", "lost writes", "verdict"});
  }
  bool inferred = false;
  for (const auto& c : summary.at("cells")) {
    const auto t = c.value("target", nlohmann::json::object());
    inferred = inferred || t.value("inferred", false);
    const auto value = [&c](const char* key) { return duration(c.value(key, nlohmann::json())); };
    const std::string verdict = c.value("met", false) ? "met" : "MISSED";
    if (sweep) {
      rows.push_back({c.value("disaster", "?"), c.value("service", "?"), target(t, "rto_s"), value("rto_p50_s"),
                      value("rto_s"), target(t, "rpo_s"), value("rpo_p50_s"), value("rpo_s"),
                      std::to_string(c.value("not_recovered", 0)), percent(c.value("p_miss", 0.0)), verdict});
    } else {
      const auto lost = c.value("lost_writes", nlohmann::json());
      rows.push_back({c.value("disaster", "?"), c.value("service", "?"), target(t, "rto_s"), value("rto_s"),
                      target(t, "rpo_s"), value("rpo_s"),
                      lost.is_number() ? std::to_string(lost.get<long long>()) : "unknown", verdict});
    }
  }
  print_columns(out, rows);
  if (inferred) out << "* target inferred: the source document states none\n";
}

ordered_json optional_json(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

}  // namespace

void HistoryCli::add_recording_options(CLI::App& command) {
  command.add_option("--db", db_, std::string("the history to record the result in: ") + kLocationHelp);
  command.add_flag("--no-history", no_history_, "do not record the result in the history");
}

void HistoryCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand(
      "history", "recorded runs and sweeps: list, show, trend of a service, verify the hash chain");
  command_->require_subcommand(1);
  command_->fallthrough();
  command_->add_option("--db", db_, std::string("the history: ") + kLocationHelp);

  list_ = command_->add_subcommand("list", "one line per record, oldest first");
  list_->add_option("--scenario", scenario_, "only records of this scenario (its name)");
  list_->add_option("--limit", limit_, "only the most recent N records")->check(CLI::PositiveNumber);
  list_->add_flag("--json", json_, "print the records (without their full results) as JSON");

  show_ = command_->add_subcommand("show", "a record's metadata and summary");
  show_->add_option("id", id_, "the record's id (see history list)")->required()->check(CLI::PositiveNumber);
  show_->add_flag("--json", json_, "print the full stored result document instead");

  trend_ = command_->add_subcommand(
      "trend", "achieved RTO and RPO of a service across records, oldest first, against its targets");
  trend_->add_option("--service", service_, "the service")->required();
  trend_->add_option("--scenario", scenario_, "only records of this scenario (its name)");
  trend_->add_option("--disaster", disaster_, "only this disaster");
  trend_->add_flag("--json", json_, "print the points as JSON");

  verify_ = command_->add_subcommand(
      "verify", "check the hash chain: every record unchanged, none removed (exit 1 when broken)");
  verify_->add_option("--head", head_,
                      "a head hash printed by an earlier verify (at least 12 hex digits): it must "
                      "still be in the chain, which detects records removed from the end");
  verify_->add_flag("--json", json_, "print the verdict as JSON");
}

int HistoryCli::run() const {
  try {
    if (list_->parsed()) return list();
    if (show_->parsed()) return show();
    if (trend_->parsed()) return trend();
    if (verify_->parsed()) return verify();
    return kInvalid;
  } catch (const history::HistoryError& e) {
    std::cerr << "firedrill history: " << e.what() << "\n";
    return kInvalid;
  } catch (const std::exception& e) {
    std::cerr << "firedrill history: " << history::redact(e.what()) << "\n";
    return kFailure;
  }
}

int HistoryCli::list() const {
  auto store = history::open_store(db_, false);
  history::Query q;
  q.scenario = scenario_;
  q.limit = limit_;
  q.with_result = false;
  const auto records = store->records(q);
  if (json_) {
    ordered_json out = ordered_json::array();
    for (const auto& r : records) out.push_back(record_json(r));
    std::cout << out.dump(2) << "\n";
    return kDone;
  }
  if (records.empty()) {
    std::cout << "no records in " << store->location().shown()
              << (scenario_.empty() ? "" : " for scenario \"" + scenario_ + "\"") << "\n";
    return kDone;
  }
  std::vector<std::vector<std::string>> rows = {
      {"id", "recorded (UTC)", "kind", "scenario", "variant", "seed", "trials", "user", "targets"}};
  for (const auto& r : records) {
    rows.push_back({std::to_string(r.id), shown_time(r.recorded_at), r.kind, r.scenario_name,
                    or_dash(r.variant), std::to_string(r.seed), std::to_string(r.trials), r.user,
                    met_missed(parsed_summary(r))});
  }
  print_columns(std::cout, rows);
  return kDone;
}

int HistoryCli::show() const {
  auto store = history::open_store(db_, false);
  const history::Record r = store->get(id_);
  if (history::record_hash(r) != r.hash) {
    std::cerr << "firedrill history: warning: record " << r.id
              << " was changed after it was recorded (its content does not match its hash; "
                 "see history verify)\n";
  }
  if (json_) {
    std::cout << r.result_json;
    if (!r.result_json.empty() && r.result_json.back() != '\n') std::cout << "\n";
    return kDone;
  }
  std::cout << "record " << r.id << ": " << r.kind << " of " << shown_time(r.recorded_at) << " UTC by "
            << r.user << " on " << r.host << "\n"
            << "scenario  " << r.scenario_name << (r.variant.empty() ? "" : " (variant " + r.variant + ")")
            << ", " << r.scenario_file << ", sha256 " << r.scenario_sha256 << "\n"
            << "seed      " << r.seed << ", " << r.trials << (r.trials == 1 ? " trial" : " trials")
            << " per disaster, firedrill " << r.firedrill_version << "\n"
            << "command   " << r.command << "\n"
            << "hash      " << r.hash << "\n"
            << "previous  " << or_dash(r.prev_hash) << "\n\n";
  print_summary_cells(std::cout, r);
  return kDone;
}

int HistoryCli::trend() const {
  auto store = history::open_store(db_, false);
  const auto points = history::trend(*store, {service_, scenario_, disaster_});
  if (points.empty()) {
    const auto known = history::services_in(*store, scenario_);
    std::string list;
    for (const auto& s : known) list += (list.empty() ? "" : ", ") + s;
    const std::string near = sim::nearest_name(service_, known);
    std::cerr << "firedrill history trend: --service: expected a service of the recorded "
              << (scenario_.empty() ? "" : "\"" + scenario_ + "\" ") << "results ("
              << (list.empty() ? "none recorded" : list) << "), found \"" << service_ << "\""
              << (disaster_.empty() ? "" : " in disaster \"" + disaster_ + "\"")
              << (near.empty() ? "" : " (did you mean \"" + near + "\"?)") << "\n";
    return kInvalid;
  }
  if (json_) {
    ordered_json out = ordered_json::array();
    for (const auto& p : points) {
      ordered_json j = {{"record", p.record_id}, {"recorded_at", p.recorded_at}, {"kind", p.kind},
                        {"scenario", p.scenario}, {"variant", p.variant}, {"disaster", p.disaster},
                        {"disruption", p.disruption}, {"seed", p.seed}, {"trials", p.trials},
                        {"target", {{"rto_s", p.target_rto_s}, {"rpo_s", p.target_rpo_s}, {"inferred", p.target_inferred}}},
                        {"rto_s", optional_json(p.rto_s)}, {"rpo_s", optional_json(p.rpo_s)}};
      if (p.kind == "sweep") {
        j["statistic"] = "p95";
        j["rto_p50_s"] = optional_json(p.rto_p50_s);
        j["rpo_p50_s"] = optional_json(p.rpo_p50_s);
        j["not_recovered"] = p.not_recovered;
        j["p_miss"] = optional_json(p.p_miss);
      }
      j["met"] = p.met;
      out.push_back(std::move(j));
    }
    std::cout << out.dump(2) << "\n";
    return kDone;
  }
  std::cout << service_ << ": achieved RTO and RPO per record, oldest first (a sweep: p95 of its "
            << "recovered trials, P(miss) over all)\n\n";
  std::vector<std::vector<std::string>> rows = {{"id", "recorded (UTC)", "kind", "scenario", "variant",
                                                 "disaster", "RTO target", "RTO", "RPO target", "RPO",
                                                 "not rec.", "verdict"}};
  for (const auto& p : points) {
    const std::string star = p.target_inferred ? "*" : "";
    const bool sweep = p.kind == "sweep";
    rows.push_back({std::to_string(p.record_id), shown_time(p.recorded_at), p.kind, p.scenario,
                    or_dash(p.variant), p.disaster, sim::format_duration(p.target_rto_s) + star,
                    duration(p.rto_s), sim::format_duration(p.target_rpo_s) + star, duration(p.rpo_s),
                    sweep ? std::to_string(p.not_recovered) : "-",
                    std::string(p.met ? "met" : "MISSED") + (p.p_miss ? " (P(miss) " + percent(*p.p_miss) + ")" : "")});
  }
  print_columns(std::cout, rows);
  return kDone;
}

int HistoryCli::verify() const {
  auto store = history::open_store(db_, false);
  history::ChainVerifier verifier(head_);
  store->for_each([&verifier](const history::Record& r) { verifier.add(r); });
  const auto report = verifier.finish();
  if (json_) {
    ordered_json problems = ordered_json::array();
    for (const auto& p : report.problems) problems.push_back({{"id", p.id}, {"problem", p.what}});
    std::cout << ordered_json{{"intact", report.intact()}, {"records", report.records},
                              {"head", report.head_hash}, {"problems", problems}}
                     .dump(2)
              << "\n";
  } else if (report.intact()) {
    std::cout << "chain intact: " << report.records << " records"
              << (report.head_hash.empty() ? "" : ", head " + report.head_hash) << "\n";
  } else {
    std::cout << "chain broken: " << report.problems.size()
              << (report.problems.size() == 1 ? " problem" : " problems") << " in " << report.records
              << " records\n";
    for (const auto& p : report.problems) {
      std::cout << (p.id == 0 ? std::string("chain") : "record " + std::to_string(p.id)) << ": " << p.what << "\n";
    }
  }
  return report.intact() ? kDone : kBroken;
}

void HistoryCli::record(const std::string& result_json, const std::string& command_line,
                        const std::string& variant, bool quiet) const {
  if (no_history_) return;
  std::string where = db_;
  try {
    if (where.empty()) where = history::default_location();
    where = history::parse_location(where).shown();
    auto store = history::open_store(db_);
    const auto r = store->append(
        history::content_from_result(result_json, history::current_provenance(command_line, variant)));
    if (!quiet) std::cerr << "recorded as history record " << r.id << " in " << where << "\n";
  } catch (const std::exception& e) {
    std::cerr << "firedrill: warning: the result was not recorded in the history"
              << (where.empty() ? "" : " (" + history::redact(where) + ")") << ": "
              << history::redact(e.what()) << " (--no-history skips recording)\n";
  }
}

}  // namespace firedrill::apps
