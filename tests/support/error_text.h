// The message of the attn::Error that f throws, checking its kind; fails the test if none is thrown.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "base/error.h"

namespace attn::testing {

inline std::string error_text(const std::function<void()>& f, ErrorKind kind) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    return e.what();
  }
  FAIL("no error thrown");
  return "";
}

}  // namespace attn::testing
