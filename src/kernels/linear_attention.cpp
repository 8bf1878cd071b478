#include "kernels/linear_attention.h"

#include <algorithm>

namespace attn::kernels {

namespace {
// Number of keys query i sees: keys [0, limit).
int64_t visible_keys(const LinearAttentionShape& s, int64_t i) {
  if (!s.causal) return s.tk;
  return std::clamp<int64_t>(i + (s.tk - s.tq) + 1, 0, s.tk);
}

// state[D, Dv + 1] += b_j [v_j, 1]ᵀ
void add_outer(int64_t d, int64_t dv, const float* bj, const float* vj, float* state) {
  for (int64_t x = 0; x < d; ++x) {
    float* row = state + x * (dv + 1);
    const float bx = bj[x];
    for (int64_t y = 0; y < dv; ++y) row[y] += bx * vj[y];
    row[dv] += bx;
  }
}

// The gradient reaching [num_i, den_i]: [g_i / den_i, -(g_i · out_i) / den_i].
void numerator_grad(int64_t dv, const float* g, const float* out, float den, float* dnum) {
  float dot = 0.0f;
  for (int64_t y = 0; y < dv; ++y) {
    dnum[y] = g[y] / den;
    dot += g[y] * out[y];
  }
  dnum[dv] = -dot / den;
}
}  // namespace

void linear_attention_fwd(const LinearAttentionShape& s, const float* a, const float* b, const float* v,
                          float* out, float* den, float* state) {
  const int64_t D = s.d, Dv = s.dv, W = Dv + 1;
#pragma omp parallel for schedule(static) if (s.groups > 1 && s.groups * (s.tq + s.tk) * D * W > 65536)
  for (int64_t g = 0; g < s.groups; ++g) {
    float* S = state + g * (D + 1) * W;
    std::fill(S, S + D * W, 0.0f);
    const float* ag = a + g * s.tq * D;
    const float* bg = b + g * s.tk * D;
    const float* vg = v + g * s.tk * Dv;
    int64_t next_key = 0;
    for (int64_t i = 0; i < s.tq; ++i) {
      for (const int64_t limit = visible_keys(s, i); next_key < limit; ++next_key)
        add_outer(D, Dv, bg + next_key * D, vg + next_key * Dv, S);
      float* o = out + (g * s.tq + i) * Dv;
      const float* ai = ag + i * D;
      std::fill(o, o + Dv, 0.0f);
      float z = 0.0f;
      for (int64_t x = 0; x < D; ++x) {
        const float* row = S + x * W;
        for (int64_t y = 0; y < Dv; ++y) o[y] += ai[x] * row[y];
        z += ai[x] * row[Dv];
      }
      const float d = z + s.eps;
      den[g * s.tq + i] = d;
      for (int64_t y = 0; y < Dv; ++y) o[y] /= d;
    }
  }
}

void linear_attention_bwd(const LinearAttentionShape& s, const float* a, const float* b, const float* v,
                          const float* out, const float* den, const float* dout, float* da, float* db,
                          float* dv, float* state) {
  const int64_t D = s.d, Dv = s.dv, W = Dv + 1;
#pragma omp parallel for schedule(static) if (s.groups > 1 && s.groups * (s.tq + s.tk) * D * W > 65536)
  for (int64_t g = 0; g < s.groups; ++g) {
    float* S = state + g * (D + 1) * W;
    float* dnum = S + D * W;
    const float* ag = a + g * s.tq * D;
    const float* bg = b + g * s.tk * D;
    const float* vg = v + g * s.tk * Dv;
    const float* og = out + g * s.tq * Dv;
    const float* gg = dout + g * s.tq * Dv;
    const float* deng = den + g * s.tq;
    // Pass 1, queries forward: rebuild the prefix state S'_i and take da_i = S'_i dnum'_i.
    std::fill(S, S + D * W, 0.0f);
    int64_t next_key = 0;
    for (int64_t i = 0; i < s.tq; ++i) {
      for (const int64_t limit = visible_keys(s, i); next_key < limit; ++next_key)
        add_outer(D, Dv, bg + next_key * D, vg + next_key * Dv, S);
      numerator_grad(Dv, gg + i * Dv, og + i * Dv, deng[i], dnum);
      float* dai = da + (g * s.tq + i) * D;
      for (int64_t x = 0; x < D; ++x) {
        const float* row = S + x * W;
        float acc = 0.0f;
        for (int64_t y = 0; y < W; ++y) acc += row[y] * dnum[y];
        dai[x] = acc;
      }
    }
    // Pass 2, keys backward: R'_j gathers every query that sees key j.
    std::fill(S, S + D * W, 0.0f);
    int64_t next_query = s.tq - 1;
    for (int64_t j = s.tk - 1; j >= 0; --j) {
      const int64_t first = s.causal ? std::max<int64_t>(0, j - (s.tk - s.tq)) : 0;
      for (; next_query >= first; --next_query) {
        numerator_grad(Dv, gg + next_query * Dv, og + next_query * Dv, deng[next_query], dnum);
        const float* ai = ag + next_query * D;
        for (int64_t x = 0; x < D; ++x) {
          float* row = S + x * W;
          for (int64_t y = 0; y < W; ++y) row[y] += ai[x] * dnum[y];
        }
      }
      const float* bj = bg + j * D;
      const float* vj = vg + j * Dv;
      float* dbj = db + (g * s.tk + j) * D;
      float* dvj = dv + (g * s.tk + j) * Dv;
      std::fill(dvj, dvj + Dv, 0.0f);
      for (int64_t x = 0; x < D; ++x) {
        const float* row = S + x * W;
        float acc = row[Dv];
        for (int64_t y = 0; y < Dv; ++y) {
          acc += row[y] * vj[y];
          dvj[y] += row[y] * bj[x];
        }
        dbj[x] = acc;
      }
    }
  }
}

}  // namespace attn::kernels
