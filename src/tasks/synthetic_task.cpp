// Synthetic copy / reverse / sort / add, generated from the seed: trained on
// lengths up to max_len, evaluated in distribution and on longer sequences
// (length generalisation, metrics suffixed "_long").
#include <algorithm>

#include "data/synthetic.h"
#include "metrics/sequence_accuracy.h"
#include "tasks/seq2seq_task.h"
#include "tasks/task_registry.h"

namespace attn::tasks {

namespace {
class SyntheticTask : public Seq2SeqTask {
 public:
  explicit SyntheticTask(const TaskOptions& o) : o_(o) {
    spec_.task = data::synthetic_task_from_name(o.task);
    spec_.num_symbols = static_cast<int>(o.num_symbols);
    spec_.max_len = static_cast<int>(o.max_len);
    spec_.long_max_len = static_cast<int>(o.eval_long_len);
    spec_.seed = o.seed;
    data::validate(spec_);
    auto train = data::synthetic_set(spec_, data::Split::train, o.train_size);
    std::vector<std::vector<data::TextPair>> all{train};
    for (data::Split s : {data::Split::valid, data::Split::test})
      for (data::LengthRange r : {data::LengthRange::trained, data::LengthRange::longer})
        all.push_back(data::synthetic_set(spec_, s, o.eval_size, r));
    set_data(o.task, "synthetic-" + o.task, train, all, data::TokenizerKind::chars, data::TokenizerKind::chars, 1, 0);
  }

  std::vector<EvalSet> eval_sets(data::Split split) const override {
    return {{"", data::synthetic_set(spec_, split, o_.eval_size, data::LengthRange::trained)},
            {"_long", data::synthetic_set(spec_, split, o_.eval_size, data::LengthRange::longer)}};
  }

  std::vector<MetricInfo> metrics() const override { return {{"exact_match", false}, {"token_accuracy", false}}; }

  // Decoder row i predicts target character i. copy: it comes from source position i;
  // reverse: n - 1 - i; sort: from a source position holding the same symbol: sure when the
  // symbol occurs once, else each such position is a possible link. add has none.
  TrueAlignment true_alignment(const data::TextPair& pair) const override {
    if (spec_.task == data::SyntheticTask::add) return {};
    TrueAlignment out{"decoder_cross", {}};
    const int64_t n = static_cast<int64_t>(pair.src.size());
    for (int64_t i = 0; i < static_cast<int64_t>(pair.tgt.size()); ++i) {
      if (spec_.task == data::SyntheticTask::copy) out.links.push_back({i, i, true});
      if (spec_.task == data::SyntheticTask::reverse) out.links.push_back({i, n - 1 - i, true});
      if (spec_.task != data::SyntheticTask::sort) continue;
      const auto same = std::count(pair.src.begin(), pair.src.end(), pair.tgt[i]);
      for (int64_t j = 0; j < n; ++j)
        if (pair.src[j] == pair.tgt[i]) out.links.push_back({i, j, same == 1});
    }
    return out;
  }

 protected:
  std::map<std::string, double> score(const std::vector<std::string>& hyps,
                                      const std::vector<std::string>& refs) const override {
    std::vector<std::vector<std::string>> h, r;
    for (size_t i = 0; i < hyps.size(); ++i) h.push_back(target_tokens(hyps[i])), r.push_back(target_tokens(refs[i]));
    metrics::SequenceAccuracy a = metrics::sequence_accuracy(h, r);
    return {{"exact_match", a.exact_match}, {"token_accuracy", a.token_accuracy}};
  }

 private:
  TaskOptions o_;
  data::SyntheticSpec spec_;
};
}  // namespace

std::unique_ptr<Task> make_synthetic_task(const TaskOptions& o) { return std::make_unique<SyntheticTask>(o); }

}  // namespace attn::tasks
