// Translation pairs (SOURCE<TAB>TARGET TSV of a prepared dataset): the first byte picks the
// dataset, and so the tokenizers (g2p: char / space; bible-es-en: word / word); the rest is the
// file, read by the translate task as `attn train --dataset <name>` reads it.
#include "dataset_fuzz.h"

using namespace attn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string name = data[0] % 2 ? "bible-es-en" : "g2p";
  fuzz::reject_or_accept([&] { fuzz::load_text_task("translate", name, fuzz::bytes_of(data + 1, size - 1)); });
  return 0;
}
