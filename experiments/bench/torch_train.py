#!/usr/bin/env python3
"""PyTorch yardstick for `attn bench train`: the same four configurations, whole
training steps (seq2seq, lstm_attn and vit on random data, classifier on the embedded spam
sample like attn's), median throughput and peak RSS. Not part of the
build or CI. Run it at PyTorch's best on this machine:

  OPENBLAS_CORETYPE=SkylakeX LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
  GLIBC_TUNABLES=glibc.malloc.hugetlb=1 ATEN_CPU_CAPABILITY=avx512 \
  /usr/bin/python3 experiments/bench/torch_train.py --threads 2

--precision bf16 runs forward and loss under torch.autocast("cpu", dtype=torch.bfloat16)
(PyTorch's mixed precision: bf16 matrix products through oneDNN, fp32 weights and
optimizer), the counterpart of `attn bench train --precision bf16`.
"""
import argparse, contextlib, json, math, os, resource, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(8000, 256)
        self.core = nn.Transformer(256, 4, 3, 3, 1024, 0.1, batch_first=True)
        self.out = nn.Linear(256, 8000)
        pe = torch.zeros(512, 256)
        pos = torch.arange(512).unsqueeze(1)
        div = torch.exp(torch.arange(0, 256, 2) * (-math.log(10000.0) / 256))
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, src, tgt):
        e = lambda x: F.dropout(self.embed(x) * 16.0 + self.pe[: x.shape[1]], 0.1, self.training)
        mask = self.core.generate_square_subsequent_mask(tgt.shape[1])
        return self.out(self.core(e(src), e(tgt), tgt_mask=mask))


class Classifier(nn.Module):
    """attn's classifier config, the classify task's real path: the embedded spam sample, word
    ids (the training split's vocabulary), width 128, 4 pre-norm layers of 4 heads, feed-forward
    512 (ReLU), learned positions, embeddings scaled by sqrt(128), final norm, attention pooling
    (one learned query, scaled dot, softmax over the real positions), dropout 0.1 on the
    embedded tokens, in each residual branch, after the ReLU and on the pooled vector."""
    def __init__(self, vocab):
        super().__init__()
        self.embed = nn.Embedding(vocab, 128)
        nn.init.normal_(self.embed.weight, 0.0, 128 ** -0.5)
        self.pos = nn.Embedding(512, 128)
        nn.init.normal_(self.pos.weight, 0.0, 0.02)
        layer = nn.TransformerEncoderLayer(128, 4, 512, 0.1, batch_first=True, norm_first=True)
        layer.self_attn.dropout = 0.0  # attn drops out no attention weights either
        self.encoder = nn.TransformerEncoder(layer, 4, norm=nn.LayerNorm(128), enable_nested_tensor=False)
        self.query = nn.Parameter(torch.rand(128) * 2 / math.sqrt(128) - 1 / math.sqrt(128))
        self.head = nn.Linear(128, 2)

    def forward(self, x, padding):  # x [B, T] ids, padding [B, T] True on padded positions
        h = self.embed(x) * math.sqrt(128) + self.pos(torch.arange(x.shape[1]))
        h = self.encoder(F.dropout(h, 0.1, self.training), src_key_padding_mask=padding)
        scores = (h @ self.query / math.sqrt(128)).masked_fill(padding, float("-inf"))
        pooled = torch.bmm(F.softmax(scores, 1).unsqueeze(1), h).squeeze(1)
        return self.head(F.dropout(pooled, 0.1, self.training))


