#!/usr/bin/env python3
"""Runs `attn bench attention --json` and torch_attention.py alternately for a few
rounds on the same grid and prints one table: per case the median over rounds of
each implementation's time, GFLOP/s, sgemm share and memory, and the speed-up of
fused over torch and over the unfused reference. Alternating rounds in one session
is how ratios stay meaningful on a machine whose speed drifts from minute to minute.

  /usr/bin/python3 experiments/bench/compare_attention.py --attn build/apps/attn --rounds 2
  /usr/bin/python3 experiments/bench/compare_attention.py --precisions fp32,bf16 --T 512,1024

With several precisions every implementation is listed once per precision (impl/precision),
the ceiling of each row is attn's oneDNN matmul in that row's precision, and speed-ups are
against fused/fp32.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_ENV = {
    "OPENBLAS_CORETYPE": "SkylakeX",
    "LD_LIBRARY_PATH": "/usr/lib/x86_64-linux-gnu/openblas-openmp",
    "GLIBC_TUNABLES": "glibc.malloc.hugetlb=1",
    "ATEN_CPU_CAPABILITY": "avx512",
}


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out)


def gflops_at(row, ms):
    """The row's GFLOP/s had its case taken `ms` milliseconds (rows report it at ms_median)."""
    return row["gflops"] * row["ms_median"] / ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attn", default="build/apps/attn")
    ap.add_argument("--T", default="128,256,512,1024,2048")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--precisions", default="fp32", help="fp32,bf16: run each side in each precision")
    ap.add_argument("--omp-passive", action="store_true",
                    help="run both with OMP_WAIT_POLICY=passive: on a host shared with other work, "
                         "spinning OpenMP threads steal the time slices their team waits for")
    ap.add_argument("--save", help="write the raw rows of every round to this JSON file")
    ap.add_argument("--load", help="print the table of rows saved earlier instead of running")
    ap.add_argument("--stat", choices=["ms_median", "ms_min"], default="ms_median",
                    help="per-round time to use (ms_min is less sensitive to other load on the host)")
    args = ap.parse_args()
    common = ["--T", args.T, "--threads", str(args.threads), "--repeats", str(args.repeats)]
    env = {**os.environ, **({"OMP_WAIT_POLICY": "passive"} if args.omp_passive else {})}
    rows = []
    if args.load:
        with open(args.load) as f:
            rows = json.load(f)
        args.rounds = 0
    for r in range(args.rounds):
        for p in args.precisions.split(","):
            print(f"round {r + 1}/{args.rounds}: attn {p}", file=sys.stderr, flush=True)
            rows += run_json([args.attn, "bench", "attention", "--json", "--precision", p] + common, env=env)
            if not args.no_torch:
                print(f"round {r + 1}/{args.rounds}: torch {p}", file=sys.stderr, flush=True)
                rows += run_json(["/usr/bin/python3", os.path.join(HERE, "torch_attention.py"), "--precision", p]
                                 + common, env={**env, **TORCH_ENV})
    if args.save:
        with open(args.save, "w") as f:
            json.dump(rows, f, indent=1)
    precisions = sorted({row.get("precision", "fp32") for row in rows}, reverse=True)  # fp32 first
    for row in rows:
        row["ceiling_key"] = row.get("precision", "fp32")
        if len(precisions) > 1:
            row["impl"] = row["impl"] + "/" + row.get("precision", "fp32")
    base = "fused/fp32" if len(precisions) > 1 else "fused"
    cases = {}
    for row in rows:
        cases.setdefault((row["T"], row["causal"], row["pass"], row["impl"]), []).append(row)

    def med(key, rs):
        return statistics.median(r[key] for r in rs)

    # One ceiling per precision for every implementation: attn's oneDNN matmul measured before each T.
    sgemm = {(T, p): statistics.median(r["sgemm_gflops"] for r in rows
                                       if r["impl"].startswith("fused") and r["T"] == T and r["ceiling_key"] == p)
             for T in {k[0] for k in cases} for p in precisions}
    rounds = len([r for r in rows if r["impl"] == base]) // max(1, len({k for k in cases if k[3] == base}))
    print(f"threads {rows[0]['threads']}, {rounds} rounds, {args.stat} per round, median over rounds; "
          f"share = GF/s over the oneDNN "
          f"sgemm 2048^3 measured before each T")
    if not args.no_torch:
        torch_sgemm = med("sgemm_gflops", [r for r in rows if r["impl"] == "torch"])
        print(f"(torch's own sgemm, torch.mm: {torch_sgemm:.1f} GF/s)")
    print(f"{'T':>5} {'mask':<6} {'pass':<6} {'impl':<14} {'ms':>10} {'GF/s':>7} {'sgemm':>7} {'share':>6} {'MiB':>8} "
          f"{'fused speed-up':>15}")
    impls = [i + ("/" + p if len(precisions) > 1 else "") for p in precisions
             for i in ["fused", "reference"] + ([] if args.no_torch else ["torch"])]
    for T in sorted({k[0] for k in cases}):
        for causal in (False, True):
            for pazz in ("fwd", "fwdbwd"):
                fused = cases.get((T, causal, pazz, base))
                for impl in impls:
                    rs = cases.get((T, causal, pazz, impl))
                    if not rs:
                        continue
                    ms = med(args.stat, rs)
                    gf = gflops_at(rs[0], ms)
                    speedup = "" if impl == base or not fused else f"{ms / med(args.stat, fused):.2f}x"
                    ceiling = sgemm[(T, rs[0]["ceiling_key"])]
                    print(f"{T:>5} {'causal' if causal else 'none':<6} {pazz:<6} {impl:<14} {ms:>10.2f} "
                          f"{gf:>7.1f} {ceiling:>7.1f} {100 * gf / ceiling:>5.0f}% "
                          f"{med('peak_extra_mib', rs):>8.1f} {speedup:>15}")
    for T in sorted({k[0] for k in cases}):
        for pazz in ("fwd", "fwdbwd"):
            c, n = cases.get((T, True, pazz, base)), cases.get((T, False, pazz, base))
            if c and n:
                print(f"fused causal/non-causal time, T={T} {pazz}: {med(args.stat, c) / med(args.stat, n):.1%}")


if __name__ == "__main__":
    main()
