#include "kernels/rnn_cells.h"

#include <cmath>

#include "kernels/cpu_features.h"
#include "kernels/rnn_cells_body.h"

namespace attn::kernels {

namespace {

struct LibmMath {
  static float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
  static float tanh(float x) { return std::tanh(x); }
};

bool use_avx512() { return detected_isa() == Isa::avx512; }

}  // namespace

void lstm_pointwise_fwd_reference(const RnnCellShape& s, float* gates, const float* bias, const float* c,
                                  float* h_out, float* c_out) {
  rnn_body::lstm_fwd<LibmMath>(s, gates, bias, c, h_out, c_out);
}

void lstm_pointwise_bwd_reference(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                                  const float* dh_out, const float* dc_out, float* dc, float* dbias) {
  rnn_body::lstm_bwd<LibmMath>(s, gates, c, c_out, dh_out, dc_out, dc, dbias);
}

void gru_pointwise_fwd_reference(const RnnCellShape& s, float* gi, float* gh, const float* b_ih,
                                 const float* b_hh, const float* h, float* h_out) {
  rnn_body::gru_fwd<LibmMath>(s, gi, gh, b_ih, b_hh, h, h_out);
}

void gru_pointwise_bwd_reference(const RnnCellShape& s, float* gi, float* gh, const float* h,
                                 const float* dh_out, float* dh, float* db_ih, float* db_hh) {
  rnn_body::gru_bwd<LibmMath>(s, gi, gh, h, dh_out, dh, db_ih, db_hh);
}

void lstm_pointwise_fwd(const RnnCellShape& s, float* gates, const float* bias, const float* c, float* h_out,
                        float* c_out) {
  if (use_avx512()) return lstm_pointwise_fwd_avx512(s, gates, bias, c, h_out, c_out);
  lstm_pointwise_fwd_reference(s, gates, bias, c, h_out, c_out);
}

void lstm_pointwise_bwd(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                        const float* dh_out, const float* dc_out, float* dc, float* dbias) {
  if (use_avx512()) return lstm_pointwise_bwd_avx512(s, gates, c, c_out, dh_out, dc_out, dc, dbias);
  lstm_pointwise_bwd_reference(s, gates, c, c_out, dh_out, dc_out, dc, dbias);
}

void gru_pointwise_fwd(const RnnCellShape& s, float* gi, float* gh, const float* b_ih, const float* b_hh,
                       const float* h, float* h_out) {
  if (use_avx512()) return gru_pointwise_fwd_avx512(s, gi, gh, b_ih, b_hh, h, h_out);
  gru_pointwise_fwd_reference(s, gi, gh, b_ih, b_hh, h, h_out);
}

void gru_pointwise_bwd(const RnnCellShape& s, float* gi, float* gh, const float* h, const float* dh_out,
                       float* dh, float* db_ih, float* db_hh) {
  if (use_avx512()) return gru_pointwise_bwd_avx512(s, gi, gh, h, dh_out, dh, db_ih, db_hh);
  gru_pointwise_bwd_reference(s, gi, gh, h, dh_out, dh, db_ih, db_hh);
}

}  // namespace attn::kernels
