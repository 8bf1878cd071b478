"""Fashion-MNIST as attn reads it: {train,valid,test}-{images,labels}.idx and manifest.json.

  fashion_mnist.py prepare SRC_DIR OUT_DIR   SRC_DIR holds Debian's gzip'd IDX files
  fashion_mnist.py sample PREPARED OUT_DIR   the small stratified sample shipped in datasets/

Validation split (prepare): the last 500 images of each class, in file order, of the 60,000
training images (5,000 in all, 500 per class); the rest stay train (55,000); test is the
10,000 t10k images as they are. No randomness: the same files give the same splits.
Sample: per split the first 300 / 50 / 50 images of each class (train / valid / test, in
the prepared files' order), kept in that order: 3,000 / 500 / 500 images.
Only the Python standard library.
"""
import gzip
import json
import os
import struct
import sys
import time

import common

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
           "Ankle boot"]
SOURCE_FILES = {"train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
                "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")}
VALID_PER_CLASS = 500
SAMPLE_PER_CLASS = {"train": 300, "valid": 50, "test": 50}
LICENSE = "MIT (Zalando SE); see datasets/fashion-mnist-sample/LICENSE-fashion-mnist"


def read_idx(data, magic, what):
    """(dims, payload) of an IDX file's bytes; exits with a message when malformed."""
    ndim = magic & 0xFF
    if len(data) < 4 + 4 * ndim or struct.unpack(">I", data[:4])[0] != magic:
        sys.exit("fashion_mnist: %s is not an IDX file with magic 0x%x" % (what, magic))
    dims = struct.unpack(">%dI" % ndim, data[4:4 + 4 * ndim])
    size = 1
    for d in dims:
        size *= d
    if len(data) != 4 + 4 * ndim + size:
        sys.exit("fashion_mnist: %s has %d bytes, its header says %d" % (what, len(data), 4 + 4 * ndim + size))
    return dims, data[4 + 4 * ndim:]


def load(images_bytes, labels_bytes, what):
    """[(pixels bytes, label)] of one split."""
    (n, rows, cols), pixels = read_idx(images_bytes, 0x803, what + " images")
    (m,), labels = read_idx(labels_bytes, 0x801, what + " labels")
    if n != m or (rows, cols) != (28, 28):
        sys.exit("fashion_mnist: %s has %d images of %dx%d and %d labels" % (what, n, rows, cols, m))
    return [(pixels[i * 784:(i + 1) * 784], labels[i]) for i in range(n)]


def write_split(out_dir, split, examples):
    """Writes the split's two IDX files; returns its manifest entry."""
    entry = {"count": len(examples)}
    images = struct.pack(">IIII", 0x803, len(examples), 28, 28) + b"".join(p for p, _ in examples)
    labels = struct.pack(">II", 0x801, len(examples)) + bytes(l for _, l in examples)
    for kind, data in (("images", images), ("labels", labels)):
        path = "%s-%s.idx" % (split, kind)
        with open(os.path.join(out_dir, path), "wb") as f:
            f.write(data)
        entry[kind] = {"path": path, "sha256": common.sha256_of(os.path.join(out_dir, path)), "bytes": len(data)}
    return entry


def write(out_dir, name, splits, source, built_by, notes):
    """The dataset, written into a fresh sibling directory and renamed over out_dir at the end,
    so an interrupted run never leaves a half-written dataset that looks prepared."""
    tmp = out_dir + ".tmp"
    if os.path.exists(tmp):
        for f in os.listdir(tmp):
            os.remove(os.path.join(tmp, f))
    os.makedirs(tmp, exist_ok=True)
    files = {s: write_split(tmp, s, splits[s]) for s in common.SPLITS}
    counts = {s: [sum(1 for _, l in splits[s] if l == c) for c in range(10)] for s in common.SPLITS}
    manifest = {"name": name, "format": "idx", "files": files, "classes": CLASSES, "class_counts": counts,
                "source": source, "license": LICENSE, "built_by": built_by, "notes": notes}
    with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if os.path.isdir(out_dir):  # keep files not written here (the LICENSE of the sample)
        for f in os.listdir(out_dir):
            if os.path.exists(os.path.join(tmp, f)):
                os.remove(os.path.join(out_dir, f))
            else:
                os.replace(os.path.join(out_dir, f), os.path.join(tmp, f))
        os.rmdir(out_dir)
    os.replace(tmp, out_dir)
    for s in common.SPLITS:
        print("  %-5s %6d images  sha256 %s (images) %s (labels)" % (
            s, files[s]["count"], files[s]["images"]["sha256"][:12], files[s]["labels"]["sha256"][:12]))


def prepare(src_dir, out_dir):
    raw = {}
    for split, (images, labels) in SOURCE_FILES.items():
        with gzip.open(os.path.join(src_dir, images)) as fi, gzip.open(os.path.join(src_dir, labels)) as fl:
            raw[split] = load(fi.read(), fl.read(), os.path.join(src_dir, images))
    seen = [0] * 10
    valid_at = set()
    for i in range(len(raw["train"]) - 1, -1, -1):  # the last VALID_PER_CLASS of each class
        label = raw["train"][i][1]
        if seen[label] < VALID_PER_CLASS:
            seen[label] += 1
            valid_at.add(i)
    splits = {"train": [e for i, e in enumerate(raw["train"]) if i not in valid_at],
              "valid": [e for i, e in enumerate(raw["train"]) if i in valid_at],
              "test": raw["test"]}
    write(out_dir, "fashion-mnist", splits,
          "Debian package dataset-fashion-mnist, %s/{%s}" % (src_dir, ",".join(sum(SOURCE_FILES.values(), ()))),
          "datasets/prepare_fashion_mnist.sh",
          "valid = the last %d images of each class (file order) of the 60,000 training images; train = the "
          "other 55,000 in file order; test = the 10,000 t10k images." % VALID_PER_CLASS)


def sample(prepared, out_dir):
    with open(os.path.join(prepared, "manifest.json")) as f:
        files = json.load(f)["files"]
    splits = {}
    for split in common.SPLITS:
        with open(os.path.join(prepared, files[split]["images"]["path"]), "rb") as fi, \
             open(os.path.join(prepared, files[split]["labels"]["path"]), "rb") as fl:
            examples = load(fi.read(), fl.read(), os.path.join(prepared, split))
        taken = [0] * 10
        splits[split] = []
        for pixels, label in examples:
            if taken[label] < SAMPLE_PER_CLASS[split]:
                taken[label] += 1
                splits[split].append((pixels, label))
    write(out_dir, "fashion-mnist-sample", splits,
          "the prepared fashion-mnist splits (datasets/prepare_fashion_mnist.sh)",
          "datasets/make_fashion_mnist_sample.sh",
          "per split the first %s images of each class in the prepared file order, kept in that order." %
          json.dumps(SAMPLE_PER_CLASS))


def main():
    start = time.time()
    if len(sys.argv) != 4 or sys.argv[1] not in ("prepare", "sample"):
        sys.exit("usage: fashion_mnist.py prepare|sample IN_DIR OUT_DIR")
    (prepare if sys.argv[1] == "prepare" else sample)(sys.argv[2], sys.argv[3])
    print("  done in %.1f s" % (time.time() - start))


if __name__ == "__main__":
    main()
