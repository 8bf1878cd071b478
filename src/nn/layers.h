// The basic layers every model uses: Linear, Embedding, LayerNorm, Dropout.
// Attention modules live in nn/attention_*.h.
#pragma once

#include "nn/module.h"
#include "tensor/ids.h"
#include "tensor/rng.h"

namespace attn::nn {

class Linear : public Module {
 public:
  // weight [out, in] (PyTorch layout), bias [out]
  Linear(int64_t in, int64_t out, bool bias, Rng& rng);
  Var forward(const Var& x) const;  // [..., in] -> [..., out]
  const Var& weight() const { return weight_; }

 private:
  Var weight_, bias_;
};

class Embedding : public Module {
 public:
  Embedding(int64_t vocab, int64_t width, Rng& rng, float init_stddev = 1.0f);
  Var forward(const Ids& ids) const;  // [...] -> [..., C]
  const Var& weight() const { return weight_; }

 private:
  Var weight_;
};

class LayerNorm : public Module {
 public:
  explicit LayerNorm(int64_t width, float eps = 1e-5f);
  Var forward(const Var& x) const;

 private:
  Var gamma_, beta_;
  float eps_;
};

class Dropout : public Module {
 public:
  explicit Dropout(float p) : p_(p) {}
  Var forward(const Var& x) const;  // draws from step_rng() in training mode

 private:
  float p_;
};

}  // namespace attn::nn
