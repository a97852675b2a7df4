"""The original-page section of the source page (ui/page_image.py) and the OCR confidence mark."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from ui.components import fmt_confidence
from ui.page_image import has_box, page_html, region_png


def jpeg(w: int = 400, h: int = 600) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(buf, format="JPEG")
    return buf.getvalue()


def test_box_is_placed_in_percent_of_the_page_and_carries_the_mention() -> None:
    out = page_html(jpeg(), np.array([0.25, 0.5, 0.5, 0.55]), '9473亿元"', 2)
    assert 'data-page="2"' in out and "data:image/jpeg;base64," in out
    assert "left:25.000%;top:50.000%;width:25.000%;height:5.000%" in out
    assert 'data-mention="9473亿元&quot;"' in out


def test_region_around_the_figure_is_cropped_with_the_box_drawn() -> None:
    png = region_png(jpeg(), [0.4, 0.4, 0.5, 0.45])
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.width < 400 and img.height < 600
    reds = np.asarray(img)[..., 0].astype(int) - np.asarray(img)[..., 1]
    assert (reds > 150).sum() > 100  # the red frame


def test_has_box_and_confidence_marks() -> None:
    assert has_box([0, 0, 1, 1]) and not has_box(None) and not has_box([float("nan")] * 4) and not has_box(3)
    assert fmt_confidence(None) == "" and fmt_confidence(float("nan")) == ""
    assert fmt_confidence(0.97) == "0.97" and fmt_confidence(1.0) == ""  # 1.0: not OCR'd
    assert fmt_confidence(0.62) == "⚠ 0.62"
