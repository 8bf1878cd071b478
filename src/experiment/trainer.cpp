#include "experiment/trainer.h"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <algorithm>
#include <limits>
#include <optional>

#include "base/error.h"
#include "base/worker_threads.h"
#include "base/peak_memory.h"
#include "data/batcher.h"
#include "experiment/atomic_file.h"
#include "experiment/checkpoint.h"
#include "experiment/interrupt.h"
#include "experiment/json_file.h"
#include "experiment/model_factory.h"
#include "experiment/precision_support.h"
#include "experiment/run_dir.h"
#include "experiment/run_loader.h"
#include "experiment/trainer_state.h"
#include "nn/step_rng.h"

namespace attn::experiment {

namespace fs = std::filesystem;

namespace {
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Thrown between evaluation batches when a signal asks to stop.
struct EvalInterrupted {};

NamedTensors named(const std::map<std::string, Tensor>& m) { return NamedTensors(m.begin(), m.end()); }

class Trainer {
 public:
  explicit Trainer(const TrainRequest& request) : req_(request), c_(request.config), dir_(request.run_dir) {
    if (c_.threads > 0) set_worker_threads(static_cast<int>(c_.threads));
    task_ = tasks::make_task(task_options(c_));
    model_ = build_model(c_, *task_);
    optimizer_ = std::make_unique<nn::Optimizer>(model_->named_parameters(), optimizer_options(c_));
    batcher_ = std::make_unique<data::Batcher>(
        &task_->train_examples(),
        data::BatcherOptions{c_.batch_size, data::BatchUnit::sentences, 100, true, static_cast<uint64_t>(c_.seed)});
    total_steps_ = c_.max_steps > 0 ? c_.max_steps : c_.epochs * batcher_->batches_in_epoch();
    ATTN_CHECK(total_steps_ > 0, config, "training needs max_steps or epochs > 0 (got max_steps=", c_.max_steps,
               ", epochs=", c_.epochs, ")");
    if (c_.max_steps > 0 && c_.epochs > 0)
      total_steps_ = std::min(total_steps_, c_.epochs * batcher_->batches_in_epoch());
    schedule_ = schedule_options(c_, total_steps_);
    metric_ = c_.early_stop_metric == "auto" ? task_->primary_metric() : c_.early_stop_metric;
    task_->set_batch_hook([this](int64_t done, int64_t total) {
      if (interrupt_requested()) throw EvalInterrupted{};
      report_eval_progress(done, total);
    });
    check_metric();
    metric_lower_ = lower_is_better(metric_);
  }

  // Every failure once the run directory holds a record (an error, running out of
  // memory, anything thrown) leaves it `failed` with the reason, never `running`.
  TrainResult run() {
    try {
      return run_unguarded();
    } catch (const std::bad_alloc&) {
      mark_failed("out of memory");
      throw;
    } catch (const std::exception& e) {
      mark_failed(e.what());
      throw;
    }
  }

 private:
  TrainResult run_unguarded() {
    if (!req_.resume) start();
    else if (fs::exists(checkpoint_path(dir_, "last"))) restore();
    else restart();
    InterruptHandlers handlers;
    wall_start_ = Clock::now();
    wall_before_ = state_.wall_time_s;
    training_ = true;
    while (state_.step < total_steps_ || state_.eval_pending) {
      if (!state_.eval_pending) {
        data::Batch batch = batcher_->next();
        const Clock::time_point step_start = Clock::now();
        const double loss = train_step(batch);
        state_.train_time_s += seconds_since(step_start);
        if (!std::isfinite(loss) || !std::isfinite(last_grad_norm_)) return diverged(loss, wall());
        state_.position = batcher_->position();
        state_.train_work += task_->batch_work(batch);
        state_.window_loss += loss;
        ++state_.window_steps;
        // The batcher moves to the next epoch only when asked for its next batch.
        const bool epoch_end = state_.position.batch == batcher_->batches_in_epoch();
        state_.eval_pending =
            (c_.eval_every > 0 ? state_.step % c_.eval_every == 0 : epoch_end) || state_.step == total_steps_;
        if (c_.log_every > 0 ? state_.step % c_.log_every == 0 : state_.eval_pending) log_window(wall());
        if (!state_.eval_pending && c_.checkpoint_every > 0 && state_.step % c_.checkpoint_every == 0) save_last();
      }
      if (state_.eval_pending) {
        try {
          if (!evaluate()) return finish(RunStatus::stopped_early, wall(), stop_message());
        } catch (const EvalInterrupted&) {
          // Saved below with the evaluation still pending.
        }
      }
      if (interrupt_requested()) {
        save_last();
        return finish(RunStatus::interrupted, wall(), "interrupted by signal " + std::to_string(interrupt_signal()),
                      kInterruptedExitCode);
      }
    }
    return finish(RunStatus::completed, wall(), "");
  }

