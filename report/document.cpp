#include "report/document.hpp"

#include <ctime>

#include <algorithm>
#include <sstream>

#include "sim/units.hpp"

namespace firedrill::report {

namespace {

constexpr std::size_t kEventsShown = 60;  // per disaster in the timeline table
const char* const kBlank = "______________________________";

Block heading(const std::string& text) { return {Block::Kind::heading, text, {}, {}, {}, false}; }
Block paragraph(const std::string& text, bool alert = false) {
  return {Block::Kind::paragraph, text, {}, {}, {}, alert};
}
Block table(Table t) { return {Block::Kind::table, "", std::move(t), {}, {}, false}; }
Block chart(charts::Chart c, const std::string& caption) {
  const charts::Size size = charts::natural_size(c);
  return {Block::Kind::chart, caption, {}, std::move(c), size, false};
}

// "detect, respond, restore, outside, propagate, drain"
std::string phase_list() {
  std::string out;
  for (const char* p : charts::kPhases) out += (out.empty() ? "" : ", ") + std::string(p);
  return out;
}

std::string target_text(double s, bool inferred) { return format_seconds(s) + (inferred ? " *" : ""); }

std::string ci_text(const Cell& c) {
  return format_percent(c.p_miss) + " [" + format_percent(c.p_miss_lo) + ", " + format_percent(c.p_miss_hi) + "]";
}

std::string number_text(const std::optional<double>& v) {
  if (!v) return "-";
  std::ostringstream out;
  out << *v;
  return out.str();
}

// "RTO 2m21s vs 1m; RPO 0s vs 0s": the compared values of a cell against its targets.
std::string versus(const Report& r, const Cell& c) {
  const bool sweep = r.kind == "sweep";
  const std::string p = sweep ? " p95" : "";
  std::string rto = c.rto.p95 && c.rto.not_recovered == 0 ? format_seconds(c.rto.p95) : "not recovered";
  if (sweep && c.rto.p95 && c.rto.not_recovered > 0) {
    rto = format_seconds(c.rto.p95) + " (" + std::to_string(c.rto.not_recovered) + " not recovered)";
  }
  return "RTO" + p + " " + rto + " vs " + format_seconds(c.target_rto_s) + "; RPO" + p + " " +
         format_seconds(c.rpo.p95) + " vs " + format_seconds(c.target_rpo_s);
}

std::string rule_text(const Report& r) {
  if (r.kind == "run") {
    return "Rule: one trial per disaster (seed " + std::to_string(r.seed) +
           "); a service misses when its achieved RTO or RPO is above the target, or it did not "
           "recover within the horizon.";
  }
  return "Rule: " + std::to_string(r.trials) + " trials per disaster; a service misses when the "
         "share of trials that missed its RTO target, or the share that missed its RPO target, is "
         "above " + format_percent(r.options.max_miss_probability) +
         " (--max-miss-probability). P(miss) is the share of trials that missed either target, "
         "with its 95% Wilson interval.";
}

void executive_summary(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Executive summary"));
  const auto missed = std::count_if(r.summary.begin(), r.summary.end(), [](const SummaryLine& l) { return l.missed; });
  out.push_back(paragraph(std::to_string(missed) + " of " + std::to_string(r.summary.size()) +
                              " service and disruption class pairs miss their targets." +
                              (missed > 0 ? " Worst first:" : ""),
                          missed > 0));
  Table t;
  t.header = {"verdict", "service", "disruption class", "disasters", "worst case"};
  if (r.kind == "sweep") t.header.push_back("P(miss) [95% CI]");
  for (const auto& line : r.summary) {
    const Cell& c = r.cells[line.worst];
    std::vector<std::string> row{verdict_word(line.missed), line.service, line.disruption,
                                 [&] { std::string s; for (const auto& d : line.disasters) s += (s.empty() ? "" : ", ") + d; return s; }(),
                                 c.disaster + ": " + versus(r, c)};
    if (r.kind == "sweep") row.push_back(ci_text(c));
    t.rows.push_back(std::move(row));
  }
  out.push_back(table(std::move(t)));
  out.push_back(paragraph(rule_text(r)));
}

void scope(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Scope"));
  if (!r.description.empty()) out.push_back(paragraph(r.description));
  for (const auto& n : r.scope_notes) out.push_back(paragraph(n));
  if (r.scenario_embedded) out.push_back(chart(r.topology, "Providers, regions, zones and the components placed in them."));
  Table t;
  t.header = {"disaster", "class", "what happens", "what the plan claims"};
  for (const auto& d : r.disasters) t.rows.push_back({d.name, d.cls, d.description, d.claim});
  out.push_back(table(std::move(t)));
}

void assumptions(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Assumptions"));
  if (!r.scenario_embedded) {
    out.push_back(paragraph("Not available: the result does not carry its scenario text."));
    return;
  }
  out.push_back(paragraph("Every model parameter, network setting, runbook step and fault the results rest on, "
                          "with its unit and where it came from (a JSON pointer into the scenario file, or the "
                          "default declared by the component kind). Targets marked * below are inferred by the "
                          "scenario's authors, not stated by the source document."));
  Table t;
  t.header = {"subject", "parameter", "value", "from", "meaning"};
  for (const auto& a : r.assumptions) t.rows.push_back({a.subject, a.parameter, a.value, a.origin, a.description});
  out.push_back(table(std::move(t)));
  Table targets;
  targets.header = {"disaster", "service", "RTO target", "RPO target", "note"};
  for (const auto& c : r.cells) {
    if (!c.target_inferred && c.target_note.empty()) continue;
    targets.rows.push_back({c.disaster, c.service, target_text(c.target_rto_s, c.target_inferred),
                            target_text(c.target_rpo_s, c.target_inferred), c.target_note});
  }
  if (!targets.rows.empty()) {
    out.push_back(paragraph("Targets with a note (* inferred):"));
    out.push_back(table(std::move(targets)));
  }
}

void results(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Results"));
  Table t;
  if (r.kind == "run") {
    t.header = {"disaster", "service", "class", "RTO target", "RTO", "RPO target", "RPO", "lost writes", "verdict"};
    for (const auto& c : r.cells) {
      t.rows.push_back({c.disaster, c.service, c.disruption, target_text(c.target_rto_s, c.target_inferred),
                        format_seconds(c.rto.p50), target_text(c.target_rpo_s, c.target_inferred),
                        format_seconds(c.rpo.p50), number_text(c.lost.p50), verdict_word(c.missed())});
    }
  } else {
    t.header = {"disaster", "service", "class", "RTO target", "RTO p50", "RTO p95", "RPO target", "RPO p95",
                "not recovered", "P(miss) [95% CI]", "verdict"};
    for (const auto& c : r.cells) {
      t.rows.push_back({c.disaster, c.service, c.disruption, target_text(c.target_rto_s, c.target_inferred),
                        c.rto.p50 ? format_seconds(c.rto.p50) : "-", c.rto.p95 ? format_seconds(c.rto.p95) : "-",
                        target_text(c.target_rpo_s, c.target_inferred), c.rpo.p95 ? format_seconds(c.rpo.p95) : "-",
                        std::to_string(c.rto.not_recovered) + " / " + std::to_string(c.trials), ci_text(c),
                        verdict_word(c.missed())});
    }
  }
  out.push_back(table(std::move(t)));
  out.push_back(paragraph("* target inferred by the scenario's authors (see Assumptions)."));
}

void distributions(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Distributions"));
  if (r.kind == "run") {
    out.push_back(paragraph("A run has one trial per disaster, so there is no distribution to show: run "
                            "firedrill sweep for RTO and RPO distributions against the targets."));
    return;
  }
  out.push_back(paragraph("RTO and RPO over the trials in which the service went down, with the target as a red "
                          "line and the p50 and p95 marked."));
  for (const auto& c : r.cells) {
    if (c.affected == 0) continue;
    const std::string name = c.disaster + " / " + c.service;
    if (!c.rto.p50) {
      out.push_back(paragraph(c.service + " in " + c.disaster + ": no trial recovered within the horizon (" +
                              std::to_string(c.rto.not_recovered) + " of " + std::to_string(c.trials) +
                              " trials), so neither RTO nor RPO has a distribution; both miss their targets.",
                              true));
      continue;
    }
    charts::Histogram h{"RTO: " + name, "RTO", c.rto_histogram, c.rto.max.value_or(0), c.target_rto_s,
                        c.rto.p50, c.rto.p95, c.rto.not_recovered};
    out.push_back(chart(h, "RTO of " + c.service + " in " + c.disaster + ": target " + format_seconds(c.target_rto_s) +
                               ", p95 " + (c.rto.p95 ? format_seconds(c.rto.p95) : "-") + "."));
    if (c.rpo.max.value_or(0) > 0 || c.rpo.not_recovered > 0) {
      charts::Histogram p{"RPO: " + name, "RPO", c.rpo_histogram, c.rpo.max.value_or(0), c.target_rpo_s,
                          c.rpo.p50, c.rpo.p95, c.rpo.not_recovered};
      out.push_back(chart(p, "RPO of " + c.service + " in " + c.disaster + ": target " + format_seconds(c.target_rpo_s) +
                                 ", p95 " + (c.rpo.p95 ? format_seconds(c.rpo.p95) : "-") + "."));
    } else {
      out.push_back(paragraph("RPO of " + c.service + " in " + c.disaster + ": no acknowledged write lost in any trial."));
    }
  }
}

void timeline(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Representative timeline"));
  for (const auto& rep : r.representatives) {
    out.push_back(paragraph(rep.disaster + ": " + rep.label +
                            (rep.horizon_reached ? "; the trial reached the horizon with a service still down." : ".")));
    if (rep.gantt.rows.empty()) {
      out.push_back(paragraph("No service went down."));
    } else {
      out.push_back(chart(rep.gantt, "Phases of recovery per service (" + phase_list() +
                                         "; outside: waiting for a provider or third party to come back), "
                                         "with the RTO target marked. A phase shorter than " +
                                         format_percent(charts::kMinPhaseShare) + " of the axis is drawn at that width."));
    }
    if (rep.events.empty()) continue;
    Table t;
    t.header = {"t since disruption", "event", "subject", "detail"};
    for (std::size_t i = 0; i < rep.events.size() && i < kEventsShown; ++i) {
      const auto& e = rep.events[i];
      t.rows.push_back({(e.t_s < 0 ? "-" : "") + sim::format_duration(std::abs(e.t_s)), e.event, e.subject, e.detail});
    }
    out.push_back(table(std::move(t)));
    if (rep.events.size() > kEventsShown) {
      out.push_back(paragraph(std::to_string(rep.events.size() - kEventsShown) +
                              " more events in the result JSON (/timeline)."));
    }
  }
}

void drivers(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("What dominates RTO and bounds RPO"));
  Table t;
  t.header = {"disaster", "service", "verdict", "RTO: dominant phase", "RPO: bounded by", "change that would help most"};
  for (const auto& c : r.cells) {
    if (c.affected == 0) continue;
    t.rows.push_back({c.disaster, c.service, verdict_word(c.missed()), c.rto_driver, c.rpo_driver,
                      c.advice.empty() ? "none needed: targets met" : c.advice});
  }
  if (t.rows.empty()) {
    out.push_back(paragraph("No service went down in any disaster."));
  } else {
    out.push_back(table(std::move(t)));
  }
}

void history(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Drill history"));
  if (r.history.empty()) {
    out.push_back(paragraph((r.history_note.empty() ? std::string("No drill history accompanies this result.")
                                                    : r.history_note) +
                            " This section shows the trend of achieved RTO and RPO over recorded drills "
                            "against the target once at least two drills of this scenario are recorded."));
    return;
  }
  if (!r.history_note.empty()) out.push_back(paragraph(r.history_note));
  for (const auto& t : r.history) {
    out.push_back(chart(t, t.title));
    Table points{{"recorded (UTC)", "achieved " + t.quantity, "target", "verdict"}, {}};
    for (const auto& p : t.points) {
      const std::time_t when = static_cast<std::time_t>(p.time_s);
      std::tm tm{};
      ::gmtime_r(&when, &tm);
      char text[32];
      std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
      points.rows.push_back({text, format_seconds(p.value_s), format_seconds(p.target_s),
                             p.value_s <= p.target_s ? "met" : "MISSED"});
    }
    out.push_back(table(std::move(points)));
  }
}

void reproducibility(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Reproducibility"));
  Table t;
  t.header = {"item", "value"};
  t.rows = {{"result file", r.input_file},
            {"result SHA-256", r.input_sha256},
            {"scenario", r.scenario_name + (r.scenario_title.empty() ? "" : ": " + r.scenario_title)},
            {"scenario file", r.scenario_file},
            {"scenario SHA-256", r.scenario_sha256 + (r.scenario_embedded ? " (embedded text verified)" : "")},
            {"source document", r.source_document.empty() ? "-" : r.source_document},
            {"kind", r.kind},
            {"seed", std::to_string(r.seed)},
            {"trials per disaster", std::to_string(r.trials)},
            {"horizon", r.horizon_s > 0 ? sim::format_duration(r.horizon_s) : "-"},
            {"firedrill version", r.firedrill_version},
            {"SimGrid version", r.simgrid_version},
            {"command", r.command}};
  if (!r.variant.empty()) t.rows.insert(t.rows.begin() + 4, {"variant", r.variant});
  out.push_back(table(std::move(t)));
  out.push_back(paragraph("The same command with the same scenario file (same SHA-256), seed and versions gives "
                          "the same result bytes."));
}

void sign_off(const Report& r, std::vector<Block>& out) {
  out.push_back(heading("Sign-off"));
  Table t;
  t.header = {"role", "name", "signature", "date"};
  t.rows = {{"prepared by", r.options.prepared_by.empty() ? kBlank : r.options.prepared_by, kBlank, kBlank},
            {"approved by", r.options.approved_by.empty() ? kBlank : r.options.approved_by, kBlank, kBlank}};
  out.push_back(table(std::move(t)));
}

}  // namespace

const char* verdict_word(bool missed) { return missed ? "MISSED" : "met"; }

std::vector<Block> document(const Report& r) {
  std::vector<Block> out;
  out.push_back({Block::Kind::title, "Disaster-recovery report: " + r.scenario_name, {}, {}, {}, false});
  if (!r.scenario_title.empty()) out.push_back(paragraph(r.scenario_title));
  out.push_back(paragraph(std::string(r.kind == "run" ? "Simulated run, one trial per disaster" : "Monte Carlo sweep, " + std::to_string(r.trials) + " trials per disaster") +
                          ", seed " + std::to_string(r.seed) + ", firedrill " + r.firedrill_version + " on SimGrid " +
                          r.simgrid_version + "."));
  out.push_back(paragraph(r.any_missed() ? "Overall: at least one target is MISSED." : "Overall: every target is met.",
                          r.any_missed()));
  sign_off(r, out);
  out.push_back({Block::Kind::page_break, "", {}, {}, {}, false});
  executive_summary(r, out);
  scope(r, out);
  assumptions(r, out);
  results(r, out);
  distributions(r, out);
  timeline(r, out);
  drivers(r, out);
  history(r, out);
  reproducibility(r, out);
  return out;
}

}  // namespace firedrill::report
