#!/usr/bin/env bash
# Seed corpora for the harnesses, from the files attn itself writes and the data it ships:
#   make_seeds.sh ATTN_BINARY OUT_DIR   ->  OUT_DIR/<reader>/<files>
# Tiny runs (a few steps, narrow models) keep every seed small: libFuzzer mutates small
# inputs best, and -max_len is set from the seeds.
set -euo pipefail
attn=$1 out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1
seed() { mkdir -p "$out/$1"; cat > "$out/$1/$2"; }

tiny=(--max-steps 4 --eval-every 2 --checkpoint-every 2 --quiet --set warmup_steps=1)
"$attn" train --task reverse --width 8 --heads 2 --ff-width 8 --enc-layers 1 --dec-layers 1 \
  --synth-eval-size 8 --out "$work/reverse" "${tiny[@]}"
"$attn" train --task classify --width 8 --heads 2 --ff-width 8 --enc-layers 1 --train-limit 40 \
  --out "$work/classify" "${tiny[@]}"
"$attn" train --dataset g2p-sample --width 8 --heads 2 --ff-width 8 --enc-layers 1 --dec-layers 1 \
  --train-limit 40 --out "$work/g2p" "${tiny[@]}"
"$attn" train --task image --width 8 --heads 2 --ff-width 8 --enc-layers 1 --patch 14 --train-limit 60 \
  --out "$work/image" "${tiny[@]}"

for run in reverse classify g2p; do
  seed config_json "$run.json" < "$work/$run/config.json"
  seed record "$run.json" < "$work/$run/record.json"
  seed metrics_jsonl "$run.jsonl" < "$work/$run/metrics.jsonl"
  for f in "$work/$run"/checkpoints/*.safetensors; do seed safetensors "$run-$(basename "$f")" < "$f"; done
done
jq -c '.. | objects | select(has("tokens"))' "$work/g2p/task_state.json" | head -n 2 | split -l 1 - "$out/vocab-" 2>/dev/null || true
mkdir -p "$out/vocab" && mv "$out"/vocab-* "$out/vocab/" 2>/dev/null || true

"$attn" attend "$work/g2p" --input "attention" --out - > "$work/g2p.att.json"
"$attn" attend "$work/classify" --split test --index 0 --out - | jq -c '.items[0].source_tokens |= .[:12] | .' > "$work/classify.att.json" || true
"$attn" attend "$work/image" --split test --index 0 --out - > "$work/image.att.json"
for f in "$work"/*.att.json; do [ -s "$f" ] && seed attention_json "$(basename "$f")" < "$f"; done

cp "$src"/experiments/ablation/*.json "$work/" && for f in "$work"/{reverse,g2p,classify}.json; do
  seed sweep_spec "$(basename "$f")" < "$f"; done
printf 'lr=0.001\nheads=2\nattention=additive\nnormalizer=sparsemax\ntask=reverse\n' | seed config_set basic
printf 'arch=rnn\nrnn_cell=gru\ndropout=0.3\nmax_steps=10\nseed=7\nschedule=inverse_sqrt\n' | seed config_set rnn
printf 'heads=2,4,8\nlr=loguniform(1e-4,1e-2)\ndropout=uniform(0,0.3)\nattention=choice(dot,additive)\n1,2,3\n' |
  seed sweep_flags basic

head -n 40 "$src/datasets/g2p-sample/train.tsv" | { printf '\0'; cat; } | seed tsv_pairs g2p.tsv
printf '\001%s\n' 'En el principio creó Dios los cielos y la tierra.	In the beginning God created the heaven and the earth.' \
  'Y la tierra estaba desordenada y vacía, 3.5 “yes”…	And the earth was without form, and void; God’s word.' | seed tsv_pairs bible.tsv
head -n 12 "$src/datasets/spam-sample/train.tsv" | awk -F'\t' '{print substr($1, 1, 300) "\t" $2}' | seed spam_prepared spam.tsv
head -n 40 "$src/datasets/sunspots/sunspots.csv" | seed series sunspots.csv
printf 'date,value\n2001-01-05,3.5\n2001-01-06,"4"\n2001-01-07,5e0\n2001-01-08,6\n2001-01-09,7\n2001-01-10,8\n2001-01-11,9\n2001-01-12,10\n2001-01-13,11\n2001-01-14,12\n2001-01-15,13\n2001-01-16,14\n' | seed series dated.csv

# IDX: two 3x2 images and their labels (the reader's formats), big-endian headers.
printf '\0\0\x08\x03\0\0\0\x02\0\0\0\x03\0\0\0\x02\x00\x10\x20\x30\x40\x50\x60\x70\x80\x90\xa0\xff' | seed idx images.idx
printf '\0\0\x08\x01\0\0\0\x02\x03\x09' | seed idx labels.idx

printf '%s\n' 'hello' '<script>alert(1)</script>' '"quoted" & '"'"'single'"'" ']]><!--' \
  $'\xff\xfe invalid utf-8 \xc3' $'\u202eright-to-left\u202c' $'tab\there' 'emoji 🙂 and 漢字' '../../etc/passwd' \
  '</script><script>x()</script>' $'\x01\x02control' 'a very long token that goes on and on and on well past any width' |
  seed writers hostile.txt
echo "seeds in $out: $(find "$out" -type f | wc -l) files"
