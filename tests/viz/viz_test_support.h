// What the attention-view tests share: a hostile token, counting substrings, and the message
// of a document parse_attention refuses.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/attention_json.h"

namespace attn::viz::testing {

inline const std::string kHostile = "<script>alert(1)</script>";

inline size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// The message of the Error(data) parse_attention throws for `doc`; fails the test if it accepts it.
inline std::string error_message(const nlohmann::json& doc) {
  try {
    parse_attention(doc);
  } catch (const attn::Error& e) {
    CHECK(e.kind() == attn::ErrorKind::data);
    return e.what();
  }
  FAIL("parse_attention accepted an invalid document");
  return "";
}

}  // namespace attn::viz::testing
