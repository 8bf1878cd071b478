#include "experiment/analysis.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "data/batcher.h"
#include "metrics/alignment.h"
#include "metrics/attention_statistics.h"
#include "tasks/model_scopes.h"

namespace attn::experiment {

namespace {
// Everything summed over the examples for one recorded map (a layer, named as attend names it).
struct MapSums {
  std::string name, kind;
  int layer = 0;
  std::vector<metrics::HeadStatistics> heads;
  bool aligned = false;                            // the true alignment scores this map
  std::vector<metrics::AlignmentScore> alignment;  // per head
  metrics::AlignmentScore head_mean;               // of the mean of the heads' maps
};

struct ExamplePass {
  int64_t examples = 0;
  std::vector<MapSums> maps;                             // in the order the model records them
  std::map<std::string, std::vector<double>> importance;  // layer -> mean |dL/dg| per head
};

MapSums& sums_for(std::vector<MapSums>& maps, const models::AttentionMap& map) {
  for (MapSums& m : maps)
    if (m.name == map.name) return m;
  const size_t heads = static_cast<size_t>(map.weights.dim(1));
  maps.push_back({map.name, map.kind, map.layer, std::vector<metrics::HeadStatistics>(heads), false,
                  std::vector<metrics::AlignmentScore>(heads), {}});
  return maps.back();
}

// An RNN decoder's attention ("rnn") is its cross-attention: decoder_cross links score it too.
bool scores(const tasks::TrueAlignment& truth, const std::string& kind) {
  return truth.kind == kind || (truth.kind == "decoder_cross" && kind == "rnn");
}

// One recorded map of a one-example batch: weights [1, H, Tq, Tk].
void add_map(MapSums& sums, const models::AttentionMap& map, const tasks::TrueAlignment& truth) {
  const int64_t H = map.weights.dim(1), tq = map.weights.dim(2), tk = map.weights.dim(3);
  const float* w = map.weights.data();
  for (int64_t h = 0; h < H; ++h) sums.heads[h].add_map(w + h * tq * tk, tq, tk);
  if (!scores(truth, map.kind) || truth.links.empty()) return;
  sums.aligned = true;
  std::vector<float> mean(static_cast<size_t>(tq * tk), 0.0f);
  for (int64_t h = 0; h < H; ++h) {
    sums.alignment[h].add_map(w + h * tq * tk, tq, tk, truth.links);
    for (int64_t i = 0; i < tq * tk; ++i) mean[i] += w[h * tq * tk + i] / static_cast<float>(H);
  }
  sums.head_mean.add_map(mean.data(), tq, tk, truth.links);
}

// Teacher-forced loss of each example alone, with the recorder on and trainable gates:
// statistics, alignment and |dL/dg| per head.
ExamplePass run_examples(LoadedRun& run, const tasks::EvalSet& set, const std::vector<models::HeadLayer>& layers,
                         const std::vector<models::HeadRef>& masked) {
  models::Model& model = *run.model;
  const models::HeadGates gates = models::make_head_gates(layers, masked, /*trainable=*/true);
  tasks::EvalModeScope eval_mode(model);
  tasks::HeadGateScope gated(model, &gates);
  const std::vector<data::EncodedPair> examples = run.task->examples(set);
  data::Batcher batcher(&examples, {1, data::BatchUnit::sentences, 1, false, 0});
  ExamplePass pass;
  for (const models::HeadLayer& l : layers) pass.importance[l.name].assign(static_cast<size_t>(l.heads), 0.0);
  for (const data::Batch& batch : batcher.epoch_batches(0)) {
    models::AttentionRecorder recorder;
    Var loss;
    {
      tasks::RecordingScope recording(model, &recorder);
      loss = run.task->loss(model, batch, 0.0f);
    }
    if (!layers.empty()) {
      loss.backward();
      for (const models::HeadLayer& l : layers) {
        Var gate = gates.find(l.name);
        for (int64_t h = 0; h < l.heads; ++h)
          pass.importance[l.name][h] += gate.grad().defined() ? std::abs(gate.grad()[h]) : 0.0;
        gate.zero_grad();
      }
      model.zero_grad();
    }
    const tasks::TrueAlignment truth = run.task->true_alignment(set.pairs[batch.indices[0]]);
    for (const models::AttentionMap& map : recorder.maps) add_map(sums_for(pass.maps, map), map, truth);
    ++pass.examples;
  }
  for (auto& [name, values] : pass.importance)
    for (double& v : values) v /= std::max<int64_t>(pass.examples, 1);
  return pass;
}

// Michel et al.: each layer's importances divided by their L2 norm.
std::map<std::string, std::vector<double>> normalise_per_layer(const std::map<std::string, std::vector<double>>& raw) {
  std::map<std::string, std::vector<double>> out = raw;
  for (auto& [name, values] : out) {
    double norm = 0;
    for (double v : values) norm += v * v;
    norm = std::sqrt(norm);
    if (norm > 0)
      for (double& v : values) v /= norm;
  }
  return out;
}

double masked_metric(LoadedRun& run, const tasks::EvalSet& set, const std::vector<models::HeadLayer>& layers,
                     const std::vector<models::HeadRef>& masked, const tasks::EvalOptions& options) {
  const models::HeadGates gates = models::make_head_gates(layers, masked);
  tasks::HeadGateScope gated(*run.model, &gates);
  return run.task->evaluate(*run.model, set, options).metrics.at(run.task->primary_metric());
}

Json head_stats_json(const metrics::HeadStatistics& sums) {
  const metrics::HeadStatistics m = sums.mean();
  return {{"rows", m.rows},         {"entropy", m.entropy}, {"distance", m.distance},
          {"diagonal", m.diagonal}, {"first", m.first},     {"last", m.last}};
}

Json alignment_json(const metrics::AlignmentScore& s) {
  return {{"aer", s.aer()}, {"mass", s.mean_mass()}, {"rows", s.predicted}};
}

bool contains(const std::vector<models::HeadRef>& heads, const models::HeadRef& h) {
  return std::find(heads.begin(), heads.end(), h) != heads.end();
}
}  // namespace

std::vector<int64_t> pruning_points(int64_t heads, int64_t steps) {
  std::vector<int64_t> out;
  if (steps <= 0 || steps >= heads) {
    for (int64_t k = 0; k <= heads; ++k) out.push_back(k);
    return out;
  }
  for (int64_t i = 0; i <= steps; ++i) {
    const int64_t k = static_cast<int64_t>(std::llround(static_cast<double>(i) * heads / steps));
    if (out.empty() || out.back() != k) out.push_back(k);
  }
  return out;
}

Json analyze_run(LoadedRun& run, const AnalyzeRequest& request) {
  const auto say = [&](const std::string& what) {
    if (request.progress) request.progress(what);
  };
  const std::vector<models::HeadLayer> layers = run.model->head_layers();
  models::make_head_gates(layers, request.mask_heads);  // refuses unknown layers and heads before any work
  tasks::EvalSet set = run.task->eval_sets(data::split_from_name(request.split)).front();
  if (request.limit > 0 && static_cast<int64_t>(set.pairs.size()) > request.limit) set.pairs.resize(request.limit);
  ATTN_CHECK(!set.pairs.empty(), data, "split ", request.split, " has no examples to analyse");

  say("statistics and importance over " + std::to_string(set.pairs.size()) + " examples");
  const ExamplePass pass = run_examples(run, set, layers, request.mask_heads);
  const auto importance = normalise_per_layer(pass.importance);

  const std::string metric = run.task->primary_metric();
  bool lower = false;
  for (const tasks::MetricInfo& m : run.task->metrics())
    if (m.name == metric) lower = m.lower_is_better;
  Json out{{"schema", kAnalysisSchema},
           {"run", run.record.id},
           {"checkpoint", run.checkpoint},
           {"task", run.task->name()},
           {"split", request.split},
           {"examples", pass.examples},
           {"masked_throughout", models::format_head_list(request.mask_heads)}};
  say("evaluating the model as it is");
  const double baseline = masked_metric(run, set, layers, request.mask_heads, request.eval);
  out["metric"] = {{"name", metric}, {"lower_is_better", lower}, {"value", baseline}};

  Json maps = Json::array();
  for (const MapSums& sums : pass.maps) {
    const auto gated = importance.find(sums.name);
    Json heads = Json::array();
    for (size_t h = 0; h < sums.heads.size(); ++h) {
      Json head{{"head", h}};
      head.update(head_stats_json(sums.heads[h]));
      if (gated != importance.end()) {
        head["importance"] = gated->second[h];
        head["importance_raw"] = pass.importance.at(sums.name)[h];
        const models::HeadRef ref{sums.name, static_cast<int64_t>(h)};
        if (request.pruning && !contains(request.mask_heads, ref)) {
          say("evaluating with " + models::format_head_list({ref}) + " masked");
          std::vector<models::HeadRef> masked = request.mask_heads;
          masked.push_back(ref);
          head["metric_masked"] = masked_metric(run, set, layers, masked, request.eval);
        }
      }
      heads.push_back(head);
    }
    maps.push_back({{"name", sums.name},
                    {"kind", sums.kind},
                    {"layer", sums.layer},
                    {"gated", gated != importance.end()},
                    {"heads", heads}});
  }
  out["layers"] = maps;

  // Pruning: heads not already masked, least important first (ties in forward order).
  std::vector<std::pair<double, models::HeadRef>> order;
  for (const models::HeadLayer& l : layers)
    for (int64_t h = 0; h < l.heads; ++h)
      if (!contains(request.mask_heads, {l.name, h})) order.push_back({importance.at(l.name)[h], {l.name, h}});
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Json curve = Json::array();
  if (request.pruning && !order.empty()) {
    for (int64_t k : pruning_points(static_cast<int64_t>(order.size()), request.prune_steps)) {
      std::vector<models::HeadRef> masked = request.mask_heads;
      for (int64_t i = 0; i < k; ++i) masked.push_back(order[i].second);
      say("pruning curve: " + std::to_string(k) + " of " + std::to_string(order.size()) + " heads masked");
      const double value = k == 0 ? baseline : masked_metric(run, set, layers, masked, request.eval);
      curve.push_back({{"k", k}, {"metric", value}});
    }
  }
  Json pruned = Json::array();
  for (const auto& [value, ref] : order) pruned.push_back(models::format_head_list({ref}));
  out["pruning"] = {{"order", pruned}, {"curve", curve}};

  Json alignment = Json::array();
  for (const MapSums& sums : pass.maps) {
    if (!sums.aligned) continue;
    Json heads = Json::array();
    for (size_t h = 0; h < sums.alignment.size(); ++h) {
      Json head{{"head", h}};
      head.update(alignment_json(sums.alignment[h]));
      heads.push_back(head);
    }
    alignment.push_back({{"name", sums.name}, {"kind", sums.kind}, {"heads", heads}, {"head_mean", alignment_json(sums.head_mean)}});
  }
  out["alignment"] = alignment;
  return out;
}

}  // namespace attn::experiment
