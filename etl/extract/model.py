"""Records that flow through the pipeline: files -> documents -> articles -> sentences -> claims.

Every record carries character offsets into the decoded original text of its document
(`Document.text`), so any stage can point back at the exact source characters.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """A decoded article file (one newspaper page)."""

    doc_id: str
    path: str
    sha256: str
    encoding: str
    text: str
    published: dt.date | None = None
    published_source: str | None = None  # 'manifest' | 'inferred' | None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, init=False)
class Sentence:
    """A sentence (or headline) of an article.

    `text` is the original span `doc.text[start:end]` with line breaks removed;
    `offsets[i]` is the offset in `doc.text` of `text[i]`. `offsets` may be () when `text` is
    exactly `doc.text[start:end]` (no line break inside: `text[i]` is at `start + i`), as the
    pipeline builds most sentences; results of `pipeline.process` carry no offsets at all.
    `span()` reads either form.
    """

    sentence_id: str
    doc_id: str
    article_id: str
    start: int
    end: int
    text: str
    offsets: tuple[int, ...]
    role: str = "body"  # headline | body | caption | byline | meta

    def __init__(self, sentence_id: str, doc_id: str, article_id: str, start: int, end: int, text: str,
                 offsets: tuple[int, ...], role: str = "body") -> None:
        # One per sentence of every page: filling __dict__ is 2x faster than the generated
        # frozen __init__ (an object.__setattr__ call per field). Fields are still read-only.
        d = self.__dict__
        d["sentence_id"], d["doc_id"], d["article_id"], d["start"] = sentence_id, doc_id, article_id, start
        d["end"], d["text"], d["offsets"], d["role"] = end, text, offsets, role

    @property
    def is_headline(self) -> bool:
        return self.role == "headline"

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Document offsets of the sentence-text slice [i, j)."""
        offsets = self.offsets
        if offsets:
            return offsets[i], offsets[j - 1] + 1
        if self.end - self.start != len(self.text):
            raise ValueError(f"{self.sentence_id}: offsets of a sentence with a line break were dropped")
        return self.start + i, self.start + j


@dataclass(frozen=True)
class Article:
    """An article of a page: its title, extent and sentences (headlines included)."""

    article_id: str
    doc_id: str
    title: str
    start: int
    end: int
    sentences: tuple[Sentence, ...] = ()
    byline: str | None = None


@dataclass
class Claim:
    """One numeric claim; `start`/`end` are offsets into `Document.text`."""

    doc_id: str
    article_id: str
    sentence_id: str
    start: int
    end: int
    mention: str
    value: float | None
    unit: str
    qualifier: str = "exact"  # exact | approx | over | under
    kind: str = "other"  # amount | count | growth | share | change_pp | rank | multiple | other
    metric: str | None = None
    region: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    status: str = "actual"  # actual | forecast | target
    topic: str | None = None
    sector: str | None = None  # the sector's name, as shown (通用设备制造业, 锂电)
    sector_code: str | None = None  # its GB/T 4754-2017 class (C34) or grouping id (CD-LIB): data/sectors/
    extra: dict = field(default_factory=dict)


@dataclass
class DocResult:
    """Everything extracted from one file; `error` is set when the file could not be read."""

    path: str
    doc_id: str
    sha256: str
    document: Document | None = None
    articles: tuple[Article, ...] = ()
    claims: tuple[Claim, ...] = ()
    error: str | None = None
    # Provenance of non-text inputs (etl/ingest/readers): the reader's kind, the original file or URL,
    # the rendered pages, and per claim (page, (x0, y0, x1, y1) as page fractions, confidence).
    source_kind: str = "txt"
    source: str | None = None
    pages: tuple = ()
    provenance: tuple = ()


def claim_id(doc_id: str, start: int, end: int) -> str:
    """Stable id of a claim: the same span of the same document always gets the same id."""
    return hashlib.sha1(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]
