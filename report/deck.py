"""A 16:9 PPTX deck: a title slide, then one slide per chart with its image, a takeaway line
computed from the data and footnotes listing the source sentences with outlet and date.

Built with python-pptx on the blank layout (the default placeholders keep 4:3 positions); every
run gets the east-Asian typeface (`<a:ea>`) as well as the Latin one, or PowerPoint/LibreOffice
pick a fallback font for the Chinese text.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from . import source_url
from .figures import FONT_FAMILY, Chart, fmt_date, for_slide, period_label, truncate

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
ACCENT = RGBColor(0x1F, 0x6F, 0xB2)
GREY = RGBColor(0x55, 0x55, 0x55)
DARK = RGBColor(0x22, 0x22, 0x22)
MAX_FOOTNOTES = 5


def set_font(run, size: float, *, bold: bool = False, color: RGBColor = DARK, typeface: str = FONT_FAMILY) -> None:
    """Size, weight, colour and both the Latin and the east-Asian typeface of a text run."""
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color
    font.name = typeface  # <a:latin>
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = OxmlElement("a:ea")
        rpr.find(qn("a:latin")).addnext(ea)
    ea.set("typeface", typeface)


def _textbox(slide, left, top, width, height, *, wrap: bool = True):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = wrap
    tf.margin_left = tf.margin_right = Inches(0.05)
    return tf


def _add_paragraph(tf, text: str, size: float, *, first: bool = False, bold: bool = False,
                   color: RGBColor = DARK, link: str | None = None, space_after: float = 4):
    p = tf.paragraphs[0] if first else tf.add_paragraph()
    run = p.add_run()
    run.text = text
    set_font(run, size, bold=bold, color=color)
    if link:
        run.hyperlink.address = link
    p.space_after = Pt(space_after)
    return p


def footnote_rows(claims: pd.DataFrame, n: int = MAX_FOOTNOTES) -> pd.DataFrame:
    """The claims to cite on a slide: one per sentence, newest publication first."""
    if claims.empty:
        return claims
    rows = claims.sort_values("published", ascending=False, na_position="last")
    key = "sentence_id" if "sentence_id" in rows else "sentence"
    return rows.drop_duplicates(subset=[key]).head(n)


def _title_slide(prs, title: str, subtitle: str, lines: Sequence[str]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    band = slide.shapes.add_shape(1, 0, Inches(2.3), SLIDE_W, Inches(0.12))  # 1 = rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = ACCENT
    band.line.fill.background()
    band.shadow.inherit = False
    tf = _textbox(slide, Inches(0.8), Inches(2.6), Inches(11.7), Inches(1.2))
    _add_paragraph(tf, title, 40, first=True, bold=True)
    tf = _textbox(slide, Inches(0.8), Inches(3.8), Inches(11.7), Inches(0.8))
    _add_paragraph(tf, subtitle, 20, first=True, color=ACCENT)
    tf = _textbox(slide, Inches(0.8), Inches(4.8), Inches(11.7), Inches(1.8))
    for i, line in enumerate(lines):
        _add_paragraph(tf, line, 14, first=i == 0, color=GREY)


def _chart_slide(prs, chart: Chart, image: bytes, base_url: str | None) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    tf = _textbox(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.7))
    _add_paragraph(tf, chart.title, 28, first=True, bold=True)
    tf = _textbox(slide, Inches(0.5), Inches(1.0), Inches(12.3), Inches(0.6))
    _add_paragraph(tf, chart.takeaway, 16, first=True, color=ACCENT, bold=True)
    # Chart: 16:9 image on the left; footnotes in a column on the right.
    img_w = Inches(8.0)
    img_h = Emu(int(img_w * 9 / 16))
    slide.shapes.add_picture(io.BytesIO(image), Inches(0.4), Inches(1.75), width=img_w, height=img_h)
    tf = _textbox(slide, Inches(8.6), Inches(1.75), Inches(4.35), Inches(5.4))
    _add_paragraph(tf, "资料来源", 12, first=True, bold=True, color=GREY)
    for i, row in enumerate(footnote_rows(chart.claims).itertuples(index=False), start=1):
        when = period_label(row.period_start, row.period_end)
        cite = f"{row.outlet or '来源不详'} {fmt_date(row.published) or '日期不详'}"
        page = getattr(row, "page", None)
        if page is not None and not pd.isna(page):  # PDF and image inputs cite their page
            cite += f" 第{int(page)}页"
        p = _add_paragraph(tf, f"[{i}] {truncate(str(row.sentence), 150)}", 10.5, space_after=1)
        run = p.add_run()
        run.text = f"（{cite}{'，' + when if when else ''}）"
        set_font(run, 10.5, color=ACCENT)
        run.hyperlink.address = source_url(str(row.claim_id), base_url)
    n = len(chart.claims)
    shown = min(n, MAX_FOOTNOTES)
    note = f"共 {n} 条数字，列出 {shown} 条原句；全部见 XLSX 导出。" if n > shown else f"共 {n} 条数字。"
    tf = _textbox(slide, Inches(0.5), Inches(6.45), Inches(8.0), Inches(0.5))
    _add_paragraph(tf, note, 10, first=True, color=GREY)


def build_deck(charts: Sequence[Chart], images: Sequence[bytes], *, title: str, subtitle: str = "",
               notes: Sequence[str] = (), base_url: str | None = None) -> bytes:
    """PPTX bytes: a title slide, then one slide per chart (its PNG in `images`, same order)."""
    if len(charts) != len(images):
        raise ValueError("one image per chart")
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    lines = list(notes) + [f"生成于 {dt.datetime.now():%Y-%m-%d %H:%M} · 蓉数 Rongshu"]
    _title_slide(prs, title, subtitle, lines)
    for chart, image in zip(charts, images, strict=True):
        _chart_slide(prs, chart, image, base_url)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def render_deck(charts: Sequence[Chart], *, title: str, subtitle: str = "", notes: Sequence[str] = (),
                base_url: str | None = None) -> bytes:
    """Render the charts to PNG (one batch on the shared browser) and build the deck."""
    from .images import render_many

    images = render_many([(for_slide(c.figure), "png") for c in charts])
    return build_deck(charts, images, title=title, subtitle=subtitle, notes=notes, base_url=base_url)
