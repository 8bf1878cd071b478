#include "tasks/task_registry.h"

#include "base/error.h"

namespace attn::tasks {

std::unique_ptr<Task> make_task(const TaskOptions& options) {
  if (options.task == "translate") return make_translate_task(options);
  if (options.task == "classify") return make_classify_task(options);
  if (options.task == "find") return make_find_task(options);
  if (options.task == "image") return make_image_task(options);
  if (options.task == "forecast") return make_forecast_task(options);
  for (const char* synthetic : {"copy", "reverse", "sort", "add"})
    if (options.task == synthetic) return make_synthetic_task(options);
  ATTN_FAIL(config, "unknown task '", options.task, "' (translate|copy|reverse|sort|add|classify|find|image|forecast)");
}

}  // namespace attn::tasks
