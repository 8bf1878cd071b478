// Synthetic sequence tasks, generated on demand rather than read: copy, reverse, sort, add.
// Example i of a split is a pure function of (spec, split, range, i), so the training stream
// is infinite and reproducible, and valid/test sets are simply its first n indices of the
// other splits. Each split and range draws from its own random stream.
//   copy    "cab"      -> "cab"
//   reverse "cab"      -> "bac"
//   sort    "cab"      -> "abc"
//   add     "123+45"   -> "168"   (decimal, no leading zeros; operand lengths in digits)
// Symbols are the first num_symbols letters 'a'.. for copy/reverse/sort, digits for add;
// examples are text, so they go through the char tokenizer like any other corpus.
// Random sequences can repeat across splits when lengths are short; that is not filtered.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/types.h"

namespace attn::data {

enum class SyntheticTask { copy, reverse, sort, add };

const char* synthetic_task_name(SyntheticTask task);                 // "copy", "reverse", "sort", "add"
SyntheticTask synthetic_task_from_name(std::string_view name);       // throws a config error

// trained: lengths in [1, max_len], the regime a model is trained on;
// longer:  lengths in (max_len, long_max_len], for length-generalisation evaluation.
enum class LengthRange { trained, longer };

struct SyntheticSpec {
  SyntheticTask task = SyntheticTask::copy;
  int num_symbols = 10;    // alphabet size for copy/reverse/sort, in [2, 26]
  int max_len = 10;        // sequence length, or digits per operand for add
  int long_max_len = 20;   // must exceed max_len
  uint64_t seed = 1;
};

// Throws a config error naming the offending field.
void validate(const SyntheticSpec& spec);

TextPair synthetic_example(const SyntheticSpec& spec, Split split, uint64_t index,
                           LengthRange range = LengthRange::trained);
// Examples first..first+n-1: a fixed evaluation set (first = 0), or the next window of the
// infinite training stream (e.g. first = k * n for the k-th chunk a trainer batches).
std::vector<TextPair> synthetic_set(const SyntheticSpec& spec, Split split, int64_t n,
                                    LengthRange range = LengthRange::trained, uint64_t first = 0);

// Every character an example of this spec can hold (source or target), e.g. to build a
// complete vocabulary: Vocab::build({synthetic_symbols(spec)}).
std::vector<std::string> synthetic_symbols(const SyntheticSpec& spec);

// Decimal sum of two non-negative decimal strings, any length.
std::string add_decimal(std::string_view a, std::string_view b);

}  // namespace attn::data
