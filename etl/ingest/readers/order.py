"""Reading order from boxes: glyphs -> lines -> columns -> paragraphs -> text with a box per char.

Pure functions shared by the PDF and OCR readers. A newspaper page is cut recursively
(an XY-cut): a blank strip across the whole region splits it into bands read top to bottom;
where a vertical gutter (an x-gap at least one line height wide) separates groups
of lines that sit side by side, the groups are columns and are read left to right; where lines
that cross a gutter (a headline over two columns) stop the cut, they split the page into bands
read top to bottom, and each band is cut again. Inside a column, lines are read top to bottom
and joined into paragraphs; a paragraph ends at a larger vertical gap, an indented next line or
a change of font size.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# A gutter is at least this many line heights wide (word gaps are ~0.3).
GUTTER = 0.9
# A blank strip across the whole region this many line heights high separates bands read one
# after the other (a headline above its columns, stacked stories); paragraph gaps are ~0.5-1.
BAND_GAP = 1.5
# Lines wider than this share of a region are not used to find its gutters (they may span them).
NARROW = 0.62
# Of the others, at most this share (or one) may cross a gutter (a centred headline over columns).
CROSSING = 0.05
# A vertical gap between lines larger than this many line heights starts a paragraph.
PARA_GAP = 0.75
# A first line indented by more than this many line heights starts a paragraph.
INDENT = 1.5


@dataclass(frozen=True)
class Glyph:
    """One character with its box (top-left origin, page units) and recognition confidence."""

    char: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0


@dataclass
class Line:
    """Glyphs on one baseline, left to right."""

    glyphs: list[Glyph] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def y0(self) -> float:
        return min(g.y0 for g in self.glyphs)

    @property
    def y1(self) -> float:
        return max(g.y1 for g in self.glyphs)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def lines_from_glyphs(glyphs: Iterable[Glyph]) -> list[Line]:
    """Group glyphs given in content-stream order into lines: a glyph continues the current line
    when it sits on the same band of y and follows closely to the right; a jump back, down or
    across a gap wider than a gutter starts a new line (so a row of two columns is two lines)."""
    lines: list[Line] = []
    cur: Line | None = None
    for g in glyphs:
        if g.char.isspace():
            if cur is not None and cur.glyphs and not cur.glyphs[-1].char.isspace():
                cur.glyphs.append(g)
            continue
        if cur is not None and cur.glyphs:
            last = next((q for q in reversed(cur.glyphs) if not q.char.isspace()), cur.glyphs[-1])
            h = max(last.y1 - last.y0, g.y1 - g.y0, 1e-6)
            mid = (g.y0 + g.y1) / 2
            same_row = last.y0 - 0.2 * h <= mid <= last.y1 + 0.2 * h
            # g.x0 may equal last.x0: PDFium gives both characters of a 2-em dash one box
            if same_row and last.x0 - 0.1 * h <= g.x0 <= last.x1 + GUTTER * h:
                cur.glyphs.append(g)
                continue
        cur = Line([g])
        lines.append(cur)
    for ln in lines:
        while ln.glyphs and ln.glyphs[-1].char.isspace():
            ln.glyphs.pop()
        _unspace_justified(ln)
    return [ln for ln in lines if ln.glyphs]


def _unspace_justified(ln: Line) -> None:
    """Drop the spaces of a letter-spaced line (justified CJK in a narrow column, where the
    PDF's gaps between most characters read as spaces), except between Latin letters/digits."""
    g = ln.glyphs
    spaces = sum(1 for q in g if q.char == " ")
    if spaces < 4 or spaces < 0.4 * (len(g) - spaces - 1):
        return
    ln.glyphs = [q for k, q in enumerate(g) if q.char != " " or (
        0 < k < len(g) - 1 and _needs_space(g[k - 1].char, g[k + 1].char))]


def _em(lines: Sequence[Line]) -> float:
    return statistics.median(ln.height for ln in lines) or 1.0


def _side_by_side(a: Sequence[Line], b: Sequence[Line], em: float) -> bool:
    """True when two groups of lines overlap vertically by more than a line: columns, not a
    short line and a right-aligned one stacked above each other."""
    if not a or not b:
        return False
    top = max(min(ln.y0 for ln in a), min(ln.y0 for ln in b))
    bottom = min(max(ln.y1 for ln in a), max(ln.y1 for ln in b))
    return bottom - top > 1.5 * em


def gutters(lines: Sequence[Line], em: float) -> list[tuple[float, float]]:
    """Vertical gutters of a region, left to right: x-intervals at least GUTTER line heights
    wide crossed by at most CROSSING of its narrower lines (a headline over columns may cross),
    with lines side by side left and right of them."""
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    # Lines as wide as most of the region span its columns if it has any: they do not count.
    lines = [ln for ln in lines if ln.x1 - ln.x0 < NARROW * (right - left)]
    if len(lines) < 4:
        return []
    step = em / 4
    n = int((right - left) / step) + 2
    delta = [0] * (n + 1)
    for ln in lines:  # lines covering each x cell, by a difference array
        delta[int((ln.x0 - left) / step)] += 1
        delta[int((ln.x1 - left) / step) + 1] -= 1
    allow = max(1, int(CROSSING * len(lines)))
    found: list[tuple[float, float]] = []
    count, run = 0, None
    for i in range(n):
        count += delta[i]
        if count <= allow and 0 < i < n - 2:
            run = i if run is None else run
            continue
        if run is not None and (i - run) * step >= GUTTER * em:
            g0, g1 = left + run * step, left + i * step
            west = [ln for ln in lines if ln.x1 <= g0 + step]
            east = [ln for ln in lines if ln.x0 >= g1 - step]
            if _side_by_side(west, east, em):
                found.append((g0, g1))
        run = None
    return found


def _y_bands(lines: Sequence[Line], em: float) -> list[list[Line]]:
    """Lines split at blank strips across the region at least BAND_GAP line heights high."""
    bands: list[list[Line]] = []
    bottom = float("-inf")
    for ln in sorted(lines, key=lambda q: q.y0):
        if not bands or ln.y0 - bottom >= BAND_GAP * em:
            bands.append([])
        bands[-1].append(ln)
        bottom = max(bottom, ln.y1)
    return bands


def blocks(lines: Sequence[Line], depth: int = 0) -> list[list[Line]]:
    """Lines in reading order as blocks (columns or bands), each read top to bottom."""
    lines = list(lines)
    if len(lines) <= 1 or depth > 40:
        return [_top_down(lines)] if lines else []
    em = _em(lines)
    bands = _y_bands(lines, em)
    if len(bands) > 1:
        return [blk for b in bands for blk in blocks(b, depth + 1)]
    gut = gutters(lines, em)
    if not gut:
        return [_top_down(lines)]
    crossing = {id(ln) for ln in lines if any(ln.x0 < g0 and ln.x1 > g1 for g0, g1 in gut)}
    if not crossing:  # columns, left to right
        cols: list[list[Line]] = [[] for _ in range(len(gut) + 1)]
        for ln in lines:
            mid = (ln.x0 + ln.x1) / 2
            cols[sum(1 for g0, g1 in gut if (g0 + g1) / 2 < mid)].append(ln)
        return [b for c in cols if c for b in blocks(c, depth + 1)]
    bands: list[list[Line]] = [[]]
    for ln in sorted(lines, key=lambda q: (q.y0, q.x0)):
        if id(ln) in crossing:
            bands += [[ln], []]  # a line across a gutter (a headline) is a band of its own
        else:
            bands[-1].append(ln)
    bands = [b for b in bands if b]
    if len(bands) > 1:
        return [blk for b in bands for blk in blocks(b, depth + 1)]
    return [_top_down(lines)]


def _top_down(lines: Sequence[Line]) -> list[Line]:
    """Top to bottom; fragments on the same row (overlapping by half a line) left to right."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda q: (q.y0, q.x0)):
        if rows:
            prev = rows[-1]
            top, bottom = max(ln.y0, min(q.y0 for q in prev)), min(ln.y1, max(q.y1 for q in prev))
            if bottom - top > 0.5 * min(ln.height, min(q.height for q in prev)):
                prev.append(ln)
                continue
        rows.append([ln])
    out: list[Line] = []
    for row in rows:
        row.sort(key=lambda q: q.x0)
        if len(row) == 1:
            out.append(row[0])
            continue
        merged = Line(list(row[0].glyphs))
        for q in row[1:]:
            last = merged.glyphs[-1]
            merged.glyphs.append(Glyph(" ", last.x1, last.y0, q.x0, last.y1, last.conf))
            merged.glyphs.extend(q.glyphs)
        out.append(merged)
    return out


def paragraphs(block: Sequence[Line]) -> list[list[Line]]:
    """Lines of one column grouped into paragraphs."""
    if not block:
        return []
    em = _em(block)
    left = min(ln.x0 for ln in block)
    paras: list[list[Line]] = [[block[0]]]
    for prev, ln in zip(block, block[1:], strict=False):
        gap = ln.y0 - prev.y1
        resized = abs(ln.height - prev.height) > 0.2 * max(ln.height, prev.height)
        indented = ln.x0 - left > INDENT * em and prev.x0 - left <= INDENT * em
        if gap > PARA_GAP * em or resized or indented:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


Box = tuple[int, float, float, float, float]


@dataclass
class Composed:
    """Text of a document in reading order, with a box (page, x0, y0, x1, y1 as page fractions)
    or None for each character, and the confidence of each character."""

    text: str
    boxes: list[Box | None]
    conf: list[float]


def compose(pages: Sequence[tuple[int, float, float, list[Line]]]) -> Composed:
    """Join pages (number, width, height, lines) into one text: paragraphs separated by a blank
    line, lines of a paragraph joined (with a space only between two Latin letters or digits)."""
    chars: list[str] = []
    boxes: list[Box | None] = []
    conf: list[float] = []

    def put(ch: str, box: Box | None, c: float = 1.0) -> None:
        chars.append(ch)
        boxes.append(box)
        conf.append(c)

    for number, width, height, lines in pages:
        for blk in blocks(lines):
            for para in paragraphs(blk):
                if chars:
                    put("\n", None)
                    put("\n", None)
                for k, ln in enumerate(para):
                    if k and _needs_space(chars[-1] if chars else "", ln.glyphs[0].char):
                        put(" ", None)
                    for g in ln.glyphs:
                        put(g.char, (number, g.x0 / width, g.y0 / height, g.x1 / width, g.y1 / height), g.conf)
    return Composed("".join(chars), boxes, conf)


def _needs_space(a: str, b: str) -> bool:
    return a.isascii() and b.isascii() and a.isalnum() and b.isalnum()


def span_box(boxes: Sequence[Box | None], start: int, end: int) -> Box | None:
    """The box around characters [start, end) on the page of their first boxed character."""
    got = [b for b in boxes[start:end] if b is not None]
    if not got:
        return None
    page = got[0][0]
    got = [b for b in got if b[0] == page]
    return (page, min(b[1] for b in got), min(b[2] for b in got), max(b[3] for b in got), max(b[4] for b in got))
