// The LSTM/GRU point-wise passes and the additive attention step built for AVX-512 (this file gets the ISA flags),
// with sigmoid and tanh as short polynomials the compiler vectorises 16 wide.
// Everything here is file-local, and no std:: templates are used, so no code
// compiled for AVX-512 can be picked by the linker for the baseline build.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC bug 105593 in its own intrinsics
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include <cstdint>

#include "kernels/rnn_attention_body.h"
#include "kernels/rnn_cells_body.h"

namespace attn::kernels {

namespace {

struct PolyMath {
  // Cephes expf: 2^n · e^r with |r| <= ln2/2, degree-6 polynomial, ~1 ulp. n is rounded by
  // adding and removing 1.5·2^23 (floor() would not vectorise without -fno-trapping-math), and
  // read back from the low mantissa bits. The clamp keeps 2^n a normal float; the comparisons
  // are written so that NaN passes through.
  [[gnu::always_inline]] static inline float exp(float x) {
    constexpr float kRound = 12582912.0f;
    x = x > 88.0f ? 88.0f : x;
    x = x < -87.0f ? -87.0f : x;
    const float shifted = x * 1.44269504088896341f + kRound;
    const float n = shifted - kRound;
    float r = x - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float y = p * r * r + r + 1.0f;
    const int32_t ni = __builtin_bit_cast(int32_t, shifted) - __builtin_bit_cast(int32_t, kRound);
    return y * __builtin_bit_cast(float, (ni + 127) << 23);
  }

  [[gnu::always_inline]] static inline float sigmoid(float x) { return 1.0f / (1.0f + exp(-x)); }

  // Cephes tanhf: an odd polynomial below |x| = 0.625, where 1 - 2/(e^{2|x|} + 1) would cancel.
  [[gnu::always_inline]] static inline float tanh(float x) {
    const float a = x < 0.0f ? -x : x;
    const float big = 1.0f - 2.0f / (exp(2.0f * a) + 1.0f);
    const float z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    const float small = p * z * x + x;
    return a < 0.625f ? small : (x < 0.0f ? -big : big);
  }

  // The same tanh on 16 lanes with intrinsics, for the attention scores: exp by vscalefps and
  // 2/(e + 1) by a reciprocal estimate and one Newton step, no division (the compiled form of
  // tanh above spent most of its time waiting for vdivps). |x| is clamped to 9, where tanh is
  // 1.0f; NaN passes (vminps returns its second operand).
  [[gnu::always_inline]] static inline __m512 tanh16(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f), sign_bit = _mm512_set1_ps(-0.0f);
    const __m512 sign = _mm512_and_ps(x, sign_bit);
    const __m512 a = _mm512_min_ps(_mm512_set1_ps(9.0f), _mm512_andnot_ps(sign_bit, x));
    const __m512 y = _mm512_add_ps(a, a);  // e^y, y in [0, 18], as in exp() above
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(y, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), y);
    r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    const __m512 e = _mm512_scalef_ps(_mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), one), n);
    const __m512 d = _mm512_add_ps(e, one);
    __m512 inv = _mm512_rcp14_ps(d);
    inv = _mm512_fmadd_ps(_mm512_fnmadd_ps(d, inv, one), inv, inv);
    const __m512 big = _mm512_or_ps(_mm512_fnmadd_ps(_mm512_set1_ps(2.0f), inv, one), sign);
    const __m512 z = _mm512_mul_ps(x, x);
    __m512 q = _mm512_set1_ps(-5.70498872745e-3f);
    q = _mm512_fmadd_ps(q, z, _mm512_set1_ps(2.06390887954e-2f));
    q = _mm512_fmadd_ps(q, z, _mm512_set1_ps(-5.37397155531e-2f));
    q = _mm512_fmadd_ps(q, z, _mm512_set1_ps(1.33314422036e-1f));
    q = _mm512_fmadd_ps(q, z, _mm512_set1_ps(-3.33332819422e-1f));
    const __m512 small = _mm512_fmadd_ps(_mm512_mul_ps(q, z), x, x);
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, _mm512_set1_ps(0.625f), _CMP_LT_OQ), big, small);
  }

  // Two accumulators and one reduction tree: the compiled omp-simd form summed its 16 lanes
  // one scalar add at a time, a long chain for each of the 2·Tk dots per row.
  static float dot(const float* x, const float* y, int64_t n) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
      acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), acc0);
      acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 16), _mm512_loadu_ps(y + i + 16), acc1);
    }
    for (; i < n; i += 16) {
      const __mmask16 m = n - i >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1u);
      acc0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i), acc0);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
  }

  static float tanh_dot(const float* q, const float* k, const float* v, float* t, int64_t n) {
    __m512 acc = _mm512_setzero_ps();
    int64_t a = 0;
    for (; a + 16 <= n; a += 16) {
      const __m512 x = tanh16(_mm512_add_ps(_mm512_loadu_ps(q + a), _mm512_loadu_ps(k + a)));
      _mm512_storeu_ps(t + a, x);
      acc = _mm512_fmadd_ps(_mm512_loadu_ps(v + a), x, acc);
    }
    if (a < n) {
      const __mmask16 m = static_cast<__mmask16>((1u << (n - a)) - 1u);
      const __m512 x = tanh16(_mm512_add_ps(_mm512_maskz_loadu_ps(m, q + a), _mm512_maskz_loadu_ps(m, k + a)));
      _mm512_mask_storeu_ps(t + a, m, x);
      acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, v + a), x, acc);
    }
    return _mm512_reduce_add_ps(acc);
  }
};

}  // namespace

