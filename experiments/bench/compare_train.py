#!/usr/bin/env python3
"""Runs `attn bench train` and torch_train.py alternately for a few rounds, each
configuration in its own process (so each peak RSS belongs to one model), and prints
per configuration the median step time and throughput over rounds, attn's speed-up,
and both peak RSS figures (torch's includes its ~226 MiB import baseline, attn's
binary starts at ~8 MiB).

  /usr/bin/python3 experiments/bench/compare_train.py --attn build/apps/attn --rounds 3
  /usr/bin/python3 experiments/bench/compare_train.py --precisions fp32,bf16   # + bf16 on both sides
"""
import argparse
import os
import statistics
import sys

from compare_attention import HERE, TORCH_ENV, run_json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attn", default="build/apps/attn")
    ap.add_argument("--configs", default="seq2seq,classifier,lstm_attn,vit")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--precisions", default="fp32",
                    help="fp32,bf16: each side in each precision (torch bf16 = torch.autocast)")
    args = ap.parse_args()
    common = ["--threads", str(args.threads), "--steps", str(args.steps)]
    precisions = args.precisions.split(",")
    rows = []
    for r in range(args.rounds):
        for config in args.configs.split(","):
            for p in precisions:
                print(f"round {r + 1}/{args.rounds}: {config} {p}", file=sys.stderr, flush=True)
                for row in run_json([args.attn, "bench", "train", "--json", "--configs", config, "--precision", p]
                                    + common):
                    rows.append({**row, "impl": "attn"})
                rows += run_json(["/usr/bin/python3", os.path.join(HERE, "torch_train.py"), "--configs", config,
                                  "--precision", p] + common, env={**os.environ, **TORCH_ENV})
    impls = [(impl, p) for impl in ("attn", "torch") for p in precisions]
    print(f"threads {args.threads}, {args.rounds} rounds of {args.steps} steps; medians over rounds; "
          f"speed-up = torch's ms/step over this row's, per torch precision")
    print(f"{'config':<11} {'impl':<11} {'ms/step':>9} {'throughput':>11}  {'unit':<16} {'peak MiB':>9}  speed-up")
    for config in args.configs.split(","):
        med = {}
        for key in impls:
            rs = [x for x in rows if x["config"] == config and (x["impl"], x.get("precision", "fp32")) == key]
            med[key] = {k: statistics.median(x[k] for x in rs) for k in ("step_ms_median", "throughput_median",
                                                                          "peak_rss_mib")}
            med[key]["unit"] = rs[0]["unit"]
        for key in impls:
            m = med[key]
            speedup = "" if key[0] == "torch" else "  ".join(
                f"{med[('torch', p)]['step_ms_median'] / m['step_ms_median']:.2f}x vs torch-{p}" for p in precisions)
            print(f"{config:<11} {key[0] + '-' + key[1]:<11} {m['step_ms_median']:>9.1f} {m['throughput_median']:>11.1f}  "
                  f"{m['unit']:<16} {m['peak_rss_mib']:>9.1f}  {speedup}")


if __name__ == "__main__":
    main()
