"""Paragraph -> sentences, with the exact document offsets of every character."""
from __future__ import annotations

from .layout import Paragraph

_ENDS = set("。！？!?；;")
_TRAIL = set("”’」』）)】\"'…")


def split_paragraph(text: str, para: Paragraph) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """Sentences of a paragraph as (start, end, clean_text, offsets).

    A headline is one sentence; body text ends a sentence at 。！？；(and ASCII !?;), keeping
    closing quotes with it. `clean_text` is the original span with line breaks removed.
    """
    offsets: list[int] = []
    pos = para.start
    for piece in text[para.start:para.end].split("\n"):
        keep = piece.replace("\r", "")
        if len(keep) == len(piece):
            offsets.extend(range(pos, pos + len(piece)))
        else:
            offsets.extend(pos + k for k, ch in enumerate(piece) if ch != "\r")
        pos += len(piece) + 1
    clean = para.clean(text)  # the same characters as `offsets`, in order
    cuts: list[tuple[int, int]] = []
    if para.role == "headline":
        cuts.append((0, len(clean)))
    else:
        i, n = 0, len(clean)
        begin = 0
        while i < n:
            if clean[i] in _ENDS:
                j = i + 1
                while j < n and clean[j] in _TRAIL:
                    j += 1
                cuts.append((begin, j))
                begin = i = j
            else:
                i += 1
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
