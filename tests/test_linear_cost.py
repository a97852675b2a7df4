"""Work grows linearly with the input (issue 13): a sentence never grows past MAX_SENTENCE
characters, however long the line, and what follows extraction costs the same for 100 pages as
one file or as 100 files."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from conftest import SEEDS, build_db
from conftest import query as sql

from bench.synth import unpunctuated_line
from etl.extract.layout import Paragraph
from etl.extract.sentences import MAX_SENTENCE, split_paragraph
from etl.ingest.sources import RawFile
from etl.pipeline import process
from etl.store import facts


def raw(text: str) -> RawFile:
    data = text.encode()
    return RawFile("line.txt", "line", data, hashlib.sha256(data).hexdigest(), {})


def test_a_long_line_is_cut_into_bounded_sentences_with_exact_offsets() -> None:
    text = unpunctuated_line(60_000)
    r = process(raw(text))
    sentences = [s for a in r.articles for s in a.sentences]
    assert sentences and max(len(s.text) for s in sentences) <= MAX_SENTENCE
    assert "".join(s.text for s in sentences) == text  # nothing lost, nothing added
    assert all(text[s.start:s.end] == s.text for s in sentences)
    # Figures are found along the whole line (not only before the first unclosed quote).
    assert len(r.claims) > 300 and max(c.end for c in r.claims) > 0.9 * len(text)
    assert all(text[c.start:c.end] == c.mention for c in r.claims)


def test_cuts_prefer_clause_breaks_and_keep_figures_whole() -> None:
    clause = "全市规上工业增加值增长6.1%，"
    text = clause * 100
    pieces = split_paragraph(text, Paragraph(0, len(text), "body", ()))
    assert len(pieces) > 1 and all(len(p[2]) <= MAX_SENTENCE for p in pieces)
    assert all(p[2].endswith("，") for p in pieces[:-1])  # cut after a comma
    digits = "1234567890" * 100  # no clause break, no place without a numeral: a hard cut
    pieces = split_paragraph(digits, Paragraph(0, len(digits), "body", ()))
    assert [p[2] for p in pieces] == [digits[i:i + MAX_SENTENCE] for i in range(0, len(digits), MAX_SENTENCE)]


def test_cut_sentences_keep_offsets_across_line_breaks() -> None:
    body = "".join(f"第{i}段新增企业{i}家并且" for i in range(200))
    text = "\n".join(body[i:i + 37] for i in range(0, len(body), 37))  # column line breaks
    pieces = split_paragraph(text, Paragraph(0, len(text), "body", ()))
    assert len(pieces) > 1
    for start, end, clean, offsets in pieces:
        assert len(clean) <= MAX_SENTENCE
        assert text[start:end].replace("\n", "") == clean
        if offsets:
            assert "".join(text[o] for o in offsets) == clean


@pytest.mark.slow
def test_checks_of_one_file_of_many_pages_cost_what_many_files_cost(tmp_path: Path) -> None:
    """The check records sliced each claim's context out of the whole document text in SQL:
    100 pages in one file took ~30x longer there than as 100 files."""
    page = (SEEDS / "000_dee86277aac3db40.txt").read_text(encoding="utf-8")
    (tmp_path / "many").mkdir()
    for i in range(100):
        (tmp_path / "many" / f"p{i:03d}.txt").write_text(page, encoding="utf-8")
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "issue.txt").write_text("\n\n".join([page] * 100), encoding="utf-8")
    timings = {}
    for name in ("many", "one"):
        db = tmp_path / f"{name}.duckdb"
        assert build_db([tmp_path / name], db)[0] == 0
        import duckdb

        con = duckdb.connect(str(db))
        try:
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                records = facts._records(con, "SELECT claim_id FROM claims")
                best = min(best, time.perf_counter() - t0)
        finally:
            con.close()
        timings[name] = best
        assert len(records) == sql(db, "SELECT count(*) FROM claims")[0][0] > 1000
    assert timings["one"] < 3 * timings["many"] + 0.05, timings
