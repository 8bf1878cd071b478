#include "cli/progress.h"

#include <algorithm>

#include <unistd.h>

#include <cstdio>
#include <string>

namespace attn::cli {

namespace {
std::string duration(double s) {
  char buf[32];
  const int t = static_cast<int>(s + 0.5);
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%dh%02dm", t / 3600, t / 60 % 60);
  else std::snprintf(buf, sizeof buf, "%dm%02ds", t / 60, t % 60);
  return buf;
}

std::string metrics_text(const std::map<std::string, double>& metrics) {
  std::string out;
  char buf[64];
  for (const auto& [k, v] : metrics) {
    std::snprintf(buf, sizeof buf, "%s%s %.4g", out.empty() ? "" : "  ", k.c_str(), v);
    out += buf;
  }
  return out;
}
}  // namespace

ProgressPrinter::ProgressPrinter(bool quiet) : quiet_(quiet), live_(isatty(STDERR_FILENO)) {}

void ProgressPrinter::operator()(const experiment::TrainProgress& p) {
  if (quiet_) return;
  if (p.evaluation) {
    finish();
    std::fprintf(stderr, "eval  step %lld  %s\n", static_cast<long long>(p.step), metrics_text(p.metrics).c_str());
    return;
  }
  std::string unit = p.throughput.unit;  // "target_tokens/s" -> "target tokens/s"
  std::replace(unit.begin(), unit.end(), '_', ' ');
  char line[256];
  if (p.evaluating)
    std::snprintf(line, sizeof line, "step %lld/%lld  validating: %lld/%lld examples  ETA %s",
                  static_cast<long long>(p.step), static_cast<long long>(p.total_steps),
                  static_cast<long long>(p.eval_done), static_cast<long long>(p.eval_total),
                  duration(p.eta_s).c_str());
  else  // epochs on screen count from 1 (records and metrics.jsonl keep the 0-based index)
    std::snprintf(line, sizeof line, "step %lld/%lld  epoch %lld  loss %.4f  lr %.2e  %.0f %s  ETA %s",
                  static_cast<long long>(p.step), static_cast<long long>(p.total_steps),
                  static_cast<long long>(p.epoch + 1), p.loss, p.lr, p.throughput.value, unit.c_str(),
                  duration(p.eta_s).c_str());
  if (live_) {
    std::fprintf(stderr, "\r\033[K%s", line);
    line_open_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line);
  }
  std::fflush(stderr);
}

void ProgressPrinter::finish() {
  if (line_open_) std::fputc('\n', stderr);
  line_open_ = false;
}

}  // namespace attn::cli
