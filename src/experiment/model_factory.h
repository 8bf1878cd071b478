// From a resolved TrainConfig to the objects a run needs: task options, model,
// optimizer and schedule options. The one place that maps config keys onto
// the library's option structs.
#pragma once

#include <memory>

#include "experiment/config.h"
#include "models/model_options.h"
#include "models/seq2seq.h"
#include "nn/lr_schedule.h"
#include "nn/optimizer.h"
#include "tasks/task.h"

namespace attn::experiment {

tasks::TaskOptions task_options(const TrainConfig& config);
models::ModelOptions model_options(const TrainConfig& config, const tasks::Task& task);
std::unique_ptr<models::Seq2SeqModel> build_model(const models::ModelOptions& options);
nn::OptimizerOptions optimizer_options(const TrainConfig& config);
nn::ScheduleOptions schedule_options(const TrainConfig& config, int64_t total_steps);
models::DecodeOptions decode_options(const TrainConfig& config);

}  // namespace attn::experiment
