#!/usr/bin/env bash
# Runs every command of the README's "A short tour" (and the jq lines after it) as written,
# through the real binary, so the README cannot drift from the CLI. Budgets are made tiny by
# a wrapper `attn` on PATH that appends flags (later flags win): training and sweeps stop
# after a few steps, benchmarks time one repeat of small cases. `tail -f` becomes `tail`
# (it would follow forever). A command fails the test if it exits non-zero, except a
# `--fail-under` gate, which may exit 9 on a model this small.
set -u
binary=${1:?usage: readme_tour_test.sh ATTN_BINARY SOURCE_DIR}
source_dir=${2:?usage: readme_tour_test.sh ATTN_BINARY SOURCE_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/attn-tour.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$source_dir/experiments" "$work/experiments"

cat > "$work/bin/attn" <<WRAPPER
#!/usr/bin/env bash
budget=()
case "\$1 \$2" in
  "train "*) [[ " \$* " == *" --resume "* ]] || budget=(--max-steps 4 --eval-every 4 --quiet) ;;
  "sweep "*) budget=(--max-steps 4 --eval-every 4 --synth-eval-size 16 --eval-long-len 12 --quiet) ;;
  "bench attention") budget=(--repeats 1 --sgemm-n 128 --pass fwd --impl fused) ;;
  "bench train") budget=(--steps 1 --warmup 0) ;;
  "analyze "*) budget=(--limit 20 --prune-steps 2) ;;
esac
exec "$binary" "\$@" "\${budget[@]}"
WRAPPER
chmod +x "$work/bin/attn"

# The tour's code block and the one after it: lines between ```sh and ```, in order.
commands=$(awk '/^## A short tour/ {on = 1} on && /^## / && !/A short tour/ {exit}
                on && /^```sh/ {in_block = 1; next} in_block && /^```/ {in_block = 0; next}
                in_block && NF {print}' "$source_dir/README.md")
[ -n "$commands" ] || { echo "no tour commands found in README.md"; exit 1; }

cd "$work" || exit 1
export PATH="$work/bin:$PATH"
failed=0
count=0
while IFS= read -r line; do
  command=${line//tail -q -f /tail -q }
  command=${command//tail -f /tail }
  count=$((count + 1))
  start=$SECONDS
  output=$(bash -o pipefail -c "$command" 2>&1 </dev/null)
  code=$?
  if [ $code -ne 0 ] && ! { [ $code -eq 9 ] && [[ $command == *--fail-under* ]]; }; then
    echo "FAILED (exit $code): $line"
    echo "$output" | tail -5 | sed 's/^/    /'
    failed=$((failed + 1))
  else
    echo "ok ($((SECONDS - start)) s): $line"
  fi
done <<< "$commands"
echo "$count commands, $failed failed"
[ $failed -eq 0 ]
