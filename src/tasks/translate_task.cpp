// `translate`: a real parallel corpus from the data registry. G2P datasets are
// scored by PER/WER over phones; natural-language pairs by sacreBLEU-compatible
// BLEU and chrF.
#include "data/corpus.h"
#include "metrics/bleu.h"
#include "metrics/chrf.h"
#include "metrics/g2p_metrics.h"
#include "tasks/seq2seq_task.h"
#include "tasks/task_registry.h"

namespace attn::tasks {

namespace {
data::TokenizerKind tokenizer(const std::string& name, data::TokenizerKind dataset_default) {
  return name == "auto" ? dataset_default : data::tokenizer_from_name(name);
}

class TranslateTask : public Seq2SeqTask {
 public:
  explicit TranslateTask(const TaskOptions& o) {
    const std::string dataset = o.dataset == "auto" ? "g2p-sample" : o.dataset;
    data::ParallelCorpus corpus = data::load_corpus(dataset, "translate", o.data_root);
    g2p_ = corpus.info.tgt_tokenizer == data::TokenizerKind::spaces;
    for (data::Split s : data::kSplits) splits_.push_back(corpus.split(s));
    std::vector<data::TextPair> train = corpus.split(data::Split::train);
    if (o.train_limit > 0 && static_cast<int64_t>(train.size()) > o.train_limit) train.resize(o.train_limit);
    set_data("translate", dataset, train, splits_, tokenizer(o.src_tokenizer, corpus.info.src_tokenizer),
             tokenizer(o.tgt_tokenizer, corpus.info.tgt_tokenizer), o.vocab_min_freq, o.max_vocab);
  }

  std::vector<EvalSet> eval_sets(data::Split split) const override { return {{"", splits_[static_cast<int>(split)]}}; }

  std::vector<MetricInfo> metrics() const override {
    if (g2p_) return {{"per", true}, {"wer", true}};
    return {{"bleu", false}, {"chrf", false}};
  }

 protected:
  std::map<std::string, double> score(const std::vector<std::string>& hyps,
                                      const std::vector<std::string>& refs) const override {
    if (g2p_) {
      std::vector<std::vector<std::string>> h, r;
      for (size_t i = 0; i < hyps.size(); ++i) h.push_back(target_tokens(hyps[i])), r.push_back(target_tokens(refs[i]));
      metrics::G2pScore g = metrics::g2p_score(h, r);
      return {{"per", g.per}, {"wer", g.wer}};
    }
    return {{"bleu", metrics::corpus_bleu(hyps, refs).score}, {"chrf", metrics::corpus_chrf(hyps, refs).score}};
  }

 private:
  bool g2p_ = false;
  std::vector<std::vector<data::TextPair>> splits_;
};
}  // namespace

std::unique_ptr<Task> make_translate_task(const TaskOptions& o) { return std::make_unique<TranslateTask>(o); }

}  // namespace attn::tasks
