// Everything needed to build a model, independent of how it was configured
// (the experiment level maps its config onto this).
#pragma once

#include <cstdint>
#include <string>

namespace attn::models {

struct ModelOptions {
  std::string arch = "transformer";  // transformer | rnn
  int64_t src_vocab = 0, tgt_vocab = 0;  // the encoder model reads src_vocab only
  // transformer
  int64_t enc_layers = 2, dec_layers = 2;
  int64_t width = 64;   // C
  int64_t heads = 4;    // H
  int64_t ff_width = 256;
  float dropout = 0.1f;
  bool pre_norm = true;
  bool learned_positions = false;
  bool scale_embeddings = true;  // multiply token embeddings by √C
  int64_t max_positions = 512;
  bool share_embeddings = false;  // encoder and decoder share one table (needs one vocabulary)
  bool tie_output = false;        // output projection reuses the decoder embedding
  // rnn
  std::string rnn_cell = "lstm";  // lstm | gru
  int64_t embed_width = 64;
  int64_t rnn_hidden = 128;   // per encoder direction; the decoder's state is as wide as the memory
  bool bidirectional = true;
  int64_t attn_width = 0;     // additive attention's hidden width; 0 = each attention's default
  // attention (both archs)
  std::string attention = "scaled_dot";  // dot|scaled_dot|general|additive|cosine|linear|none
  std::string normalizer = "softmax";    // softmax|sparsemax|hard
  int64_t window = -1;
  bool causal = false;  // the encoder model's Transformer: each step attends only to itself and the past
  int64_t highway = 0;  // values: a Linear(highway, outputs) of the window's last values added to the head
  // encoder model input: "tokens" (ids through an embedding table), "patches": each row
  // holds the pixel values 0..255 of one image_side x image_side grey image, cut into
  // non-overlapping patch x patch patches (models/patch_embedding.h), or "values": one real
  // number per time step (a forecast window), projected linearly to the model width.
  std::string input = "tokens";
  int64_t image_side = 28, patch = 4;
  float pixel_mean = 0.0f, pixel_std = 1.0f;  // pixels / 255 are normalised with these
  // encoder model: encoder states -> one vector -> outputs
  std::string pool = "attention";  // attention | cls | mean | max | last
  int64_t outputs = 0;             // of the head: class logits, or the values ahead of a forecast
  // The token pool=cls prepends to every row: <bos>, whose id is data::Vocab::bos
  // (models may not include data/; a test keeps the two equal).
  int32_t cls_id = 2;
  uint64_t seed = 1;
};

}  // namespace attn::models
