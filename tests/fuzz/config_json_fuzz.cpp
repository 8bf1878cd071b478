// config JSON (`--config FILE`, a run's config.json): load_config_file, then validate. A config
// the reader accepts must survive its own round trip (to_json, then apply_json over defaults).
#include <optional>

#include "experiment/config.h"
#include "fuzz_support.h"

using namespace attn;
using namespace attn::experiment;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = fuzz::scratch_dir() / "config.json";
  fuzz::write_file(path, fuzz::bytes_of(data, size));
  std::optional<TrainConfig> config;
  fuzz::reject_or_accept([&] { config = load_config_file(path); });
  if (!config) return 0;
  TrainConfig again;
  apply_json(again, to_json(*config), "round trip");  // an Error here aborts
  ATTN_FUZZ_CHECK(again == *config);
  fuzz::reject_or_accept([&] { validate(*config); });
  return 0;
}