  // Best effort: the error that brought us here is what the user must see, even
  // when the record cannot be written (a full disk, no memory left).
  void mark_failed(const std::string& message) noexcept {
    // Before this process wrote the record (a refused resume), the run is as it was.
    if (!record_claimed_) return;
    try {
      // Steps and evaluations done (a best checkpoint saved) are reported, as a diverged run's are.
      if (training_) fill_record(wall());
      record_.status = RunStatus::failed;
      record_.message = message;
      save_training_record(dir_, record_);
    } catch (...) {
    }
  }

  void start() {
    dir_ = req_.create_run_dir();
    begin(dir_.filename().string());
  }

  // A run killed or failed before its first checkpoint starts over from step 0,
  // under its id, with the saved config.
  void restart() {
    const std::string id = load_record(dir_).id;
    std::error_code ec;
    fs::remove_all(dir_ / run_files::checkpoints, ec);  // a best saved just before the kill
    ATTN_CHECK(!ec, io, "cannot clear '", (dir_ / run_files::checkpoints).string(), "': ", ec.message());
    begin(id);
  }

  void begin(const std::string& id) {
    const fs::path& dir = dir_;
    record_ = new_run_record(id, req_.command_line);
    record_.task = task_->name();
    record_.dataset_name = task_->dataset_name();
    record_.dataset_checksum = task_->dataset_checksum();
    record_.config = to_json(c_);
    // The test split may name its sets differently (a forecast's spans), and report sorts its columns too.
    for (data::Split split : {data::Split::valid, data::Split::test})
      for (const tasks::MetricInfo& m : task_->metric_infos(split)) record_.lower_is_better[m.name] = m.lower_is_better;
    record_.throughput.unit = task_->throughput_unit() + "/s";
    record_.threads = omp_get_max_threads();
    record_.status = RunStatus::running;
    // The record first: whatever fails after it (a full disk) is recorded, and the record's
    // config lets --resume start the run over (load_run_config).
    save_training_record(dir, record_);
    record_claimed_ = true;
    write_json_file(dir / run_files::config, to_json(c_));
    write_json_file(dir / run_files::task_state, task_->state());
    write_file_atomic(dir / run_files::metrics, "");
  }

  void restore() {
    const fs::path& dir = dir_;
    record_ = load_record(dir);
    ATTN_CHECK(record_.dataset_checksum == task_->dataset_checksum(), data, "dataset '", task_->dataset_name(),
               "' differs from the one run ", dir.string(), " started with (checksum ", record_.dataset_checksum,
               ", now ", task_->dataset_checksum(), ")");
    check_task_state(dir, *task_);
    NamedTensors optimizer_state = named(optimizer_->state());
    Json trainer = load_checkpoint(dir, "last", parameter_tensors(*model_), optimizer_state);
    optimizer_->load_state({optimizer_state.begin(), optimizer_state.end()});
    state_ = state_from_json(trainer, {checkpoint_path(dir, "last").string(), total_steps_, batcher_->batches_in_epoch(),
                                       metric_, &record_});
    last_saved_step_ = state_.step;
    batcher_->restore(state_.position);
    // Steps after the checkpoint are replayed: drop their log lines so none is written twice.
    std::string kept;
    for (const Json& line : read_json_lines(dir / run_files::metrics))
      if (line.value("step", int64_t{0}) <= state_.step) kept += line.dump() + "\n";
    write_file_atomic(dir / run_files::metrics, kept);
    if (req_.extend_to > 0) {
      write_json_file(dir / run_files::config, to_json(c_));
      record_.config = to_json(c_);
      state_.bad_evals = 0;
    }
    record_.status = RunStatus::running;
    record_.message.clear();
    record_.command_line = req_.command_line;
    save_training_record(dir, record_);
    record_claimed_ = true;
  }

  double train_step(const data::Batch& batch) {
    ++state_.step;
    nn::StepRngScope rng_scope(static_cast<uint64_t>(c_.seed), static_cast<uint64_t>(state_.step));
    model_->set_training(true);
    Var loss = task_->loss(*model_, batch, static_cast<float>(c_.label_smoothing));
    optimizer_->zero_grad();
    loss.backward();
    last_grad_norm_ = nn::clip_grad_norm(model_->parameters(), static_cast<float>(c_.clip_norm));
    last_lr_ = nn::learning_rate(schedule_, state_.step);
    const double value = loss.value()[0];
    if (std::isfinite(value) && std::isfinite(last_grad_norm_)) optimizer_->step(last_lr_);
    return value;
  }

  double throughput() const { return state_.train_time_s > 0 ? state_.train_work / state_.train_time_s : 0; }

