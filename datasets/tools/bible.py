"""Verse-aligned Spanish -> English Bible pairs from two SWORD modules, see datasets/README.md.

usage: bible.py SOURCE_IMP TARGET_IMP OUT_DIR SOURCE_DESCRIPTION
Each .imp file is the output of `mod2imp MODULE`: "$$$Book C:V" key lines, each followed by
the verse as OSIS XML.
"""
import collections
import re
import sys

import common
import osis

KEY = re.compile(r"(.+) ([0-9]+):([0-9]+)")
MAX_RATIO = 2.0  # word-count ratio beyond which a pair is taken as misaligned


def read_module(path):
    """{(book, chapter): {verse: text}} for every non-empty verse (chapter and verse > 0)."""
    chapters = collections.defaultdict(dict)
    key, lines = None, []

    def flush():
        if key is None:
            return
        m = KEY.fullmatch(key)
        if m and int(m.group(2)) > 0 and int(m.group(3)) > 0:
            text = osis.strip_osis("\n".join(lines))
            if text:
                chapters[(m.group(1), int(m.group(2)))][int(m.group(3))] = text

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("$$$"):
                flush()
                key, lines = line[3:], []
            else:
                lines.append(line)
    flush()
    return chapters


def main():
    src_imp, tgt_imp, out_dir, source = sys.argv[1:5]
    src, tgt = read_module(src_imp), read_module(tgt_imp)
    shared = [c for c in src if c in tgt]  # source order: canonical book order
    stats = collections.Counter()
    stats["chapters_src"], stats["chapters_tgt"] = len(src), len(tgt)
    splits = {s: [] for s in common.SPLITS}
    for chapter in shared:
        s_verses, t_verses = src[chapter], tgt[chapter]
        if len(s_verses) != len(t_verses):
            stats["chapters_dropped_verse_count"] += 1
            continue
        stats["chapters_kept"] += 1
        split = common.split_of(f"{chapter[0]} {chapter[1]}", "attn-bible:")
        for verse in sorted(s_verses):
            if verse not in t_verses:
                stats["verses_unmatched"] += 1
                continue
            s_text, t_text = s_verses[verse], t_verses[verse]
            ns, nt = len(s_text.split()), len(t_text.split())
            if max(ns, nt) > MAX_RATIO * min(ns, nt):
                stats["pairs_dropped_ratio"] += 1
                continue
            splits[split].append((s_text, t_text))
    total = sum(len(v) for v in splits.values())
    notes = ("aligned by verse key; chapters present in both modules with equal non-empty verse "
             "counts only; pairs whose word-count ratio exceeds %.1f dropped; split by chapter: "
             "sha256('attn-bible:' + 'Book C') mod 100: <90 train, <95 valid, else test; stats: %s"
             % (MAX_RATIO, dict(stats)))
    manifest = common.write_dataset(out_dir, "bible-es-en", splits, source,
                                     "public domain (both translations)",
                                     "datasets/prepare_bible_es_en.sh", notes)
    src_words = sum(len(s.split()) for v in splits.values() for s, _ in v)
    tgt_words = sum(len(t.split()) for v in splits.values() for _, t in v)
    print(f"bible-es-en: {total} pairs, {src_words / total:.1f} source / {tgt_words / total:.1f} "
          f"target words per pair; {dict(stats)}")
    common.report(manifest)


if __name__ == "__main__":
    main()
