// The report as a sequence of blocks (headings, paragraphs, tables, charts), laid out once
// and rendered by each format: Markdown, HTML and PDF show the same sections in the same
// order with the same words.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "charts/charts.hpp"
#include "report/model.hpp"

namespace firedrill::report {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct Block {
  enum class Kind { title, heading, paragraph, table, chart, page_break };
  Kind kind = Kind::paragraph;
  std::string text;  // title, heading or paragraph; a chart's caption
  Table table;
  std::optional<charts::Chart> chart;
  charts::Size size;  // the chart's size in pixels (at 96 dpi)
  bool alert = false;  // a paragraph that says a target is missed
};

// Section headings, in order (the tests look for them in every format).
inline constexpr const char* kSectionTitles[] = {
    "Sign-off",         "Executive summary", "Scope",          "Assumptions",
    "Results",          "Distributions",     "Representative timeline",
    "What dominates RTO and bounds RPO",     "Drill history",  "Reproducibility"};

std::vector<Block> document(const Report& r);

// "MISSED" or "met": the verdict words every format uses.
const char* verdict_word(bool missed);

}  // namespace firedrill::report
