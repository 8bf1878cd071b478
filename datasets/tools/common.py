"""Shared helpers of the dataset scripts: the split rule, TSV writing and manifest.json.

Only the Python standard library: the scripts run on a bare Debian machine.
"""
import hashlib
import json
import os

SPLITS = ("train", "valid", "test")


def split_of(key, salt, valid_pct=5, test_pct=5):
    """Deterministic split of a key: the first 8 hex digits of sha256(salt + key) mod 100.

    [0, 100 - valid - test) -> train, then valid, then test. A pure function of the key,
    so a key never moves between splits when the source grows or is reordered.
    """
    bucket = int(hashlib.sha256((salt + key).encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < 100 - valid_pct - test_pct:
        return "train"
    if bucket < 100 - test_pct:
        return "valid"
    return "test"


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def clean_field(text):
    """One TSV field: no tabs or newlines, single spaces, trimmed."""
    return " ".join(text.split())


def write_dataset(out_dir, name, splits, source, license_, built_by, notes):
    """Writes out_dir/{train,valid,test}.tsv (SOURCE<TAB>TARGET) and out_dir/manifest.json."""
    os.makedirs(out_dir, exist_ok=True)
    files = {}
    for split in SPLITS:
        path = os.path.join(out_dir, split + ".tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for src, tgt in splits[split]:
                src, tgt = clean_field(src), clean_field(tgt)
                assert src and tgt, (split, src, tgt)
                f.write(src + "\t" + tgt + "\n")
        files[split] = {"path": split + ".tsv", "sha256": sha256_of(path), "lines": len(splits[split])}
    manifest = {"name": name, "files": files, "source": source, "license": license_,
                "built_by": built_by, "notes": notes}
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return manifest


def report(manifest):
    for split in SPLITS:
        entry = manifest["files"][split]
        print(f"  {split:5s} {entry['lines']:7d} lines  sha256 {entry['sha256']}")
