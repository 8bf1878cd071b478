#include "experiment/run_record.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "base/build_info.h"
#include "base/error.h"

namespace attn::experiment {

namespace {

constexpr const char* kStatusNames[] = {"running",     "completed", "stopped_early",
                                        "diverged",    "interrupted", "failed"};

// Typed access to a record's fields, each failure naming the dotted field path.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
    throw Error(ErrorKind::checkpoint, source_ + ": record field '" + path + "' " + problem);
  }
  const Json& at(const Json& obj, const std::string& key, const std::string& path) const {
    if (!obj.is_object() || !obj.contains(key)) fail(path, "is missing");
    return obj[key];
  }
  const Json& object(const Json& obj, const std::string& key, const std::string& path) const {
    const Json& v = at(obj, key, path);
    if (!v.is_object()) fail(path, "is not an object");
    return v;
  }
  std::string text(const Json& obj, const std::string& key, const std::string& path) const {
    const Json& v = at(obj, key, path);
    if (!v.is_string()) fail(path, "is not a string");
    return v.get<std::string>();
  }
  int64_t integer(const Json& obj, const std::string& key, const std::string& path) const {
    const Json& v = at(obj, key, path);
    if (!v.is_number_integer()) fail(path, "is not an integer");
    return v.get<int64_t>();
  }
  // null stands for NaN (JSON has no NaN).
  double number(const Json& v, const std::string& path) const {
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number()) fail(path, "is not a number");
    return v.get<double>();
  }
  double number(const Json& obj, const std::string& key, const std::string& path) const {
    return number(at(obj, key, path), path);
  }

 private:
  std::string source_;
};

Json evaluation_json(const Evaluation& e) {
  Json metrics = Json::object();
  for (const auto& [name, value] : e.metrics) metrics[name] = value;
  return {{"step", e.step}, {"epoch", e.epoch}, {"metrics", std::move(metrics)}};
}

}  // namespace

const char* status_name(RunStatus status) { return kStatusNames[static_cast<int>(status)]; }

RunStatus parse_status(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(kStatusNames)); ++i)
    if (name == kStatusNames[i]) return static_cast<RunStatus>(i);
  throw Error(ErrorKind::checkpoint, "unknown run status '" + name + "'");
}

RunRecord new_run_record(const std::string& id, const std::vector<std::string>& command_line) {
  RunRecord r;
  r.id = id;
  r.command_line = command_line;
  r.attn_version = build_info().version;
  r.git_commit = build_info().git_commit;
  r.cpu = cpu_model_name();
  return r;
}

Json to_json(const RunRecord& r) {
  Json evaluations = Json::array();
  for (const Evaluation& e : r.evaluations) evaluations.push_back(evaluation_json(e));
  Json out = {
      {"schema_version", r.schema_version},
      {"id", r.id},
      {"command_line", r.command_line},
      {"attn", {{"version", r.attn_version}, {"git_commit", r.git_commit}}},
      {"machine", {{"cpu", r.cpu}, {"threads", r.threads}}},
      {"task", r.task},
      {"dataset", {{"name", r.dataset_name}, {"checksum", r.dataset_checksum}}},
      {"config", r.config},
      {"lower_is_better", r.lower_is_better},
      {"status", status_name(r.status)},
      {"message", r.message},
      {"steps", r.steps},
      {"evaluations", std::move(evaluations)},
      {"best", r.best ? Json{{"metric", r.best->metric}, {"value", r.best->value}, {"step", r.best->step}}
                      : Json(nullptr)},
      {"wall_time_s", r.wall_time_s},
      {"throughput", {{"value", r.throughput.value}, {"unit", r.throughput.unit}}},
      {"peak_memory_mib", r.peak_memory_mib},
  };
  if (r.eval) out["eval"] = *r.eval;
  return out;
}

