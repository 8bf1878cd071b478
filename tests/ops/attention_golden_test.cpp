// Golden tests: the attention op and linear attention against fixtures computed
// once with PyTorch in float64 by tests/ops/fixtures/make_attention_fixtures.py
// (every score × normalizer, every mask kind, both layouts, fully masked rows).
// Values, captured weights and every gradient are compared.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ops/attention.h"
#include "ops/linear_attention.h"
#include "support/golden.h"

using namespace attn;
using nlohmann::json;

namespace {

// 1e-5 relative plus 1e-5 of the tensor's largest magnitude (sums of terms that large).
json load_cases(const std::string& name) { return testing::load_fixture_cases("ops/fixtures/" + name + ".json"); }
Tensor tensor(const json& j) { return testing::fixture_tensor(j); }
void require_matches(const Tensor& actual, const json& expected, const std::string& what) {
  testing::require_matches(actual, expected, what, {1e-5, 1e-5, true});
}

AttentionScore score_named(const std::string& name) { return attention_score_from_name(name); }

}  // namespace

TEST_CASE("attention op matches PyTorch: every score and normalizer, masks, layouts, fully masked rows") {
  for (const json& c : load_cases("attention")) {
    const std::string name = c["name"].get<std::string>();
    DYNAMIC_SECTION(name) {
      std::map<std::string, Var> in;
      for (auto& [key, value] : c["inputs"].items()) in[key] = Var::parameter(tensor(value));
      AttentionOptions o;
      o.score = score_named(c["score"].get<std::string>());
      o.normalizer = attention_normalizer_from_name(c["normalizer"].get<std::string>());
      o.layout = c["layout"].get<std::string>() == "bthd" ? AttentionLayout::bthd : AttentionLayout::bhtd;
      o.cosine_tau = c["cosine_tau"].get<float>();
      o.mask.key_lengths = c["key_lengths"].get<std::vector<int32_t>>();
      o.mask.causal = c["causal"].get<bool>();
      o.mask.window = c["window"].get<int64_t>();
      if (c.contains("mask")) o.mask.mask = tensor(c["mask"]);
      auto param = [&](const char* key) { return in.count(key) ? in[key] : Var(); };
      o.params.weight = param("weight");
      o.params.query_weight = param("query_weight");
      o.params.key_weight = param("key_weight");
      o.params.v = param("va");
      o.params.tau = param("tau");
      // Twice: as dispatched (the fused kernel where it applies), and on the reference path with capture.
      for (bool reference : {false, true}) {
        INFO((reference ? "reference path" : "default path"));
        for (auto& [key, var] : in) var.zero_grad();
        Tensor weights;
        AttentionOptions run = o;
        if (reference) run.capture = &weights;
        Var out = attention(in["q"], in["k"], in["v"], run);
        out.backward(tensor(c["dout"]));
        require_matches(out.value(), c["out"], "out");
        if (reference) require_matches(weights, c["weights"], "weights");
        for (auto& [key, var] : in) require_matches(var.grad(), c["grads"][key], "d" + key);
      }
    }
  }
}

TEST_CASE("linear attention matches PyTorch's quadratic formulation, causal and not, padded") {
  for (const json& c : load_cases("linear_attention")) {
    INFO("causal " << c["causal"].get<bool>());
    Var q = Var::parameter(tensor(c["inputs"]["q"])), k = Var::parameter(tensor(c["inputs"]["k"])),
        v = Var::parameter(tensor(c["inputs"]["v"]));
    LinearAttentionOptions o;
    o.causal = c["causal"].get<bool>();
    o.key_lengths = c["key_lengths"].get<std::vector<int32_t>>();
    o.eps = c["eps"].get<float>();
    Var out = linear_attention(q, k, v, o);
    out.backward(tensor(c["dout"]));
    require_matches(out.value(), c["out"], "out");
    require_matches(q.grad(), c["grads"]["q"], "dq");
    require_matches(k.grad(), c["grads"]["k"], "dk");
    require_matches(v.grad(), c["grads"]["v"], "dv");
  }
}
