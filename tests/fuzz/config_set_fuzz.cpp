// `--set key=value` strings: one assignment per line of the input, applied in order with
// apply_set as `attn train --set` does, then validate. Accepted values round-trip through JSON.
#include "experiment/config.h"
#include "fuzz_support.h"

using namespace attn;
using namespace attn::experiment;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::bytes_of(data, size);
  TrainConfig config;
  bool accepted = false;
  fuzz::reject_or_accept([&] {
    for (size_t pos = 0; pos <= text.size();) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      apply_set(config, text.substr(pos, end - pos));
      pos = end + 1;
    }
    accepted = true;
  });
  if (!accepted) return 0;
  TrainConfig again;
  apply_json(again, to_json(config), "round trip");  // an Error here aborts
  ATTN_FUZZ_CHECK(again == config);
  fuzz::reject_or_accept([&] { validate(config); });
  return 0;
}
