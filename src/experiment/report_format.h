// A ReportTable as text: aligned columns for a terminal, a Markdown table, CSV
// (RFC 4180 quoting) or JSON. Numbers get four significant digits in text and
// Markdown ("0.9512 ± 0.0123" for a group of several runs) and full precision in
// CSV and JSON, where a group's standard deviation and run count are columns of
// their own. Pure functions; building the table is report.h's job.
#pragma once

#include <string>
#include <string_view>

#include "experiment/report.h"

namespace attn::experiment {

enum class ReportFormat { text, markdown, csv, json };

// Throws Error kind usage for a name other than text, markdown, csv, json.
ReportFormat parse_report_format(std::string_view name);

std::string render_report(const ReportTable& table, ReportFormat format);

}  // namespace attn::experiment
