// Report renderers: Markdown, JUnit XML, JSON, self-contained HTML and PDF.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "report/model.hpp"

namespace firedrill::report {

enum class Format { html, pdf, md, junit, json };

std::optional<Format> format_from_name(std::string_view name);  // "html", "pdf", "md", ...
// From an output file's extension: .html/.htm, .pdf, .md, .xml (JUnit), .json.
std::optional<Format> format_from_path(std::string_view path);
bool is_text(Format f);  // every format but PDF

std::string to_markdown(const Report& r);
// JUnit XML: one <testcase> per disaster x service (classname = disaster, name = "service
// RTO+RPO"), a <failure> where the cell misses its target (Cell::missed()).
std::string to_junit(const Report& r);
std::string to_json(const Report& r);
// One self-contained HTML file: inline CSS, charts as inline <svg>, no external reference.
std::string to_html(const Report& r);
// PDF bytes (A4, QPdfWriter): title page with the sign-off block, then the sections, charts
// as vectors, page numbers.
std::string to_pdf(const Report& r);

std::string render(const Report& r, Format f);

}  // namespace firedrill::report
