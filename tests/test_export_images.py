"""PNG (2x), SVG and PDF really rendered by kaleido + Chromium, with Chinese glyphs (no tofu).

The tofu check renders a title in Chinese, a different Chinese title of the same length and
private-use characters (which no font has): with a CJK font the three images differ and the
Chinese ones have ink; without one, every character is the same missing-glyph box and the
images are identical. A negative control runs Chromium with a fontconfig that only knows
DejaVu (no CJK) and asserts the check then sees tofu.
"""
from __future__ import annotations

import io
import shutil
import struct
import subprocess
import time
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageChops
from test_export_data import make_db

from etl.store.queries import Filters, filtered_claims
from report import figures, images

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not images.available(), reason="needs chromium and fonts-noto-cjk"),
]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.fixture(scope="module")
def chart(tmp_path_factory) -> figures.Chart:
    db = make_db(tmp_path_factory.mktemp("img") / "small.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    try:
        df = filtered_claims(con, Filters(topic=("trade",)))
    finally:
        con.close()
    return figures.trend_chart(df, "外贸进出口总额", "元", subtitle="主题：外贸")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    # Chromium maps some CJK glyphs to their Kangxi-radical code points (口 -> U+2F1D): normalise.
    return unicodedata.normalize("NFKC", out)


def test_png_svg_pdf(chart, tmp_path):
    t0 = time.perf_counter()
    out = images.render_all(chart.figure)
    elapsed = time.perf_counter() - t0
    assert set(out) == {"png", "svg", "pdf"}
    # PNG at 2x the layout size
    assert png_size(out["png"]) == (2 * figures.WIDTH, 2 * figures.HEIGHT)
    assert len(out["png"]) > 20_000
    Image.open(io.BytesIO(out["png"])).verify()
    # SVG keeps text: the title, the sources caption, and the CJK font family
    root = ET.fromstring(out["svg"])
    texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith("text") or t.tag.endswith("tspan"))
    assert "外贸进出口总额" in texts and "成都日报" in texts and "2023-12-14" in texts
    assert b"Noto Sans CJK SC" in out["svg"]
    # PDF: text extractable, in Chinese
    assert out["pdf"][:5] == b"%PDF-"
    text = pdf_text(out["pdf"], tmp_path)
    assert "外贸进出口总额" in text and "来源" in text and "成都日报" in text
    print(f"\nPNG+SVG+PDF in {elapsed:.2f} s")


def test_browser_is_started_once_and_reused(chart):
    images.render(chart.figure, "svg")
    first = images._browser
    t0 = time.perf_counter()
    images.render_many([(chart.figure, "png"), (chart.figure, "pdf")])
    warm = time.perf_counter() - t0
    assert images._browser is first, "one browser per process"
    print(f"\nwarm PNG+PDF in {warm:.2f} s")


def title_image(text: str, fmt: str = "png", tmp_path: Path | None = None) -> Image.Image:
    """The title band of a figure whose only content is `text` as its title, in greyscale."""
    fig = go.Figure(layout={"template": figures.TEMPLATE, "font_family": figures.FONT_STACK, "width": 600,
                            "height": 200, "title": {"text": text, "font": {"size": 40}},
                            "margin": {"t": 100, "b": 20, "l": 20, "r": 20},
                            "xaxis": {"visible": False}, "yaxis": {"visible": False}})
    data = images.render(fig, fmt, scale=1)
    if fmt == "pdf":
        assert tmp_path is not None
        pdf = tmp_path / "title.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(pdf), str(tmp_path / "title")], check=True)
        im = Image.open(tmp_path / "title.png")
    else:
        im = Image.open(io.BytesIO(data))
    im = im.convert("L")
    w, h = im.size
    return im.crop((0, 0, w, int(h * 0.45)))


def ink(im: Image.Image) -> int:
    return sum(im.histogram()[:128])


def tofu_check(fmt: str = "png", tmp_path: Path | None = None) -> tuple[bool, int]:
    """(glyphs differ, ink of the Chinese title): False when Chinese renders as missing-glyph boxes."""
    a = title_image("成都外贸进出口", fmt, tmp_path)
    b = title_image("高新技术企业数", fmt, tmp_path)
    pua = title_image("\ue000" * 7, fmt, tmp_path)
    differ = ImageChops.difference(a, b).getbbox() is not None and ImageChops.difference(a, pua).getbbox() is not None
    return differ, ink(a)


def test_chinese_glyphs_render_png():
    differ, amount = tofu_check("png")
    assert amount > 500, "the Chinese title has ink"
    assert differ, "Chinese rendered as missing-glyph boxes (tofu): is fonts-noto-cjk installed?"


def test_chinese_glyphs_render_pdf(tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("needs poppler-utils")
    differ, amount = tofu_check("pdf", tmp_path)
    assert amount > 200 and differ


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="needs fonts-dejavu for the no-CJK fontconfig")
def test_tofu_check_detects_missing_cjk_font(tmp_path, monkeypatch):
    """Negative control: Chromium with a fontconfig without CJK fonts draws tofu, and the check says so."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{DEJAVU}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>
""", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    images.shutdown()  # the next render starts a browser with this environment
    try:
        differ, _ = tofu_check("png")
    finally:
        monkeypatch.delenv("FONTCONFIG_FILE")
        images.shutdown()
    assert not differ, "without a CJK font the check must report tofu"
