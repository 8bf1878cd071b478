#include <catch2/catch.hpp>
#include <cmath>

#include "nn/lr_schedule.h"
#include "nn/optimizer.h"

using namespace attn;
using namespace attn::nn;

namespace {
// One parameter w with gradient g set by hand; returns w after `steps` updates.
std::vector<float> run(OptimizerOptions o, float lr, int steps, float w0, float g) {
  Var w = Var::parameter(Tensor::full({1}, w0));
  Optimizer opt({{"w", w}}, o);
  std::vector<float> trace;
  for (int i = 0; i < steps; ++i) {
    w.node()->grad_buffer().fill(g);
    opt.step(lr);
    trace.push_back(w.value()[0]);
  }
  return trace;
}
}  // namespace

TEST_CASE("sgd with momentum and nesterov follows PyTorch's update rule") {
  OptimizerOptions o{OptimizerKind::sgd};
  o.momentum = 0.9f;
  auto plain = run(o, 0.1f, 2, 1.0f, 1.0f);
  // buf1 = 1, w1 = 1 - 0.1; buf2 = 0.9 + 1 = 1.9, w2 = 0.9 - 0.19
  CHECK(plain[0] == Approx(0.9f));
  CHECK(plain[1] == Approx(0.71f));
  o.nesterov = true;
  auto nest = run(o, 0.1f, 1, 1.0f, 1.0f);
  CHECK(nest[0] == Approx(1.0f - 0.1f * (1.0f + 0.9f)));
}

TEST_CASE("adam's first step moves each weight by lr, adamw decays decoupled") {
  OptimizerOptions o{OptimizerKind::adam};
  auto a = run(o, 0.01f, 1, 2.0f, 3.0f);
  CHECK(a[0] == Approx(2.0f - 0.01f).epsilon(1e-5));
  o.kind = OptimizerKind::adamw;
  o.weight_decay = 0.5f;
  auto w = run(o, 0.01f, 1, 2.0f, 3.0f);
  CHECK(w[0] == Approx(2.0f * (1 - 0.01f * 0.5f) - 0.01f).epsilon(1e-5));
}

TEST_CASE("optimizer state round-trips exactly") {
  Var w = Var::parameter(Tensor::full({3}, 1.0f));
  Optimizer a({{"w", w}}, {});
  w.node()->grad_buffer().fill(0.5f);
  a.step(0.1f);
  Var w2 = Var::parameter(w.value().clone());
  Optimizer b({{"w", w2}}, {});
  b.load_state(a.state());
  a.step(0.1f);
  w2.node()->grad_buffer().fill(0.5f);
  b.step(0.1f);
  CHECK(w.value().to_vector() == w2.value().to_vector());
  CHECK(b.steps() == 2);
}

TEST_CASE("gradient clipping scales to the max norm and reports the norm") {
  Var a = Var::parameter(Tensor::zeros({2}));
  a.node()->grad_buffer().copy_from(Tensor::from({2}, {3.0f, 4.0f}));
  double norm = clip_grad_norm({a}, 1.0f);
  CHECK(norm == Approx(5.0));
  CHECK(a.grad()[0] == Approx(0.6f).epsilon(1e-4));
  a.node()->grad[0] = NAN;
  CHECK(!std::isfinite(clip_grad_norm({a}, 1.0f)));
}

TEST_CASE("learning-rate schedules: warmup, inverse sqrt, cosine") {
  ScheduleOptions s{ScheduleKind::inverse_sqrt, 1.0f, 100, 1000};
  CHECK(learning_rate(s, 50) == Approx(0.5f));
  CHECK(learning_rate(s, 100) == Approx(1.0f));
  CHECK(learning_rate(s, 400) == Approx(0.5f));
  s.kind = ScheduleKind::cosine;
  CHECK(learning_rate(s, 550) == Approx(0.5f).margin(1e-3));
  CHECK(learning_rate(s, 1000) == Approx(0.0f).margin(1e-6));
  s.kind = ScheduleKind::constant;
  CHECK(learning_rate(s, 5000) == 1.0f);
}
