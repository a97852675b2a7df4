"""Web pages (.html, .htm): one article per page. trafilatura finds the main text (without
navigation, ads, related links and footers) and the page's title, date, site name and canonical
URL. Chosen by measurement over readability-lxml: docs/readers.md."""
from __future__ import annotations

from etl.ingest.readers import Reading
from etl.ingest.sources import SourceError

# Fewer characters of main text than this is not an article (an index, a login or error page).
MIN_TEXT = 40


def read(data: bytes) -> Reading:
    import trafilatura

    if not data.strip():
        raise SourceError("is an empty web page")
    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=True,
                                      include_images=False, deduplicate=False)
    body = (doc.text or "").strip() if doc is not None else ""
    if len(body) < MIN_TEXT:
        raise SourceError("is a web page without an article (no main text beside navigation and links)")
    paras = [p.strip() for p in body.split("\n") if p.strip()]
    title = (doc.title or "").strip()
    if title and not paras[0].startswith(title):
        paras.insert(0, title)  # the headline starts the article, as on a printed page
    meta = {"title": title, "published": doc.date or "", "outlet": (doc.sitename or "").strip(),
            "url": doc.url or ""}
    return Reading("\n\n".join(paras), "html", "html", {k: v for k, v in meta.items() if v})
