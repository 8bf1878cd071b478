#include <catch2/catch.hpp>
#include <vector>

#include "kernels/cpu_features.h"
#include "kernels/rnn_attention.h"
#include "support/random_values.h"
#include "tensor/rng.h"

using namespace attn;
using attn::kernels::RnnAttentionShape;

namespace {

using testing::random_vector;
using testing::require_close;

}  // namespace

TEST_CASE("additive attention step kernels match their reference twin") {
  INFO("isa " << kernels::isa_name(kernels::detected_isa()));
  Rng rng(81, 0);
  // Widths around the 16-lane vectors, size-1 dims, a context stride wider than Dk, and
  // (the last shape) enough work for the parallel path.
  for (const RnnAttentionShape& s : std::vector<RnnAttentionShape>{
           {1, 1, 1, 1, 1}, {3, 5, 17, 15, 20}, {2, 7, 16, 33, 33}, {64, 20, 256, 256, 512}}) {
    INFO("B " << s.batch << " Tk " << s.keys << " A " << s.width << " Dk " << s.value_width);
    const int64_t ta = s.batch * s.keys * s.width, tv = s.batch * s.keys * s.value_width;
    std::vector<int32_t> lengths(s.batch);
    for (int64_t b = 0; b < s.batch; ++b) lengths[b] = static_cast<int32_t>(s.keys - b % (s.keys + 1));  // 0 too
    // q + k up to ±6 reaches the saturated ends of tanh.
    const std::vector<float> q = random_vector(rng, s.batch * s.width, -3.0f, 3.0f);
    const std::vector<float> keys = random_vector(rng, ta, -3.0f, 3.0f), values = random_vector(rng, tv, -1.0f, 1.0f);
    const std::vector<float> v = random_vector(rng, s.width, -1.0f, 1.0f);
    std::vector<float> t(ta, 0.0f), p(s.batch * s.keys), ctx(s.batch * s.ctx_stride, 0.0f);
    std::vector<float> ref_t = t, ref_p = p, ref_ctx = ctx;
    kernels::additive_attention_fwd(s, lengths.data(), q.data(), keys.data(), values.data(), v.data(), t.data(),
                                    p.data(), ctx.data());
    kernels::additive_attention_fwd_reference(s, lengths.data(), q.data(), keys.data(), values.data(), v.data(),
                                              ref_t.data(), ref_p.data(), ref_ctx.data());
    require_close(t, ref_t, 1e-6);
    require_close(p, ref_p, 1e-6);
    require_close(ctx, ref_ctx, 1e-5);

    const std::vector<float> dctx = random_vector(rng, s.batch * s.ctx_stride, -1.0f, 1.0f);
    std::vector<float> dq(s.batch * s.width), dkeys(ta, 0.5f), dv(s.batch * s.width, 0.25f);
    std::vector<float> ref_dq = dq, ref_dkeys = dkeys, ref_dv = dv;
    kernels::additive_attention_bwd(s, lengths.data(), values.data(), v.data(), t.data(), p.data(), dctx.data(),
                                    dq.data(), dkeys.data(), dv.data());
    kernels::additive_attention_bwd_reference(s, lengths.data(), values.data(), v.data(), ref_t.data(), ref_p.data(),
                                              dctx.data(), ref_dq.data(), ref_dkeys.data(), ref_dv.data());
    require_close(dq, ref_dq, 1e-5);
    require_close(dkeys, ref_dkeys, 1e-5);
    require_close(dv, ref_dv, 1e-5);
  }
}

TEST_CASE("additive attention value grads over steps match their reference and the per-step sum") {
  Rng rng(82, 0);
  // p and context grads laid out as a loop keeps them: [T, B, …] with wider context rows.
  for (const RnnAttentionShape& s : std::vector<RnnAttentionShape>{
           {1, 1, 1, 1, 1}, {3, 5, 17, 15, 20}, {2, 7, 16, 33, 40}, {64, 20, 256, 256, 512}}) {
    for (int64_t steps : {1, 4}) {
      INFO("B " << s.batch << " Tk " << s.keys << " Dk " << s.value_width << " steps " << steps);
      std::vector<int32_t> lengths(s.batch);
      for (int64_t b = 0; b < s.batch; ++b) lengths[b] = static_cast<int32_t>(s.keys - b % (s.keys + 1));  // 0 too
      const kernels::AttentionSteps st{steps, s.batch * s.keys, s.batch * s.ctx_stride};
      const std::vector<float> p = random_vector(rng, steps * st.p_step, 0.0f, 1.0f);
      const std::vector<float> dctx = random_vector(rng, steps * st.dcontext_step, -1.0f, 1.0f);
      const std::vector<float> start = random_vector(rng, s.batch * s.keys * s.value_width, -1.0f, 1.0f);
      std::vector<float> got = start, ref = start, expect = start;
      kernels::additive_attention_value_grads(s, lengths.data(), st, p.data(), dctx.data(), got.data());
      kernels::additive_attention_value_grads_reference(s, lengths.data(), st, p.data(), dctx.data(), ref.data());
      for (int64_t i = 0; i < steps; ++i)  // dvalues[b, j] += p_i[b, j] dcontext_i[b] for j < length
        for (int64_t b = 0; b < s.batch; ++b)
          for (int64_t j = 0; j < lengths[b]; ++j)
            for (int64_t d = 0; d < s.value_width; ++d)
              expect[(b * s.keys + j) * s.value_width + d] +=
                  p[i * st.p_step + b * s.keys + j] * dctx[i * st.dcontext_step + b * s.ctx_stride + d];
      require_close(got, ref, 1e-5);
      require_close(got, expect, 1e-5);
    }
  }
}
