// Golden tests: ops-nn ops against fixtures computed once with PyTorch (in float64)
// by tests/ops/fixtures/make_fixtures.py. Values and every gradient are compared.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ops/loss.h"
#include "ops/norm.h"
#include "ops/rnn_cells.h"
#include "ops/softmax.h"
#include "support/golden.h"

using namespace attn;
using nlohmann::json;

namespace {

// float32 against float64: a few ulps of the magnitudes involved.
json load_cases(const std::string& name) { return testing::load_fixture_cases("ops/fixtures/" + name + ".json"); }
Tensor tensor(const json& j) { return testing::fixture_tensor(j); }
void require_matches(const Tensor& actual, const json& expected, const char* what) {
  testing::require_matches(actual, expected, what, {});
}



Var parameter(const json& j) { return Var::parameter(tensor(j)); }


}  // namespace

TEST_CASE("softmax and log_softmax match PyTorch") {
  for (const json& c : load_cases("softmax")) {
    const bool log = c["log"].get<bool>();
    const Tensor mask = c.contains("mask") ? tensor(c["mask"]) : Tensor();
    INFO("log " << log << " masked " << mask.defined());
    Var x = parameter(c["x"]);
    Var y = log ? log_softmax(x, mask.defined() ? &mask : nullptr) : softmax(x, mask.defined() ? &mask : nullptr);
    y.backward(tensor(c["dout"]));
    require_matches(y.value(), c["y"], "y");
    require_matches(x.grad(), c["dx"], "dx");
  }
}

TEST_CASE("layer_norm matches PyTorch") {
  for (const json& c : load_cases("layer_norm")) {
    Var x = parameter(c["x"]), gamma = parameter(c["gamma"]), beta = parameter(c["beta"]);
    Var y = layer_norm(x, gamma, beta, c["eps"].get<float>());
    y.backward(tensor(c["dout"]));
    require_matches(y.value(), c["y"], "y");
    require_matches(x.grad(), c["dx"], "dx");
    require_matches(gamma.grad(), c["dgamma"], "dgamma");
    require_matches(beta.grad(), c["dbeta"], "dbeta");
  }
}

TEST_CASE("cross_entropy with ignore_index and label smoothing matches PyTorch") {
  for (const json& c : load_cases("cross_entropy")) {
    const std::vector<int32_t> targets = c["targets"].get<std::vector<int32_t>>();
    const CrossEntropyOptions options{c["ignore_index"].get<int32_t>(), c["label_smoothing"].get<float>()};
    INFO("ignore_index " << options.ignore_index << " label_smoothing " << options.label_smoothing);
    Var logits = parameter(c["logits"]);
    Var loss = cross_entropy(logits, Ids{{static_cast<int64_t>(targets.size())}, targets}, options);
    loss.backward();
    REQUIRE(loss.value()[0] == Approx(c["loss"].get<double>()).epsilon(1e-6));
    require_matches(logits.grad(), c["dlogits"], "dlogits");
  }
}

TEST_CASE("lstm_cell matches PyTorch") {
  for (const json& c : load_cases("lstm_cell")) {
    Var x = parameter(c["x"]), h = parameter(c["h"]), cell = parameter(c["c"]);
    Var w_ih = parameter(c["w_ih"]), w_hh = parameter(c["w_hh"]), bias = parameter(c["bias"]);
    LstmState next = lstm_cell(x, {h, cell}, w_ih, w_hh, bias);
    // One backward pass seeded on both outputs (a second pass would find the shared graph
    // already released): a junction node whose backward hands each output its seed.
    auto seed_both = [next, dh = tensor(c["dh_out"]), dc = tensor(c["dc_out"])](const Tensor&) {
      accumulate_grad(next.h, dh);
      accumulate_grad(next.c, dc);
    };
    Var seeds = make_result(Tensor::zeros({1}), {next.h, next.c}, seed_both);
    seeds.backward();
    require_matches(next.h.value(), c["h_out"], "h_out");
    require_matches(next.c.value(), c["c_out"], "c_out");
    require_matches(x.grad(), c["dx"], "dx");
    require_matches(h.grad(), c["dh"], "dh");
    require_matches(cell.grad(), c["dc"], "dc");
    require_matches(w_ih.grad(), c["dw_ih"], "dw_ih");
    require_matches(w_hh.grad(), c["dw_hh"], "dw_hh");
    require_matches(bias.grad(), c["dbias"], "dbias");
  }
}

TEST_CASE("gru_cell matches PyTorch") {
  for (const json& c : load_cases("gru_cell")) {
    Var x = parameter(c["x"]), h = parameter(c["h"]);
    Var w_ih = parameter(c["w_ih"]), w_hh = parameter(c["w_hh"]);
    Var b_ih = parameter(c["b_ih"]), b_hh = parameter(c["b_hh"]);
    Var out = gru_cell(x, h, w_ih, w_hh, b_ih, b_hh);
    out.backward(tensor(c["dh_out"]));
    require_matches(out.value(), c["h_out"], "h_out");
    require_matches(x.grad(), c["dx"], "dx");
    require_matches(h.grad(), c["dh"], "dh");
    require_matches(w_ih.grad(), c["dw_ih"], "dw_ih");
    require_matches(w_hh.grad(), c["dw_hh"], "dw_hh");
    require_matches(b_ih.grad(), c["db_ih"], "db_ih");
    require_matches(b_hh.grad(), c["db_hh"], "db_hh");
  }
}
