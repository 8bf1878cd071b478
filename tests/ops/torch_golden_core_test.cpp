// Golden tests: ops-core ops against fixtures computed once with PyTorch (in
// float64) by tests/ops/fixtures/make_core_fixtures.py. Values and every
// gradient are compared.
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ops/activation.h"
#include "ops/elementwise.h"
#include "ops/linalg.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"
#include "support/golden.h"

using namespace attn;
using nlohmann::json;

namespace {

Tensor tensor(const json& j) { return testing::fixture_tensor(j); }
// float32 against float64: a few ulps of the magnitudes involved.
void require_matches(const Tensor& actual, const json& expected, const std::string& what) {
  testing::require_matches(actual, expected, what);
}

using OpFn = std::function<Var(const std::vector<Var>&, const json& args)>;

Var unary(Var (*op)(const Var&), const std::vector<Var>& v) { return op(v[0]); }
Var binary(Var (*op)(const Var&, const Var&), const std::vector<Var>& v) { return op(v[0], v[1]); }

const std::map<std::string, OpFn>& ops() {
  static const std::map<std::string, OpFn> table = {
      {"add", [](const auto& v, const json&) { return binary(add, v); }},
      {"sub", [](const auto& v, const json&) { return binary(sub, v); }},
      {"mul", [](const auto& v, const json&) { return binary(mul, v); }},
      {"div", [](const auto& v, const json&) { return binary(div, v); }},
      {"scale", [](const auto& v, const json& a) { return scale(v[0], a["factor"].get<float>()); }},
      {"add_scalar", [](const auto& v, const json& a) { return add_scalar(v[0], a["value"].get<float>()); }},
      {"relu", [](const auto& v, const json&) { return unary(relu, v); }},
      {"gelu", [](const auto& v, const json&) { return unary(gelu, v); }},
      {"tanh", [](const auto& v, const json&) { return unary(tanh, v); }},
      {"sigmoid", [](const auto& v, const json&) { return unary(sigmoid, v); }},
      {"exp", [](const auto& v, const json&) { return unary(exp, v); }},
      {"log", [](const auto& v, const json&) { return unary(log, v); }},
      {"elu", [](const auto& v, const json& a) { return elu(v[0], a["alpha"].get<float>()); }},
      {"matmul",
       [](const auto& v, const json& a) {
         return matmul(v[0], v[1], a["trans_a"].get<bool>(), a["trans_b"].get<bool>());
       }},
      {"linear", [](const auto& v, const json&) { return v.size() == 3 ? linear(v[0], v[1], v[2]) : linear(v[0], v[1]); }},
      {"sum", [](const auto& v, const json& a) { return sum(v[0], a["axis"].get<int>(), a["keepdim"].get<bool>()); }},
      {"mean", [](const auto& v, const json& a) { return mean(v[0], a["axis"].get<int>(), a["keepdim"].get<bool>()); }},
      {"sum_all", [](const auto& v, const json&) { return sum_all(v[0]); }},
      {"mean_all", [](const auto& v, const json&) { return mean_all(v[0]); }},
      {"permute", [](const auto& v, const json& a) { return permute(v[0], a["order"].get<std::vector<int>>()); }},
      {"transpose", [](const auto& v, const json& a) { return transpose(v[0], a["a"].get<int>(), a["b"].get<int>()); }},
      {"concat", [](const auto& v, const json& a) { return concat(v, a["axis"].get<int>()); }},
      {"slice",
       [](const auto& v, const json& a) {
         return slice(v[0], a["axis"].get<int>(), a["begin"].get<int64_t>(), a["end"].get<int64_t>());
       }},
      {"reshape", [](const auto& v, const json& a) { return reshape(v[0], a["shape"].get<Shape>()); }},
  };
  return table;
}

}  // namespace

TEST_CASE("core ops (elementwise activation linalg reduce shape) match PyTorch") {
  const json cases = testing::load_fixture_cases("ops/fixtures/core_ops.json");
  REQUIRE(cases.size() > 50);
  for (const json& c : cases) {
    const std::string op = c["op"].get<std::string>();
    INFO(op << " " << c["args"].dump());
    REQUIRE(ops().count(op) == 1);
    std::vector<Var> inputs;
    for (const json& t : c["inputs"]) inputs.push_back(Var::parameter(tensor(t)));
    Var y = ops().at(op)(inputs, c["args"]);
    y.backward(tensor(c["dout"]));
    require_matches(y.value(), c["y"], "y");
    for (size_t i = 0; i < inputs.size(); ++i)
      require_matches(inputs[i].grad(), c["grads"][i], "grad of input " + std::to_string(i));
  }
}
