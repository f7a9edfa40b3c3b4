#include "report/render.hpp"

#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report/document.hpp"

namespace firedrill::report {

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// Escapes text for HTML and XML content and attribute values.
std::string escape_xml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string md_cell(const std::string& s) {
  return replace_all(replace_all(s, "|", "\\|"), "\n", " ");
}

// The svg element of a QSvgGenerator document, to sit inline in HTML: no XML prolog, no
// namespace URLs (HTML gives <svg> its namespace), sized by CSS.
std::string inline_svg(const std::string& svg, charts::Size size) {
  std::string s = svg.substr(std::min(svg.find("<svg"), svg.size()));
  s = std::regex_replace(s, std::regex(R"( xmlns(:\w+)?="[^"]*")"), "");
  s = std::regex_replace(s, std::regex(R"(<svg width="[^"]*" height="[^"]*")"),
                         "<svg width=\"" + std::to_string(size.width) + "\" height=\"" +
                             std::to_string(size.height) + "\" style=\"max-width:100%;height:auto\"",
                         std::regex_constants::format_first_only);
  return s;
}

const char* kCss = R"(body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;font-size:14px;line-height:1.4}
h1{font-size:1.7em;border-bottom:2px solid #444;padding-bottom:.2em}
h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #bbb}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}
td.missed{background:#fbe3e3;color:#a40000;font-weight:bold}
td.met{background:#e5f4e3;color:#1e6b1e}
p.alert{color:#a40000;font-weight:bold}
figure{margin:1em 0}
figcaption{font-size:.85em;color:#555}
.pagebreak{height:1px}
@media print{.pagebreak{page-break-after:always}}
)";

std::string verdict_class(const std::string& cell) {
  if (cell == verdict_word(true)) return " class=\"missed\"";
  if (cell == verdict_word(false)) return " class=\"met\"";
  return "";
}

}  // namespace

std::optional<Format> format_from_name(std::string_view name) {
  if (name == "html") return Format::html;
  if (name == "pdf") return Format::pdf;
  if (name == "md" || name == "markdown") return Format::md;
  if (name == "junit") return Format::junit;
  if (name == "json") return Format::json;
  return std::nullopt;
}

std::optional<Format> format_from_path(std::string_view path) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string ext(path.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "htm") return Format::html;
  if (ext == "xml") return Format::junit;
  return format_from_name(ext);
}

bool is_text(Format f) { return f != Format::pdf; }

std::string to_markdown(const Report& r) {
  std::ostringstream out;
  for (const Block& b : document(r)) {
    switch (b.kind) {
      case Block::Kind::title: out << "# " << b.text << "\n\n"; break;
      case Block::Kind::heading: out << "## " << b.text << "\n\n"; break;
      case Block::Kind::paragraph: out << (b.alert ? "**" + b.text + "**" : b.text) << "\n\n"; break;
      case Block::Kind::page_break: out << "---\n\n"; break;
      case Block::Kind::chart: out << "*Chart (in the HTML and PDF reports): " << b.text << "*\n\n"; break;
      case Block::Kind::table: {
        out << "|";
        for (const auto& h : b.table.header) out << " " << md_cell(h) << " |";
        out << "\n|";
        for (std::size_t i = 0; i < b.table.header.size(); ++i) out << " --- |";
        out << "\n";
        for (const auto& row : b.table.rows) {
          out << "|";
          for (const auto& cell : row) out << " " << md_cell(cell) << " |";
          out << "\n";
        }
        out << "\n";
        break;
      }
    }
  }
  return out.str();
}

std::string to_junit(const Report& r) {
  std::size_t failures = 0;
  for (const auto& c : r.cells) failures += c.missed() ? 1 : 0;
  std::ostringstream out;
  const std::string counts = " tests=\"" + std::to_string(r.cells.size()) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"0\"";
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"firedrill\"" << counts << ">\n";
  out << "  <testsuite name=\"" << escape_xml(r.scenario_name) << "\"" << counts << " skipped=\"0\">\n";
  out << "    <properties>\n";
  const std::pair<const char*, std::string> props[] = {
      {"kind", r.kind}, {"seed", std::to_string(r.seed)}, {"trials", std::to_string(r.trials)},
      {"scenario_sha256", r.scenario_sha256}, {"command", r.command},
      {"max_miss_probability", std::to_string(r.options.max_miss_probability)}};
  for (const auto& [k, v] : props) {
    out << "      <property name=\"" << k << "\" value=\"" << escape_xml(v) << "\"/>\n";
  }
  out << "    </properties>\n";
  for (const auto& c : r.cells) {
    out << "    <testcase classname=\"" << escape_xml(c.disaster) << "\" name=\"" << escape_xml(c.service)
        << "\" time=\"0\"";
    if (!c.missed()) {
      out << "/>\n";
      continue;
    }
    std::string what;
    if (c.rto_missed) what = "RTO";
    if (c.rpo_missed) what += what.empty() ? "RPO" : " and RPO";
    std::string message = what + " target missed";
    if (r.kind == "sweep") {
      message += ": P(miss RTO) " + format_percent(c.p_miss_rto) + ", P(miss RPO) " + format_percent(c.p_miss_rpo) +
                 " (allowed " + format_percent(r.options.max_miss_probability) + ")";
    }
    const std::string detail = "RTO " + std::string(r.kind == "sweep" ? "p95 " : "") + format_seconds(c.rto.p95) +
                               " (target " + format_seconds(c.target_rto_s) + "), RPO " +
                               (r.kind == "sweep" ? "p95 " : "") + format_seconds(c.rpo.p95) + " (target " +
                               format_seconds(c.target_rpo_s) + "). " + c.rto_driver + ". " + c.advice;
    out << ">\n      <failure message=\"" << escape_xml(message) << "\" type=\"target-missed\">"
        << escape_xml(detail) << "</failure>\n    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

std::string to_json(const Report& r) {
  using nlohmann::ordered_json;
  auto opt = [](const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); };
  auto quantiles = [&](const Quantiles& q) {
    return ordered_json{{"mean", opt(q.mean)}, {"p50", opt(q.p50)}, {"p90", opt(q.p90)}, {"p95", opt(q.p95)},
                        {"p99", opt(q.p99)},   {"max", opt(q.max)}, {"not_recovered", q.not_recovered}};
  };
  ordered_json j;
  j["schema"] = "firedrill.report/1";
  j["kind"] = r.kind;
  j["input"] = {{"file", r.input_file}, {"sha256", r.input_sha256}};
  j["scenario"] = {{"name", r.scenario_name}, {"title", r.scenario_title}, {"file", r.scenario_file},
                   {"sha256", r.scenario_sha256}, {"variant", r.variant}, {"source", r.source_document},
                   {"embedded", r.scenario_embedded}};
  j["reproducibility"] = {{"seed", r.seed}, {"trials", r.trials}, {"horizon_s", r.horizon_s},
                          {"firedrill", r.firedrill_version}, {"simgrid", r.simgrid_version},
                          {"command", r.command}};
  j["rule"] = {{"max_miss_probability", r.options.max_miss_probability}};
  j["sign_off"] = {{"prepared_by", r.options.prepared_by}, {"approved_by", r.options.approved_by}};
  j["any_missed"] = r.any_missed();
  j["summary"] = ordered_json::array();
  for (const auto& l : r.summary) {
    j["summary"].push_back({{"service", l.service}, {"disruption", l.disruption}, {"disasters", l.disasters},
                            {"missed", l.missed}, {"worst_disaster", r.cells[l.worst].disaster}});
  }
  j["disasters"] = ordered_json::array();
  for (const auto& d : r.disasters) {
    j["disasters"].push_back({{"name", d.name}, {"class", d.cls}, {"description", d.description}, {"claim", d.claim}});
  }
  j["cells"] = ordered_json::array();
  for (const auto& c : r.cells) {
    ordered_json phases;
    for (std::size_t k = 0; k < charts::kPhaseCount; ++k) phases[charts::kPhases[k]] = c.phases_s[k];
    j["cells"].push_back({{"disaster", c.disaster}, {"service", c.service}, {"disruption", c.disruption},
                          {"target", {{"rto_s", c.target_rto_s}, {"rpo_s", c.target_rpo_s},
                                      {"inferred", c.target_inferred}, {"note", c.target_note}}},
                          {"trials", c.trials}, {"affected", c.affected},
                          {"rto_s", quantiles(c.rto)}, {"rpo_s", quantiles(c.rpo)}, {"lost_writes", quantiles(c.lost)},
                          {"p_miss", {{"any", c.p_miss}, {"ci95", {c.p_miss_lo, c.p_miss_hi}},
                                      {"rto", c.p_miss_rto}, {"rpo", c.p_miss_rpo}}},
                          {"rto_missed", c.rto_missed}, {"rpo_missed", c.rpo_missed}, {"missed", c.missed()},
                          {"dominant_phase", c.dominant_phase}, {"phases_s", phases},
                          {"recovered_from", c.recovered_from}, {"rto_driver", c.rto_driver},
                          {"rpo_driver", c.rpo_driver}, {"advice", c.advice}});
  }
  j["scope"] = {{"notes", r.scope_notes}, {"providers", ordered_json::array()}, {"unplaced", r.topology.unplaced}};
  for (const auto& p : r.topology.providers) {
    ordered_json jp{{"name", p.name}, {"kind", p.kind}, {"components", p.components}, {"regions", ordered_json::array()}};
    for (const auto& reg : p.regions) {
      ordered_json jr{{"name", reg.name}, {"components", reg.components}, {"zones", ordered_json::array()}};
      for (const auto& z : reg.zones) jr["zones"].push_back({{"name", z.name}, {"components", z.components}});
      jp["regions"].push_back(jr);
    }
    j["scope"]["providers"].push_back(jp);
  }
  j["assumptions"] = ordered_json::array();
  for (const auto& a : r.assumptions) {
    j["assumptions"].push_back({{"subject", a.subject}, {"parameter", a.parameter}, {"value", a.value},
                                {"origin", a.origin}, {"description", a.description}});
  }
  j["representatives"] = ordered_json::array();
  for (const auto& rep : r.representatives) {
    ordered_json jr{{"disaster", rep.disaster}, {"label", rep.label}, {"horizon_reached", rep.horizon_reached},
                    {"rows", ordered_json::array()}, {"events", ordered_json::array()}};
    for (const auto& row : rep.gantt.rows) {
      jr["rows"].push_back({{"label", row.label}, {"phases_s", row.phases_s}, {"target_s", opt(row.target_s)}});
    }
    for (const auto& e : rep.events) {
      jr["events"].push_back({{"t_s", e.t_s}, {"event", e.event}, {"subject", e.subject}, {"detail", e.detail}});
    }
    j["representatives"].push_back(jr);
  }
  return j.dump(2) + "\n";
}

std::string to_html(const Report& r) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
      << escape_xml("Disaster-recovery report: " + r.scenario_name) << "</title>\n<style>\n"
      << kCss << "</style>\n</head>\n<body>\n";
  for (const Block& b : document(r)) {
    switch (b.kind) {
      case Block::Kind::title: out << "<h1>" << escape_xml(b.text) << "</h1>\n"; break;
      case Block::Kind::heading: out << "<h2>" << escape_xml(b.text) << "</h2>\n"; break;
      case Block::Kind::paragraph:
        out << "<p" << (b.alert ? " class=\"alert\"" : "") << ">" << escape_xml(b.text) << "</p>\n";
        break;
      case Block::Kind::page_break: out << "<div class=\"pagebreak\"></div>\n"; break;
      case Block::Kind::chart:
        out << "<figure>\n" << inline_svg(charts::to_svg(*b.chart, b.size), b.size) << "\n<figcaption>"
            << escape_xml(b.text) << "</figcaption>\n</figure>\n";
        break;
      case Block::Kind::table:
        out << "<table>\n<tr>";
        for (const auto& h : b.table.header) out << "<th>" << escape_xml(h) << "</th>";
        out << "</tr>\n";
        for (const auto& row : b.table.rows) {
          out << "<tr>";
          for (const auto& cell : row) out << "<td" << verdict_class(cell) << ">" << escape_xml(cell) << "</td>";
          out << "</tr>\n";
        }
        out << "</table>\n";
        break;
    }
  }
  out << "</body>\n</html>\n";
  return out.str();
}

std::string render(const Report& r, Format f) {
  switch (f) {
    case Format::html: return to_html(r);
    case Format::pdf: return to_pdf(r);
    case Format::md: return to_markdown(r);
    case Format::junit: return to_junit(r);
    case Format::json: return to_json(r);
  }
  return "";
}

}  // namespace firedrill::report
