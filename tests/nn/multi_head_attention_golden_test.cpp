// Golden test: nn::MultiHeadAttention against torch.nn.MultiheadAttention with the
// same weights (fixtures from tests/ops/fixtures/make_attention_fixtures.py):
// self-attention with padding + causal, cross-attention over a wider memory,
// and sliding-window attention. Output and every gradient are compared.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nn/multi_head_attention.h"
#include "support/golden.h"

using namespace attn;
using nlohmann::json;

namespace {
Tensor tensor(const json& j) { return testing::fixture_tensor(j); }
// As tests/ops/attention_golden_test.cpp: 1e-5 relative plus 1e-5 of the largest magnitude.
void require_matches(const Tensor& actual, const json& expected, const std::string& what) {
  testing::require_matches(actual, expected, what, {1e-5, 1e-5, true});
}
}  // namespace

TEST_CASE("multi-head attention matches torch.nn.MultiheadAttention: self, cross, sliding window") {
  const json cases = testing::load_fixture_cases("nn/fixtures/multi_head_attention.json");
  for (const json& c : cases) {
    DYNAMIC_SECTION(c["name"].get<std::string>()) {
      nn::AttentionSpec spec;
      spec.window = c["window"].get<int64_t>();
      Rng rng(1, 0);
      nn::MultiHeadAttention mha(c["width"].get<int64_t>(), c["heads"].get<int64_t>(), spec, true, rng,
                                 c["key_value_width"].get<int64_t>());
      for (auto& [name, p] : mha.named_parameters()) {
        INFO(name);
        REQUIRE(c["params"].contains(name));
        p.value().copy_from(tensor(c["params"][name]));
      }
      AttentionMask mask;
      mask.key_lengths = c["key_lengths"].get<std::vector<int32_t>>();
      mask.causal = c["causal"].get<bool>();
      Var query = Var::parameter(tensor(c["query"]));
      const bool cross = c.contains("memory");
      Var memory = cross ? Var::parameter(tensor(c["memory"])) : query;
      for (bool reference : {false, true}) {
        INFO((reference ? "reference path" : "default path"));
        mha.zero_grad();
        query.zero_grad();
        memory.zero_grad();
        Tensor weights;
        Var out = mha.forward(query, memory, mask, reference ? &weights : nullptr);
        out.backward(tensor(c["dout"]));
        require_matches(out.value(), c["out"], "out");
        require_matches(query.grad(), c["dquery"], "dquery");
        if (cross) require_matches(memory.grad(), c["dmemory"], "dmemory");
        for (auto& [name, p] : mha.named_parameters()) require_matches(p.grad(), c["dparams"][name], "d" + name);
      }
    }
  }
}
