#include "base/json_error.h"

#include <algorithm>

namespace attn {

std::string json_error_message(const nlohmann::json::exception& e) {
  std::string what = e.what();
  if (auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
    what = what.substr(close + 2);
  std::replace(what.begin(), what.end(), '\n', ' ');
  // "cannot use at() with array": a reader looked up a key in something that is no object.
  if (const std::string at = "cannot use at() with "; what.rfind(at, 0) == 0)
    what = "expected a JSON object, got " + what.substr(at.size());
  return what;
}

}  // namespace attn
