// Scores of a classifier over a set: accuracy, per-class precision / recall / F1, their
// macro average, and the confusion matrix. A class never predicted has precision 0, one
// never present recall 0, and F1 is 0 where precision + recall is 0 (scikit-learn's
// zero_division=0), so macro-F1 is not flattered by an empty class.
#pragma once

#include <cstdint>
#include <vector>

namespace attn::metrics {

struct ClassScore {
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;  // examples whose reference is this class
};

struct ClassificationScore {
  double accuracy = 0;
  double macro_f1 = 0;
  std::vector<ClassScore> classes;            // indexed by class id
  std::vector<std::vector<int64_t>> confusion;  // [reference][predicted] counts
};

// predicted and reference hold class ids in [0, classes); throws a data error on a size
// mismatch or an id outside that range. An empty set scores 0 everywhere.
ClassificationScore classification_score(const std::vector<int32_t>& predicted,
                                         const std::vector<int32_t>& reference, int32_t classes);

}  // namespace attn::metrics
