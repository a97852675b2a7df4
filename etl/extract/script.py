"""The analysis text of a page: Simplified script, pinyin glosses hidden, same length as the original.

Reprints arrive in Traditional script (億元, 進出口, 增長) and some carry the pinyin of each
character after it (據(jù)悉, 9.3萬(wàn)人). Extraction reads Simplified text without glosses;
the database keeps the original. `for_analysis` therefore returns a text of exactly the
original's length in which character i stands for original character i:

- Traditional characters become Simplified (OpenCC `t2s`, phrase-aware, applied line by line and
  kept only where it preserves the line's length, else character by character);
- a parenthesised pinyin gloss right after a Chinese character becomes carriage returns, which
  layout and sentence splitting already drop as line-break residue while keeping the offsets of
  the characters around them.

So every offset found in the analysis text is an offset into the original, and a mention is
always read from the original (`doc.text[start:end]`).
"""
from __future__ import annotations

import functools
import re

# A gloss: one to three pinyin syllables with tone marks (or tone digits), in ASCII or
# full-width brackets, right after a CJK character: 據(jù), 產(chǎn), 萬（wàn）.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_GLOSS = re.compile(
    rf"(?<=[\u4e00-\u9fff])[(（](?:[a-z{_TONED}]{{1,6}}[1-5]?)(?:[ '][a-z{_TONED}]{{1,6}}[1-5]?){{0,2}}[)）]")
# Glosses are recognised only where at least this many occur (one "(an)" is not a reprint).
_MIN_GLOSSES = 2
# Convert when the page has at least this many Traditional-only characters (a Simplified
# page may quote a stray 乾 or 著; a Traditional page has hundreds).
_MIN_TRADITIONAL = 3


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc  # imported on first use: most pages never need it

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _traditional() -> re.Pattern:
    """Characters of the CJK block that OpenCC changes on their own (億, 萬, 進, 長 ...)."""
    block = "".join(map(chr, range(0x4E00, 0xA000)))
    out = _converter().convert(block)
    chars = [a for a, b in zip(block, out, strict=True) if a != b]
    return re.compile("[" + "".join(chars) + "]")


def is_traditional(text: str) -> bool:
    """Whether the page is (at least partly) in Traditional script."""
    pattern = _traditional()
    m = pattern.search(text)
    if m is None:
        return False
    n = 0
    for _ in pattern.finditer(text, m.start()):
        n += 1
        if n >= _MIN_TRADITIONAL:
            return True
    return False


def simplify(text: str) -> str:
    """Simplified script of `text`, of exactly the same length (character i for character i)."""
    cc = _converter()
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    lines = []
    for line in text.splitlines(keepends=True):
        conv = cc.convert(line)
        if len(conv) != len(line):  # a phrase mapped to another length: fall back to characters
            conv = "".join(c if len(c := cc.convert(ch)) == 1 else ch for ch in line)
        lines.append(conv)
    return "".join(lines)


_TONE_MARK = re.compile(f"[{_TONED}]")


def hide_glosses(text: str) -> str:
    """`text` with pinyin glosses (據(jù)悉) replaced by carriage returns of the same length."""
    if ("(" not in text and "（" not in text) or not _TONE_MARK.search(text):
        return text  # no bracket, or no toned vowel (every gloss of a reprint has some): most pages
    glosses = _GLOSS.findall(text, 0)
    if len(glosses) < _MIN_GLOSSES:
        return text
    return _GLOSS.sub(lambda m: "\r" * len(m.group()), text)


def for_analysis(text: str) -> str:
    """The analysis text of a page (the page itself when it needs nothing: most pages)."""
    out = simplify(text) if is_traditional(text) else text
    return hide_glosses(out)
