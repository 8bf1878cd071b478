#include "kernels/matmul.h"

#include <cassert>
#include <map>
#include <mutex>
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>
#include <tuple>
#include <vector>

#include "kernels/precision.h"

namespace attn::kernels {

namespace {
using dnnl::memory;
constexpr double kSerialFlops = 2e6;
using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, bool, bool, bool, bool, bool, bool, bool>;

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

memory::desc operand_desc(int64_t batch, int64_t rows, int64_t cols, bool transposed, bool batched,
                          memory::data_type type = memory::data_type::f32) {
  // Logical [batch, rows, cols]; a transposed operand is stored [cols, rows].
  memory::dims dims{batched ? batch : 1, rows, cols};
  memory::dims strides = transposed ? memory::dims{rows * cols, 1, rows} : memory::dims{rows * cols, cols, 1};
  return memory::desc(dims, type, strides);
}

struct Cached {
  dnnl::matmul prim;
  memory::desc a, b, c, bias;
};

// bf16: A and B in bf16, C and the bias in f32, so oneDNN accumulates in f32.
const Cached& primitive_for(const MatmulShape& s, bool with_bias, bool bf16) {
  static std::mutex mutex;
  static std::map<Key, Cached> cache;
  Key key{s.batch, s.m, s.n, s.k, s.trans_a, s.trans_b, s.a_batched, s.b_batched, s.accumulate, with_bias, bf16};
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  const memory::data_type in = bf16 ? memory::data_type::bf16 : memory::data_type::f32;
  memory::desc a = operand_desc(s.batch, s.m, s.k, s.trans_a, s.a_batched, in);
  memory::desc b = operand_desc(s.batch, s.k, s.n, s.trans_b, s.b_batched, in);
  memory::desc c = operand_desc(s.batch, s.m, s.n, false, true);
  dnnl::primitive_attr attr;
  if (s.accumulate) {
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  memory::desc bias = with_bias ? memory::desc({1, 1, s.n}, memory::data_type::f32, memory::dims{s.n, s.n, 1})
                                : memory::desc();
  dnnl::matmul::primitive_desc pd(with_bias ? dnnl::matmul::desc(a, b, bias, c) : dnnl::matmul::desc(a, b, c), attr,
                                  engine());
  return cache.emplace(key, Cached{dnnl::matmul(pd), a, b, c, bias}).first->second;
}

// The bf16 copy of a dense operand, in a per-thread buffer (slot 0: A, 1: B) that
// only grows. Converted on every call: a weight's rounding costs N·K element
// passes against the product's 2·M·N·K flops.
void* bf16_copy(const float* x, int64_t n, int slot) {
  thread_local std::vector<uint16_t> buffers[2];
  std::vector<uint16_t>& buf = buffers[slot];
  if (static_cast<int64_t>(buf.size()) < n) buf.resize(n);
  to_bf16(x, buf.data(), n);
  return buf.data();
}
}  // namespace

void matmul(const MatmulShape& s, const float* a, const float* b, float* c, const float* bias) {
  if (s.batch == 0 || s.m == 0 || s.n == 0) return;
  if (s.k == 0) {
    for (int64_t i = 0; i < s.batch * s.m * s.n; ++i)
      c[i] = (s.accumulate ? c[i] : 0.0f) + (bias ? bias[i % s.n] : 0.0f);
    return;
  }
  if (!s.a_batched && !s.b_batched && s.batch > 1) {
    // oneDNN wants one batched source; every entry is the same product.
    MatmulShape one = s;
    one.batch = 1;
    for (int64_t bi = 0; bi < s.batch; ++bi) matmul(one, a, b, c + bi * s.m * s.n, bias);
    return;
  }
  const bool bf16 = matmul_precision() == Precision::bf16;
  const Cached& p = primitive_for(s, bias != nullptr, bf16);
  // Small products run on the calling thread: waking an OpenMP team costs more
  // than the work, and far more when the cores are shared.
  const double flops = 2.0 * static_cast<double>(s.batch) * s.m * s.n * s.k;
  const int threads = omp_get_max_threads();
  const bool serial = flops < kSerialFlops && threads > 1;
  if (serial) omp_set_num_threads(1);
  void* a_in = const_cast<float*>(a);
  void* b_in = const_cast<float*>(b);
  if (bf16) {
    a_in = bf16_copy(a, (s.a_batched ? s.batch : 1) * s.m * s.k, 0);
    b_in = bf16_copy(b, (s.b_batched ? s.batch : 1) * s.k * s.n, 1);
  }
  thread_local dnnl::stream stream(engine());
  memory ma(p.a, engine(), a_in);
  memory mb(p.b, engine(), b_in);
  memory mc(p.c, engine(), c);
  if (bias) {
    memory mbias(p.bias, engine(), const_cast<float*>(bias));
    p.prim.execute(stream, {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb}, {DNNL_ARG_BIAS, mbias}, {DNNL_ARG_DST, mc}});
  } else {
    p.prim.execute(stream, {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb}, {DNNL_ARG_DST, mc}});
  }
  stream.wait();
  if (serial) omp_set_num_threads(threads);
}

void matmul_reference(const MatmulShape& s, const float* a, const float* b, float* c, const float* bias) {
  // In bf16 the inputs are rounded as the fast path rounds them; sums stay exact-ish (double).
  const bool bf16 = matmul_precision() == Precision::bf16;
  auto in = [bf16](float x) { return bf16 ? from_bf16(to_bf16(x)) : x; };
  for (int64_t bi = 0; bi < s.batch; ++bi) {
    const float* ab = a + (s.a_batched ? bi * s.m * s.k : 0);
    const float* bb = b + (s.b_batched ? bi * s.k * s.n : 0);
    float* cb = c + bi * s.m * s.n;
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        double acc = bias ? bias[j] : 0.0;
        for (int64_t p = 0; p < s.k; ++p) {
          float av = in(s.trans_a ? ab[p * s.m + i] : ab[i * s.k + p]);
          float bv = in(s.trans_b ? bb[j * s.k + p] : bb[p * s.n + j]);
          acc += static_cast<double>(av) * bv;
        }
        cb[i * s.n + j] = static_cast<float>(s.accumulate ? cb[i * s.n + j] + acc : acc);
      }
  }
}

std::string onednn_version() {
  const dnnl_version_t* v = dnnl_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
}

}  // namespace attn::kernels
