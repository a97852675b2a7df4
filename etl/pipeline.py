"""One file's bytes -> document, articles, sentences and claims (pure, picklable results)."""
from __future__ import annotations

import collections
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePath

from etl.extract.articles import split_articles
from etl.extract.model import Article, Claim, DocResult, Document, Sentence
from etl.extract.script import for_analysis
from etl.ingest.dates import infer_published
from etl.ingest.sources import RawFile, SourceError, decode, parse_date

_OUTLET = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:日报|晚报|商报|科技报|经济报|时报|早报)")
_OUTLET_SPAN = 8  # a match's final 报 is 3 to 8 characters after its start


def guess_outlet(text: str) -> str | None:
    """The newspaper named most often on the page (本报讯(成都日报... -> 成都日报)."""
    counts = collections.Counter(outlet_mentions(text[:20000]))
    return counts.most_common(1)[0][0] if counts else None


def outlet_mentions(text: str) -> Iterator[str]:
    """`_OUTLET.findall(text)`, fast: every match ends with 报 at most 8 characters after its
    start, so only the short window before each 报 is searched, not every position of the page."""
    pos = 0
    r = text.find("报")
    while r >= 0:
        m = _OUTLET.search(text, max(pos, r - _OUTLET_SPAN), r + 1)
        if m:
            yield m.group()
            pos = m.end()  # == r + 1: no earlier 报 ends a match (its window was searched)
        r = text.find("报", r + 1)


def build_document(raw: RawFile, text: str, encoding: str, analysis: str | None = None) -> Document:
    """The document of a decoded file; dates and outlet are read from `analysis` (the
    Simplified analysis text, see etl.extract.script) when given, the text kept is the original."""
    meta = raw.meta
    seen = text if analysis is None else analysis
    published = parse_date(meta.get("published"))
    source = "manifest" if published else None
    if published is None:
        published = infer_published(seen)
        source = "inferred" if published else None
    return Document(
        doc_id=raw.doc_id, path=raw.path, sha256=raw.sha256, encoding=encoding, text=text,
        published=published, published_source=source,
        outlet=meta.get("outlet") or guess_outlet(seen), title=meta.get("title") or None,
        url=meta.get("url") or None,
    )


def process(raw: RawFile) -> DocResult:
    """Decode and analyse one file. Never raises for bad input: the error is returned."""
    suffix = PurePath(raw.path).suffix.lower()
    reading = None
    try:
        if suffix == ".txt" or not suffix:
            text, encoding = decode(raw.data)
            text = text.replace("\x00", "")
        else:
            from etl.ingest import readers

            reading = readers.read(raw.data, suffix)
            text, encoding = reading.text, reading.encoding
            # The manifest (what the user says) wins over what the file says about itself.
            raw = replace(raw, meta={**reading.meta, **{k: v for k, v in raw.meta.items() if v}})
    except SourceError as exc:
        return DocResult(raw.path, raw.doc_id, raw.sha256, error=str(exc))
    # Articles, sentences and claims are found in the analysis text (Simplified, glosses
    # hidden, same length); mentions and the stored text come from the original.
    analysis = for_analysis(text)
    doc = build_document(raw, text, encoding, analysis)
    articles = tuple(split_articles(doc.doc_id, analysis))
    claims = tuple(extract_claims(doc, articles))
    if analysis is not text:
        articles = tuple(_in_original(a, text) for a in articles)
    if doc.title is None and articles:
        doc = replace(doc, title=articles[0].title)
    # Offsets per character are only needed by extraction: drop them before pickling.
    slim = tuple(map(_without_offsets, articles))
    source = raw.meta.get("source") or raw.path
    if reading is None:
        return DocResult(raw.path, raw.doc_id, raw.sha256, doc, slim, claims,
                         source_kind=raw.meta.get("source_kind") or "txt", source=source)
    from etl.ingest.readers.order import span_box

    prov = []
    for c in claims:
        box = span_box(reading.boxes, c.start, c.end) if reading.boxes else None
        conf = min(reading.conf[c.start:c.end], default=1.0) if reading.conf else 1.0  # SPEC: 1.0 unless OCR'd
        prov.append((box[0] if box else None, box[1:] if box else None, conf))
    kind = raw.meta.get("source_kind") or reading.kind  # fetched by --urls: "url" (its manifest says)
    return DocResult(raw.path, raw.doc_id, raw.sha256, doc, slim, claims, source_kind=kind,
                     source=source, pages=reading.pages, provenance=tuple(prov))


def _original_span(text: str, s: Sentence) -> str:
    """The sentence as stored: its span of the original text with line breaks removed."""
    return text[s.start:s.end].replace("\r", "").replace("\n", "")


def _in_original(a: Article, text: str) -> Article:
    """The article with its sentences and title in the original script (after extraction from
    the analysis text). The title is the text of its leading headlines joined by spaces."""
    sentences = tuple(Sentence(s.sentence_id, s.doc_id, s.article_id, s.start, s.end, _original_span(text, s), (),
                               s.role) for s in a.sentences)
    title, joined, parts = a.title, "", []
    for s, o in zip(a.sentences, sentences, strict=True):
        if s.role != "headline" or len(joined) >= len(a.title):
            break
        joined = f"{joined} {s.text}" if joined else s.text
        parts.append(o.text)
        if joined == a.title:
            title = " ".join(parts)
            break
    return Article(a.article_id, a.doc_id, title, a.start, a.end, sentences, a.byline)


def _without_offsets(a: Article) -> Article:
    """The article with its sentences' offsets dropped. Only sentences with a line break inside
    have any (see `split_paragraph`), so most articles are returned as they are."""
    if not any(s.offsets for s in a.sentences):
        return a
    sentences = tuple(Sentence(s.sentence_id, s.doc_id, s.article_id, s.start, s.end, s.text, (), s.role)
                      if s.offsets else s for s in a.sentences)
    return Article(a.article_id, a.doc_id, a.title, a.start, a.end, sentences, a.byline)


def extract_claims(doc: Document, articles: tuple[Article, ...]) -> list[Claim]:
    from etl.extract.claims import extract_article, same_figure_on_page

    out: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    page: list = []
    for art in articles:
        for c in extract_article(art, doc, page):
            if (c.start, c.end) not in seen:  # one claim per span
                seen.add((c.start, c.end))
                out.append(c)
    if len(articles) > 1:
        same_figure_on_page(page)
    return out
