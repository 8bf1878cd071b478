// attn forecast RUN --steps N: a forecast run's forecasts past the end of its series, rolled one
// step at a time (tasks/forecast_task.h's forecast_future), beside the AR and naive baselines.
#include <cmath>
#include <cstdio>
#include <iostream>


#include "base/error.h"
#include "base/worker_threads.h"
#include "cli/commands.h"
#include "experiment/run_loader.h"
#include "tasks/forecast_task.h"

namespace attn::cli {

namespace {
struct ForecastFlags {
  std::string run, checkpoint = "best";
  int64_t steps = 1;
  int threads = 0;
  bool json = false;
};

std::string value_text(double v) {
  if (std::isnan(v)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}
}  // namespace

Command add_forecast_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "forecast", "Forecast past the end of a forecast run's series (rolling one-step forecasts, with baselines)");
  auto f = std::make_shared<ForecastFlags>();
  sub->add_option("run", f->run, "run directory of a forecast run")->required();
  sub->add_option("--steps", f->steps, "values to forecast past the series' last one")
      ->check(CLI::Range(int64_t{1}, int64_t{10000}))
      ->capture_default_str();
  sub->add_option("--checkpoint", f->checkpoint, "best | last | PATH to a .safetensors file")->capture_default_str();
  sub->add_option("--threads", f->threads, "worker threads (0 = all cores)")->check(CLI::Range(0, 1024));
  sub->add_flag("--json", f->json, "print the forecast as one JSON object on stdout");
  sub->footer("Each step's forecast joins the model's window for the next (the first output of a --horizon head).\n"
              "Example: attn forecast runs/forecast-1 --steps 10 --json | jq '.forecast[].model'");
  return {sub, [f]() -> int {
            if (f->threads > 0) set_worker_threads(f->threads);
            experiment::LoadedRun run = experiment::load_run(f->run, f->checkpoint);
            const auto* task = dynamic_cast<const tasks::ForecastTask*>(run.task.get());
            ATTN_CHECK(task, usage, "attn forecast needs a forecast run; ", f->run, " is a ", run.task->name(),
                       " run (attn eval evaluates it)");
            const std::vector<tasks::FutureStep> steps = task->forecast_future(*run.model, f->steps);
            nlohmann::json doc = task->future_json(steps);
            if (f->json) {
              doc["run"] = run.record.id;
              doc["checkpoint"] = run.checkpoint;
              std::cout << doc.dump() << "\n";
              return 0;
            }
            std::printf("%s  checkpoint %s  after %s (last value %s), rolling one step at a time\n",
                        run.record.id.c_str(), f->checkpoint.c_str(), doc["last_time"].get<std::string>().c_str(),
                        value_text(doc["last_value"].get<double>()).c_str());
            std::printf("  %-14s %12s %12s %12s\n", "time", "model", "ar", "naive");
            for (const tasks::FutureStep& s : steps)
              std::printf("  %-14s %12s %12s %12s\n", s.time.c_str(), value_text(s.model).c_str(),
                          value_text(s.ar).c_str(), value_text(s.naive).c_str());
            return 0;
          }};
}

}  // namespace attn::cli
