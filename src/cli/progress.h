// Training progress on stderr: one live line on a terminal (rewritten in
// place), plain periodic lines otherwise, nothing with --quiet.
#pragma once

#include "experiment/trainer.h"

namespace attn::cli {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool quiet);
  void operator()(const experiment::TrainProgress& p);
  void finish();  // ends a live line

 private:
  bool quiet_, live_;
  bool line_open_ = false;
};

}  // namespace attn::cli
