// safetensors files: model weights (checkpoints/*.safetensors, `eval --checkpoint`) and
// optimizer files (*.optim-*.safetensors) share decode_safetensors, header and __metadata__.
// An accepted file re-encodes to one that decodes to the same tensors and metadata; it is then
// loaded as model weights through load_model_weights_file into a model of its own names and
// shapes, which checks the checkpoint metadata (trainer state, data checksum) as `attn eval` does.
#include <cstring>

#include "experiment/checkpoint.h"
#include "experiment/safetensors.h"
#include "fuzz_support.h"

using namespace attn;
using namespace attn::experiment;

namespace {
bool same_tensors(const NamedTensors& a, const NamedTensors& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Tensor &x = a[i].second, &y = b[i].second;
    if (a[i].first != b[i].first || x.shape() != y.shape()) return false;
    if (std::memcmp(x.data(), y.data(), sizeof(float) * static_cast<size_t>(x.numel())) != 0) return false;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = fuzz::bytes_of(data, size);
  fuzz::reject_or_accept([&] {
    const SafetensorsFile file = decode_safetensors(bytes, "fuzz");
    const SafetensorsFile again = decode_safetensors(encode_safetensors(file.tensors, file.metadata), "round trip");
    ATTN_FUZZ_CHECK(same_tensors(file.tensors, again.tensors) && file.metadata == again.metadata);
    NamedTensors model;
    for (const auto& [name, t] : file.tensors) model.emplace_back(name, Tensor::zeros(t.shape()));
    const auto path = fuzz::scratch_dir() / "last.safetensors";
    fuzz::write_file(path, bytes);
    load_model_weights_file(path, model);
  });
  return 0;
}
