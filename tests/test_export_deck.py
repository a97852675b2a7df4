"""The PPTX deck: structure re-read with python-pptx (fast, stand-in images) and the real thing
rendered with Chromium, converted to PDF by LibreOffice headless and read back (slow)."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata

import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from test_export_data import SENTENCE_2022, SENTENCE_2023, SENTENCE_HT, small_claims

from etl.store.queries import Filters
from report import deck, figures, images
from report.build import export_bytes


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> pd.DataFrame:
    return small_claims(tmp_path_factory.mktemp("deck") / "small.duckdb")


def stand_in_png(w: int = 2400, h: int = 1350) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "#1f6fb2").save(buf, "PNG")
    return buf.getvalue()


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_deck_structure(claims, monkeypatch):
    monkeypatch.delenv("RONGSHU_BASE_URL", raising=False)
    charts = figures.default_charts(claims, subtitle="全部数字")
    assert len(charts) == 2
    data = deck.build_deck(charts, [stand_in_png() for _ in charts], title="蓉数 · 测试", subtitle="全部数字",
                           notes=["5 条数字"])
    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width, prs.slide_height) == (deck.SLIDE_W, deck.SLIDE_H)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    slides = list(prs.slides)
    assert len(slides) == 1 + len(charts)
    assert "蓉数 · 测试" in slide_text(slides[0]) and "5 条数字" in slide_text(slides[0])
    for slide, chart in zip(slides[1:], charts, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        pic = pictures[0]
        assert pic.left + pic.width <= prs.slide_width and pic.top + pic.height <= prs.slide_height
        text = slide_text(slide)
        assert chart.title in text and chart.takeaway in text and "资料来源" in text
    trend = slide_text(slides[1])
    assert SENTENCE_2023 in trend and SENTENCE_2022 in trend
    assert "成都日报 2023-12-14" in trend and "成都日报 2022-12-15" in trend
    assert "比2022年1-11月的7,000亿元下降2.4%" in trend
    assert SENTENCE_HT in slide_text(slides[2]) and "四川科技报 2024-01-25" in slide_text(slides[2])
    links = [r.hyperlink.address for s in slides[1].shapes if s.has_text_frame
             for p in s.text_frame.paragraphs for r in p.runs if r.hyperlink.address]
    assert "http://localhost:8501/source?claim=d2023c0" in links


def test_every_run_has_east_asian_typeface(claims):
    charts = figures.default_charts(claims)
    prs = Presentation(io.BytesIO(deck.build_deck(charts, [stand_in_png() for _ in charts], title="蓉数")))
    runs = [r for sl in prs.slides for s in sl.shapes if s.has_text_frame
            for p in s.text_frame.paragraphs for r in p.runs]
    assert runs
    for r in runs:
        ea = r._r.find(qn("a:rPr")).find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == figures.FONT_FAMILY, r.text
        assert r.font.name == figures.FONT_FAMILY


@pytest.mark.slow
@pytest.mark.skipif(not images.available(), reason="needs chromium and fonts-noto-cjk")
@pytest.mark.skipif(not shutil.which("libreoffice") or not shutil.which("pdftotext"),
                    reason="needs libreoffice-impress-nogui and poppler-utils")
def test_deck_converts_to_pdf_with_chinese(claims, tmp_path):
    data = export_bytes("pptx", claims, Filters())
    pptx = tmp_path / "deck.pptx"
    pptx.write_bytes(data)
    prs = Presentation(io.BytesIO(data))
    n_slides = len(prs.slides)
    assert n_slides == 3
    for slide in list(prs.slides)[1:]:
        pic = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
        assert pic.image.content_type == "image/png"
        assert Image.open(io.BytesIO(pic.image.blob)).size == (1760, 990), "slide chart rendered at 2x"
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(pptx)],
                   check=True, capture_output=True, env=env, timeout=180)
    pdf = tmp_path / "deck.pdf"
    assert pdf.exists()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:          {n_slides}" in info.replace("Pages:           ", "Pages:          ")
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                                        text=True, check=True).stdout)
    squashed = "".join(text.split())  # LibreOffice spaces CJK from Latin and wraps lines
    for expected in ("蓉数", "外贸进出口总额", "资料来源", "成都日报2023-12-14", "四川科技报2024-01-25",
                     "同比下降2.4%", "国家高新技术企业"):
        assert expected in squashed, expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts.replace(" ", ""), f"Chinese set in Noto Sans CJK, not a fallback:\n{fonts}"
    # Rasterise the chart slide: the picture area has ink (the chart, not a blank box)
    subprocess.run(["pdftoppm", "-r", "40", "-f", "2", "-l", "2", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "p2")], check=True)
    page = Image.open(tmp_path / "p2.png").convert("L")
    w, h = page.size
    chart_area = page.crop((int(w * 0.05), int(h * 0.3), int(w * 0.6), int(h * 0.8)))
    assert sum(chart_area.histogram()[:200]) > 200
