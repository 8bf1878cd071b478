#!/usr/bin/env python3
"""PyTorch yardstick for `attn bench attention` (never part of the build or CI).

Times the unfused composition softmax(q @ kᵀ · scale, masked) @ v in PyTorch, forward
(no autograd) and forward+backward, on the grid of `attn bench attention`, and prints
the same JSON rows with impl "torch". GFLOP/s counts visible (query, key) pairs only
(4·B·H·D per pair forward, 3.5× that for forward+backward; causal keeps T(T+1)/2
pairs); sgemm_share relates it to a 2048³ torch.mm measured before each T;
peak_extra_mib is the peak RSS growth of one run (VmHWM after resetting it through
/proc/self/clear_refs).

Run as the README of experiments/bench says, e.g.
  OPENBLAS_CORETYPE=SkylakeX LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
  GLIBC_TUNABLES=glibc.malloc.hugetlb=1 ATEN_CPU_CAPABILITY=avx512 \
  /usr/bin/python3 experiments/bench/torch_attention.py --threads 2

--precision bf16 runs the attention (forward, and the forward of forward+backward) under
torch.autocast("cpu", dtype=torch.bfloat16), and the sgemm ceiling in bf16 (torch.mm
on bf16 tensors, through oneDNN).
"""
import argparse
import contextlib
import json
import math
import statistics
import time

import torch


def status_kib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return float(line.split()[1])
    return -1.0


class PeakMemoryProbe:
    def __init__(self):
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            self.start = status_kib("VmRSS")
        except OSError:
            self.start = None

    def extra_mib(self):
        if self.start is None:
            return -1.0
        return max(0.0, status_kib("VmHWM") - self.start) / 1024.0


def attention_flops(B, H, T, D, causal, pazz):
    pairs = 0.5 * T * (T + 1) if causal else float(T) * T
    fwd = 4.0 * B * H * D * pairs
    return fwd if pazz == "fwd" else 3.5 * fwd


def sgemm_gflops(n=2048, repeats=5, dtype=torch.float32):
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    torch.mm(a, b)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - t0)
    return 2.0 * n ** 3 / statistics.median(times) / 1e9


def attention(q, k, v, scale, mask):
    s = (q @ k.transpose(-1, -2)) * scale  # [B, H, T, T]
    if mask is not None:
        s = s.masked_fill(mask, float("-inf"))
    return torch.softmax(s, dim=-1) @ v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--T", default="128,256,512,1024,2048")
    ap.add_argument("--B", type=int, default=8)
    ap.add_argument("--H", type=int, default=8)
    ap.add_argument("--D", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--mask", default="none,causal")
    ap.add_argument("--pass", dest="passes", default="fwd,fwdbwd")
    ap.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = ap.parse_args()
    bf16 = args.precision == "bf16"
    cast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if bf16 else contextlib.nullcontext
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    B, H, D = args.B, args.H, args.D
    scale = 1.0 / math.sqrt(D)
    rows = []
    for T in [int(t) for t in args.T.split(",")]:
        q, k, v, dout = (torch.randn(B, H, T, D) for _ in range(4))
        sgemm = sgemm_gflops(dtype=torch.bfloat16 if bf16 else torch.float32)  # before each T, as attn does: the host drifts
        for mask_name in args.mask.split(","):
            causal = mask_name == "causal"
            # The boolean mask is an input, built once, like the key padding of a batch.
            mask = torch.ones(T, T, dtype=torch.bool).triu(1) if causal else None
            for pazz in args.passes.split(","):
                if pazz == "fwd":
                    def run():
                        with torch.no_grad(), cast():
                            attention(q, k, v, scale, mask)
                else:
                    qg, kg, vg = (t.clone().requires_grad_() for t in (q, k, v))

                    def run():
                        with cast():
                            o = attention(qg, kg, vg, scale, mask)
                        o.backward(dout.to(o.dtype))
                        qg.grad = kg.grad = vg.grad = None

                t0 = time.perf_counter()
                run()
                warm = time.perf_counter() - t0
                probe = PeakMemoryProbe()
                times = []
                t0 = time.perf_counter()
                run()
                times.append(time.perf_counter() - t0)
                extra = probe.extra_mib()
                # As `attn bench attention`: fast cases repeat for at least 0.5 s (<= 50 runs).
                repeats = args.repeats
                if warm > 1.0:
                    repeats = min(repeats, 3)
                elif warm * repeats < 0.5:
                    repeats = min(50, math.ceil(0.5 / max(warm, 1e-6)))
                while len(times) < repeats:
                    t0 = time.perf_counter()
                    run()
                    times.append(time.perf_counter() - t0)
                ms = 1e3 * statistics.median(times)
                gflops = attention_flops(B, H, T, D, causal, pazz) / (ms * 1e-3) / 1e9
                rows.append({"impl": "torch", "precision": args.precision, "causal": causal, "T": T, "pass": pazz,
                             "threads": args.threads, "repeats": repeats, "ms_median": ms,
                             "ms_min": 1e3 * min(times),
                             "gflops": gflops, "sgemm_gflops": sgemm, "sgemm_share": gflops / sgemm,
                             "peak_extra_mib": extra})
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
