#include "metrics/classification.h"

#include "base/error.h"

namespace attn::metrics {

ClassificationScore classification_score(const std::vector<int32_t>& predicted,
                                         const std::vector<int32_t>& reference, int32_t classes) {
  ATTN_CHECK(predicted.size() == reference.size(), data, "classification_score: ", predicted.size(),
             " predictions for ", reference.size(), " references");
  ClassificationScore s;
  s.confusion.assign(classes, std::vector<int64_t>(classes, 0));
  int64_t correct = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    const int32_t p = predicted[i], r = reference[i];
    ATTN_CHECK(p >= 0 && p < classes && r >= 0 && r < classes, data, "classification_score: class ids ", r, "/", p,
               " outside [0, ", classes, ")");
    ++s.confusion[r][p];
    correct += p == r;
  }
  if (!predicted.empty()) s.accuracy = static_cast<double>(correct) / static_cast<double>(predicted.size());
  for (int32_t c = 0; c < classes; ++c) {
    int64_t predicted_c = 0;
    for (int32_t r = 0; r < classes; ++r) predicted_c += s.confusion[r][c];
    ClassScore k;
    const int64_t hits = s.confusion[c][c];
    for (int32_t p = 0; p < classes; ++p) k.support += s.confusion[c][p];
    k.precision = predicted_c ? static_cast<double>(hits) / static_cast<double>(predicted_c) : 0.0;
    k.recall = k.support ? static_cast<double>(hits) / static_cast<double>(k.support) : 0.0;
    k.f1 = k.precision + k.recall > 0 ? 2 * k.precision * k.recall / (k.precision + k.recall) : 0.0;
    s.macro_f1 += k.f1 / classes;
    s.classes.push_back(k);
  }
  return s;
}

}  // namespace attn::metrics
