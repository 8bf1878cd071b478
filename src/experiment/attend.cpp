#include "experiment/attend.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/error.h"
#include "experiment/config_schema.h"

namespace attn::experiment {

namespace {
// Six significant digits: a third of the bytes of full floats, and unlike a fixed number of
// decimals it keeps a tiny weight (1e-9) non-zero, so an exact 0 still means a structural
// zero (masked, or cut by sparsemax) and never a rounded-away one.
double rounded(float v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", static_cast<double>(v));
  return std::strtod(text, nullptr);
}

// heads [H][Tq][Tk] of batch row 0, after the head filter and reduction.
Json heads_json(const Tensor& w, const AttendRequest& r) {
  const int64_t H = w.dim(1), Tq = w.dim(2), Tk = w.dim(3);
  ATTN_CHECK(r.head < H, usage, "--head ", r.head, " but the layer has ", H, " heads");
  std::vector<int64_t> heads;
  for (int64_t h = 0; h < H; ++h)
    if (r.head < 0 || h == r.head) heads.push_back(h);
  auto at = [&](int64_t h, int64_t i, int64_t j) { return w[(h * Tq + i) * Tk + j]; };
  Json out = Json::array();
  if (r.reduce.empty()) {
    for (int64_t h : heads) {
      Json rows = Json::array();
      for (int64_t i = 0; i < Tq; ++i) {
        Json row = Json::array();
        for (int64_t j = 0; j < Tk; ++j) row.push_back(rounded(at(h, i, j)));
        rows.push_back(row);
      }
      out.push_back(rows);
    }
    return out;
  }
  Json rows = Json::array();
  for (int64_t i = 0; i < Tq; ++i) {
    Json row = Json::array();
    for (int64_t j = 0; j < Tk; ++j) {
      float acc = r.reduce == "max" ? -INFINITY : 0.0f;
      for (int64_t h : heads) acc = r.reduce == "max" ? std::max(acc, at(h, i, j)) : acc + at(h, i, j);
      row.push_back(rounded(r.reduce == "max" ? acc : acc / static_cast<float>(heads.size())));
    }
    rows.push_back(row);
  }
  out.push_back(rows);
  return out;
}

// The keys that describe the model that produced the weights: an RNN has no
// heads, layers or width of the Transformer, and a classifier no decoder, so
// those are not reported for them.
Json model_json(const TrainConfig& c) {
  Json m = Json::object();
  const Json full = to_json(c);
  std::vector<const char*> keys =
      c.arch == Arch::rnn
          ? std::vector<const char*>{"arch", "attention", "normalizer", "rnn_cell", "embed_width", "rnn_hidden",
                                     "attn_width"}
          : std::vector<const char*>{"arch", "attention", "normalizer", "heads", "enc_layers", "dec_layers", "width",
                                     "window"};
  if (uses_encoder_model(c.task)) keys.push_back("pool");
  if (c.task == Task::image) keys.push_back("patch");
  if (c.task == Task::forecast)
    for (const char* key : {"causal", "context", "horizon", "scaling"}) keys.push_back(key);
  for (const char* key : keys) {
    const ConfigKey* k = find_config_key(key);
    const bool applies = k->tasks.empty() || std::count(k->tasks.begin(), k->tasks.end(), enum_name(c.task));
    if (full.contains(key) && applies) m[key] = full[key];
  }
  return m;
}
}  // namespace

Json attend(LoadedRun& run, const AttendRequest& request) {
  ATTN_CHECK(request.reduce.empty() || request.reduce == "mean" || request.reduce == "max", usage,
             "--reduce expects mean or max, got '", request.reduce, "'");
  ATTN_CHECK(!request.inputs.empty(), usage, "attend needs at least one input");
  Json items = Json::array();
  for (const tasks::AttendInput& input : request.inputs) {
    tasks::AttendItem item;
    try {
      item = run.task->attend(*run.model, input, request.decode);
    } catch (const Error& e) {
      // A shape the model cannot take (an input longer than its positions) is the input's
      // fault here, not an internal error.
      if (e.kind() != ErrorKind::shape) throw;
      throw Error(ErrorKind::data, "input " + std::to_string(input.index) + " does not fit this model: " + e.what());
    }
    Json layers = Json::array();
    for (const tasks::LabeledMap& m : item.maps) {
      if (!request.layer.empty() && m.map.name.find(request.layer) == std::string::npos) continue;
      Json layer{{"name", m.map.name},
                 {"kind", m.map.kind},
                 {"layer", m.map.layer},
                 {"query_tokens", m.query_tokens},
                 {"key_tokens", m.key_tokens}};
      if (!m.query_predicts.empty()) layer["query_predicts"] = m.query_predicts;
      const int64_t heads = m.map.weights.dim(1);
      if (request.head >= 0) layer["head_of"] = Json{{"head", request.head}, {"heads", heads}};
      // A reduced map is one of several heads folded together: say so, or it reads as head 0.
      if (!request.reduce.empty())
        layer["reduced"] = Json{{"op", request.reduce}, {"heads", request.head >= 0 ? 1 : heads}};
      layer["heads"] = heads_json(m.map.weights, request);
      layers.push_back(std::move(layer));
    }
    if (layers.empty() && !request.layer.empty()) {
      std::string names;
      for (const tasks::LabeledMap& m : item.maps) names += (names.empty() ? "" : ", ") + m.map.name;
      ATTN_FAIL(usage, "--layer '", request.layer, "' matches no attention layer of this model (its layers: ", names, ")");
    }
    item.fields["layers"] = std::move(layers);
    items.push_back(std::move(item.fields));
  }
  return Json{{"schema", kAttentionSchema},
              {"run", run.record.id},
              {"checkpoint", run.checkpoint},
              {"model", model_json(run.config)},
              {"task", run.task->name()},
              {"dataset", run.task->dataset_name()},
              {"items", items}};
}

}  // namespace attn::experiment
