#include "data/embedded_samples.h"

#include "base/error.h"

namespace attn::data {

// Defined in the files generated from embedded_sample.cpp.in.
const EmbeddedSample& embedded_g2p_sample();
const EmbeddedSample& embedded_spam_sample();

const EmbeddedSample& embedded_sample(std::string_view name) {
  if (name == "g2p-sample") return embedded_g2p_sample();
  if (name == "spam-sample") return embedded_spam_sample();
  ATTN_FAIL(config, "no embedded dataset '", name, "' (g2p-sample, spam-sample)");
}

}  // namespace attn::data
