#include "experiment/model_factory.h"

namespace attn::experiment {

tasks::TaskOptions task_options(const TrainConfig& c) {
  tasks::TaskOptions o;
  o.task = std::string(enum_name(c.task));
  o.dataset = std::string(enum_name(c.dataset));
  o.data_root = c.data_dir;
  o.src_tokenizer = std::string(enum_name(c.src_tokenizer));
  o.tgt_tokenizer = std::string(enum_name(c.tgt_tokenizer));
  o.max_vocab = c.max_vocab;
  o.max_src_len = c.max_src_len;
  o.pool = std::string(enum_name(c.pool));
  o.patch = c.patch;
  o.augment = c.augment;
  o.series_file = c.series_file;
  o.context = c.context;
  o.horizon = c.horizon;
  o.scaling = std::string(enum_name(c.scaling));
  o.season = c.season;
  o.ar_order = c.ar_order;
  o.train_limit = c.train_limit;
  o.max_len = c.max_len;
  o.eval_long_len = c.eval_long_len;
  o.num_symbols = c.synth_vocab;
  o.train_size = c.synth_train_size;
  o.eval_size = c.synth_eval_size;
  o.seed = static_cast<uint64_t>(c.seed);
  return o;
}

models::ModelOptions model_options(const TrainConfig& c) {
  models::ModelOptions o;
  o.arch = std::string(enum_name(c.arch));
  o.enc_layers = c.enc_layers;
  o.dec_layers = c.dec_layers;
  o.width = c.width;
  o.heads = c.heads;
  o.ff_width = c.ff_width;
  o.dropout = static_cast<float>(c.dropout);
  o.pre_norm = c.norm == NormPlacement::pre;
  o.learned_positions = c.positions == Positions::learned;
  o.scale_embeddings = c.scale_embeddings;
  o.tie_output = c.tie_embeddings;
  o.rnn_cell = std::string(enum_name(c.rnn_cell));
  o.embed_width = c.embed_width;
  o.rnn_hidden = c.rnn_hidden;
  o.attention = std::string(enum_name(c.attention));
  o.normalizer = std::string(enum_name(c.normalizer));
  o.window = c.window > 0 ? c.window : -1;
  o.attn_width = c.attn_width;  // 0 = each attention's own default width
  o.pool = std::string(enum_name(c.pool));
  o.causal = c.causal;
  o.highway = c.highway;
  o.seed = static_cast<uint64_t>(c.seed);
  return o;
}

std::unique_ptr<models::Model> build_model(const TrainConfig& c, const tasks::Task& task) {
  return task.build_model(model_options(c));
}

nn::OptimizerOptions optimizer_options(const TrainConfig& c) {
  nn::OptimizerOptions o;
  o.kind = c.optimizer == OptimizerKind::sgd    ? nn::OptimizerKind::sgd
           : c.optimizer == OptimizerKind::adam ? nn::OptimizerKind::adam
                                                : nn::OptimizerKind::adamw;
  o.momentum = static_cast<float>(c.momentum);
  o.nesterov = c.nesterov;
  o.beta1 = static_cast<float>(c.beta1);
  o.beta2 = static_cast<float>(c.beta2);
  o.eps = static_cast<float>(c.eps);
  o.weight_decay = static_cast<float>(c.weight_decay);
  return o;
}

nn::ScheduleOptions schedule_options(const TrainConfig& c, int64_t total_steps) {
  nn::ScheduleOptions s;
  s.kind = c.schedule == Schedule::constant       ? nn::ScheduleKind::constant
           : c.schedule == Schedule::inverse_sqrt ? nn::ScheduleKind::inverse_sqrt
                                                  : nn::ScheduleKind::cosine;
  s.peak_lr = static_cast<float>(c.lr);
  s.min_lr = static_cast<float>(c.min_lr);
  s.warmup_steps = c.warmup_steps;
  s.total_steps = total_steps;
  return s;
}

models::DecodeOptions decode_options(const TrainConfig& c) {
  models::DecodeOptions d;
  if (c.max_decode_len > 0) d.max_len = c.max_decode_len;
  return d;
}

}  // namespace attn::experiment
