#include "bench/train_bench.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include "base/error.h"
#include "base/peak_memory.h"
#include "tasks/task.h"
#include "models/rnn_seq2seq.h"
#include "models/transformer.h"
#include "nn/optimizer.h"
#include "nn/step_rng.h"
#include "ops/loss.h"
#include "ops/shape_ops.h"

namespace attn::bench {

namespace {
Ids random_ids(Rng& rng, int64_t rows, int64_t cols, int64_t vocab) {
  Ids ids{{rows, cols}, std::vector<int32_t>(rows * cols)};
  for (int32_t& v : ids.values) v = static_cast<int32_t>(4 + rng.below(vocab - 4));  // skip specials
  return ids;
}

// One benchmark case: a model, its optimizer, and a closure doing one full step.
struct Case {
  std::shared_ptr<nn::Module> model;
  std::function<void()> step;
  double items_per_step;  // target tokens or sequences
  std::string unit;
};

Case seq2seq_case() {
  models::ModelOptions o;
  o.src_vocab = o.tgt_vocab = 8000;
  o.width = 256, o.heads = 4, o.enc_layers = 3, o.dec_layers = 3, o.ff_width = 1024, o.dropout = 0.1f;
  o.share_embeddings = true;
  auto model = std::make_shared<models::Transformer>(o);
  auto opt = std::make_shared<nn::Optimizer>(model->named_parameters(), nn::OptimizerOptions{});
  const int64_t B = 32, Ts = 32, Tt = 32;
  auto rng = std::make_shared<Rng>(1, 1);
  Case c{model, nullptr, static_cast<double>(B * Tt), "target tokens/s"};
  c.step = [=] {
    Ids src = random_ids(*rng, B, Ts, 8000), tgt_in = random_ids(*rng, B, Tt, 8000),
        tgt_out = random_ids(*rng, B, Tt, 8000);
    Var logits = model->forward(src, std::vector<int32_t>(B, Ts), tgt_in);
    tgt_out.shape = {B * Tt};
    Var loss = cross_entropy(reshape(logits, {B * Tt, 8000}), tgt_out, {0, 0.1f});
    opt->zero_grad();
    loss.backward();
    opt->step(1e-4f);
  };
  return c;
}

// A task's own model, batches and loss: the whole step an encoder task's training makes.
Case task_case(const tasks::TaskOptions& t, const models::ModelOptions& o, int64_t B, float lr) {
  auto task = std::shared_ptr<tasks::Task>(tasks::make_task(t));
  std::shared_ptr<models::Model> model = task->build_model(o);
  auto opt = std::make_shared<nn::Optimizer>(model->named_parameters(), nn::OptimizerOptions{});
  auto batcher = std::make_shared<data::Batcher>(&task->train_examples(),
                                                 data::BatcherOptions{B, data::BatchUnit::sentences, 100, true, 2});
  Case c{model, nullptr, static_cast<double>(B), "examples/s"};
  c.step = [=] {
    Var loss = task->loss(*model, batcher->next(), 0.1f);
    opt->zero_grad();
    loss.backward();
    opt->step(lr);
  };
  return c;
}

// The real classify path: the classify task on the embedded spam sample (texts cut to 128
// tokens), its encoder model with attention pooling, its batches and its loss. The sample's
// 1,600 training texts make 25 full batches of 64, so every step counts B examples.
Case classifier_case() {
  tasks::TaskOptions t;
  t.task = "classify";
  t.dataset = "spam-sample";
  t.max_src_len = 128;
  models::ModelOptions o;
  o.width = 128, o.heads = 4, o.enc_layers = 4, o.ff_width = 512, o.dropout = 0.1f, o.learned_positions = true;
  o.pool = "attention";
  return task_case(t, o, 64, 1e-4f);
}

Case lstm_attn_case() {
  models::ModelOptions o;
  o.arch = "rnn", o.rnn_cell = "lstm", o.src_vocab = o.tgt_vocab = 60;
  o.embed_width = 128, o.rnn_hidden = 256, o.bidirectional = false, o.attn_width = 256;
  o.attention = "additive", o.dropout = 0.0f;
  auto model = std::make_shared<models::RnnSeq2Seq>(o);
  auto opt = std::make_shared<nn::Optimizer>(model->named_parameters(), nn::OptimizerOptions{});
  const int64_t B = 64, T = 20;
  auto rng = std::make_shared<Rng>(3, 1);
  Case c{model, nullptr, static_cast<double>(B * T), "target tokens/s"};
  c.step = [=] {
    Ids src = random_ids(*rng, B, T, 60), tgt_in = random_ids(*rng, B, T, 60), tgt_out = random_ids(*rng, B, T, 60);
    Var logits = model->forward(src, std::vector<int32_t>(B, T), tgt_in);
    tgt_out.shape = {B * T};
    Var loss = cross_entropy(reshape(logits, {B * T, 60}), tgt_out);
    opt->zero_grad();
    loss.backward();
    opt->step(1e-3f);
  };
  return c;
}

// The reference image model of issue 13 on its real path: the image task on the embedded
// Fashion-MNIST sample, a ViT over 4x4 patches (49 + <cls> positions), width 64, 6 pre-norm
// layers of 4 heads, <cls> pooling, and the task's batches and loss (no augmentation).
Case vit_case() {
  tasks::TaskOptions t;
  t.task = "image";
  t.dataset = "fashion-mnist-sample";
  t.patch = 4;
  t.pool = "cls";
  models::ModelOptions o;
  o.width = 64, o.heads = 4, o.enc_layers = 6, o.ff_width = 256, o.dropout = 0.1f, o.learned_positions = true;
  o.pool = "cls";
  return task_case(t, o, 128, 1e-3f);
}

Case make_case(const std::string& name) {
  if (name == "seq2seq") return seq2seq_case();
  if (name == "classifier") return classifier_case();
  if (name == "lstm_attn") return lstm_attn_case();
  if (name == "vit") return vit_case();
  ATTN_FAIL(usage, "unknown train benchmark '", name, "' (seq2seq|classifier|lstm_attn|vit)");
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}
}  // namespace

std::vector<std::string> train_bench_configs() { return {"seq2seq", "classifier", "lstm_attn", "vit"}; }

std::vector<TrainBenchRow> run_train_bench(const TrainBenchOptions& options) {
  if (options.threads > 0) omp_set_num_threads(options.threads);
  std::vector<TrainBenchRow> rows;
  for (const std::string& name : options.configs) {
    PeakMemoryProbe probe;
    Case c = make_case(name);
    std::vector<double> ms;
    for (int i = 0; i < options.warmup + options.steps; ++i) {
      nn::StepRngScope scope(1, static_cast<uint64_t>(i));
      auto t0 = std::chrono::steady_clock::now();
      c.step();
      auto t1 = std::chrono::steady_clock::now();
      if (i >= options.warmup) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    TrainBenchRow row;
    row.config = name;
    row.unit = c.unit;
    row.step_ms_median = median(ms);
    row.throughput_median = c.items_per_step / (row.step_ms_median / 1000.0);
    row.peak_rss_mib = peak_memory_mib();
    row.peak_extra_mib = probe.extra_mib();
    row.parameters = c.model->parameter_count();
    row.threads = omp_get_max_threads();
    rows.push_back(row);
  }
  return rows;
}

}  // namespace attn::bench
