#include "experiment/trainer_state.h"

#include <cmath>
#include <limits>

#include "base/error.h"

namespace attn::experiment {

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

Json evaluation_json(const Evaluation& e) {
  Json metrics = Json::object();
  for (const auto& [k, v] : e.metrics) metrics[k] = v;
  return Json{{"step", e.step}, {"epoch", e.epoch}, {"metrics", metrics}};
}

// Reads fields of one JSON object, each checked for presence, type and range, so
// an edited checkpoint is refused with the field it got wrong.
class Fields {
 public:
  Fields(const Json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) fail("", "is not a JSON object");
  }

  const Json& at(const std::string& key) const {
    if (!object_.contains(key)) fail(key, "is missing");
    return object_[key];
  }

  int64_t integer(const std::string& key, int64_t lo, int64_t hi) const {
    const Json& v = at(key);
    // Unsigned values past INT64_MAX, and doubles (1e300), are no step or count.
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(kMax)))
      fail(key, v.dump() + " is not an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    const int64_t n = v.get<int64_t>();
    if (n < lo || n > hi)
      fail(key, std::to_string(n) + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return n;
  }

  double seconds(const std::string& key) const {
    const Json& v = at(key);
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
      fail(key, v.dump() + " is not a finite number >= 0");
    return v.get<double>();
  }

  double finite(const std::string& key) const {
    const Json& v = at(key);
    if (!v.is_number() || !std::isfinite(v.get<double>())) fail(key, v.dump() + " is not a finite number");
    return v.get<double>();
  }

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw Error(ErrorKind::checkpoint, where_ + (key.empty() ? "" : " " + key) + " " + problem);
  }

 private:
  const Json& object_;
  std::string where_;
};

std::vector<Evaluation> evaluations_from(const Json& list, const Fields& state, const std::string& source,
                                         int64_t step) {
  if (!list.is_array()) state.fail("evaluations", "is not an array");
  std::vector<Evaluation> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string name = "evaluations[" + std::to_string(i) + "]";
    const Fields e(list[i], source + ": trainer state " + name);
    // In the order they were made, each after the previous and none after the state's step.
    const int64_t after = out.empty() ? 0 : out.back().step;
    Evaluation ev{e.integer("step", after + 1, step), e.integer("epoch", out.empty() ? 0 : out.back().epoch, kMax), {}};
    const Json& metrics = e.at("metrics");
    if (!metrics.is_object()) e.fail("metrics", "is not an object");
    for (const auto& [k, v] : metrics.items()) {
      if (!v.is_null() && !v.is_number()) e.fail("metrics", "'" + k + "' is not a number or null");
      ev.metrics[k] = v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
    }
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace

Json state_json(const TrainerState& s) {
  Json evals = Json::array();
  for (const Evaluation& e : s.evaluations) evals.push_back(evaluation_json(e));
  Json best = s.best ? Json{{"metric", s.best->metric}, {"value", s.best->value}, {"step", s.best->step}} : Json();
  return Json{{"step", s.step},
              {"epoch", s.position.epoch},
              {"batch", s.position.batch},
              {"best", best},
              {"bad_evals", s.bad_evals},
              {"evaluations", evals},
              {"train_work", s.train_work},
              {"train_time_s", s.train_time_s},
              {"wall_time_s", s.wall_time_s},
              {"window_loss", s.window_loss},
              {"window_steps", s.window_steps},
              {"eval_pending", s.eval_pending}};
}

TrainerState state_from_json(const Json& j, const ResumeContext& c) {
  const Fields f(j, c.source + ": trainer state");
  TrainerState s;
  s.step = f.integer("step", 0, c.total_steps);
  // The batcher starts an epoch only when asked for its first batch: never more epochs than steps + 1.
  s.position = {f.integer("epoch", 0, s.step + 1), f.integer("batch", 0, c.batches_in_epoch)};
  s.evaluations = evaluations_from(f.at("evaluations"), f, c.source, s.step);
  const int64_t evaluations = static_cast<int64_t>(s.evaluations.size());
  s.bad_evals = f.integer("bad_evals", 0, evaluations);
  if (const Json& best = f.at("best"); !best.is_null()) {
    const Fields b(best, c.source + ": trainer state best");
    const Json& metric = b.at("metric");
    if (!metric.is_string() || metric.get<std::string>() != c.metric)
      b.fail("metric", metric.dump() + " is not the run's early-stopping metric \"" + c.metric + "\"");
    const Json& value = b.at("value");
    if (!value.is_number()) b.fail("value", value.dump() + " is not a number");
    s.best = BestMetric{c.metric, value.get<double>(), b.integer("step", 1, s.step)};
    bool evaluated = false;
    for (const Evaluation& e : s.evaluations) evaluated = evaluated || e.step == s.best->step;
    if (!evaluated) b.fail("step", std::to_string(s.best->step) + " is not the step of an evaluation");
  } else if (evaluations > 0) {
    f.fail("best", "is null after " + std::to_string(evaluations) + " evaluations");
  }
  // Checkpoints of older versions counted target tokens under another name.
  s.train_work = f.integer(j.contains("train_work") || !j.contains("train_tokens") ? "train_work" : "train_tokens", 0, kMax);
  s.train_time_s = f.seconds("train_time_s");
  s.wall_time_s = f.seconds("wall_time_s");
  s.window_loss = f.finite("window_loss");
  s.window_steps = f.integer("window_steps", 0, s.step);
  if (j.contains("eval_pending")) {  // absent in checkpoints of older versions
    if (!j["eval_pending"].is_boolean()) f.fail("eval_pending", j["eval_pending"].dump() + " is not true or false");
    s.eval_pending = j["eval_pending"].get<bool>();
    if (s.eval_pending && evaluations > 0 && s.evaluations.back().step == s.step)
      f.fail("eval_pending", "is set, but step " + std::to_string(s.step) + " was evaluated");
  }
  // The record is rewritten after each checkpoint: one list of evaluations extends the other.
  if (c.record) {
    const std::vector<Evaluation>& saved = c.record->evaluations;
    for (size_t i = 0; i < std::min(saved.size(), s.evaluations.size()); ++i)
      if (saved[i].step != s.evaluations[i].step)
        f.fail("evaluations", "disagree with record.json: evaluation " + std::to_string(i + 1) + " is at step " +
                                  std::to_string(s.evaluations[i].step) + " here but at step " +
                                  std::to_string(saved[i].step) + " in the record");
  }
  return s;
}

}  // namespace attn::experiment
