#include "apps/table.hpp"

#include <algorithm>
#include <iomanip>
#include <set>
#include <sstream>
#include <string>

#include "sim/units.hpp"

namespace firedrill::apps {
namespace {

std::string opt_duration(const std::optional<double>& v, const char* none) {
  return v ? sim::format_duration(*v) : std::string(none);
}

std::string pad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

}  // namespace

void print_outcome_table(std::ostream& out, const sim::Scenario& s,
                         const std::vector<sim::TrialResult>& trials) {
  std::size_t wd = 8, ws = 7;
  for (const auto& t : trials) {
    for (const auto& o : t.outcomes) {
      wd = std::max(wd, o.disaster.size() + 1);
      ws = std::max(ws, o.service.size() + 1);
    }
  }
  out << pad("disaster", wd) << pad("service", ws) << pad("RTO target", 11) << pad("RTO", 14)
      << pad("RPO target", 11) << pad("RPO", 14) << pad("lost writes", 12) << pad("dominant", 10)
      << "verdict\n";
  for (const auto& t : trials) {
    for (const auto& o : t.outcomes) {
      std::string lost = o.lost_writes ? std::to_string(static_cast<long long>(*o.lost_writes))
                                       : std::string("unknown");
      std::string rto_t = sim::format_duration(o.target.rto_s) + (o.target.inferred ? "*" : "");
      std::string rpo_t = sim::format_duration(o.target.rpo_s) + (o.target.inferred ? "*" : "");
      out << pad(o.disaster, wd) << pad(o.service, ws) << pad(rto_t, 11)
          << pad(opt_duration(o.rto_s, "not recovered"), 14) << pad(rpo_t, 11)
          << pad(opt_duration(o.rpo_s, "not recovered"), 14) << pad(lost, 12)
          << pad(o.affected ? o.phases.dominant() : "-", 10) << (o.met ? "met" : "MISSED")
          << "\n";
    }
  }
  bool inferred = false;
  for (const auto& t : trials) {
    for (const auto& o : t.outcomes) inferred = inferred || o.target.inferred;
  }
  if (inferred) out << "* target inferred: the source document states none\n";
}

void print_timelines(std::ostream& out, const std::vector<sim::TrialResult>& trials,
                     std::size_t max_events) {
  static const std::set<std::string> telling = {
      "fault",        "fault-end",    "detected",      "alert",     "paged",
      "responded",    "runbook-start", "step-start",   "step-done", "step-blocked",
      "failover",     "failover-impossible", "restore-start", "restored", "restore-blocked",
      "switched",     "propagated",   "rebuilt",       "replaced",  "warm",
      "draining",     "service-down", "service-up",    "bypassed",  "repaired",
      "step-skipped", "fallback",     "credential-compromised", "clock",   "copy-broken"};
  for (const auto& t : trials) {
    out << "\n" << t.disaster << " (T0 = fault injection; trial ended at +"
        << sim::format_duration(t.end_s) << (t.horizon_reached ? ", horizon reached" : "")
        << ")\n";
    std::size_t shown = 0, skipped = 0;
    for (const auto& e : t.timeline) {
      if (!telling.count(e.event)) continue;
      if (shown >= max_events) {
        ++skipped;
        continue;
      }
      ++shown;
      // Before T0 (the trial's clock, a backup job found broken): "-1d".
      const std::string at = e.t_s < 0 ? "-" + sim::format_duration(-e.t_s)
                                       : "+" + sim::format_duration(e.t_s);
      out << "  " << pad(at, 11) << pad(e.event, 16)
          << pad(e.subject, 22) << e.detail << "\n";
    }
    if (skipped > 0) out << "  ... " << skipped << " more events in the result JSON\n";
  }
}

namespace {

std::string stat_text(const sim::Summary& s, double q) {
  return s.count() == 0 ? std::string("-") : sim::format_duration(s.quantile(q));
}

std::string percent(double p) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(p < 0.1 && p > 0 ? 2 : 1) << p * 100 << "%";
  return o.str();
}

}  // namespace

