"""OCR of page images: RapidOCR (PP-OCRv4 models shipped inside the rapidocr-onnxruntime wheel,
run by onnxruntime on the CPU; nothing is downloaded). Text lines with a box and a confidence
per character; the reading order across columns is rebuilt from the boxes by `order`, because
the engine returns lines top to bottom with neighbouring columns interleaved."""
from __future__ import annotations

from functools import cache

from etl.ingest.readers.order import Glyph, Line, lines_from_glyphs

# Characters recognised with less confidence than this are "low confidence" (the explorer and
# the source page flag claims containing one).
LOW_CONFIDENCE = 0.9


@cache
def engine():
    """The OCR engine, loaded once per process (about 0.5 s)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def image_lines(img) -> list[Line]:
    """Text lines of a PIL image, boxes in the image's pixels."""
    import numpy as np

    # No angle classifier: pages are upright, and it turned whole lines starting with digits
    # upside down (read as empty) on the seed pages.
    result, _ = engine()(np.asarray(img.convert("RGB")), use_cls=False, return_word_box=True)
    lines: list[Line] = []
    for item in result or ():
        glyphs = _glyphs(item)
        # A detected line may run across a narrow gutter: split it where its characters do.
        lines.extend(lines_from_glyphs(glyphs))
    return lines


def _glyphs(item) -> list[Glyph]:
    """Characters of one recognised line: from the engine's word boxes when they fit the text,
    else the line box divided evenly."""
    box, text, score = item[0], item[1], float(item[2])
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    out: list[Glyph] = []
    if len(item) >= 6 and item[3] and len(item[3]) == len(item[4]) == len(item[5]):
        for wbox, word, conf in zip(item[3], item[4], item[5], strict=True):
            wx = [p[0] for p in wbox]
            a, b = min(wx), max(wx)
            step = (b - a) / max(1, len(word))
            for k, ch in enumerate(word):
                out.append(Glyph(ch, a + k * step, y0, a + (k + 1) * step, y1, float(conf)))
        if "".join(g.char for g in out) == text:
            return out
        out = []
    step = (x1 - x0) / max(1, len(text))
    return [Glyph(ch, x0 + k * step, y0, x0 + (k + 1) * step, y1, score) for k, ch in enumerate(text)]
