#include "tasks/task.h"

#include "data/sha256.h"

namespace attn::tasks {

void Task::set_identity(std::string name, std::string dataset,
                        const std::vector<std::vector<data::TextPair>>& splits) {
  name_ = std::move(name);
  dataset_name_ = std::move(dataset);
  std::string all;
  for (const auto& split : splits)
    for (const data::TextPair& p : split) all += p.src + '\t' + p.tgt + '\n';
  checksum_ = data::sha256_hex(all);
}

void Task::set_identity(std::string name, std::string dataset, std::string checksum) {
  name_ = std::move(name);
  dataset_name_ = std::move(dataset);
  checksum_ = std::move(checksum);
}

std::vector<MetricInfo> Task::metric_infos(data::Split split) const {
  std::vector<MetricInfo> out{{"loss", true}};
  for (const EvalSet& set : eval_sets(split))
    for (const MetricInfo& m : metrics()) out.push_back({m.name + set.suffix, m.lower_is_better});
  return out;
}

std::vector<std::string> Task::metric_names(data::Split split) const {
  std::vector<std::string> names;
  for (const MetricInfo& m : metric_infos(split)) names.push_back(m.name);
  return names;
}

}  // namespace attn::tasks