RunRecord record_from_json(const Json& j, const std::string& source) {
  Reader in(source);
  if (!j.is_object()) in.fail("(root)", "is not an object");
  RunRecord r;
  r.schema_version = static_cast<int>(in.integer(j, "schema_version", "schema_version"));
  if (r.schema_version != 1 && r.schema_version != kRecordSchemaVersion)
    in.fail("schema_version", "is " + std::to_string(r.schema_version) + ", this attn reads versions 1 to " +
                                  std::to_string(kRecordSchemaVersion));
  const bool v1 = r.schema_version == 1;
  r.id = in.text(j, "id", "id");
  const Json& argv = in.at(j, "command_line", "command_line");
  if (!argv.is_array()) in.fail("command_line", "is not an array");
  for (const Json& a : argv) {
    if (!a.is_string()) in.fail("command_line", "holds a non-string");
    r.command_line.push_back(a.get<std::string>());
  }
  const Json& attn = in.object(j, "attn", "attn");
  r.attn_version = in.text(attn, "version", "attn.version");
  r.git_commit = in.text(attn, "git_commit", "attn.git_commit");
  const Json& machine = in.object(j, "machine", "machine");
  r.cpu = in.text(machine, "cpu", "machine.cpu");
  r.threads = in.integer(machine, "threads", "machine.threads");
  r.task = in.text(j, "task", "task");
  const Json& dataset = in.object(j, "dataset", "dataset");
  r.dataset_name = in.text(dataset, "name", "dataset.name");
  r.dataset_checksum = in.text(dataset, "checksum", "dataset.checksum");
  r.config = in.object(j, "config", "config");
  if (!v1) {
    const Json& directions = in.object(j, "lower_is_better", "lower_is_better");
    for (auto it = directions.begin(); it != directions.end(); ++it) {
      if (!it.value().is_boolean()) in.fail("lower_is_better." + it.key(), "is not a boolean");
      r.lower_is_better[it.key()] = it.value().get<bool>();
    }
  }
  const std::string status = in.text(j, "status", "status");
  try {
    r.status = parse_status(status);
  } catch (const Error&) {
    in.fail("status", "is '" + status + "', not one of running|completed|stopped_early|diverged|interrupted|failed");
  }
  r.message = in.text(j, "message", "message");
  r.steps = in.integer(j, "steps", "steps");
  const Json& evaluations = in.at(j, "evaluations", "evaluations");
  if (!evaluations.is_array()) in.fail("evaluations", "is not an array");
  for (size_t i = 0; i < evaluations.size(); ++i) {
    const std::string path = "evaluations[" + std::to_string(i) + "]";
    Evaluation e;
    e.step = in.integer(evaluations[i], "step", path + ".step");
    e.epoch = in.integer(evaluations[i], "epoch", path + ".epoch");
    const Json& metrics = in.object(evaluations[i], "metrics", path + ".metrics");
    for (auto it = metrics.begin(); it != metrics.end(); ++it)
      e.metrics[it.key()] = in.number(it.value(), path + ".metrics." + it.key());
    r.evaluations.push_back(std::move(e));
  }
  const Json& best = in.at(j, "best", "best");
  if (!best.is_null()) {
    if (!best.is_object()) in.fail("best", "is neither null nor an object");
    r.best = BestMetric{in.text(best, "metric", "best.metric"), in.number(best, "value", "best.value"),
                        in.integer(best, "step", "best.step")};
  }
  r.wall_time_s = in.number(j, "wall_time_s", "wall_time_s");
  if (v1) {
    r.throughput = {in.number(j, "tokens_per_s", "tokens_per_s"), "target_tokens/s"};
  } else {
    const Json& throughput = in.object(j, "throughput", "throughput");
    r.throughput = {in.number(throughput, "value", "throughput.value"), in.text(throughput, "unit", "throughput.unit")};
  }
  r.peak_memory_mib = in.number(j, "peak_memory_mib", "peak_memory_mib");
  if (j.contains("eval")) r.eval = in.object(j, "eval", "eval");
  return r;
}

bool lower_is_better(const RunRecord& record, const std::string& metric) {
  if (auto it = record.lower_is_better.find(metric); it != record.lower_is_better.end()) return it->second;
  if (!record.lower_is_better.empty()) return false;
  for (const char* lower : {"loss", "per", "wer"})  // version 1: every metric of that time
    if (metric.rfind(lower, 0) == 0) return true;
  return false;
}

void save_record(const std::filesystem::path& run_dir, const RunRecord& record) {
  write_json_file(run_dir / "record.json", to_json(record));
}

RunRecord load_record(const std::filesystem::path& run_dir) {
  const std::filesystem::path path = run_dir / "record.json";
  return record_from_json(read_json_file(path, ErrorKind::checkpoint), path.string());
}

namespace {
// An exclusive flock on the run directory itself (no lock file to leave behind);
// released when the descriptor closes, also when the process dies.
class RunDirLock {
 public:
  explicit RunDirLock(const std::filesystem::path& run_dir) : fd_(::open(run_dir.c_str(), O_RDONLY | O_DIRECTORY)) {
    ATTN_CHECK(fd_ >= 0, io, "cannot open run directory '", run_dir.string(), "': ", std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0)
      ATTN_CHECK(errno == EINTR, io, "cannot lock run directory '", run_dir.string(), "': ", std::strerror(errno));
  }
  ~RunDirLock() { ::close(fd_); }
  RunDirLock(const RunDirLock&) = delete;
  RunDirLock& operator=(const RunDirLock&) = delete;

 private:
  int fd_;
};
}  // namespace

void save_training_record(const std::filesystem::path& run_dir, const RunRecord& record) {
  RunDirLock lock(run_dir);
  RunRecord merged = record;
  if (std::filesystem::exists(run_dir / "record.json")) merged.eval = load_record(run_dir).eval;
  save_record(run_dir, merged);
}

RunRecord update_eval_record(const std::filesystem::path& run_dir, const std::string& key, const Json& entry) {
  RunDirLock lock(run_dir);
  RunRecord record = load_record(run_dir);
  Json eval = record.eval.value_or(Json::object());
  eval[key] = entry;
  record.eval = eval;
  save_record(run_dir, record);
  return record;
}

}  // namespace attn::experiment
