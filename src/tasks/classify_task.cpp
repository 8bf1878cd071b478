// `classify`: a text classification dataset of the registry (data/corpus.h), e.g. the
// SpamAssassin corpus, read as {text, label} pairs with the dataset's tokenizer.
#include "data/corpus.h"
#include "tasks/classification_task.h"
#include "tasks/task_registry.h"

namespace attn::tasks {

namespace {
class ClassifyTask : public ClassificationTask {
 public:
  explicit ClassifyTask(const TaskOptions& o) {
    Data d;
    d.name = "classify";
    d.dataset = o.dataset == "auto" ? "spam-sample" : o.dataset;
    data::ParallelCorpus corpus = data::load_corpus(d.dataset, "classify", o.data_root);
    d.tokenizer = o.src_tokenizer == "auto" ? corpus.info.src_tokenizer : data::tokenizer_from_name(o.src_tokenizer);
    for (data::Split s : data::kSplits) d.splits.push_back(corpus.split(s));
    if (o.train_limit > 0 && static_cast<int64_t>(d.splits[0].size()) > o.train_limit) d.splits[0].resize(o.train_limit);
    d.min_freq = o.vocab_min_freq;
    d.max_vocab = o.max_vocab;
    d.max_src_len = o.max_src_len;
    d.pool = o.pool;
    set_data(std::move(d));
  }

  std::vector<EvalSet> eval_sets(data::Split s) const override { return {{"", split(s)}}; }
};
}  // namespace

std::unique_ptr<Task> make_classify_task(const TaskOptions& o) { return std::make_unique<ClassifyTask>(o); }

}  // namespace attn::tasks
