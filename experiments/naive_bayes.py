#!/usr/bin/env python3
"""Multinomial naive-Bayes baseline for a TEXT<TAB>LABEL dataset (the SpamAssassin split).

usage: naive_bayes.py [DATASET_DIR] [--dataset-dir DIR] [--alphas 0.01,0.03,0.1,0.3,1]
DATASET_DIR defaults to ${ATTN_DATA_DIR:-datasets/prepared}/spam (datasets/prepare_spam.sh);
datasets/spam-sample works too. Tokens are the TSV text split on single spaces. The Lidstone
smoothing alpha is chosen on valid (accuracy, then macro-F1, then the smaller alpha); the model
is trained on train only and scored once on test. Prints one JSON object on stdout and a
one-line summary on stderr. Python standard library only.
"""
import argparse
import collections
import json
import math
import os
import sys
import time

POSITIVE = "spam"


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            text, sep, label = line.rstrip("\n").partition("\t")
            if not sep or not label:
                sys.exit("naive_bayes: %s:%d is not TEXT<TAB>LABEL" % (path, n))
            rows.append((text.split(" "), label))
    return rows


class MultinomialNB:
    def __init__(self, rows):
        self.labels = sorted({label for _, label in rows})
        self.docs = collections.Counter(label for _, label in rows)
        self.counts = {label: collections.Counter() for label in self.labels}
        for tokens, label in rows:
            self.counts[label].update(tokens)
        self.vocab = set()
        for c in self.counts.values():
            self.vocab.update(c)
        self.totals = {label: sum(c.values()) for label, c in self.counts.items()}

    def fit_alpha(self, alpha):
        """Log prior and log likelihoods for smoothing alpha (unseen words of a known vocabulary
        get alpha; words outside the training vocabulary are ignored at prediction)."""
        n_docs, v = sum(self.docs.values()), len(self.vocab)
        self.log_prior = {y: math.log(self.docs[y] / n_docs) for y in self.labels}
        self.log_unseen, self.log_like = {}, {}
        for y in self.labels:
            denom = math.log(self.totals[y] + alpha * v)
            self.log_unseen[y] = math.log(alpha) - denom
            self.log_like[y] = {w: math.log(c + alpha) - denom for w, c in self.counts[y].items()}

    def predict(self, tokens):
        best, best_score = None, -math.inf
        for y in self.labels:
            like, unseen = self.log_like[y], self.log_unseen[y]
            score = self.log_prior[y] + sum(like.get(w, unseen) for w in tokens if w in self.vocab)
            if score > best_score:
                best, best_score = y, score
        return best


def scores(gold, pred, labels):
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        confusion[g][p] += 1
    per_label = {}
    for y in labels:
        tp = confusion[y][y]
        fp = sum(confusion[g][y] for g in labels if g != y)
        fn = sum(confusion[y][p] for p in labels if p != y)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_label[y] = {"precision": prec, "recall": rec, "f1": f1}
    accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    macro_f1 = sum(v["f1"] for v in per_label.values()) / len(labels)
    return {"accuracy": accuracy, "macro_f1": macro_f1, "per_label": per_label, "confusion": confusion}


def evaluate(model, rows):
    pred = [model.predict(tokens) for tokens, _ in rows]
    return scores([label for _, label in rows], pred, model.labels)


def main():
    default_dir = os.path.join(os.environ.get("ATTN_DATA_DIR", "datasets/prepared"), "spam")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dataset", nargs="?", help="dataset dir (default: %s)" % default_dir)
    ap.add_argument("--dataset-dir", help="same as the positional argument")
    ap.add_argument("--alphas", default="0.01,0.03,0.1,0.3,1", help="smoothing grid, chosen on valid")
    args = ap.parse_args()
    data_dir = args.dataset_dir or args.dataset or default_dir
    for split in ("train", "valid", "test"):
        if not os.path.isfile(os.path.join(data_dir, split + ".tsv")):
            sys.exit("naive_bayes: %s has no %s.tsv (prepare it: bash datasets/prepare_spam.sh)" % (data_dir, split))
    start = time.time()
    rows = {s: read_tsv(os.path.join(data_dir, s + ".tsv")) for s in ("train", "valid", "test")}
    model = MultinomialNB(rows["train"])
    if POSITIVE not in model.labels:
        sys.exit("naive_bayes: no '%s' label in %s/train.tsv" % (POSITIVE, data_dir))

    grid = []
    for alpha in (float(a) for a in args.alphas.split(",")):
        model.fit_alpha(alpha)
        s = evaluate(model, rows["valid"])
        grid.append({"alpha": alpha, "valid_accuracy": s["accuracy"], "valid_macro_f1": s["macro_f1"]})
    best = max(grid, key=lambda g: (g["valid_accuracy"], g["valid_macro_f1"], -g["alpha"]))
    model.fit_alpha(best["alpha"])
    test = evaluate(model, rows["test"])
    valid = evaluate(model, rows["valid"])
    labels = model.labels
    result = {
        "model": "multinomial naive Bayes (Lidstone smoothing, space tokens)",
        "dataset_dir": data_dir,
        "sizes": {s: len(r) for s, r in rows.items()},
        "train_vocab": len(model.vocab),
        "alpha": best["alpha"],
        "alpha_grid": grid,
        "valid_accuracy": valid["accuracy"],
        "test": {
            "accuracy": test["accuracy"],
            "spam_precision": test["per_label"][POSITIVE]["precision"],
            "spam_recall": test["per_label"][POSITIVE]["recall"],
            "spam_f1": test["per_label"][POSITIVE]["f1"],
            "macro_f1": test["macro_f1"],
            "confusion": {"labels": labels, "rows_gold_cols_pred": [[test["confusion"][g][p] for p in labels] for g in labels]},
        },
        "seconds": round(time.time() - start, 2),
    }
    print(json.dumps(result, indent=2))
    t = result["test"]
    print("naive Bayes on %s: alpha %g, test accuracy %.4f, spam P/R/F1 %.4f/%.4f/%.4f, macro-F1 %.4f (%d test texts)"
          % (data_dir, best["alpha"], t["accuracy"], t["spam_precision"], t["spam_recall"], t["spam_f1"],
             t["macro_f1"], len(rows["test"])), file=sys.stderr)


if __name__ == "__main__":
    main()
