// The check every hostile-input test makes of a refusal: the documented exit code and one
// `attn: error:` line that names the problem and shows no library internals.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "support/run_attn.h"
#include "support/tiny_run.h"

namespace attn::testing {

inline void check_refused(const RunResult& r, int code, const std::string& needle) {
  INFO(r.err);
  CHECK(r.exit_code == code);
  CHECK(one_line(r.err));
  CHECK(r.err.rfind("attn: error: ", 0) == 0);
  CHECK(r.err.find(needle) != std::string::npos);
  CHECK(r.err.find("json.exception") == std::string::npos);
}

}  // namespace attn::testing
