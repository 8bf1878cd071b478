// The forecast family: a time series (data/series.h), one window of `context` past values
// in, the next `horizon` values out at once (a vector head: the encoder model's head has
// `horizon` outputs; nothing is rolled), on the encoder model over values
// (models/encoder_model.h).
// Protocol: one step after another, each window holds true past values only. Training
// windows lie wholly inside the training span (their targets too); the scaler is fitted on
// the training span alone and stored in the task state; validation and test windows
// predict the values of their span from every true value before them. An example is named
// by the time label of its first target ("1921"), which is also what `attn attend --input`
// takes.
// Metrics, on the original scale, per evaluation set: mse (the early-stopping default),
// rmse, mae, smape, mase, and the same five for each baseline (tasks/forecast_baselines.h),
// prefixed naive_, snaive_ (with a season) and ar_ (with an AR order). Baselines and MASE's
// naive scale use every value before the evaluated span: the training span for validation,
// training plus validation (the classic fitting span) for test.
// What this file does not do: read or split the series (data/series.h), fit the baselines.
#pragma once

#include <memory>
#include <unordered_map>

#include "data/scaler.h"
#include "data/series.h"
#include "tasks/task.h"

namespace attn::tasks {

// One step past the end of the series: the model's rolling forecast, the AR baseline's (fitted on
// the whole series, its forecasts fed back; NaN without one) and the last value (naive).
struct FutureStep {
  std::string time;  // data::time_after
  double model = 0, ar = 0, naive = 0;
};

class ForecastTask : public Task {
 public:
  // Data errors for a series too short for context + horizon (or for the AR order).
  explicit ForecastTask(const TaskOptions& options);

  std::unique_ptr<models::Model> build_model(models::ModelOptions options) const override;
  nlohmann::json state() const override;
  const std::vector<data::EncodedPair>& train_examples() const override { return train_; }
  Var loss(models::Model& model, const data::Batch& batch, float label_smoothing) const override;
  int64_t batch_work(const data::Batch& batch) const override { return batch.size(); }
  std::string throughput_unit() const override { return "examples"; }
  std::vector<EvalSet> eval_sets(data::Split split) const override;
  double mean_loss(models::Model& model, const EvalSet& set, int64_t batch_size) const override;
  Evaluation evaluate(models::Model& model, const EvalSet& set, const EvalOptions& options) const override;
  std::vector<data::EncodedPair> examples(const EvalSet& set) const override;
  std::vector<MetricInfo> metrics() const override;
  std::vector<std::string> prediction_columns() const override;
  bool decodes() const override { return false; }
  AttendItem attend(models::Model& model, const AttendInput& input,
                    const models::DecodeOptions& decode) const override;

  // `steps` rolling one-step forecasts past the series' last value: the window starts as the last
  // `context` true values, and each forecast (the first of the horizon head's outputs) joins it
  // for the next step. Errors are for the caller to check (steps >= 1).
  std::vector<FutureStep> forecast_future(models::Model& model, int64_t steps) const;
  // {"series", "last_time", "last_value", "ar_order", "forecast": [{"time", "model", "ar", "naive"}]}
  // (ar null without an AR baseline).
  nlohmann::json future_json(const std::vector<FutureStep>& steps) const;

 private:
  // The window whose first target is values[t]: inputs [t - context, t), targets [t, t + horizon), scaled.
  data::EncodedPair window(int64_t t) const;
  // Index of the value a time label names; a data error naming the valid range otherwise.
  int64_t target_index(const std::string& time) const;
  // The model's forecasts [N][horizon] on the original scale, for targets starting at `starts`.
  std::vector<std::vector<double>> predict(models::Model& model, const std::vector<int64_t>& starts,
                                           int64_t batch_size, models::AttentionRecorder* recorder) const;
  // The same for windows of `context` scaled values given directly.
  std::vector<std::vector<double>> predict_windows(models::Model& model, const std::vector<std::vector<float>>& windows,
                                                   int64_t batch_size, models::AttentionRecorder* recorder) const;
  std::vector<std::string> baselines() const;  // naive, snaive, ar: those that apply

  data::Series series_;
  int64_t context_, horizon_, season_, ar_order_;
  data::Scaler scaler_;
  std::unordered_map<std::string, int64_t> index_of_time_;
  std::vector<data::EncodedPair> train_;
};

}  // namespace attn::tasks
