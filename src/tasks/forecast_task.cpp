#include "tasks/forecast_task.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "base/error.h"
#include "metrics/forecast.h"
#include "models/encoder_model.h"
#include "ops/loss.h"
#include "tasks/forecast_baselines.h"
#include "tasks/model_scopes.h"
#include "tasks/task_registry.h"

namespace attn::tasks {

namespace {
// The family's own model type: a ForecastTask builds only EncoderModels over values.
models::EncoderModel& encoder(models::Model& model) { return static_cast<models::EncoderModel&>(model); }

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

std::string joined(const std::vector<double>& values) {
  std::string out;
  for (double v : values) out += (out.empty() ? "" : " ") + number_text(v);
  return out;
}

// Rounded like the attention weights (6 significant digits), so the JSON stays small.
double rounded(double v) { return std::strtod(number_text(v).c_str(), nullptr); }

constexpr const char* kScores[] = {"mse", "rmse", "mae", "smape", "mase"};

void add_scores(std::map<std::string, double>& out, const std::string& prefix, const metrics::ForecastScore& s) {
  out[prefix + "mse"] = s.mse;
  out[prefix + "rmse"] = s.rmse;
  out[prefix + "mae"] = s.mae;
  out[prefix + "smape"] = s.smape;
  out[prefix + "mase"] = s.mase;
}
}  // namespace

ForecastTask::ForecastTask(const TaskOptions& o)
    : series_(data::load_series(o.dataset == "auto" ? "sunspots" : o.dataset, o.series_file, o.data_root)),
      context_(o.context),
      horizon_(o.horizon),
      season_(o.season),
      ar_order_(o.ar_order) {
  data::check_series_length(series_, context_, horizon_);
  ATTN_CHECK(ar_order_ == 0 || series_.train_end >= 2 * ar_order_ + 1, data, series_.name, ": the training span holds ",
             series_.train_end, " values, too few to fit the AR(", ar_order_, ") baseline (needs ", 2 * ar_order_ + 1,
             "); lower ar_order");
  ATTN_CHECK(season_ < series_.train_end, data, series_.name, ": season ", season_, " is not shorter than the ",
             series_.train_end, "-value training span");
  set_identity("forecast", series_.name, series_.checksum);
  scaler_ = data::Scaler::fit(o.scaling, series_.values.data(), series_.train_end);
  for (size_t i = 0; i < series_.times.size(); ++i) index_of_time_.emplace(series_.times[i], static_cast<int64_t>(i));
  for (int64_t t = context_; t + horizon_ <= series_.train_end; ++t) train_.push_back(window(t));
}

data::EncodedPair ForecastTask::window(int64_t t) const {
  data::EncodedPair e;
  for (int64_t i = t - context_; i < t; ++i) e.values.push_back(scaler_.apply(series_.values[i]));
  for (int64_t i = t; i < t + horizon_; ++i) e.targets.push_back(scaler_.apply(series_.values[i]));
  return e;
}

int64_t ForecastTask::target_index(const std::string& time) const {
  const auto it = index_of_time_.find(time);
  const int64_t last = static_cast<int64_t>(series_.values.size()) - horizon_;
  ATTN_CHECK(it != index_of_time_.end() && it->second >= context_ && it->second <= last, data, "'", time,
             "' is not a time of series ", series_.name, " with ", context_, " values before it and ", horizon_,
             " from it on (", series_.times[context_], " .. ", series_.times[last], ")");
  return it->second;
}

std::unique_ptr<models::Model> ForecastTask::build_model(models::ModelOptions o) const {
  ATTN_CHECK(o.highway <= context_, config, "highway ", o.highway, " reads more values than the context of ",
             context_);
  o.input = "values";
  o.outputs = horizon_;
  return std::make_unique<models::EncoderModel>(o);
}

nlohmann::json ForecastTask::state() const {
  const auto span = [&](int64_t begin, int64_t end) {
    return nlohmann::json::array({series_.times[begin], series_.times[end - 1]});
  };
  nlohmann::json tests = nlohmann::json::object();
  for (const data::TestSpan& t : series_.tests) tests[t.suffix] = span(series_.valid_end, t.end);
  return {{"scaler", scaler_.to_json()},
          {"context", context_},
          {"horizon", horizon_},
          {"split",
           {{"train", span(0, series_.train_end)}, {"valid", span(series_.train_end, series_.valid_end)}, {"test", tests}}}};
}

Var ForecastTask::loss(models::Model& model, const data::Batch& batch, float /*no label smoothing*/) const {
  Var predicted = encoder(model).forward(batch.values, batch.src_lengths);  // [B, horizon]
  return mse(predicted, batch.targets);
}

std::vector<EvalSet> ForecastTask::eval_sets(data::Split split) const {
  const auto set = [&](std::string suffix, int64_t begin, int64_t end) {
    EvalSet s{std::move(suffix), {}};
    for (int64_t t = std::max(begin, context_); t + horizon_ <= end; ++t)
      s.pairs.push_back({series_.times[t], joined({series_.values.begin() + t, series_.values.begin() + t + horizon_})});
    return s;
  };
  if (split == data::Split::train) return {set("", 0, series_.train_end)};
  if (split == data::Split::valid) return {set("", series_.train_end, series_.valid_end)};
  std::vector<EvalSet> out;
  for (const data::TestSpan& t : series_.tests) out.push_back(set(t.suffix, series_.valid_end, t.end));
  return out;
}

std::vector<std::vector<double>> ForecastTask::predict(models::Model& model, const std::vector<int64_t>& starts,
                                                       int64_t batch_size, models::AttentionRecorder* recorder) const {
  std::vector<std::vector<float>> windows;
  for (const int64_t t : starts) windows.push_back(window(t).values);
  return predict_windows(model, windows, batch_size, recorder);
}

std::vector<std::vector<double>> ForecastTask::predict_windows(models::Model& model,
                                                               const std::vector<std::vector<float>>& windows,
                                                               int64_t batch_size,
                                                               models::AttentionRecorder* recorder) const {
  NoGradGuard no_grad;
  EvalModeScope eval_mode(model);
  RecordingScope recording(model, recorder);
  const int64_t n = static_cast<int64_t>(windows.size());
  std::vector<std::vector<double>> out;
  for (int64_t first = 0; first < n; first += batch_size) {
    before_batch(first, n);
    const int64_t b = std::min(batch_size, n - first);
    Tensor values = Tensor::empty({b, context_});  // [B, T]
    for (int64_t r = 0; r < b; ++r) {
      const std::vector<float>& w = windows[first + r];
      std::copy(w.begin(), w.end(), values.data() + r * context_);
    }
    const Tensor predicted = encoder(model).forward(values, std::vector<int32_t>(b, static_cast<int32_t>(context_))).value();
    for (int64_t r = 0; r < b; ++r) {
      std::vector<double> row;
      for (int64_t h = 0; h < horizon_; ++h) row.push_back(scaler_.undo(predicted[r * horizon_ + h]));
      out.push_back(std::move(row));
    }
  }
  return out;
}

std::vector<data::EncodedPair> ForecastTask::examples(const EvalSet& set) const {
  std::vector<data::EncodedPair> out;
  for (const data::TextPair& p : set.pairs) out.push_back(window(target_index(p.src)));
  return out;
}

double ForecastTask::mean_loss(models::Model& model, const EvalSet& set, int64_t batch_size) const {
  std::vector<int64_t> starts;
  for (const data::TextPair& p : set.pairs) starts.push_back(target_index(p.src));
  const std::vector<std::vector<double>> predicted = predict(model, starts, batch_size, nullptr);
  double total = 0;  // on the scaled values, as the training loss
  for (size_t i = 0; i < starts.size(); ++i)
    for (int64_t h = 0; h < horizon_; ++h) {
      const double error = (predicted[i][h] - series_.values[starts[i] + h]) / scaler_.scale;
      total += error * error;
    }
  return starts.empty() ? 0.0 : total / static_cast<double>(starts.size() * horizon_);
}

std::vector<std::string> ForecastTask::baselines() const {
  std::vector<std::string> out{"naive"};
  if (season_ > 0) out.push_back("snaive");
  if (ar_order_ > 0) out.push_back("ar");
  return out;
}

std::vector<MetricInfo> ForecastTask::metrics() const {
  std::vector<MetricInfo> out;
  for (const char* score : kScores) out.push_back({score, true});
  for (const std::string& baseline : baselines())
    for (const char* score : kScores) out.push_back({baseline + "_" + score, true});
  return out;
}

std::vector<std::string> ForecastTask::prediction_columns() const {
  std::vector<std::string> out{"time", "reference", "prediction"};
  for (const std::string& b : baselines()) out.push_back(b);
  return out;
}

Evaluation ForecastTask::evaluate(models::Model& model, const EvalSet& set, const EvalOptions& options) const {
  ATTN_CHECK(!set.pairs.empty(), data, "series ", series_.name, ": an evaluation set without values");
  std::vector<int64_t> starts;
  for (const data::TextPair& p : set.pairs) starts.push_back(target_index(p.src));
  const std::vector<std::vector<double>> model_rows = predict(model, starts, options.batch_size, nullptr);
  // Every value before the span: what the baselines may be fitted on (windows start inside the span).
  const int64_t fit_end = std::min(starts.front(), series_.valid_end);
  const std::vector<double> in_sample(series_.values.begin(), series_.values.begin() + fit_end);
  const double scale = metrics::naive_mae(in_sample, season_);
  const ArModel ar = ar_order_ > 0 ? fit_ar(series_.values, fit_end, ar_order_) : ArModel{};
  std::map<std::string, std::vector<double>> flat;  // method -> every forecast, example by example
  std::vector<double> actual;
  Evaluation out;
  for (size_t i = 0; i < starts.size(); ++i) {
    const int64_t t = starts[i];
    std::map<std::string, std::vector<double>> row{{"model", model_rows[i]},
                                                   {"naive", naive_forecast(series_.values, t, horizon_)}};
    if (season_ > 0) row["snaive"] = seasonal_naive_forecast(series_.values, t, horizon_, season_);
    if (ar_order_ > 0) row["ar"] = ar_forecast(ar, series_.values, t, horizon_);
    for (const auto& [method, values] : row) flat[method].insert(flat[method].end(), values.begin(), values.end());
    actual.insert(actual.end(), series_.values.begin() + t, series_.values.begin() + t + horizon_);
    std::vector<std::string> columns{set.pairs[i].src, set.pairs[i].tgt, joined(row["model"])};
    for (const std::string& b : baselines()) columns.push_back(joined(row[b]));
    out.predictions.push_back(std::move(columns));
  }
  add_scores(out.metrics, "", metrics::forecast_score(flat["model"], actual, scale));
  for (const std::string& b : baselines()) add_scores(out.metrics, b + "_", metrics::forecast_score(flat[b], actual, scale));
  if (ar_order_ > 0)
    out.details["ar"] = {{"order", ar_order_}, {"fitted_through", series_.times[fit_end - 1]}, {"coefficients", ar.coefficients}};
  return out;
}

std::vector<FutureStep> ForecastTask::forecast_future(models::Model& model, int64_t steps) const {
  const int64_t n = static_cast<int64_t>(series_.values.size());
  std::vector<float> past;  // the model's window, scaled: true values, then its own forecasts
  for (int64_t i = n - context_; i < n; ++i) past.push_back(scaler_.apply(series_.values[i]));
  const ArModel ar = ar_order_ > 0 ? fit_ar(series_.values, n, ar_order_) : ArModel{};
  const std::vector<double> ar_path = ar_order_ > 0 ? ar_forecast(ar, series_.values, n, steps) : std::vector<double>{};
  std::vector<FutureStep> out;
  for (int64_t k = 0; k < steps; ++k) {
    const double next = predict_windows(model, {past}, 1, nullptr).front().front();
    past.erase(past.begin());
    past.push_back(scaler_.apply(next));
    out.push_back({data::time_after(series_, k + 1), rounded(next),
                   ar_order_ > 0 ? rounded(ar_path[k]) : std::numeric_limits<double>::quiet_NaN(),
                   series_.values.back()});
  }
  return out;
}

nlohmann::json ForecastTask::future_json(const std::vector<FutureStep>& steps) const {
  nlohmann::json rows = nlohmann::json::array();
  for (const FutureStep& s : steps) {
    nlohmann::json row = {{"time", s.time}, {"model", s.model}, {"naive", s.naive}};
    row["ar"] = std::isnan(s.ar) ? nlohmann::json() : nlohmann::json(s.ar);
    rows.push_back(std::move(row));
  }
  return {{"series", series_.name},
          {"last_time", series_.times.back()},
          {"last_value", series_.values.back()},
          {"ar_order", ar_order_},
          {"forecast", std::move(rows)}};
}

AttendItem ForecastTask::attend(models::Model& model, const AttendInput& input,
                                const models::DecodeOptions& /*nothing is decoded*/) const {
  const int64_t t = target_index(input.text);
  models::AttentionRecorder recorder;
  const std::vector<double> forecast = predict(model, {t}, 1, &recorder).front();
  std::vector<std::string> steps, target_times;
  std::vector<double> context_values, truth, forecast_rounded;
  for (int64_t i = t - context_; i < t; ++i) steps.push_back(series_.times[i]), context_values.push_back(series_.values[i]);
  for (int64_t h = 0; h < horizon_; ++h) {
    target_times.push_back(series_.times[t + h]);
    truth.push_back(series_.values[t + h]);
    forecast_rounded.push_back(rounded(forecast[h]));
  }
  AttendItem item;
  for (models::AttentionMap& map : recorder.maps) {
    const bool pooling = map.kind == "pooling";
    item.maps.push_back({std::move(map), pooling ? std::vector<std::string>{"<pool>"} : steps, steps, {}});
  }
  std::vector<std::string> output_tokens;
  for (double v : forecast) output_tokens.push_back(number_text(v));
  item.fields = {{"index", input.index},
                 {"source", input.text},
                 {"source_tokens", steps},
                 {"output_tokens", output_tokens},
                 {"output", joined(forecast)},
                 {"series", {{"times", steps},
                             {"values", context_values},
                             {"target_times", target_times},
                             {"forecast", forecast_rounded},
                             {"truth", truth}}}};
  return item;
}

std::unique_ptr<Task> make_forecast_task(const TaskOptions& o) { return std::make_unique<ForecastTask>(o); }

}  // namespace attn::tasks
