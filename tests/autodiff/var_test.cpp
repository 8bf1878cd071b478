#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/gradcheck.h"
#include "autodiff/var.h"
#include "tensor/rng.h"

using namespace attn;

namespace {
// y = a * b element-wise, written directly against the tape API.
Var times(const Var& a, const Var& b) {
  Tensor out = Tensor::empty(a.shape());
  for (int64_t i = 0; i < out.numel(); ++i) out[i] = a.value()[i] * b.value()[i];
  Tensor av = a.value(), bv = b.value();
  return make_result(out, {a, b}, [a, b, av, bv](const Tensor& dout) {
    Tensor da = Tensor::empty(av.shape()), db = Tensor::empty(bv.shape());
    for (int64_t i = 0; i < dout.numel(); ++i) {
      da[i] = dout[i] * bv[i];
      db[i] = dout[i] * av[i];
    }
    accumulate_grad(a, da);
    accumulate_grad(b, db);
  });
}
}  // namespace

TEST_CASE("backward accumulates gradients of reused values") {
  Var x = Var::parameter(Tensor::from({1}, {3.0f}));
  Var y = times(times(x, x), x);  // x^3 -> 3x^2 = 27
  y.backward();
  CHECK(x.grad()[0] == Approx(27.0f));
}

TEST_CASE("the graph is released after backward") {
  Var x = Var::parameter(Tensor::from({1}, {2.0f}));
  Var y = times(x, x);
  CHECK(y.node()->parents.size() == 2);
  y.backward();
  CHECK(y.node()->parents.empty());
  CHECK(!y.node()->backward);
}

TEST_CASE("backward frees intermediate gradients but keeps the leaves") {
  Var x = Var::parameter(Tensor::from({1}, {2.0f}));
  Var y = times(x, x);
  Var z = times(y, x);
  z.backward();
  CHECK(!y.grad().defined());
  CHECK(!z.grad().defined());
  CHECK(x.grad()[0] == Approx(12.0f));  // d(x^3) = 3x^2
}

TEST_CASE("backward survives intermediate nodes that only the graph holds") {
  // Each step's node is owned only by the next one's parent links, which backward
  // releases as it goes: a deep chain must still reach the leaf correctly.
  Var x = Var::parameter(Tensor::from({1}, {1.01f}));
  auto chain = [&x] {
    Var y = x;
    for (int i = 0; i < 200; ++i) y = times(y, x);
    return y;  // x^201
  };
  chain().backward();
  CHECK(x.grad()[0] == Approx(201.0 * std::pow(1.01, 200)).epsilon(1e-4));
}

TEST_CASE("zero_grad drops the gradient and the next backward writes a fresh one") {
  Var x = Var::parameter(Tensor::from({2}, {1.0f, 2.0f}));
  times(x, x).backward(Tensor::from({2}, {1.0f, 1.0f}));
  times(x, x).backward(Tensor::from({2}, {1.0f, 1.0f}));
  CHECK(x.grad()[1] == Approx(8.0f));  // accumulated over two backward passes
  x.zero_grad();
  CHECK(!x.grad().defined());
  times(x, x).backward(Tensor::from({2}, {1.0f, 1.0f}));
  CHECK(x.grad()[0] == Approx(2.0f));
  CHECK(x.grad()[1] == Approx(4.0f));
}

TEST_CASE("a gradient handed over as an rvalue is adopted without a copy unless shared") {
  Var x = Var::parameter(Tensor::zeros({2, 3}));
  Tensor fresh = Tensor::full({6}, 1.5f);
  const float* storage = fresh.data();
  accumulate_grad(x, std::move(fresh));
  CHECK(x.grad().data() == storage);
  CHECK(x.grad().shape() == Shape{2, 3});

  Var w = Var::parameter(Tensor::zeros({2}));
  Tensor kept = Tensor::full({2}, 1.0f);
  Tensor alias = kept;
  accumulate_grad(w, std::move(alias));  // `kept` still holds the storage: copied, not adopted
  CHECK(!w.grad().shares_storage(kept));
  accumulate_grad(w, Tensor::full({2}, 2.0f));  // second gradient adds
  CHECK(w.grad()[0] == Approx(3.0f));
  CHECK(kept[0] == 1.0f);
}

TEST_CASE("a non-leaf's first gradient shares storage that in-place writes never reach") {
  Var x = Var::parameter(Tensor::from({2}, {1.0f, 2.0f}));
  Var a = times(x, x);  // non-leaf: its gradient is read only by its own backward
  Tensor g = Tensor::full({2}, 1.0f);
  accumulate_grad(a, g);
  CHECK(a.grad().shares_storage(g));
  accumulate_grad(a, Tensor::full({2}, 2.0f));
  CHECK(a.grad()[0] == Approx(3.0f));
  CHECK(!a.grad().shares_storage(g));

  Var b = times(x, x);
  accumulate_grad(b, g);
  const GradSink sink = grad_sink(b);  // an in-place writer gets storage of its own
  CHECK(sink.accumulate);
  sink.data[0] += 5.0f;
  CHECK(b.grad()[0] == Approx(6.0f));
  accumulate_grad(x, g);  // a leaf's gradient is scaled in place by optimizers: always a copy
  CHECK(!x.grad().shares_storage(g));
  x.node()->grad_buffer()[1] = 7.0f;
  CHECK(g[0] == 1.0f);
  CHECK(g[1] == 1.0f);
}

TEST_CASE("no-grad guard records nothing") {
  Var x = Var::parameter(Tensor::from({2}, {1.0f, 2.0f}));
  {
    NoGradGuard guard;
    Var y = times(x, x);
    CHECK(!y.requires_grad());
    CHECK(y.node()->parents.empty());
  }
  CHECK(times(x, x).requires_grad());
}

TEST_CASE("gradcheck accepts a right gradient and rejects a wrong one") {
  Rng rng(3, 0);
  Tensor a = Tensor::empty({3, 4}), b = Tensor::empty({3, 4});
  rng.fill_uniform(a.data(), a.numel(), -1, 1);
  rng.fill_uniform(b.data(), b.numel(), -1, 1);
  CHECK(gradcheck([](const std::vector<Var>& v) { return times(v[0], v[1]); }, {a, b}).ok);
  auto wrong = [](const std::vector<Var>& v) {
    Var a = v[0];
    Tensor out = a.value().clone();
    for (int64_t i = 0; i < out.numel(); ++i) out[i] *= out[i];
    return make_result(out, {a}, [a](const Tensor& dout) { accumulate_grad(a, dout); });  // should be 2x·dout
  };
  GradcheckResult r = gradcheck(wrong, {a});
  CHECK(!r.ok);
  CHECK(!r.detail.empty());
}