def spam_sample_batches(batch, max_len, pool_batches=100, seed=2):
    """Length-bucketed batches of datasets/spam-sample/train.tsv as attn's Batcher makes them:
    shuffle, sort pools of pool_batches batches by length, cut, shuffle the batches. Returns
    the vocabulary size and an endless generator of (ids, padding, labels)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "datasets", "spam-sample", "train.tsv")
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            text, _, label = line.rstrip("\n").rpartition("\t")
            rows.append((text.split(" ")[:max_len], label))
    vocab = {w: i + 4 for i, w in enumerate(sorted({w for t, _ in rows for w in t}))}  # 4 specials
    labels = sorted({y for _, y in rows})
    examples = [([vocab[w] for w in t], labels.index(y)) for t, y in rows]
    gen = torch.Generator().manual_seed(seed)

    def endless():
        while True:
            order = [examples[i] for i in torch.randperm(len(examples), generator=gen)]
            batches = []
            for p in range(0, len(order), batch * pool_batches):
                pool = sorted(order[p:p + batch * pool_batches], key=lambda e: len(e[0]))
                batches += [pool[i:i + batch] for i in range(0, len(pool), batch)]
            for k in torch.randperm(len(batches), generator=gen):
                b = batches[k]
                T = max(len(ids) for ids, _ in b)
                x = torch.zeros(len(b), T, dtype=torch.long)
                for r, (ids, _) in enumerate(b):
                    x[r, :len(ids)] = torch.tensor(ids)
                lengths = torch.tensor([len(ids) for ids, _ in b])
                yield x, torch.arange(T)[None, :] >= lengths[:, None], torch.tensor([y for _, y in b])

    return len(vocab) + 4, endless()


class LstmAttn(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed, self.tgt_embed = nn.Embedding(60, 128), nn.Embedding(60, 128)
        self.encoder = nn.LSTM(128, 256, batch_first=True)
        self.cell = nn.LSTMCell(128 + 256, 256)
        self.wq, self.wk = nn.Linear(256, 256, bias=False), nn.Linear(256, 256, bias=False)
        self.v = nn.Linear(256, 1, bias=False)
        self.out = nn.Linear(512, 60)

    def forward(self, src, tgt):
        memory, (h, c) = self.encoder(self.src_embed(src))
        h, c = h[0], c[0]
        keys = self.wk(memory)
        emb = self.tgt_embed(tgt)
        outs = []
        for t in range(tgt.shape[1]):
            scores = self.v(torch.tanh(keys + self.wq(h).unsqueeze(1))).squeeze(2)
            context = torch.bmm(F.softmax(scores, 1).unsqueeze(1), memory).squeeze(1)
            h, c = self.cell(torch.cat([emb[:, t], context], 1), (h, c))
            outs.append(torch.cat([h, context], 1))
        return self.out(torch.stack(outs, 1))


class Vit(nn.Module):
    """attn's vit config: 28x28 grey images, 4x4 patches -> 64, <cls> in front, learned
    positions, 6 pre-norm layers (4 heads, feed-forward 256, ReLU), final norm, <cls> pooling,
    dropout 0.1 on the embedded patches, in each residual branch, after the ReLU and on the
    pooled vector."""
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(16, 64)
        self.cls = nn.Parameter(torch.randn(1, 1, 64) * 0.02)
        self.pos = nn.Parameter(torch.randn(1, 50, 64) * 0.02)
        layer = nn.TransformerEncoderLayer(64, 4, 256, 0.1, batch_first=True, norm_first=True)
        layer.self_attn.dropout = 0.0  # attn drops out no attention weights either
        self.encoder = nn.TransformerEncoder(layer, 6, norm=nn.LayerNorm(64), enable_nested_tensor=False)
        self.head = nn.Linear(64, 10)

    def forward(self, images):  # [B, 28, 28] -> [B, 49, 16]: patches row by row
        patches = images.unfold(1, 4, 4).unfold(2, 4, 4).reshape(images.shape[0], 49, 16)
        x = torch.cat([self.cls.expand(images.shape[0], -1, -1), self.proj(patches)], 1) + self.pos
        h = self.encoder(F.dropout(x, 0.1, self.training))
        return self.head(F.dropout(h[:, 0], 0.1, self.training))


def case(name, cast):
    if name == "seq2seq":
        m = Seq2Seq(); opt = torch.optim.Adam(m.parameters(), 1e-4)
        def step():
            src, tgt, y = (torch.randint(4, 8000, (32, 32)) for _ in range(3))
            with cast():
                loss = F.cross_entropy(m(src, tgt).reshape(-1, 8000), y.reshape(-1), label_smoothing=0.1)
            opt.zero_grad(); loss.backward(); opt.step()
        return step, 32 * 32, "target tokens/s"
    if name == "classifier":
        vocab, batches = spam_sample_batches(64, 128)
        m = Classifier(vocab); opt = torch.optim.Adam(m.parameters(), 1e-4)
        def step():
            x, padding, y = next(batches)
            with cast():
                loss = F.cross_entropy(m(x, padding), y, label_smoothing=0.1)
            opt.zero_grad(); loss.backward(); opt.step()
        return step, 64, "examples/s"
    if name == "vit":
        m = Vit(); opt = torch.optim.Adam(m.parameters(), 1e-3)
        def step():
            x, y = torch.rand(128, 28, 28), torch.randint(0, 10, (128,))
            with cast():
                loss = F.cross_entropy(m((x - 0.286) / 0.353), y, label_smoothing=0.1)
            opt.zero_grad(); loss.backward(); opt.step()
        return step, 128, "examples/s"
    m = LstmAttn(); opt = torch.optim.Adam(m.parameters(), 1e-3)
    def step():
        src, tgt, y = (torch.randint(4, 60, (64, 20)) for _ in range(3))
        with cast():
            loss = F.cross_entropy(m(src, tgt).reshape(-1, 60), y.reshape(-1))
        opt.zero_grad(); loss.backward(); opt.step()
    return step, 64 * 20, "target tokens/s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--configs", default="seq2seq,classifier,lstm_attn,vit")
    ap.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = ap.parse_args()
    cast = ((lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if args.precision == "bf16"
            else contextlib.nullcontext)
    # Without the package the loader silently falls back to the reference BLAS, 10-30x slower.
    for d in os.environ.get("LD_LIBRARY_PATH", "").split(":"):
        if "openblas" in d and not os.path.isdir(d):
            sys.exit(f"torch_train.py: error: {d} does not exist; install libopenblas0-openmp")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rows = []
    for name in args.configs.split(","):
        step, items, unit = case(name, cast)
        ms = []
        for i in range(args.warmup + args.steps):
            t0 = time.perf_counter(); step(); t1 = time.perf_counter()
            if i >= args.warmup:
                ms.append((t1 - t0) * 1000)
        med = statistics.median(ms)
        rows.append({"impl": "torch", "precision": args.precision, "config": name, "unit": unit, "step_ms_median": med,
                     "throughput_median": items / (med / 1000),
                     "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                     "threads": args.threads})
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
