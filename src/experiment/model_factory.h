// From a resolved TrainConfig to the objects a run needs: task options, model,
// optimizer and schedule options. The one place that maps config keys onto
// the library's option structs.
#pragma once

#include <memory>

#include "experiment/config.h"
#include "models/model_options.h"
#include "nn/lr_schedule.h"
#include "nn/optimizer.h"
#include "tasks/task.h"

namespace attn::experiment {

tasks::TaskOptions task_options(const TrainConfig& config);
// The architecture a config asks for; the task sizes it to its data (Task::build_model).
models::ModelOptions model_options(const TrainConfig& config);
std::unique_ptr<models::Model> build_model(const TrainConfig& config, const tasks::Task& task);
nn::OptimizerOptions optimizer_options(const TrainConfig& config);
nn::ScheduleOptions schedule_options(const TrainConfig& config, int64_t total_steps);
models::DecodeOptions decode_options(const TrainConfig& config);

}  // namespace attn::experiment
