// A forecast series file (`attn train --task forecast --series-file FILE`): the CSV reader, the
// split by share, the scaling, windows and baselines the forecast task builds from it.
#include "fuzz_support.h"
#include "tasks/task.h"

using namespace attn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = fuzz::scratch_dir() / "series.csv";
  fuzz::write_file(path, fuzz::bytes_of(data, size));
  fuzz::reject_or_accept([&] {
    tasks::TaskOptions options;
    options.task = "forecast";
    options.series_file = path.string();
    options.context = 4;  // small windows, so short series get past the length check
    options.ar_order = 2;
    tasks::make_task(options);
  });
  return 0;
}
