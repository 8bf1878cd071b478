#include "kernels/packed_product.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <omp.h>
#include <tuple>
#include <unordered_map>

#include <oneapi/dnnl/dnnl.hpp>

#include "kernels/matmul.h"

namespace attn::kernels {

namespace {
using dnnl::memory;
using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, bool, bool>;  // rows, m, n, k, trans, accumulate

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

// oneDNN reads the thread count when it builds a primitive (its work split, and so the
// packed layout) and when it runs one outside a parallel region: both see one thread here.
class OneThread {
 public:
  OneThread() : before_(omp_get_max_threads()) { omp_set_num_threads(1); }
  ~OneThread() { omp_set_num_threads(before_); }
  OneThread(const OneThread&) = delete;
  OneThread& operator=(const OneThread&) = delete;

 private:
  int before_;
};

memory::desc plain_weight(const PackedProductShape& s) {
  return memory::desc({s.k, s.n}, memory::data_type::f32, s.trans ? memory::format_tag::ba : memory::format_tag::ab);
}

struct Cached {
  dnnl::matmul prim;
  memory::desc a, w, c, scratch;
  bool packed;  // w is the packed layout, else the plain one
};

// The library's own scratchpad is shared by every thread, so two threads running one primitive
// would overwrite each other's packed blocks: each thread passes its own, grown as needed.
class Scratch {
 public:
  ~Scratch() { std::free(data_); }
  void* reserve(size_t bytes) {
    if (bytes > size_) {
      std::free(data_);
      size_ = (bytes + 4095) / 4096 * 4096;
      data_ = std::aligned_alloc(4096, size_);
    }
    return data_;
  }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

Cached build(const PackedProductShape& s, int64_t m, bool accumulate, bool packed) {
  OneThread one;
  memory::desc a({m, s.k}, memory::data_type::f32, memory::format_tag::ab);
  memory::desc c({m, s.n}, memory::data_type::f32, memory::format_tag::ab);
  memory::desc w = packed ? memory::desc({s.k, s.n}, memory::data_type::f32, memory::format_tag::any) : plain_weight(s);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (accumulate) {
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, w, c), attr, engine());
  return Cached{dnnl::matmul(pd), a, pd.weights_desc(), c, pd.scratchpad_desc(), packed};
}

// m = -1: the entry that defines the packed layout (the one the library picks for s.rows rows).
const Cached& primitive_for(const PackedProductShape& s, int64_t m, bool accumulate) {
  static std::mutex mutex;
  static std::map<Key, Cached> cache;
  const Key key{s.rows, m, s.n, s.k, s.trans, accumulate};
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  const Cached layout = build(s, s.rows, false, true);
  if (m < 0) return cache.emplace(key, layout).first->second;
  Cached packed = build(s, m, accumulate, true);
  return cache.emplace(key, packed.w == layout.w ? packed : build(s, m, accumulate, false)).first->second;
}

const memory::desc& packed_layout(const PackedProductShape& s) { return primitive_for(s, -1, false).w; }
}  // namespace

int64_t packed_weight_floats(const PackedProductShape& s) {
  return static_cast<int64_t>(packed_layout(s).get_size() / sizeof(float));
}

void pack_weight(const PackedProductShape& s, const float* w, float* packed) {
  memory from(plain_weight(s), engine(), const_cast<float*>(w));
  memory to(packed_layout(s), engine(), packed);
  dnnl::stream stream(engine());
  dnnl::reorder(from, to).execute(stream, from, to);
  stream.wait();
}

void packed_product(const PackedProductShape& s, int64_t m, const float* a, const float* w, const float* packed,
                    float* c, bool accumulate) {
  if (m == 0 || s.n == 0) return;
  if (s.k == 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m * s.n; ++i) c[i] = 0.0f;
    return;
  }
  const Cached* p = &primitive_for(s, m, accumulate);
  thread_local dnnl::stream stream(engine());
  thread_local Scratch scratch;
  memory ma(p->a, engine(), const_cast<float*>(a));
  memory mw(p->w, engine(), const_cast<float*>(p->packed ? packed : w));
  memory mc(p->c, engine(), c);
  memory ms(p->scratch, engine(), scratch.reserve(p->scratch.get_size()));
  const std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mw}, {DNNL_ARG_DST, mc}, {DNNL_ARG_SCRATCHPAD, ms}};
  if (omp_in_parallel()) {
    p->prim.execute(stream, args);
  } else {
    OneThread one;
    p->prim.execute(stream, args);
  }
  stream.wait();
}

void packed_product_reference(const PackedProductShape& s, int64_t m, const float* a, const float* w, float* c,
                              bool accumulate) {
  matmul_reference({.m = m, .n = s.n, .k = s.k, .trans_b = s.trans, .accumulate = accumulate}, a, w, c);
}

}  // namespace attn::kernels
