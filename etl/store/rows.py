"""Extraction results -> table rows: one Arrow table per database table, with fixed types.

The same tables are inserted into DuckDB by a local load and written as Parquet partitions by
a cluster engine (etl/engines), so both paths store identical rows. Derived columns
(`metric_id`, `fact_id`, `n_citations`, `sentence_key`, `value_group`) are left empty: `etl.store.facts.derive`
and `etl.store.key_sentences` fill them once the rows are in the database.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import pyarrow as pa

from etl.extract.model import DocResult, claim_id
from etl.store.checks import sentence_flags

_S, _I, _D, _F = pa.string(), pa.int32(), pa.date32(), pa.float64()

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", _S), ("path", _S), ("sha256", _S), ("encoding", _S), ("text", _S), ("published", _D),
        ("published_source", _S), ("outlet", _S), ("title", _S), ("url", _S), ("n_chars", _I),
        ("source_kind", _S), ("source", _S), ("pages", _I)]),
    "articles": pa.schema([
        ("article_id", _S), ("doc_id", _S), ("title", _S), ("start", _I), ("end", _I), ("byline", _S),
        ("n_sentences", _I)]),
    "sentences": pa.schema([
        ("sentence_id", _S), ("doc_id", _S), ("article_id", _S), ("start", _I), ("end", _I), ("text", _S),
        ("role", _S), ("sentence_key", pa.int64()), ("list_cue", pa.bool_()), ("share_word", pa.bool_())]),
    "claims": pa.schema([
        ("claim_id", _S), ("doc_id", _S), ("article_id", _S), ("sentence_id", _S), ("start", _I), ("end", _I),
        ("mention", _S), ("value", _F), ("unit", _S), ("qualifier", _S), ("kind", _S), ("metric", _S),
        ("region", _S), ("period_start", _D), ("period_end", _D), ("status", _S), ("topic", _S), ("sector", _S),
        ("sector_code", _S), ("published", _D), ("metric_id", _S), ("fact_id", _S), ("n_citations", _I), ("sentence_key", pa.int64()),
        ("page", _I), ("bbox", pa.list_(_F)), ("confidence", _F), ("value_group", _S), ("pre_text", _S)]),
    "page_images": pa.schema([
        ("doc_id", _S), ("page", _I), ("width", _I), ("height", _I), ("ocr", pa.bool_()), ("image", pa.binary())]),
}
# Insertion order: a document's rows before the rows that cite it.
TABLES = ("documents", "articles", "sentences", "claims", "page_images")


def to_tables(results: Iterable[DocResult]) -> dict[str, pa.Table]:
    """The rows of the successfully read `results`, one Arrow table per database table."""
    rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
    for r in results:
        d = r.document
        if d is None:
            continue
        rows["documents"].append((
            d.doc_id, d.path, d.sha256, d.encoding, d.text, d.published, d.published_source, d.outlet, d.title,
            d.url, len(d.text), r.source_kind, r.source or d.path, len(r.pages) or None))
        rows["page_images"].extend((d.doc_id, p.number, p.width, p.height, p.ocr, p.image) for p in r.pages)
        for a in r.articles:
            rows["articles"].append((a.article_id, a.doc_id, a.title, a.start, a.end, a.byline, len(a.sentences)))
            rows["sentences"].extend((s.sentence_id, s.doc_id, s.article_id, s.start, s.end, s.text, s.role, None,
                                      *sentence_flags(s.text)) for s in a.sentences)
        prov = r.provenance or ((None, None, 1.0),) * len(r.claims)
        pre = pre_texts(d.text, r)
        for c, (page, bbox, conf), p in zip(r.claims, prov, pre, strict=True):
            rows["claims"].append((
                claim_id(c.doc_id, c.start, c.end), c.doc_id, c.article_id, c.sentence_id, c.start, c.end,
                c.mention, c.value, c.unit, c.qualifier, c.kind, c.metric, c.region, c.period_start, c.period_end,
                c.status, c.topic, c.sector, c.sector_code, d.published, None, None, None, None, page,
                list(bbox) if bbox else None, conf, None, p))
    return {t: _table(SCHEMAS[t], rows[t]) for t in TABLES}


_SPACES = re.compile("[\t\n\f\r ]+")


def squeeze(text: str) -> str:
    """`text` without the whitespace the checks' cues are read without."""
    return _SPACES.sub("", text)


def pre_texts(text: str, result: DocResult) -> list[str]:
    """Per claim of `result`, the text since the previous figure of its sentence (or the
    sentence's start), whitespace removed: the fact checks read their cues there (其中, 同比,
    环比, 占). Kept with the claim, so that the checks never read the documents' texts."""
    starts = {s.sentence_id: s.start for a in result.articles for s in a.sentences}
    prev: dict[str, int] = {}
    found: dict[int, str] = {}
    for i, c in sorted(enumerate(result.claims), key=lambda x: (x[1].sentence_id or "", x[1].start)):
        if c.sentence_id is None or c.sentence_id not in starts:
            found[i] = ""
            continue
        lo = prev.get(c.sentence_id, starts[c.sentence_id])
        found[i] = squeeze(text[lo:max(c.start, lo)])
        prev[c.sentence_id] = c.end
    return [found[i] for i in range(len(result.claims))]


def _table(schema: pa.Schema, rows: list[tuple]) -> pa.Table:
    """Rows as an Arrow table of `schema`, sorted by the first column (the key) as the
    database stores them."""
    rows.sort(key=lambda r: r[0])
    return pa.Table.from_arrays([pa.array([r[i] for r in rows], type=f.type) for i, f in enumerate(schema)],
                                schema=schema)