void additive_attention_fwd_avx512(const RnnAttentionShape& s, const int32_t* lengths, const float* q,
                                   const float* keys, const float* values, const float* v, float* t, float* p,
                                   float* context) {
  rnn_attention_body::fwd<PolyMath>(s, lengths, q, keys, values, v, t, p, context);
}

void additive_attention_bwd_avx512(const RnnAttentionShape& s, const int32_t* lengths, const float* values,
                                   const float* v, const float* t, const float* p, const float* dcontext, float* dq,
                                   float* dkeys, float* dv_rows) {
  rnn_attention_body::bwd<PolyMath>(s, lengths, values, v, t, p, dcontext, dq, dkeys, dv_rows);
}

void additive_attention_value_grads_avx512(const RnnAttentionShape& s, const int32_t* lengths,
                                           const AttentionSteps& steps, const float* p, const float* dcontext,
                                           float* dvalues) {
  rnn_attention_body::value_grads<PolyMath>(s, lengths, steps, p, dcontext, dvalues);
}

void lstm_pointwise_fwd_avx512(const RnnCellShape& s, float* gates, const float* bias, const float* c,
                               float* h_out, float* c_out) {
  rnn_body::lstm_fwd<PolyMath>(s, gates, bias, c, h_out, c_out);
}

void lstm_pointwise_bwd_avx512(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                               const float* dh_out, const float* dc_out, float* dc, float* dbias) {
  rnn_body::lstm_bwd<PolyMath>(s, gates, c, c_out, dh_out, dc_out, dc, dbias);
}

void gru_pointwise_fwd_avx512(const RnnCellShape& s, float* gi, float* gh, const float* b_ih, const float* b_hh,
                              const float* h, float* h_out) {
  rnn_body::gru_fwd<PolyMath>(s, gi, gh, b_ih, b_hh, h, h_out);
}

void gru_pointwise_bwd_avx512(const RnnCellShape& s, float* gi, float* gh, const float* h, const float* dh_out,
                              float* dh, float* db_ih, float* db_hh) {
  rnn_body::gru_bwd<PolyMath>(s, gi, gh, h, dh_out, dh, db_ih, db_hh);
}

}  // namespace attn::kernels
