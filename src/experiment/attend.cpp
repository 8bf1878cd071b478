#include "experiment/attend.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"

namespace attn::experiment {

namespace {
// Six decimals: exact enough to read, a third of the bytes of full floats.
double rounded(float v) { return std::round(static_cast<double>(v) * 1e6) / 1e6; }

Json tokens_json(const std::vector<std::string>& tokens) { return Json(tokens); }

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
// heads, layers or width of the Transformer, so they are not reported for it.
Json model_json(const TrainConfig& c) {
  Json m = Json::object();
  const Json full = to_json(c);
  const std::vector<const char*> keys =
      c.arch == Arch::rnn
          ? std::vector<const char*>{"arch", "attention", "normalizer", "rnn_cell", "embed_width", "rnn_hidden",
                                     "attn_width"}
          : std::vector<const char*>{"arch", "attention", "normalizer", "heads", "enc_layers", "dec_layers", "width",
                                     "window"};
  for (const char* key : keys)
    if (full.contains(key)) m[key] = full[key];
  return m;
}
}  // namespace

Json attend(LoadedRun& run, const AttendRequest& request) {
  ATTN_CHECK(request.reduce.empty() || request.reduce == "mean" || request.reduce == "max", usage,
             "--reduce expects mean or max, got '", request.reduce, "'");
  ATTN_CHECK(!request.inputs.empty(), usage, "attend needs at least one input");
  const tasks::Task& task = *run.task;
  Json items = Json::array();
  for (const AttendInput& input : request.inputs) {
    std::vector<std::string> tokens = task.source_tokens(input.source);
    ATTN_CHECK(!tokens.empty(), data, "input ", input.index, " is empty");
    Ids src{{1, static_cast<int64_t>(tokens.size())}, task.src_vocab().encode(tokens)};
    const std::vector<int32_t> lengths{static_cast<int32_t>(tokens.size())};
    models::Hypothesis output = models::decode(*run.model, src, lengths, request.decode)[0];

    Ids tgt_in{{1, static_cast<int64_t>(output.size() + 1)}, {models::DecodeOptions{}.bos}};
    tgt_in.values.insert(tgt_in.values.end(), output.begin(), output.end());
    models::AttentionRecorder recorder;
    {
      NoGradGuard no_grad;
      run.model->set_recorder(&recorder);
      run.model->forward(src, lengths, tgt_in);
      run.model->set_recorder(nullptr);
    }
    std::vector<std::string> source_view, output_tokens = task.tgt_vocab().decode(output);
    for (int32_t id : src.values) source_view.push_back(task.src_vocab().token(id));
    // One label per decoder position: decode() drops <pad> and <bos>, which an
    // undertrained model may well emit, so the labels come from the ids themselves.
    std::vector<std::string> queries;
    for (int32_t id : tgt_in.values) queries.push_back(task.tgt_vocab().token(id));

    Json layers = Json::array();
    for (const models::AttentionMap& map : recorder.maps) {
      if (!request.layer.empty() && map.name.find(request.layer) == std::string::npos) continue;
      const bool encoder = map.kind == "encoder_self", decoder_self = map.kind == "decoder_self";
      layers.push_back(Json{{"name", map.name},
                            {"kind", map.kind},
                            {"layer", map.layer},
                            {"query_tokens", tokens_json(encoder ? source_view : queries)},
                            {"key_tokens", tokens_json(decoder_self ? queries : source_view)},
                            {"heads", heads_json(map.weights, request)}});
    }
    ATTN_CHECK(!layers.empty() || request.layer.empty(), usage, "--layer '", request.layer,
               "' matches no attention layer of this model");
    items.push_back(Json{{"index", input.index},
                         {"source", input.source},
                         {"source_tokens", tokens_json(source_view)},
                         {"output_tokens", tokens_json(output_tokens)},
                         {"output", task.detokenize_target(output_tokens)},
                         {"layers", layers}});
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
