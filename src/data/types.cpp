#include "data/types.h"

#include "base/error.h"

namespace attn::data {

const char* split_name(Split split) {
  switch (split) {
    case Split::train: return "train";
    case Split::valid: return "valid";
    case Split::test: return "test";
  }
  return "train";
}

Split split_from_name(std::string_view name) {
  for (Split split : kSplits)
    if (name == split_name(split)) return split;
  ATTN_FAIL(config, "unknown split '", name, "' (choices: train, valid, test)");
}

}  // namespace attn::data
