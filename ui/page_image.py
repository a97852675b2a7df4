"""The original page beside the text: for a claim read from a PDF or a page image, the rendered
page with the claim's box drawn over it, and the region around the figure enlarged."""
from __future__ import annotations

import base64
import html
import io
import math
from typing import Any

import pandas as pd
import streamlit as st

from etl.ingest.readers.ocr import LOW_CONFIDENCE
from etl.store.queries import page_image
from ui import i18n
from ui.db import run

CSS = """
<style>
.rs-page { position: relative; display: inline-block; width: 100%; line-height: 0; border: 1px solid #ccc; }
.rs-page img { width: 100%; height: auto; display: block; }
.rs-box { position: absolute; border: 2px solid #e4002b; background: rgba(255, 207, 92, 0.25);
          box-sizing: border-box; }
</style>
"""


def has_box(bbox: Any) -> bool:
    """True for a 4-number box (a list or array read from DuckDB)."""
    try:
        return bbox is not None and len(bbox) == 4 and not any(math.isnan(float(v)) for v in bbox)
    except TypeError:
        return False


def page_html(image: bytes, bbox: Any, mention: str, page: int) -> str:
    """The page image with the box (page fractions x0, y0, x1, y1) as an overlay, in percent, so
    it stays on the figure at any displayed width."""
    x0, y0, x1, y1 = (float(v) * 100 for v in bbox)
    src = "data:image/jpeg;base64," + base64.b64encode(image).decode("ascii")
    return (f'{CSS}<div class="rs-page" data-page="{int(page)}">'
            f'<img class="rs-page-img" src="{src}" alt="page {int(page)}">'
            f'<div class="rs-box" data-mention="{html.escape(mention, quote=True)}" '
            f'style="left:{x0:.3f}%;top:{y0:.3f}%;width:{x1 - x0:.3f}%;height:{y1 - y0:.3f}%"></div></div>')


def region_png(image: bytes, bbox: Any, margin: float = 0.12) -> bytes:
    """The region around the figure (its box widened by `margin` of the page width), the box
    drawn in red, as PNG."""
    from PIL import Image, ImageDraw

    img = Image.open(io.BytesIO(image)).convert("RGB")
    w, h = img.size
    x0, y0, x1, y1 = (float(bbox[0]) * w, float(bbox[1]) * h, float(bbox[2]) * w, float(bbox[3]) * h)
    pad = margin * w
    left, top = max(0, int(x0 - 2 * pad)), max(0, int(y0 - pad))
    right, bottom = min(w, int(x1 + 2 * pad)), min(h, int(y1 + pad))
    crop = img.crop((left, top, right, bottom))
    ImageDraw.Draw(crop).rectangle((x0 - left - 2, y0 - top - 2, x1 - left + 2, y1 - top + 2), outline=(228, 0, 43),
                                   width=3)
    buf = io.BytesIO()
    crop.save(buf, format="PNG")
    return buf.getvalue()


def show(c: Any, lang: str) -> None:
    """The original page section of the source page (nothing for text inputs)."""
    t = i18n.t
    page = c.get("page")
    if page is None or pd.isna(page) or not has_box(c.get("bbox")):
        return
    image = run(page_image, c["doc_id"], int(page))
    if not image:
        return
    conf = c.get("confidence")
    st.markdown(f"#### {t('original_page', page=int(page))}")
    if conf is not None and not pd.isna(conf) and conf < 1.0:  # 1.0: not OCR'd
        msg = t("ocr_confidence", conf=f"{float(conf):.2f}")
        (st.warning if conf < LOW_CONFIDENCE else st.caption)(msg)
    left, right = st.columns(2)
    with left:
        st.image(region_png(image, c["bbox"]), caption=t("figure_region"))
        st.caption(t("original_file", source=c.get("source") or ""))
    with right:
        st.html(page_html(image, c["bbox"], str(c["mention"]), int(page)))
