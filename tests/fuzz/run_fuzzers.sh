#!/usr/bin/env bash
# Runs every harness built in BUILD_DIR for SECONDS each (or the readers named), one after the
# other, and prints one line per reader: executions, time, and whether it found anything.
#   run_fuzzers.sh BUILD_DIR SECONDS [READER...]
# Seeds: BUILD_DIR/fuzz-seeds (made by make_seeds.sh with BUILD_DIR's attn) and the committed
# tests/fuzz_corpus/<reader>/. The corpus grows in BUILD_DIR/fuzz-corpus/<reader>/ and is
# kept between runs; crashing inputs land in BUILD_DIR/fuzz-artifacts/<reader>/. Exit status 1
# when any harness found a crash, leak, UB, timeout or over-allocation.
set -uo pipefail
build=$(cd "$1" && pwd) seconds=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
readers=("$@")
if [ ${#readers[@]} -eq 0 ]; then
  for exe in "$build"/tests/fuzz/fuzz_*; do readers+=("$(basename "$exe" | sed 's/^fuzz_//')"); done
fi
[ -d "$build/fuzz-seeds" ] || bash "$src/tests/fuzz/make_seeds.sh" "$build/apps/attn" "$build/fuzz-seeds" || exit 1

# Inputs up to 64 KiB; each run may use at most 2 GiB, a single allocation at most 256 MiB
# (an input of 64 KiB asking for more is an unbounded read), and 10 s.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export OMP_NUM_THREADS=1
failed=0
printf '%-16s %14s %8s  %s\n' reader executions seconds result
for r in "${readers[@]}"; do
  corpus=$build/fuzz-corpus/$r artifacts=$build/fuzz-artifacts/$r log=$build/fuzz-logs/$r.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  dirs=("$corpus")
  for d in "$build/fuzz-seeds/$r" "$src/tests/fuzz_corpus/$r"; do [ -d "$d" ] && dirs+=("$d"); done
  start=$(date +%s)
  "$build/tests/fuzz/fuzz_$r" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -malloc_limit_mb=256 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dirs[@]}" > "$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  result=ok
  if [ $rc -ne 0 ]; then
    result="FOUND: $(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)[^(]*|runtime error:.*|fuzz invariant failed.*|deadly signal' "$log" | head -c 120); see $log"
    failed=1
  fi
  printf '%-16s %14s %8s  %s\n' "$r" "${runs:-?}" "$(( $(date +%s) - start ))" "$result"
done
exit $failed
