"""Paragraph -> sentences, with the exact document offsets of every character."""
from __future__ import annotations

import re
from itertools import chain

from .layout import Paragraph

_ENDS = set("。！？!?；;")
_TRAIL = set("”’」』）)】\"'…")
# A sentence end and the closing quotes / brackets kept with it.
_CUT = re.compile("[。！？!?；;][”’」』）)】\"'…]*")
_BREAK = re.compile("[\r\n]+")


def _offsets(text: str, start: int, end: int) -> list[int] | range:
    """Document offsets of the characters of text[start:end] that are not line breaks."""
    span = text[start:end]
    if "\n" not in span and "\r" not in span:
        return range(start, end)
    parts = []
    pos = start
    for m in _BREAK.finditer(span):
        parts.append(range(pos, start + m.start()))
        pos = start + m.end()
    parts.append(range(pos, end))
    return list(chain.from_iterable(parts))


def split_paragraph(text: str, para: Paragraph) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """Sentences of a paragraph as (start, end, clean_text, offsets).

    A headline is one sentence; body text ends a sentence at 。！？；(and ASCII !?;), keeping
    closing quotes with it. `clean_text` is the original span with line breaks removed.
    """
    span = text[para.start:para.end]
    if "\n" in span or "\r" in span:
        offsets = _offsets(text, para.start, para.end)
        clean = _BREAK.sub("", span)
    else:  # one source line (most paragraphs): nothing to remove
        offsets, clean = range(para.start, para.end), span
    n = len(clean)
    cuts: list[tuple[int, int]] = []
    if para.role == "headline":
        cuts.append((0, n))
    else:
        begin = 0
        for m in _CUT.finditer(clean):
            cuts.append((begin, m.end()))
            begin = m.end()
        if begin < n:
            cuts.append((begin, n))
    out = []
    for a, b in cuts:
        while a < b and clean[a].isspace():
            a += 1
        while b > a and clean[b - 1].isspace():
            b -= 1
        if a < b:
            offs = tuple(offsets[a:b])
            out.append((offs[0], offs[-1] + 1, clean[a:b], offs))
    return out
