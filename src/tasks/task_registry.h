// Constructors of the concrete tasks, one per file; make_task (task.h) picks one by name.
#pragma once

#include <memory>
#include <string_view>

#include "tasks/task.h"

namespace attn::tasks {

std::unique_ptr<Task> make_translate_task(const TaskOptions& options);
std::unique_ptr<Task> make_synthetic_task(const TaskOptions& options);
std::unique_ptr<Task> make_classify_task(const TaskOptions& options);
std::unique_ptr<Task> make_find_task(const TaskOptions& options);
std::unique_ptr<Task> make_image_task(const TaskOptions& options);
std::unique_ptr<Task> make_forecast_task(const TaskOptions& options);

}  // namespace attn::tasks
