// metrics.jsonl: the learning-curve reader of `attn visualize RUN` (load_run_curves, then the
// SVG it renders) and the trainer's reader used on resume (read_json_lines), on the same bytes
// beside a fixed, valid record.json.
#include "experiment/json_file.h"
#include "fuzz_support.h"
#include "viz/learning_curves.h"

using namespace attn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = fuzz::scratch_dir() / "run";
  static const bool made = [&] {
    std::filesystem::create_directories(dir);
    fuzz::write_file(dir / "record.json",
                     R"({"id": "fuzz", "best": {"metric": "per", "value": 0.5, "step": 2},)"
                     R"( "evaluations": [{"step": 2, "metrics": {"loss": 1.5, "per": 0.5}}]})");
    return true;
  }();
  (void)made;
  fuzz::write_file(dir / "metrics.jsonl", fuzz::bytes_of(data, size));
  fuzz::reject_or_accept([&] { viz::render_learning_curves_svg({viz::load_run_curves(dir)}); });
  fuzz::reject_or_accept([&] { experiment::read_json_lines(dir / "metrics.jsonl"); });
  return 0;
}
