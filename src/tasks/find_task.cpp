// `find`: the synthetic classification task with known evidence (data/evidence.h). The
// marker's position decides a "yes", so evidence_mass says how much of the pooling
// attention lands on it.
#include "data/evidence.h"
#include "tasks/classification_task.h"
#include "tasks/task_registry.h"

namespace attn::tasks {

namespace {
class FindTask : public ClassificationTask {
 public:
  explicit FindTask(const TaskOptions& o) {
    spec_.num_symbols = static_cast<int>(o.num_symbols);
    spec_.max_len = static_cast<int>(o.max_len);
    spec_.seed = o.seed;
    Data d;
    d.name = "find";
    d.dataset = "synthetic-find";
    d.tokenizer = data::TokenizerKind::chars;
    d.splits = {data::find_set(spec_, data::Split::train, o.train_size),
                data::find_set(spec_, data::Split::valid, o.eval_size),
                data::find_set(spec_, data::Split::test, o.eval_size)};
    d.pool = o.pool;
    set_data(std::move(d));
  }

  std::vector<EvalSet> eval_sets(data::Split s) const override { return {{"", split(s)}}; }

 protected:
  bool has_evidence() const override { return true; }
  std::vector<int64_t> evidence_positions(const std::vector<std::string>& tokens) const override {
    std::vector<int64_t> out;
    for (size_t t = 0; t < tokens.size(); ++t)
      if (tokens[t] == std::string(1, data::kFindMarker)) out.push_back(static_cast<int64_t>(t));
    return out;
  }

 private:
  data::FindSpec spec_;
};
}  // namespace

std::unique_ptr<Task> make_find_task(const TaskOptions& o) { return std::make_unique<FindTask>(o); }

}  // namespace attn::tasks
