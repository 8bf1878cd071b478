// Golden tests: fixtures computed once with PyTorch in float64 by the scripts in
// tests/*/fixtures/ (not run in CI), read back and compared in C++.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace attn::testing {

// The "cases" array of tests/<relative_path>.
inline nlohmann::json load_fixture_cases(const std::string& relative_path) {
  std::ifstream in(std::string(ATTN_SOURCE_DIR) + "/tests/" + relative_path);
  REQUIRE(in.good());
  nlohmann::json doc = nlohmann::json::parse(in);
  REQUIRE(doc["cases"].size() > 0);
  return doc["cases"];
}

inline Tensor fixture_tensor(const nlohmann::json& j) {
  return Tensor::from(j["shape"].get<Shape>(), j["data"].get<std::vector<float>>());
}

// float32 against a float64 reference: `relative` of each value plus an absolute margin,
// either fixed or (magnitude_margin) that fraction of the tensor's largest magnitude,
// for results that are sums of terms that large.
struct Tolerance {
  double relative = 1e-5;
  double absolute = 2e-6;
  bool magnitude_margin = false;
};

inline void require_matches(const Tensor& actual, const nlohmann::json& expected, const std::string& what,
                            Tolerance tol = {}) {
  const std::vector<double> e = expected["data"].get<std::vector<double>>();
  REQUIRE(actual.shape() == expected["shape"].get<Shape>());
  double margin = tol.absolute;
  if (tol.magnitude_margin) {
    double scale = 0.0;
    for (double x : e) scale = std::max(scale, std::abs(x));
    margin = tol.absolute * std::max(scale, 1.0);
  }
  for (size_t i = 0; i < e.size(); ++i) {
    INFO(what << " element " << i);
    REQUIRE(actual[static_cast<int64_t>(i)] == Approx(e[i]).epsilon(tol.relative).margin(margin));
  }
}

}  // namespace attn::testing
