#include "apps/cmd_compare_live.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "apps/table.hpp"
#include "sim/input_file.hpp"
#include "sim/result.hpp"
#include "sim/stats.hpp"
#include "sim/units.hpp"

namespace firedrill::apps {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr int kInside = 0, kOutside = 1, kInvalid = 2, kFailure = 3;
constexpr const char* kSchema = "firedrill.compare-live/1";

// An input error: "FILE: /pointer: expected X, found Y".
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void bad(const std::string& file, const std::string& pointer, const std::string& expected,
                      const std::string& found) {
  throw InputError(file + ": " + pointer + ": expected " + expected + ", found " + found);
}

std::string shown(const json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

json read_json(const std::string& file) {
  auto text = sim::read_input_file(file, "result file");
  if (const auto* d = std::get_if<sim::Diagnostic>(&text)) throw InputError(d->to_string());
  try {
    return json::parse(std::get<std::string>(text));
  } catch (const json::parse_error& e) {
    throw InputError(file + ": expected a firedrill result (JSON), found text that is not JSON (byte " +
                     std::to_string(e.byte) + ")");
  }
}

const json& member(const json& j, const std::string& file, const std::string& pointer, const char* key,
                   const std::string& expected) {
  if (!j.is_object() || !j.contains(key)) bad(file, pointer + "/" + key, expected, "nothing");
  return j[key];
}

void expect_result(const json& j, const std::string& file, const char* kind) {
  const json& schema = member(j, file, "", "schema", std::string("\"") + sim::kResultSchema + "\"");
  if (schema != sim::kResultSchema) bad(file, "/schema", std::string("\"") + sim::kResultSchema + "\"", shown(schema));
  const json& k = member(j, file, "", "kind", std::string("\"") + kind + "\"");
  if (k != kind) {
    bad(file, "/kind", std::string("a ") + kind + " result (\"kind\": \"" + kind + "\")", shown(k));
  }
}

std::optional<double> number_at(const json& j, const std::string& file, const std::string& pointer) {
  const json& v = j.at(json::json_pointer(pointer));
  if (v.is_null()) return std::nullopt;
  if (!v.is_number() || v.get<double>() < 0) bad(file, pointer, "a number of seconds or null", shown(v));
  return v.get<double>();
}

ordered_json opt_json(const std::optional<double>& v) {
  return v ? ordered_json(std::round(*v * 1e6) / 1e6) : ordered_json(nullptr);
}

std::string seconds_text(const ordered_json& v) {
  return v.is_number() ? sim::format_duration(v.get<double>()) : std::string("-");
}

// One measured value against the sweep's summary of the same quantity.
ordered_json place(const std::string& metric, const std::optional<double>& measured, bool was_measured,
                   const sim::Summary& sweep) {
  ordered_json c{{"metric", metric}, {"measured", opt_json(measured)}};
  const bool any = sweep.count() > 0;
  const std::pair<const char*, double> quantiles[] = {{"p1", 0.01}, {"p50", 0.50}, {"p95", 0.95}, {"p99", 0.99}};
  for (const auto& [name, q] : quantiles) {
    c[name] = any ? opt_json(sweep.quantile(q)) : ordered_json(nullptr);
  }
  c["sweep_trials"] = sweep.count() + sweep.missing();
  c["sweep_not_recovered"] = sweep.missing();
  if (!was_measured) {
    c["percentile_rank"] = nullptr;
    c["inside_p1_p99"] = nullptr;
    c["note"] = "not measured by the live run";
    return c;
  }
  const double n = static_cast<double>(sweep.count() + sweep.missing());
  if (n == 0) {
    c["percentile_rank"] = nullptr;
    c["inside_p1_p99"] = nullptr;
    c["note"] = "the sweep has no trials of this cell";
    return c;
  }
  double below = 0, same = 0;
  if (measured) {
    const auto [b, s] = sweep.rank(*measured);
    below = static_cast<double>(b);
    same = static_cast<double>(s);
  } else {  // not recovered: beyond every recovered trial, level with the sweep's not recovered
    below = static_cast<double>(sweep.count());
    same = static_cast<double>(sweep.missing());
  }
  c["percentile_rank"] = std::round((below + same / 2) / n * 1000) / 10;
  const bool inside = measured && any && *measured >= sweep.quantile(0.01) && *measured <= sweep.quantile(0.99);
  c["inside_p1_p99"] = inside;
  if (!measured) c["note"] = "not recovered in the live run";
  return c;
}

}  // namespace

void CompareLiveCli::add_command(CLI::App& app) {
  command_ = app.add_subcommand(
      "compare-live",
      "where a live drill's measured RTO/RPO fall in a sweep's predicted distribution (same "
      "scenario); exit 0 every measured value inside p1..p99, 1 one outside, 2 invalid input");
  command_->add_option("sweep", sweep_, "the sweep result (firedrill sweep --json)")->required();
  command_->add_option("live", live_, "the live result (firedrill live --json)")->required();
  command_->add_option("--json", json_out_, "write the comparison JSON; - for stdout (then no table)");
}

int CompareLiveCli::run() const {
  ordered_json out;
  std::vector<std::vector<std::string>> rows{
      {"disaster", "service", "metric", "measured", "p1", "p50", "p95", "p99", "rank", "inside p1..p99"}};
  bool outside = false;
  try {
    const json sweep = read_json(sweep_);
    const json live = read_json(live_);
    expect_result(sweep, sweep_, "sweep");
    expect_result(live, live_, "live");
    const std::string sweep_sha =
        member(member(sweep, sweep_, "", "scenario", "the scenario"), sweep_, "/scenario", "sha256", "its sha256");
    const json& live_sha =
        member(member(live, live_, "", "scenario", "the scenario"), live_, "/scenario", "sha256", "its sha256");
    if (live_sha != sweep_sha) {
      bad(live_, "/scenario/sha256",
          "the scenario of the sweep (sha256 " + sweep_sha.substr(0, 12) + ", " +
              sweep["scenario"].value("file", std::string("?")) + ")",
          "sha256 " + live_sha.get<std::string>().substr(0, 12) + " (" +
              live["scenario"].value("file", std::string("?")) + "): a different scenario");
    }
    const json& sweep_outcomes = member(sweep, sweep_, "", "outcomes", "the sweep's outcomes");
    const json& live_outcomes = member(live, live_, "", "outcomes", "the drill's outcomes");
    if (!live_outcomes.is_array() || live_outcomes.empty()) {
      bad(live_, "/outcomes", "the drill's outcomes", shown(live_outcomes));
    }
    std::string disasters;
    for (const auto& d : member(sweep, sweep_, "", "disasters", "the swept disasters")) {
      disasters += (disasters.empty() ? "" : ", ") + d.get<std::string>();
    }
    out["schema"] = kSchema;
    out["scenario"] = {{"name", sweep["scenario"].value("name", "")}, {"sha256", sweep_sha}};
    out["sweep"] = {{"file", sweep_}, {"trials", sweep.value("trials", 0)}, {"seed", sweep.value("seed", 0)}};
    out["live"] = {{"file", live_}, {"run_id", live.contains("live") ? live["live"].value("run_id", "") : ""}};
    out["cells"] = ordered_json::array();
    for (std::size_t i = 0; i < live_outcomes.size(); ++i) {
      const std::string p = "/outcomes/" + std::to_string(i);
      const json& o = live_outcomes[i];
      const std::string disaster = member(o, live_, p, "disaster", "a disaster name");
      const std::string service = member(o, live_, p, "service", "a service name");
      const json* cell = nullptr;
      bool disaster_swept = false;
      for (const auto& c : sweep_outcomes) {
        if (c.value("disaster", "") != disaster) continue;
        disaster_swept = true;
        if (c.value("service", "") == service) cell = &c;
      }
      if (!disaster_swept) {
        bad(live_, p + "/disaster", "one of the sweep's disasters (" + disasters + ")", "\"" + disaster + "\"");
      }
      if (cell == nullptr) bad(live_, p + "/service", "a service the sweep measured", "\"" + service + "\"");
      const json& state = member(*cell, sweep_, "/outcomes/" + disaster + "+" + service, "state",
                                 "the sweep cell's state (a sweep written by firedrill sweep --json)");
      sim::Summary rto, rpo;
      try {
        rto = sim::Summary::from_json(state.at("rto"));
        rpo = sim::Summary::from_json(state.at("rpo"));
      } catch (const std::exception& e) {
        throw InputError(sweep_ + ": the state of " + disaster + "/" + service + ": " + e.what());
      }
      const auto rto_v = number_at(live, live_, p + "/achieved/rto_s");
      const auto rpo_v = number_at(live, live_, p + "/achieved/rpo_s");
      const bool rpo_measured = rpo_v.has_value() || !o["achieved"].contains("rpo_note");
      ordered_json cells = ordered_json::array();
      cells.push_back(place("rto_s", rto_v, true, rto));
      cells.push_back(place("rpo_s", rpo_v, rpo_measured, rpo));
      for (auto& c : cells) {
        if (c["inside_p1_p99"] == false) outside = true;
        const auto rank = c["percentile_rank"];
        std::ostringstream r;
        if (rank.is_number()) r << std::fixed << std::setprecision(1) << rank.get<double>() << "%";
        rows.push_back({disaster, service, c["metric"] == "rto_s" ? "RTO" : "RPO",
                        c["measured"].is_number() ? seconds_text(c["measured"])
                        : c.contains("note")      ? c["note"].get<std::string>()
                                                  : "not recovered",
                        seconds_text(c["p1"]), seconds_text(c["p50"]), seconds_text(c["p95"]),
                        seconds_text(c["p99"]), rank.is_number() ? r.str() : "-",
                        c["inside_p1_p99"].is_boolean() ? (c["inside_p1_p99"].get<bool>() ? "yes" : "NO") : "-"});
        ordered_json full{{"disaster", disaster}, {"service", service}};
        full.update(c);
        out["cells"].push_back(full);
      }
    }
  } catch (const InputError& e) {
    std::cerr << "firedrill compare-live: " << e.what() << "\n";
    return kInvalid;
  } catch (const json::exception& e) {
    std::cerr << "firedrill compare-live: malformed result: " << e.what() << "\n";
    return kInvalid;
  }
  out["inside_p1_p99"] = !outside;
  if (json_out_ != "-") {
    print_columns(std::cout, rows);
    std::cout << "rank: the measured value's percentile among the sweep's trials (not recovered "
                 "trials rank last); p1..p99 over recovered trials\n";
  }
  if (!json_out_.empty()) {
    const std::string text = out.dump(2) + "\n";
    if (json_out_ == "-") {
      std::cout << text;
    } else {
      std::ofstream f(json_out_, std::ios::binary);
      f << text;
      if (!f.flush()) {
        std::cerr << json_out_ << ": cannot write\n";
        return kFailure;
      }
    }
  }
  return outside ? kOutside : kInside;
}

}  // namespace firedrill::apps
