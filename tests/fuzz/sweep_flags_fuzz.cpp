// The sweep command's flag forms: each line of the input given to --grid, --random and --seeds
// (parse_grid_axis, parse_random, parse_seeds). describe() of an accepted random key parses back.
#include <optional>

#include "experiment/sweep_spec.h"
#include "fuzz_support.h"

using namespace attn;
using namespace attn::experiment;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::bytes_of(data, size);
  for (size_t pos = 0; pos <= text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    fuzz::reject_or_accept([&] { parse_grid_axis(line, ErrorKind::usage); });
    std::optional<RandomParam> param;
    fuzz::reject_or_accept([&] { param = parse_random(line, ErrorKind::usage); });
    // The text form sweep.json and messages show must parse back: an Error here aborts.
    if (param) parse_random(param->key + "=" + describe(*param), ErrorKind::usage);
    fuzz::reject_or_accept([&] { parse_seeds(line, ErrorKind::usage); });
    pos = end + 1;
  }
  return 0;
}
