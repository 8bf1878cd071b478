#include "ops/linalg.h"

#include <algorithm>
#include <utility>

#include "base/error.h"
#include "kernels/column_sums.h"
#include "kernels/matmul.h"

namespace attn {

namespace {
using kernels::MatmulShape;

// C = op(A)·op(B):  dA = dC·op(B)ᵀ, or op(B)·dCᵀ when A is stored transposed [K, M].
void matmul_backward_a(const MatmulShape& s, const float* b, const float* dc, GradSink da_sink) {
  float* da = da_sink.data;
  MatmulShape g;
  g.batch = s.batch;
  g.accumulate = da_sink.accumulate;
  if (!s.trans_a) {
    g.m = s.m, g.n = s.k, g.k = s.n;
    g.trans_b = !s.trans_b;
    g.b_batched = s.b_batched;
    kernels::matmul(g, dc, b, da);
  } else {
    g.m = s.k, g.n = s.m, g.k = s.n;
    g.trans_a = s.trans_b;
    g.trans_b = true;
    g.a_batched = s.b_batched;
    kernels::matmul(g, b, dc, da);
  }
}

// dB = op(A)ᵀ·dC, or dCᵀ·op(A) when B is stored transposed [N, K]. A B shared by
// every batch entry gets the sum of the per-entry products.
void matmul_backward_b(const MatmulShape& s, const float* a, const float* dc, GradSink db_sink) {
  float* db = db_sink.data;
  MatmulShape g;
  g.accumulate = db_sink.accumulate;
  const float *x = a, *y = dc;
  int64_t x_step = s.m * s.k, y_step = s.m * s.n;
  if (!s.trans_b) {
    g.m = s.k, g.n = s.n, g.k = s.m;
    g.trans_a = !s.trans_a;
  } else {
    g.m = s.n, g.n = s.k, g.k = s.m;
    g.trans_a = true;
    g.trans_b = s.trans_a;
    std::swap(x, y);
    std::swap(x_step, y_step);
  }
  if (s.b_batched) {
    g.batch = s.batch;
    kernels::matmul(g, x, y, db);
    return;
  }
  for (int64_t bi = 0; bi < s.batch; ++bi) {
    kernels::matmul(g, x + bi * x_step, y + bi * y_step, db);
    g.accumulate = true;
  }
}
}  // namespace

Var matmul(const Var& a, const Var& b, bool trans_a, bool trans_b) {
  ATTN_CHECK(a.defined() && b.defined() && a.rank() >= 2 && b.rank() >= 2, shape,
             "matmul needs operands of rank >= 2, got a ", a.defined() ? to_string(a.shape()) : "undefined",
             " and b ", b.defined() ? to_string(b.shape()) : "undefined");
  const Shape &as = a.shape(), &bs = b.shape();
  const int ra = a.rank(), rb = b.rank();
  const int64_t m = as[ra - (trans_a ? 1 : 2)], k = as[ra - (trans_a ? 2 : 1)];
  const int64_t kb = bs[rb - (trans_b ? 1 : 2)], n = bs[rb - (trans_b ? 2 : 1)];
  ATTN_CHECK(k == kb, shape, "matmul: a ", to_string(as), trans_a ? " (transposed)" : "", " gives K = ", k,
             " but b ", to_string(bs), trans_b ? " (transposed)" : "", " gives K = ", kb);
  const bool shared_b = rb == 2;
  ATTN_CHECK(shared_b || (ra == rb && std::equal(as.begin(), as.end() - 2, bs.begin())), shape,
             "matmul: batch dims of a ", to_string(as), " and b ", to_string(bs), " differ");
  const int64_t batch = dims_product(as, 0, ra - 2);

  MatmulShape s;
  s.n = n, s.k = k;
  s.trans_a = trans_a, s.trans_b = trans_b;
  s.b_batched = !shared_b;
  if (shared_b && !trans_a) {  // rows of every batch entry form one tall GEMM
    s.batch = 1, s.m = batch * m;
  } else {
    s.batch = batch, s.m = m;
  }
  Shape out_shape(as.begin(), as.end() - 2);
  out_shape.push_back(m);
  out_shape.push_back(n);
  Tensor out = Tensor::empty(out_shape);
  kernels::matmul(s, a.value().data(), b.value().data(), out.data());
  return make_result(out, {a, b}, [a, b, s](const Tensor& dc) {
    if (a.requires_grad()) matmul_backward_a(s, b.value().data(), dc.data(), grad_sink(a));
    if (b.requires_grad()) matmul_backward_b(s, a.value().data(), dc.data(), grad_sink(b));
  });
}

// y = x·Wᵀ + bias, the bias added by the GEMM itself (oneDNN bias: no extra pass
// over y; prefilling y and accumulating cost 10 % more on [4096, 256]·[1024, 256]ᵀ).
Var linear(const Var& x, const Var& weight, const Var& bias) {
  ATTN_CHECK(x.defined() && weight.defined() && weight.rank() == 2 && x.rank() >= 1 &&
                 x.dim(-1) == weight.dim(1),
             shape, "linear: x ", x.defined() ? to_string(x.shape()) : "undefined",
             " does not fit weight [out, in] ", weight.defined() ? to_string(weight.shape()) : "undefined");
  const int64_t in = weight.dim(1), out = weight.dim(0);
  ATTN_CHECK(!bias.defined() || (bias.rank() == 1 && bias.dim(0) == out), shape, "linear: bias ",
             bias.defined() ? to_string(bias.shape()) : "", " does not fit weight ", to_string(weight.shape()));
  const int64_t rows = dims_product(x.shape(), 0, x.rank() - 1);
  Shape out_shape = x.shape();
  out_shape.back() = out;
  Tensor y = Tensor::empty(out_shape);  // [rows, out]

  MatmulShape s;
  s.m = rows, s.n = out, s.k = in;
  s.trans_b = true;
  kernels::matmul(s, x.value().data(), weight.value().data(), y.data(),
                  bias.defined() ? bias.value().data() : nullptr);

  std::vector<Var> parents{x, weight};
  if (bias.defined()) parents.push_back(bias);
  return make_result(y, parents, [x, weight, bias, rows, in, out](const Tensor& dy) {
    if (x.requires_grad()) {  // dx [rows, in] += dy · W
      const GradSink dx = grad_sink(x);
      MatmulShape g;
      g.m = rows, g.n = in, g.k = out;
      g.accumulate = dx.accumulate;
      kernels::matmul(g, dy.data(), weight.value().data(), dx.data);
    }
    if (weight.requires_grad()) {  // dW [out, in] += dyᵀ · x
      const GradSink dw = grad_sink(weight);
      MatmulShape g;
      g.m = out, g.n = in, g.k = rows;
      g.trans_a = true;
      g.accumulate = dw.accumulate;
      kernels::matmul(g, dy.data(), x.value().data(), dw.data);
    }
    if (bias.requires_grad()) {  // dbias [out] += Σ_rows dy
      const GradSink db = grad_sink(bias);
      if (!db.accumulate) std::fill(db.data, db.data + out, 0.0f);
      kernels::add_column_sums(dy.data(), rows, out, db.data);
    }
  });
}

}  // namespace attn
