// The prepared spam corpus (TEXT<TAB>LABEL TSV, word tokenizer), read by the classify task as
// `attn train --task classify --dataset spam` reads it. The mails themselves are parsed by
// datasets/tools/spam.py (Python, outside this C++ campaign).
#include "dataset_fuzz.h"

using namespace attn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::reject_or_accept([&] { fuzz::load_text_task("classify", "spam", fuzz::bytes_of(data, size)); });
  return 0;
}
