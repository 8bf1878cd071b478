#include "experiment/report_format.h"

#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "experiment/config_schema.h"

namespace attn::experiment {

namespace {

std::string short_number(double v) {
  if (std::isnan(v)) return "nan";
  char buf[32];
  std::snprintf(buf, sizeof buf, std::abs(v) >= 1e4 && std::isfinite(v) ? "%.0f" : "%.4g", v);
  return buf;
}

// A cell for people: "0.9512", "0.9512 ± 0.0123" (several runs), "-" (no value).
std::string cell_text(const ReportCell& c) {
  if (c.n == 0) return "-";
  return c.n > 1 ? short_number(c.mean) + " ± " + short_number(c.std) : short_number(c.mean);
}

// A number for programs: the shortest text that reads back as the same double.
std::string exact_number(double v) { return std::isnan(v) ? "nan" : format_value(v); }

// A config value as JSON: numbers and bools as such, anything else as a string.
Json key_json(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, false);
  return !parsed.is_discarded() && (parsed.is_number() || parsed.is_boolean()) ? parsed : Json(text);
}

size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count UTF-8 lead bytes only
  return n;
}

struct Grid {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // right-aligned columns
  std::vector<std::vector<std::string>> rows;
};

// The table as strings, for the text and Markdown layouts.
Grid human_grid(const ReportTable& t) {
  Grid g;
  if (!t.grouped) g.header = {"run", "status"};
  g.header.insert(g.header.end(), t.keys.begin(), t.keys.end());
  if (t.grouped) g.header.push_back("runs");
  g.numeric.assign(g.header.size(), false);
  for (const std::string& m : t.metrics) g.header.push_back(m), g.numeric.push_back(true);
  for (const ReportRow& r : t.rows) {
    std::vector<std::string> row;
    if (!t.grouped) row = {r.id, r.status};
    row.insert(row.end(), r.keys.begin(), r.keys.end());
    if (t.grouped) row.push_back(std::to_string(r.ok) + "/" + std::to_string(r.runs) + " ok");
    for (const ReportCell& c : r.cells) row.push_back(cell_text(c));
    g.rows.push_back(std::move(row));
  }
  return g;
}

std::string render_text(const Grid& g) {
  std::vector<size_t> width(g.header.size());
  for (size_t c = 0; c < width.size(); ++c) {
    width[c] = display_width(g.header[c]);
    for (const auto& row : g.rows) width[c] = std::max(width[c], display_width(row[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(width[c] - display_width(cells[c]), ' ');
      out += (c ? "  " : "") + (g.numeric[c] ? pad + cells[c] : cells[c] + (c + 1 < cells.size() ? pad : ""));
    }
    return out + "\n";
  };
  std::string out = line(g.header);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  out += line(rule);
  for (const auto& row : g.rows) out += line(row);
  return out;
}

std::string render_markdown(const Grid& g) {
  auto line = [](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const std::string& cell : cells) {
      std::string escaped;
      for (char ch : cell) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
      out += " " + escaped + " |";
    }
    return out + "\n";
  };
  std::string out = line(g.header) + "|";
  for (bool numeric : g.numeric) out += numeric ? "---:|" : "---|";
  out += "\n";
  for (const auto& row : g.rows) out += line(row);
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string render_csv(const ReportTable& t) {
  std::vector<std::string> header;
  if (!t.grouped) header = {"run", "status"};
  header.insert(header.end(), t.keys.begin(), t.keys.end());
  if (t.grouped) header.insert(header.end(), {"runs", "ok"});
  for (const std::string& m : t.metrics) {
    header.push_back(m);
    if (t.grouped) header.insert(header.end(), {m + "_std", m + "_n"});
  }
  auto line = [](const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += csv_field(fields[i]);
    }
    return out + "\n";
  };
  std::string out = line(header);
  for (const ReportRow& r : t.rows) {
    std::vector<std::string> fields;
    if (!t.grouped) fields = {r.id, r.status};
    fields.insert(fields.end(), r.keys.begin(), r.keys.end());
    if (t.grouped) fields.insert(fields.end(), {std::to_string(r.runs), std::to_string(r.ok)});
    for (const ReportCell& c : r.cells) {
      fields.push_back(c.n ? exact_number(c.mean) : "");
      if (t.grouped) fields.insert(fields.end(), {c.n ? exact_number(c.std) : "", std::to_string(c.n)});
    }
    out += line(fields);
  }
  return out;
}

std::string render_json(const ReportTable& t) {
  Json rows = Json::array();
  for (const ReportRow& r : t.rows) {
    Json config = Json::object(), metrics = Json::object();
    for (size_t k = 0; k < t.keys.size(); ++k) config[t.keys[k]] = key_json(r.keys[k]);
    for (size_t m = 0; m < t.metrics.size(); ++m) {
      const ReportCell& c = r.cells[m];
      const Json mean = c.n ? Json(c.mean) : Json();  // NaN is written as null too
      metrics[t.metrics[m]] = t.grouped ? Json{{"mean", mean}, {"std", c.n ? Json(c.std) : Json()}, {"n", c.n}} : mean;
    }
    Json row = t.grouped ? Json{{"config", config}, {"runs", r.runs}, {"ok", r.ok}}
                         : Json{{"run", r.id}, {"status", r.status}, {"config", config}};
    row["metrics"] = metrics;
    rows.push_back(row);
  }
  return rows.dump(2) + "\n";
}

}  // namespace

ReportFormat parse_report_format(std::string_view name) {
  if (name == "text") return ReportFormat::text;
  if (name == "markdown") return ReportFormat::markdown;
  if (name == "csv") return ReportFormat::csv;
  if (name == "json") return ReportFormat::json;
  ATTN_FAIL(usage, "unknown report format '", name, "' (text, markdown, csv or json)");
}

std::string render_report(const ReportTable& table, ReportFormat format) {
  switch (format) {
    case ReportFormat::text: return render_text(human_grid(table));
    case ReportFormat::markdown: return render_markdown(human_grid(table));
    case ReportFormat::csv: return render_csv(table);
    case ReportFormat::json: return render_json(table);
  }
  return "";
}

}  // namespace attn::experiment
