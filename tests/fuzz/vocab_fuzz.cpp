// vocab.json ({"tokens": [...]}): parsed as a run file is, then Vocab::from_json. An accepted
// vocabulary round-trips through to_json and maps each of its tokens to its own id and back.
#include <optional>

#include "data/vocab.h"
#include "experiment/json_file.h"
#include "fuzz_support.h"

using namespace attn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::optional<data::Vocab> vocab;
  fuzz::reject_or_accept([&] {
    const experiment::Json doc = experiment::parse_json(fuzz::bytes_of(data, size), ErrorKind::data, "vocab.json");
    vocab = data::Vocab::from_json(nlohmann::json::parse(doc.dump()));
  });
  if (!vocab) return 0;
  ATTN_FUZZ_CHECK(data::Vocab::from_json(vocab->to_json()) == *vocab);  // an Error here aborts
  for (int32_t id = 0; id < vocab->size(); ++id) ATTN_FUZZ_CHECK(vocab->id(vocab->token(id)) == id);
  return 0;
}
