#include "cli/precision_option.h"

#include "experiment/precision_support.h"

namespace attn::cli {

void add_precision_option(CLI::App& app, std::string& value) {
  app.add_option("--precision", value, "matrix products: fp32, or bf16 inputs with fp32 accumulation (AVX512-BF16)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
}

kernels::Precision checked_precision(const std::string& value) {
  const kernels::Precision p = value == "bf16" ? kernels::Precision::bf16 : kernels::Precision::fp32;
  experiment::check_precision_supported(p);
  return p;
}

}  // namespace attn::cli