  // What the caller shows; an evaluation passes its metrics.
  TrainProgress progress(double elapsed_s, const std::map<std::string, double>* metrics = nullptr) const {
    TrainProgress p;
    p.step = state_.step, p.total_steps = total_steps_, p.epoch = state_.position.epoch;
    p.lr = last_lr_, p.elapsed_s = elapsed_s;
    p.throughput = {throughput(), record_.throughput.unit};
    p.eta_s = eta_s();
    if (metrics) p.evaluation = true, p.metrics = *metrics;
    return p;
  }

  int64_t evaluations_left() const {
    const int64_t every = c_.eval_every > 0 ? c_.eval_every : batcher_->batches_in_epoch();
    return evaluations_after(state_.step, total_steps_, every);
  }

  // Training still to do at its measured pace, plus the evaluations still to come (and the
  // rest of one under way) at the mean duration of those this process has timed. Before the
  // first evaluation is timed, evaluations count as nothing.
  double eta_s() const {
    const double per_step = state_.step > 0 ? state_.train_time_s / static_cast<double>(state_.step) : 0.0;
    double eta = per_step * static_cast<double>(total_steps_ - state_.step);
    if (evals_timed_ > 0) {
      const double per_eval = eval_seconds_ / static_cast<double>(evals_timed_);
      eta += per_eval * static_cast<double>(evaluations_left());
      if (eval_started_) eta += std::max(0.0, per_eval - seconds_since(*eval_started_));
    }
    return eta;
  }

  // During a validation that has run for a while, a progress line at most every second, so a
  // long evaluation is not a frozen line.
  void report_eval_progress(int64_t done, int64_t total) {
    if (!req_.on_progress || !eval_started_ || seconds_since(*eval_started_) < 1.0) return;
    if (last_eval_report_ && seconds_since(*last_eval_report_) < 1.0) return;
    last_eval_report_ = Clock::now();
    TrainProgress p = progress(wall());
    p.evaluating = true;
    p.eval_done = done;
    p.eval_total = total;
    req_.on_progress(p);
  }

  void log_window(double wall_s) {
    const double loss = state_.window_loss / std::max<int64_t>(state_.window_steps, 1);
    append_json_line(dir_ / run_files::metrics,
                     Json{{"step", state_.step}, {"epoch", state_.position.epoch}, {"loss", loss},
                          {"lr", last_lr_}, {"grad_norm", last_grad_norm_}, {"throughput_per_s", throughput()},
                          {"elapsed_s", wall_s}});
    state_.window_loss = 0;
    state_.window_steps = 0;
    if (req_.on_progress) {
      TrainProgress p = progress(wall_s);
      p.loss = loss;
      req_.on_progress(p);
    }
  }

  // A bad early_stop_metric fails before the run directory exists.
  void check_metric() const {
    std::vector<std::string> names = task_->metric_names(data::Split::valid);
    if (std::find(names.begin(), names.end(), metric_) != names.end()) return;
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    ATTN_FAIL(config, "early_stop_metric '", metric_, "' is not a metric of task ", task_->name(), " (", list, ")");
  }

  bool lower_is_better(const std::string& metric) const {
    for (const tasks::MetricInfo& m : task_->metric_infos(data::Split::valid))
      if (m.name == metric) return m.lower_is_better;
    return false;
  }

  // Validates, records, checkpoints. Returns false when early stopping says stop.
  bool evaluate() {
    eval_started_ = Clock::now();
    last_eval_report_.reset();
    Evaluation ev{state_.step, state_.position.epoch, {}};
    const tasks::EvalOptions options{decode_options(c_), 64};
    bool first = true;
    for (const tasks::EvalSet& set : task_->eval_sets(data::Split::valid)) {
      if (first) ev.metrics["loss"] = task_->mean_loss(*model_, set, options.batch_size);
      first = false;
      for (const auto& [name, value] : task_->evaluate(*model_, set, options).metrics)
        ev.metrics[name + set.suffix] = value;
    }
    const double value = ev.metrics.at(metric_);
    const bool improved = !state_.best || (metric_lower_ ? value < state_.best->value : value > state_.best->value);
    if (improved) {
      state_.best = BestMetric{metric_, value, state_.step};
      state_.bad_evals = 0;
    } else {
      ++state_.bad_evals;
    }
    state_.evaluations.push_back(ev);
    state_.eval_pending = false;
    eval_seconds_ += seconds_since(*eval_started_);
    ++evals_timed_;
    eval_started_.reset();
    if (improved) save_checkpoint(dir_, "best", parameter_tensors(*model_), {}, state_json(state_));
    save_last();
    if (req_.on_progress) req_.on_progress(progress(state_.wall_time_s, &ev.metrics));
    return !(c_.patience > 0 && state_.bad_evals >= c_.patience);
  }