void print_sweep_table(std::ostream& out, const sim::SweepResult& r) {
  std::size_t wd = 8, ws = 7;
  for (const auto& c : r.cells) {
    wd = std::max(wd, c.disaster.size() + 1);
    ws = std::max(ws, c.service.size() + 1);
  }
  out << pad("disaster", wd) << pad("service", ws) << pad("RTO target", 11) << pad("RTO p50", 14)
      << pad("RTO p95", 14) << pad("RPO target", 11) << pad("RPO p50", 14) << pad("RPO p95", 14)
      << pad("not rec.", 9) << pad("P(miss) [95% CI]", 24) << "dominant\n";
  for (const auto& c : r.cells) {
    const auto [lo, hi] = c.miss.wilson();
    const std::string miss = percent(c.miss.p()) + " [" + percent(lo) + ", " + percent(hi) + "]";
    std::string dominant = sim::dominant_of(c.dominant);
    if (dominant == "none") dominant = "-";
    out << pad(c.disaster, wd) << pad(c.service, ws)
        << pad(sim::format_duration(c.target.rto_s) + (c.target.inferred ? "*" : ""), 11)
        << pad(stat_text(c.rto, 0.5), 14) << pad(stat_text(c.rto, 0.95), 14)
        << pad(sim::format_duration(c.target.rpo_s) + (c.target.inferred ? "*" : ""), 11)
        << pad(stat_text(c.rpo, 0.5), 14) << pad(stat_text(c.rpo, 0.95), 14)
        << pad(std::to_string(c.rto.missing()), 9) << pad(miss, 24) << dominant << "\n";
  }
}

void print_comparison(std::ostream& out, const sim::Comparison& c) {
  std::size_t wd = 8, ws = 7, wv = 7;
  for (const auto& d : c.disasters) wd = std::max(wd, d.size() + 1);
  for (const auto& s : c.services) ws = std::max(ws, s.size() + 1);
  for (const auto& v : c.variants) wv = std::max(wv, v.name.size() + 1);
  out << pad("disaster", wd) << pad("service", ws) << pad("variant", wv) << pad("RTO p50", 14)
      << pad("RTO p95", 14) << pad("RPO p50", 14) << pad("RPO p95", 14) << pad("not rec.", 9)
      << "P(miss) [95% CI]\n";
  for (const auto& d : c.disasters) {
    for (const auto& svc : c.services) {
      bool first = true;
      for (const auto& v : c.variants) {
        const sim::CellStats* cell = sim::find_cell(v, d, svc);
        if (cell == nullptr) continue;
        const auto [lo, hi] = cell->miss.wilson();
        out << pad(first ? d : "", wd) << pad(first ? svc : "", ws) << pad(v.name, wv)
            << pad(stat_text(cell->rto, 0.5), 14) << pad(stat_text(cell->rto, 0.95), 14)
            << pad(stat_text(cell->rpo, 0.5), 14) << pad(stat_text(cell->rpo, 0.95), 14)
            << pad(std::to_string(cell->rto.missing()), 9) << percent(cell->miss.p()) << " ["
            << percent(lo) << ", " << percent(hi) << "]\n";
        first = false;
      }
    }
  }
  out << "\n" << pad("variant", wv) << pad("monthly cost", 14) << pad("risk", 10)
      << "not beaten on both cost and risk\n";
  for (const auto& v : c.variants) {
    std::ostringstream cost;
    if (v.monthly_cost > 0) {
      cost << std::fixed << std::setprecision(0) << v.monthly_cost;
    } else {
      cost << "-";
    }
    out << pad(v.name, wv) << pad(cost.str(), 14) << pad(percent(v.risk), 10)
        << (v.pareto ? "yes" : "no") << "\n";
  }
  out << "risk: the mean probability of missing a target over the rows above\n";
}

// Columns as wide as their widest cell, two spaces apart.
void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    out << line << "\n";
  }
}


}  // namespace firedrill::apps
