// The affine scaling of a series, fitted on the training span only and undone for metrics:
//   standard  (y − mean) / std   (population std; 1 when the span is constant)
//   minmax    (y − min) / (max − min), the training span onto [0, 1] (1 when constant)
// Stored with the run (the forecast task's state), so a reader sees what the model saw.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace attn::data {

struct Scaler {
  std::string kind = "standard";
  double shift = 0, scale = 1;

  // A config error for an unknown kind; values [0, n) are the fitting span (n >= 1).
  static Scaler fit(const std::string& kind, const double* values, int64_t n);
  float apply(double y) const { return static_cast<float>((y - shift) / scale); }
  double undo(float z) const { return static_cast<double>(z) * scale + shift; }
  nlohmann::json to_json() const { return {{"kind", kind}, {"shift", shift}, {"scale", scale}}; }
};

}  // namespace attn::data
