#include "data/embedded_samples.h"

#include <string>

#include "base/error.h"

namespace attn::data {

// Defined in the files generated from embedded_sample.cpp.in.
const EmbeddedSample& embedded_g2p_sample();
const EmbeddedSample& embedded_spam_sample();
const EmbeddedSample& embedded_fashion_mnist_sample();
const EmbeddedSample& embedded_sunspots();

std::string_view EmbeddedSample::file(std::string_view name) const {
  for (const EmbeddedFile& f : files)
    if (f.name == name) return f.bytes;
  ATTN_FAIL(data, "the embedded sample has no file ", name);
}

std::string_view EmbeddedSample::split(Split s) const { return file(std::string(split_name(s)) + ".tsv"); }

const EmbeddedSample& embedded_sample(std::string_view name) {
  if (name == "g2p-sample") return embedded_g2p_sample();
  if (name == "spam-sample") return embedded_spam_sample();
  if (name == "fashion-mnist-sample") return embedded_fashion_mnist_sample();
  if (name == "sunspots") return embedded_sunspots();
  ATTN_FAIL(config, "no embedded dataset '", name, "' (g2p-sample, spam-sample, fashion-mnist-sample, sunspots)");
}

}  // namespace attn::data
