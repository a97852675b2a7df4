"""bench.synth: deterministic synthetic archives and claims databases."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from bench import synth
from etl.ingest.sources import decode


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_files(tmp_path: Path) -> None:
    a = synth.write_archive(tmp_path / "a", 60, seed=11)
    synth.write_archive(tmp_path / "b", 60, seed=11)
    assert len(a) == 60
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")
    synth.write_archive(tmp_path / "c", 60, seed=12)
    assert _snapshot(tmp_path / "a") != _snapshot(tmp_path / "c")


def test_archive_is_readable_and_listed(tmp_path: Path) -> None:
    files = synth.write_archive(tmp_path, 1200, seed=3)
    folders = sorted({f.parent.name for f in files})
    assert folders == ["000", "001"]  # 1,000 files per folder
    encodings = set()
    for f in files[:200]:
        text, enc = decode(f.read_bytes())
        encodings.add(enc)
        assert len(text) > 50 and "\n\n" in text
    assert {"utf-8", "gb18030"} <= encodings
    for folder in folders:
        with open(tmp_path / folder / "manifest.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert {r["file"] for r in rows} == {f.name for f in files if f.parent.name == folder}
        assert sum(1 for r in rows if r["published"]) > 0.8 * len(rows)


def test_vary_changes_numbers_dates_and_districts() -> None:
    import random

    pool = synth.seed_pool()
    s = "2023年11月22日，郫都区实现营业收入1085.95亿元，同比增长5.6%。"
    out = {synth.vary(s, random.Random(i), 2021, pool.districts) for i in range(20)}
    assert len(out) > 15
    for v in out:
        assert v.startswith(("2021年", "2020年")) and v.endswith("%。")
        assert "亿元" in v and "." in v


def _rows(path: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("n", [1, 2500])
def test_claims_db_deterministic_and_consistent(tmp_path: Path, n: int) -> None:
    counts = synth.build_claims_db(tmp_path / "a.duckdb", n, seed=5)
    synth.build_claims_db(tmp_path / "b.duckdb", n, seed=5)
    assert counts["claims"] == n
    for t in ("documents", "articles", "sentences", "claims"):
        assert _rows(tmp_path / "a.duckdb", t) == _rows(tmp_path / "b.duckdb", t)
    con = duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True)
    try:
        bad = con.execute("""
            SELECT count(*) FROM claims c JOIN documents d USING (doc_id)
            JOIN sentences s USING (sentence_id) JOIN articles a ON a.article_id = c.article_id
            WHERE substr(d.text, c."start" + 1, c."end" - c."start") <> c.mention
               OR substr(d.text, s."start" + 1, s."end" - s."start") <> s.text
               OR c."start" < s."start" OR c."end" > s."end" OR s.article_id <> c.article_id""").fetchone()[0]
        assert bad == 0
        if n > 1:
            topics = con.execute("SELECT count(DISTINCT topic), count(DISTINCT region), count(DISTINCT metric) "
                                 "FROM claims").fetchone()
            assert topics[0] == len(synth.TOPICS) and topics[1] > 20 and topics[2] > 100
    finally:
        con.close()
