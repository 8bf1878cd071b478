#include <catch2/catch.hpp>

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