  std::string stop_message() const {
    return "no improvement of " + metric_ + " in " + std::to_string(state_.bad_evals) + " evaluations";
  }

  // Wall time of the whole run, resumed parts included.
  double wall() const { return wall_before_ + seconds_since(wall_start_); }

  // Every save carries the wall time so far (an evaluation just finished included):
  // a run resumed from it reports the time it really took.
  void save_last() {
    save_last_checkpoint(wall());
    fill_record(state_.wall_time_s);
    save_training_record(dir_, record_);
  }

  void save_last_checkpoint(double wall_s) {
    state_.wall_time_s = wall_s;
    last_saved_step_ = state_.step;
    save_checkpoint(dir_, "last", parameter_tensors(*model_), named(optimizer_->state()), state_json(state_));
  }

  void fill_record(double wall_s) {
    record_.steps = state_.step;
    record_.evaluations = state_.evaluations;
    record_.best = state_.best;
    record_.wall_time_s = wall_s;
    record_.throughput.value = throughput();
    record_.peak_memory_mib = std::max(record_.peak_memory_mib, peak_memory_mib());
  }

  TrainResult finish(RunStatus status, double wall_s, const std::string& message, int exit_code = 0) {
    if (status != RunStatus::interrupted) save_last_checkpoint(wall_s);
    fill_record(wall_s);
    record_.status = status;
    record_.message = message;
    save_training_record(dir_, record_);
    return {record_, exit_code};
  }

  // The last checkpoint stays as it was: it holds the last good weights.
  TrainResult diverged(double loss, double wall_s) {
    fill_record(wall_s);
    record_.steps = state_.step - 1;  // the diverged step's update was skipped
    record_.status = RunStatus::diverged;
    record_.message = "training diverged at step " + std::to_string(state_.step) + " (loss " + std::to_string(loss) +
                      ", gradient norm " + std::to_string(last_grad_norm_) + "); " +
                      (last_saved_step_ > 0 ? "checkpoints/last holds the good weights of step " +
                                                  std::to_string(last_saved_step_)
                                            : std::string("no checkpoint had been saved yet"));
    save_training_record(dir_, record_);
    return {record_, exit_code(ErrorKind::diverged)};
  }

  const TrainRequest& req_;
  TrainConfig c_;
  fs::path dir_;
  std::unique_ptr<tasks::Task> task_;
  std::unique_ptr<models::Model> model_;
  std::unique_ptr<nn::Optimizer> optimizer_;
  std::unique_ptr<data::Batcher> batcher_;
  nn::ScheduleOptions schedule_;
  int64_t total_steps_ = 0;
  std::string metric_;
  bool metric_lower_ = false;
  TrainerState state_;
  RunRecord record_;
  double last_grad_norm_ = 0;
  float last_lr_ = 0;
  int64_t last_saved_step_ = 0;
  bool training_ = false;  // past start or restore: state_ describes this run
  bool record_claimed_ = false;  // this process wrote the record: a failure is its to report
  Clock::time_point wall_start_;
  double wall_before_ = 0;  // wall time of the run before this process resumed it
  // Validations timed by this process, for the ETA; the one under way, if any.
  double eval_seconds_ = 0;
  int64_t evals_timed_ = 0;
  std::optional<Clock::time_point> eval_started_, last_eval_report_;
};
}  // namespace

int64_t evaluations_after(int64_t step, int64_t total_steps, int64_t every) {
  if (step >= total_steps) return 0;
  every = std::max<int64_t>(1, every);
  const int64_t on_schedule = total_steps / every - step / every;
  return on_schedule + (total_steps % every != 0 ? 1 : 0);  // the last step evaluates too
}

TrainResult train(const TrainRequest& request) {
  // Resuming a finished run would train past its end and rewrite its results.
  if (request.resume) {
    RunRecord record = load_record(request.run_dir);
    ATTN_CHECK(request.extend_to == 0 || request.extend_to > record.steps, usage, "--max-steps ", request.extend_to,
               " does not extend run ", record.id, ": it has ", record.steps, " steps already");
    ATTN_CHECK(request.extend_to == 0 || fs::exists(checkpoint_path(request.run_dir, "last")), usage, "run ", record.id,
               " has no last checkpoint to extend; resume it without --max-steps");
    if (request.extend_to == 0 && (record.status == RunStatus::completed || record.status == RunStatus::stopped_early))
      return {std::move(record), 0, true};
  }
  check_precision_supported(request.config.precision);
  // For the whole run, its evaluations included (they decode with the same products).
  kernels::PrecisionScope precision(request.config.precision);
  return Trainer(request).run();
}

}  // namespace attn::experiment
