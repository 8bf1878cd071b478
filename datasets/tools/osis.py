"""Plain text from one verse of OSIS XML as printed by SWORD's mod2imp.

Kept: the words of <w>, <transChange>, <q>, <seg>, <name>, <rdg> and of canonical titles
(psalm superscriptions, which the Spanish text has inside verse 1). Dropped with their content:
<note> (footnotes and cross references, replaced by a space because WEB puts them between
words), non-canonical <title>s, <speaker> labels and the WEB glossary appended to Revelation 22:21.
Milestones and structure tags (<div/>, <l/>, <lg/>, <lb/>, <chapter/>, <milestone/>) become a
space; inline open/close tags become nothing, so "God</w>’s" stays one word, except that a
closing tag directly followed by an opening one becomes a space: RV1909 writes
"siempre</w><transChange>es" for "siempre es". The one exception to that exception is a Spanish
enclitic pronoun added after a verb ("púse</w><transChange>lo" = "púselo"), which stays glued.
"""
import html
import re

TAG = re.compile(r"<(/?)([A-Za-z]+)([^>]*?)(/?)>")
DROPPED = {"note", "title", "speaker"}
STRUCTURE = {"div", "l", "lg", "lb", "chapter", "milestone", "list", "item", "p", "br", "verse"}
ENCLITICS = {"lo", "la", "los", "las", "le", "les", "me", "te", "se", "nos", "os"}
NOT_VERBS = {"que", "del", "las", "los", "les", "nos", "por", "con", "sin", "mas", "más", "pues"}
LAST_WORD = re.compile(r"(\w+)$")


def _glued_enclitic(before, after):
    """True for "verb</w><transChange>pronoun<": before is the text so far, after the rest."""
    word = LAST_WORD.search(before)
    pronoun = after.split("<", 1)[0]
    return (pronoun in ENCLITICS and word is not None and word.group(1).islower()
            and len(word.group(1)) >= 3 and word.group(1) not in NOT_VERBS)


def _drops(name, attrs):
    if name == "title" and 'canonical="true"' in attrs:
        return False
    return name in DROPPED


def strip_osis(xml):
    out, depth, drop_stack = [], 0, []
    pos, last_closing_end = 0, -1
    for m in TAG.finditer(xml):
        if depth == 0:
            out.append(xml[pos:m.start()])
        pos = m.end()
        closing, name, attrs, self_closing = m.group(1), m.group(2), m.group(3), m.group(4)
        if (depth == 0 and not closing and m.start() == last_closing_end
                and not _glued_enclitic("".join(out[-3:]), xml[m.end():])):
            out.append(" ")
        last_closing_end = m.end() if closing else -1
        if name == "div" and 'type="glossary"' in attrs:
            pos = len(xml)
            break
        if closing:
            if drop_stack and drop_stack[-1] == name:
                drop_stack.pop()
                depth -= 1
                if depth == 0:
                    out.append(" ")
            elif depth == 0 and name in STRUCTURE:
                out.append(" ")
            continue
        if self_closing:
            if depth == 0 and name in STRUCTURE:
                out.append(" ")
            continue
        if depth > 0:
            if name in DROPPED:
                drop_stack.append(name)
                depth += 1
            continue
        if _drops(name, attrs):
            drop_stack.append(name)
            depth += 1
            out.append(" ")
        elif name in STRUCTURE:
            out.append(" ")
    if depth == 0:
        out.append(xml[pos:])
    text = html.unescape("".join(out))
    assert "<" not in text and ">" not in text, text
    return " ".join(text.split())
