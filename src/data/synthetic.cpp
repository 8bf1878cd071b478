#include "data/synthetic.h"

#include <algorithm>

#include "base/error.h"
#include "tensor/rng.h"

namespace attn::data {

namespace {

// Stream ids keep the splits and ranges apart; the example index forks a child stream from it.
uint64_t stream_of(SyntheticTask task, Split split, LengthRange range) {
  return 0x5E0000 + static_cast<uint64_t>(task) * 16 + static_cast<uint64_t>(split) * 2 +
         static_cast<uint64_t>(range);
}

int draw_length(Rng& rng, const SyntheticSpec& spec, LengthRange range) {
  int lo = range == LengthRange::trained ? 1 : spec.max_len + 1;
  int hi = range == LengthRange::trained ? spec.max_len : spec.long_max_len;
  return lo + static_cast<int>(rng.below(static_cast<uint64_t>(hi - lo + 1)));
}

std::string draw_number(Rng& rng, int digits) {
  std::string s;
  for (int i = 0; i < digits; ++i) {
    // No leading zero, except the number 0 itself.
    int lo = (i == 0 && digits > 1) ? 1 : 0;
    s += static_cast<char>('0' + lo + static_cast<int>(rng.below(static_cast<uint64_t>(10 - lo))));
  }
  return s;
}

}  // namespace

const char* synthetic_task_name(SyntheticTask task) {
  switch (task) {
    case SyntheticTask::copy: return "copy";
    case SyntheticTask::reverse: return "reverse";
    case SyntheticTask::sort: return "sort";
    case SyntheticTask::add: return "add";
  }
  return "copy";
}

SyntheticTask synthetic_task_from_name(std::string_view name) {
  for (SyntheticTask t : {SyntheticTask::copy, SyntheticTask::reverse, SyntheticTask::sort, SyntheticTask::add})
    if (name == synthetic_task_name(t)) return t;
  ATTN_FAIL(config, "unknown synthetic task '", name, "' (choices: copy, reverse, sort, add)");
}

void validate(const SyntheticSpec& spec) {
  ATTN_CHECK(spec.num_symbols >= 2 && spec.num_symbols <= 26, config, "num_symbols must be in [2, 26], got ",
             spec.num_symbols);
  ATTN_CHECK(spec.max_len >= 1, config, "max_len must be >= 1, got ", spec.max_len);
  ATTN_CHECK(spec.long_max_len > spec.max_len, config, "long_max_len (", spec.long_max_len,
             ") must exceed max_len (", spec.max_len, ")");
}

std::vector<std::string> synthetic_symbols(const SyntheticSpec& spec) {
  validate(spec);
  std::vector<std::string> symbols;
  if (spec.task == SyntheticTask::add) {
    for (char c = '0'; c <= '9'; ++c) symbols.emplace_back(1, c);
    symbols.emplace_back("+");
  } else {
    for (int i = 0; i < spec.num_symbols; ++i) symbols.emplace_back(1, static_cast<char>('a' + i));
  }
  return symbols;
}

std::string add_decimal(std::string_view a, std::string_view b) {
  std::string sum;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int d = carry;
    if (i < a.size()) d += a[a.size() - 1 - i] - '0';
    if (i < b.size()) d += b[b.size() - 1 - i] - '0';
    sum += static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  std::reverse(sum.begin(), sum.end());
  size_t first = sum.find_first_not_of('0');
  return first == std::string::npos ? "0" : sum.substr(first);
}

TextPair synthetic_example(const SyntheticSpec& spec, Split split, uint64_t index, LengthRange range) {
  validate(spec);
  Rng rng = Rng(spec.seed, stream_of(spec.task, split, range)).fork(index);
  if (spec.task == SyntheticTask::add) {
    std::string a = draw_number(rng, draw_length(rng, spec, range));
    std::string b = draw_number(rng, draw_length(rng, spec, range));
    return {a + "+" + b, add_decimal(a, b)};
  }
  std::string src;
  int len = draw_length(rng, spec, range);
  for (int i = 0; i < len; ++i)
    src += static_cast<char>('a' + rng.below(static_cast<uint64_t>(spec.num_symbols)));
  std::string tgt = src;
  if (spec.task == SyntheticTask::reverse) std::reverse(tgt.begin(), tgt.end());
  if (spec.task == SyntheticTask::sort) std::sort(tgt.begin(), tgt.end());
  return {src, tgt};
}

std::vector<TextPair> synthetic_set(const SyntheticSpec& spec, Split split, int64_t n, LengthRange range,
                                    uint64_t first) {
  validate(spec);
  std::vector<TextPair> out;
  out.reserve(static_cast<size_t>(std::max<int64_t>(n, 0)));
  for (int64_t i = 0; i < n; ++i)
    out.push_back(synthetic_example(spec, split, first + static_cast<uint64_t>(i), range));
  return out;
}

}  // namespace attn::data
