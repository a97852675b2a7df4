"""Inputs for the reader tests, made from the seeds (no third-party files): two-column PDFs
printed by Chromium, scans of them, a Word file with a table, and broken files."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.jsonl"


def chromium_or_skip() -> None:
    import pytest

    from bench.printed import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")


def seed_pdfs(folder: Path, stems: list[str] | None = None) -> Path:
    """The seeds (or those named) printed as two-column PDFs named by the seed stem, with the
    seeds' manifest (publication dates) rewritten for them."""
    from bench.printed import seed_pdf

    folder.mkdir(parents=True, exist_ok=True)
    for s in sorted(SEEDS.glob("*.txt")):
        if stems is None or s.stem in stems:
            seed_pdf(s, folder / f"{s.stem}.pdf")
    manifest = (SEEDS / "manifest.csv").read_text(encoding="utf-8").replace(".txt,", ".pdf,")
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    return folder


def scans(pdf_folder: Path, folder: Path, stems: list[str], dpi: int = 150) -> Path:
    """Image-only PDFs (scans at `dpi`) of the printed seeds named."""
    from bench.printed import pdf_to_pngs, scanned_pdf

    folder.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        pngs = pdf_to_pngs(pdf_folder / f"{stem}.pdf", folder / "png", dpi=dpi)
        scanned_pdf(pngs, folder / f"{stem}.pdf", dpi=dpi)
    shutil.copy(pdf_folder / "manifest.csv", folder / "manifest.csv")
    return folder


def table_docx() -> bytes:
    """A Word report with a heading, a paragraph naming the unit and a table (rows = metrics,
    columns = years)."""
    import docx

    d = docx.Document()
    d.add_heading("2023年成都市经济运行情况", 1)
    d.add_paragraph("2023年，成都市经济运行稳中向好，主要指标如下表（单位：亿元）。")
    rows = [["指标", "2022年", "2023年"], ["地区生产总值", "20817.5", "22074.7"],
            ["社会消费品零售总额", "9096.5", "10001.6"], ["规模以上工业增加值增速（%）", "5.6", "5.1"]]
    t = d.add_table(rows=len(rows), cols=3)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    """A one-page PDF whose standard security handler needs a user password (RC4, R2): the
    /U entry does not match the empty password, as in a PDF locked by its publisher."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objs) + 1) + b"ab" * 16
              + b"> <" + b"ab" * 16 + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def zero_page_pdf() -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()


def huge_png(width: int = 10000, height: int = 5000) -> bytes:
    """A 50-megapixel white image (small on disk: PNG compresses it)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (width, height), 255).save(buf, format="PNG")
    return buf.getvalue()


NO_ARTICLE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>成都日报 数字报 首页</title></head>
<body><nav><a href="/a">首页</a> <a href="/b">要闻</a> <a href="/c">区县</a></nav>
<ul><li><a href="/1">成都发布重点项目清单</a></li><li><a href="/2">天府新区再添平台</a></li></ul>
<footer>版权所有 成都日报社</footer></body></html>"""


def bad_inputs(folder: Path) -> dict[str, str]:
    """Write the six unreadable inputs of issue 12 into `folder`; {file name: word expected in
    its reason}."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "locked.pdf": (encrypted_pdf(), "encrypted"),
        "corrupt.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage", "not a readable PDF"),
        "empty_doc.pdf": (zero_page_pdf(), "no pages"),
        "index.html": (NO_ARTICLE_HTML.encode(), "without an article"),
        "blank.png": (b"", "empty"),
        "huge.png": (huge_png(), "megapixel"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: why for name, (_, why) in files.items()}
