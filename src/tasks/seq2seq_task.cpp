#include "tasks/seq2seq_task.h"

#include <algorithm>

#include "base/error.h"
#include "data/encode.h"
#include "models/rnn_seq2seq.h"
#include "models/transformer.h"
#include "ops/loss.h"
#include "ops/shape_ops.h"

namespace attn::tasks {

namespace {
// The family's own model type: a Seq2SeqTask builds only Seq2SeqModels.
models::Seq2SeqModel& seq2seq(models::Model& model) { return static_cast<models::Seq2SeqModel&>(model); }

// The id the last position of logits [1, T, V] ranks first.
int32_t last_row_argmax(const Tensor& logits) {
  const int64_t T = logits.dim(1), V = logits.dim(2);
  const float* row = logits.data() + (T - 1) * V;
  return static_cast<int32_t>(std::max_element(row, row + V) - row);
}
}  // namespace

void Seq2SeqTask::set_data(std::string name, std::string dataset, const std::vector<data::TextPair>& train,
                           const std::vector<std::vector<data::TextPair>>& all_splits,
                           data::TokenizerKind src_tokenizer, data::TokenizerKind tgt_tokenizer, int64_t min_freq,
                           int64_t max_vocab) {
  set_identity(std::move(name), std::move(dataset), all_splits);
  src_tokenizer_ = src_tokenizer;
  tgt_tokenizer_ = tgt_tokenizer;
  src_vocab_ = data::build_vocab(train, data::Side::src, src_tokenizer, min_freq, max_vocab);
  tgt_vocab_ = data::build_vocab(train, data::Side::tgt, tgt_tokenizer, min_freq, max_vocab);
  train_ = encode(train);
}

std::vector<data::EncodedPair> Seq2SeqTask::encode(const std::vector<data::TextPair>& pairs) const {
  return data::encode_pairs(pairs, {src_tokenizer_, &src_vocab_, tgt_tokenizer_, &tgt_vocab_});
}

std::unique_ptr<models::Model> Seq2SeqTask::build_model(models::ModelOptions o) const {
  o.src_vocab = src_vocab_.size();
  o.tgt_vocab = tgt_vocab_.size();
  if (o.arch == "rnn") return std::make_unique<models::RnnSeq2Seq>(o);
  return std::make_unique<models::Transformer>(o);
}

nlohmann::json Seq2SeqTask::state() const {
  return {{"source", src_vocab_.to_json()}, {"target", tgt_vocab_.to_json()}};
}

Var Seq2SeqTask::loss(models::Model& model, const data::Batch& batch, float label_smoothing) const {
  Var logits = seq2seq(model).forward(batch.src, batch.src_lengths, batch.tgt_in);  // [B, Tt, V]
  const int64_t rows = logits.dim(0) * logits.dim(1);
  Ids targets{{rows}, batch.tgt_out.values};
  return cross_entropy(reshape(logits, {rows, logits.dim(2)}), targets, {data::Vocab::pad, label_smoothing});
}

std::vector<std::string> Seq2SeqTask::target_tokens(const std::string& text) const {
  return data::tokenize(tgt_tokenizer_, text);
}

double Seq2SeqTask::mean_loss(models::Model& model, const EvalSet& set, int64_t batch_size) const {
  NoGradGuard no_grad;
  const bool was_training = model.training();
  model.set_training(false);
  std::vector<data::EncodedPair> encoded = encode(set.pairs);
  data::Batcher batcher(&encoded, {batch_size, data::BatchUnit::sentences, 100, false, 0});
  double total = 0.0;
  int64_t tokens = 0, done = 0;
  for (const data::Batch& batch : batcher.epoch_batches(0)) {
    before_batch(done, static_cast<int64_t>(encoded.size()));
    done += batch.size();
    total += loss(model, batch, 0.0f).value()[0] * static_cast<double>(batch.target_tokens);
    tokens += batch.target_tokens;
  }
  model.set_training(was_training);
  return tokens ? total / static_cast<double>(tokens) : 0.0;
}

Evaluation Seq2SeqTask::evaluate(models::Model& model, const EvalSet& set, const EvalOptions& options) const {
  const bool was_training = model.training();
  model.set_training(false);
  const auto& pairs = set.pairs;
  std::vector<data::EncodedPair> encoded = encode(pairs);
  data::Batcher batcher(&encoded, {options.batch_size, data::BatchUnit::sentences, 100, false, 0});
  Evaluation out;
  out.predictions.resize(pairs.size());
  std::vector<std::string> hyps(pairs.size()), refs(pairs.size());
  int64_t done = 0;
  for (const data::Batch& batch : batcher.epoch_batches(0)) {
    before_batch(done, static_cast<int64_t>(encoded.size()));
    done += batch.size();
    std::vector<models::Hypothesis> decoded =
        models::decode(seq2seq(model), batch.src, batch.src_lengths, options.decode);
    for (size_t r = 0; r < decoded.size(); ++r) {
      const int64_t i = batch.indices[r];
      hyps[i] = data::detokenize(tgt_tokenizer_, tgt_vocab_.decode(decoded[r]));
      refs[i] = pairs[i].tgt;
      out.predictions[i] = {pairs[i].src, pairs[i].tgt, hyps[i]};
    }
  }
  out.metrics = score(hyps, refs);
  model.set_training(was_training);
  return out;
}

// Decoding runs without capture; one teacher-forced pass over the decoded output then
// records all maps, so dumping costs one extra forward per input.
AttendItem Seq2SeqTask::attend(models::Model& model, const AttendInput& input,
                               const models::DecodeOptions& decode) const {
  std::vector<std::string> tokens = data::tokenize(src_tokenizer_, input.text);
  ATTN_CHECK(!tokens.empty(), data, "input ", input.index, " is empty");
  Ids src{{1, static_cast<int64_t>(tokens.size())}, src_vocab_.encode(tokens)};
  const std::vector<int32_t> lengths{static_cast<int32_t>(tokens.size())};
  models::Seq2SeqModel& m = seq2seq(model);
  models::Hypothesis output = models::decode(m, src, lengths, decode)[0];

  Ids tgt_in{{1, static_cast<int64_t>(output.size() + 1)}, {data::Vocab::bos}};
  tgt_in.values.insert(tgt_in.values.end(), output.begin(), output.end());
  models::AttentionRecorder recorder;
  int32_t last_prediction = data::Vocab::eos;
  {
    NoGradGuard no_grad;
    m.set_recorder(&recorder);
    last_prediction = last_row_argmax(m.forward(src, lengths, tgt_in).value());
    m.set_recorder(nullptr);
  }
  std::vector<std::string> source_view, output_tokens = tgt_vocab_.decode(output);
  for (int32_t id : src.values) source_view.push_back(src_vocab_.token(id));
  // One label per decoder position: decode() drops <pad> and <bos>, which an
  // undertrained model may well emit, so the labels come from the ids themselves.
  std::vector<std::string> queries;
  for (int32_t id : tgt_in.values) queries.push_back(tgt_vocab_.token(id));
  // Row i predicts input i + 1; the last row predicts what decoding stopped on (<eos>, or the
  // token past max_len), which is its own argmax.
  std::vector<std::string> predicts(queries.begin() + 1, queries.end());
  predicts.push_back(tgt_vocab_.token(last_prediction));

  AttendItem item;
  for (models::AttentionMap& map : recorder.maps) {
    const bool encoder = map.kind == "encoder_self", decoder_self = map.kind == "decoder_self";
    item.maps.push_back({std::move(map), encoder ? source_view : queries, decoder_self ? queries : source_view,
                         encoder ? std::vector<std::string>{} : predicts});
  }
  item.fields = {{"index", input.index},
                 {"source", input.text},
                 {"source_tokens", source_view},
                 {"output_tokens", output_tokens},
                 {"output", data::detokenize(tgt_tokenizer_, output_tokens)}};
  return item;
}

}  // namespace attn::tasks
