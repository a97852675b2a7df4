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


def scanned_pdf(pngs: list[Path], out: Path, dpi: int = 150) -> Path:
    """An image-only PDF (a scan without text layer) from page images."""
    from PIL import Image

    imgs = [Image.open(p).convert("L") for p in pngs]
    imgs[0].save(out, format="PDF", save_all=True, append_images=imgs[1:], resolution=dpi)
    return Path(out)


def article_page(text: str, title: str, outlet: str = "成都日报", published: str = "2023-12-14",
                 url: str = "https://epaper.example.cn/html/2023-12/14/content_1.htm") -> str:
    """A seed article as a news web page: metadata in the head, the article among navigation,
    an advertisement, related links and a footer (what a reader must leave out)."""
    paras = "\n".join(f"<p>{html.escape(ln.strip())}</p>" for ln in text.splitlines() if ln.strip())
    nav = "".join(f'<li><a href="/c{i}.htm">{name}</a></li>'
                  for i, name in enumerate(["首页", "要闻", "成都", "区县", "财经", "科技", "文旅", "评论", "图片", "视频"]))
    related = "".join(f'<li><a href="/r{i}.htm">{name}</a></li>' for i, name in enumerate(
        ["成都发布2024年重点项目清单", "天府新区再添科创平台", "一图读懂成都经济半年报", "蓉城消费季启动"]))
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}_{html.escape(outlet)}</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="{html.escape(outlet)}">
<meta property="article:published_time" content="{published}T08:00:00+08:00">
<meta name="publishdate" content="{published}">
<link rel="canonical" href="{html.escape(url)}">
</head><body>
<header><div class="logo">{html.escape(outlet)}数字报</div><nav><ul>{nav}</ul></nav>
<form class="search"><input name="q" placeholder="搜索"></form></header>
<div class="ad banner"><a href="/ad">天府银行 · 开户即享礼包 立即办理</a></div>
<main><article>
<h1>{html.escape(title)}</h1>
<div class="info">来源：{html.escape(outlet)} 发布时间：{published} 08:00</div>
<div class="content">{paras}</div>
<div class="share">分享到：微信 微博 QQ空间</div>
</article>
<aside><h3>相关新闻</h3><ul>{related}</ul><h3>热点排行</h3><ol>{related}</ol></aside></main>
<footer><p>版权所有 {html.escape(outlet)}社 未经授权禁止转载</p><p>蜀ICP备00000000号-1 川公网安备 51010000000000号</p>
<p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | <a href="/ads">广告服务</a></p></footer>
</body></html>"""
