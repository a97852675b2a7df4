"""Paragraph -> sentences, with the exact document offsets of every character."""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import chain

from etl.extract.layout import Paragraph

_ENDS = "。！？!?；;"
_TRAIL = "”’」』）)】\"'…"
# A sentence end and the closing quotes / brackets kept with it.
_CUT = re.compile(f"[{_ENDS}][{_TRAIL}]*")
# A sentence of body text without its surrounding whitespace: text up to the next end and the
# closing quotes after it, or the unterminated rest of the paragraph. The leading \s* skips the
# whitespace between sentences; the rest's trailing whitespace is left unmatched. (`\s` is
# str.isspace(), like str.strip().)
_SENTENCE = re.compile(f"\\s*([^{_ENDS}]*[{_ENDS}][{_TRAIL}]*|[^{_ENDS}]*[^{_ENDS}\\s])")
_BREAK = re.compile("[\r\n]+")

# A sentence longer than this is not prose (a table flattened into one line, a bad PDF
# conversion, a corrupt file): it is cut into pieces of at most MAX_SENTENCE characters, so the
# work per figure, which looks back through its sentence, stays bounded and a load grows
# linearly with its input. The longest sentence of the seeds and held-out pages has 186.
MAX_SENTENCE = 400
# Cut after the last clause break or space of the window's second half; failing that, at a
# place with no numeral near it (a figure and its unit stay in one piece).
_CUT_AFTER = re.compile(r"[，,、：:]\s*|\s+")
_NUMERAL_NEAR = 4  # characters either side of a cut without a digit or a Chinese numeral
_NUMERAL = re.compile("[0-9０-９.．%％〇零一二两三四五六七八九十百千万亿]")


class _Runs:
    """The document offsets of the characters of text[start:end] that are not line breaks,
    kept as runs between breaks (a list per character would cost as much as the paragraph)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.clean: list[int] = []  # where each run starts in the text without breaks
        self.doc: list[int] = []  # and in the document
        pos = n = start
        for m in _BREAK.finditer(text, start, end):
            self.clean.append(n - start)
            self.doc.append(pos)
            n += m.start() - pos
            pos = m.end()
        self.clean.append(n - start)
        self.doc.append(pos)

    def at(self, i: int) -> int:
        """Document offset of character i of the text without breaks."""
        k = bisect_right(self.clean, i) - 1
        return self.doc[k] + i - self.clean[k]

    def between(self, a: int, b: int) -> tuple[int, ...]:
        """Document offsets of characters a to b - 1 of the text without breaks."""
        k = bisect_right(self.clean, a) - 1
        parts = []
        while k < len(self.clean) and self.clean[k] < b:
            lo, hi = max(a, self.clean[k]), min(b, self.clean[k + 1] if k + 1 < len(self.clean) else b)
            parts.append(range(self.doc[k] + lo - self.clean[k], self.doc[k] + hi - self.clean[k]))
            k += 1
        return tuple(chain.from_iterable(parts))


def _cut(sentence: str, a: int) -> int:
    """Where the piece of `sentence` starting at `a` ends (len(sentence) - a > MAX_SENTENCE)."""
    lo, hi = a + MAX_SENTENCE // 2, a + MAX_SENTENCE
    last = None
    for m in _CUT_AFTER.finditer(sentence, lo, hi):
        last = m
    if last is not None:
        return last.end()
    for c in range(hi, lo, -1):
        if not _NUMERAL.search(sentence, c - _NUMERAL_NEAR, c + _NUMERAL_NEAR):
            return c
    return hi


def bounded(pieces: list[tuple[int, int, str, tuple[int, ...]]]) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """`pieces` (as split_paragraph returns them) with every sentence longer than MAX_SENTENCE
    cut into pieces no longer than that, with their exact document offsets."""
    if all(len(sentence) <= MAX_SENTENCE for _, _, sentence, _ in pieces):
        return pieces  # every page of prose
    out = []
    for start, end, sentence, offs in pieces:
        if len(sentence) <= MAX_SENTENCE:
            out.append((start, end, sentence, offs))
            continue
        a = 0
        while a < len(sentence):
            b = len(sentence) if len(sentence) - a <= MAX_SENTENCE else _cut(sentence, a)
            piece = sentence[a:b]
            body = piece.strip()
            if body:
                i = a + len(piece) - len(piece.lstrip())
                j = i + len(body)
                if not offs:
                    out.append((start + i, start + j, body, ()))
                else:
                    o = offs[i:j]
                    # Offsets are spelled out only when a line break falls inside the piece.
                    out.append((o[0], o[-1] + 1, body, () if o[-1] - o[0] + 1 == len(o) else o))
            a = b
    return out


def split_paragraph(text: str, para: Paragraph) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """Sentences of a paragraph as (start, end, clean_text, offsets).

    A headline is one sentence; body text ends a sentence at 。！？；(and ASCII !?;), keeping
    closing quotes with it. `clean_text` is the original span with line breaks removed.
    `offsets` gives the document offset of every character of `clean_text` when the sentence
    has a line break inside, else it is () (`clean_text` is then `text[start:end]`): most
    sentences, which spares building a tuple per character (see `Sentence.offsets`).
    No sentence is longer than MAX_SENTENCE characters (see `bounded`).
    """
    return bounded(_split_paragraph(text, para))


def _split_paragraph(text: str, para: Paragraph) -> list[tuple[int, int, str, tuple[int, ...]]]:
    base, end = para.start, para.end
    if para.role != "headline" and text.find("\n", base, end) < 0 and text.find("\r", base, end) < 0:
        # One source line (most paragraphs): the sentences are read off the page text itself.
        return [(*m.span(1), m.group(1), ()) for m in _SENTENCE.finditer(text, base, end)]
    span = text[base:end]
    runs: _Runs | None = None
    if "\n" in span or "\r" in span:
        runs = _Runs(text, base, end)
        clean = _BREAK.sub("", span)
    else:
        clean = span
    if para.role == "headline":  # one sentence
        body = clean.strip()
        a = len(clean) - len(clean.lstrip())
        pieces = [(a, a + len(body), body)] if body else []
    else:
        pieces = [(m.start(1), m.end(1), m.group(1)) for m in _SENTENCE.finditer(clean)]
    if runs is None:
        return [(base + a, base + b, sentence, ()) for a, b, sentence in pieces]
    out = []
    for a, b, sentence in pieces:
        s, e = runs.at(a), runs.at(b - 1) + 1
        # Only a sentence that spans a removed line break needs its offsets spelled out.
        out.append((s, e, sentence, () if e - s == b - a else runs.between(a, b)))
    return out
