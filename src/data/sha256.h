// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: the checksum that
// dataset manifests (datasets/*/manifest.json) record for each prepared file.
#pragma once

#include <string>
#include <string_view>

namespace attn::data {

std::string sha256_hex(std::string_view bytes);

}  // namespace attn::data
