// record.json: load_record, as eval, report, visualize and resume read a run. An accepted record
// must be written back (to_json) and read again without error. Which values a resume may trust
// is the trainer's check, not this reader's.
#include <optional>

#include "experiment/run_record.h"
#include "fuzz_support.h"

using namespace attn;
using namespace attn::experiment;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::write_file(fuzz::scratch_dir() / "record.json", fuzz::bytes_of(data, size));
  std::optional<RunRecord> record;
  fuzz::reject_or_accept([&] { record = load_record(fuzz::scratch_dir()); });
  if (!record) return 0;
  const RunRecord again = record_from_json(to_json(*record), "round trip");  // an Error here aborts
  ATTN_FUZZ_CHECK(again.id == record->id && again.steps == record->steps &&
                  again.evaluations.size() == record->evaluations.size());
  return 0;
}
