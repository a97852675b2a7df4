"""Seed pages as print: two-column HTML -> PDF (headless Chromium) -> PNG page images.

Test inputs and benchmark inputs for the PDF and OCR readers are made from the seeds with
these functions, so no third-party file is needed. Each line of a seed becomes a paragraph of
a two-column newspaper-like page (the headline spans both columns); Chromium prints it with a
text layer; pypdfium2 rasterises the PDF like a scanner would.
"""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("RONGSHU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

_CSS = """
@page { size: A3; margin: 16mm 14mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 11pt; margin: 0; }
h1 { column-span: all; font-size: 20pt; text-align: center; margin: 0 0 6mm 0;
     border-bottom: 1.5pt solid #000; padding-bottom: 3mm; }
.cols { column-count: %(columns)d; column-gap: 9mm; column-rule: 0.5pt solid #888; }
p { margin: 0 0 2.2mm 0; line-height: 1.45; white-space: pre-wrap; text-align: justify; }
"""


def seed_html(text: str, title: str | None = None, columns: int = 2) -> str:
    """A seed page as a newspaper-like HTML page: every non-empty line is a paragraph."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    head = f"<h1>{html.escape(title)}</h1>" if title else ""
    body = "\n".join(f"<p>{html.escape(ln)}</p>" for ln in lines)
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>{_CSS % {"columns": columns}}'
            f'</style></head><body>{head}<div class="cols">{body}</div></body></html>')


def html_to_pdf(page: str, out: Path, timeout: float = 120.0) -> Path:
    """Print an HTML string to `out` with headless Chromium (a PDF with a text layer)."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="rongshu-print-") as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(page, encoding="utf-8")
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out.resolve()}", src.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"chromium did not print {out.name}: {proc.stderr.decode(errors='replace')[-400:]}")
    return out


def seed_pdf(seed: Path, out: Path, columns: int = 2) -> Path:
    """Print a seed text file as a two-column PDF named `out`."""
    return html_to_pdf(seed_html(Path(seed).read_text(encoding="utf-8"), columns=columns), out)


def pdf_to_pngs(pdf: Path, out_dir: Path, dpi: int = 150, stem: str | None = None) -> list[Path]:
    """Rasterise every page of `pdf` to `<stem>_p<N>.png` at `dpi` (greyscale, like a scan)."""
    import pypdfium2 as pdfium

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or Path(pdf).stem
    doc = pdfium.PdfDocument(str(pdf))
    paths = []
    try:
        for i in range(len(doc)):
            img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil()
            p = out_dir / f"{stem}_p{i + 1}.png"
            img.save(p, dpi=(dpi, dpi))
            paths.append(p)
    finally:
        doc.close()
    return paths
