"""`python -m etl`: loading, encodings, offsets, idempotence, incremental runs, atomicity, bad files."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SEEDS, build_db
from tests.conftest import query as one

TABLES = ("documents", "articles", "sentences", "claims")


def dump(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    finally:
        con.close()


def test_seeds_load_with_manifest_dates(seed_db):
    published = {r["file"][:-4]: r["published"] for r in csv.DictReader(open(SEEDS / "manifest.csv", encoding="utf-8"))}
    rows = one(seed_db, "SELECT doc_id, published, published_source, encoding, outlet FROM documents")
    assert len(rows) == 5
    for doc_id, pub, source, enc, outlet in rows:
        assert str(pub) == published[doc_id] and source == "manifest"
        assert enc == "utf-8" and outlet in ("成都日报", "四川科技报")


def test_sentence_offsets_are_exact(seed_db):
    texts = dict(one(seed_db, "SELECT doc_id, text FROM documents"))
    sentences = one(seed_db, 'SELECT doc_id, "start", "end", text FROM sentences')
    assert len(sentences) > 500
    for doc_id, start, end, text in sentences:
        assert texts[doc_id][start:end].replace("\r", "").replace("\n", "") == text
    for doc_id, start, end, mention in one(seed_db, 'SELECT doc_id, "start", "end", mention FROM claims'):
        assert texts[doc_id][start:end] == mention


def test_every_seed_headline_is_an_article_title(seed_db):
    titles: dict[str, list[str]] = {}
    for doc_id, title in one(seed_db, "SELECT doc_id, title FROM articles"):
        titles.setdefault(doc_id, []).append(title)
    rows = list(csv.DictReader(open(ROOT / "tests/fixtures/seed_headlines.csv", encoding="utf-8")))
    assert len(rows) >= 30
    for r in rows:
        assert any(r["headline"] in t for t in titles[r["doc"]]), r["headline"]


def test_articles_cover_their_sentences(seed_db):
    bad = one(seed_db, """SELECT s.sentence_id FROM sentences s JOIN articles a USING (article_id)
                          WHERE s."start" < a."start" OR s."end" > a."end" """)
    assert bad == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "gb18030", "gbk"])
def test_each_encoding_loads_the_same_text(tmp_path, encoding):
    text = (SEEDS / "003_170771dc1d63228a.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_bytes(text.encode(encoding))
    rc, _, err = build_db([folder], tmp_path / "x.duckdb")
    assert rc == 0, err
    [(stored, enc)] = one(tmp_path / "x.duckdb", "SELECT text, encoding FROM documents")
    assert stored == text
    assert enc == {"gbk": "gb18030"}.get(encoding, encoding)
    n = one(tmp_path / "x.duckdb", "SELECT count(*) FROM articles")[0][0]
    assert n >= 5


def test_three_runs_are_identical_and_skip_unchanged(tmp_path):
    db = tmp_path / "r.duckdb"
    rc, out1, _ = build_db([SEEDS], db)
    first = dump(db)
    mtime = db.stat().st_mtime_ns
    for _ in range(2):
        rc, out, _ = build_db([SEEDS], db)
        assert rc == 0 and "5 unchanged" in out
        assert dump(db) == first
    assert db.stat().st_mtime_ns == mtime  # nothing changed: the file was not rewritten


def test_incremental_add_change_remove(tmp_path, seed_copy):
    db = tmp_path / "r.duckdb"
    build_db([seed_copy], db)
    before = dump(db)
    victim = seed_copy / "002_649b130caa943bb7.txt"
    victim.unlink()
    changed = seed_copy / "003_170771dc1d63228a.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n新增段落，全市新增企业100家。\n", encoding="utf-8")
    (seed_copy / "extra.txt").write_text("测试标题\n\n本报讯 今年1-8月，全市实现产值50亿元。\n", encoding="utf-8")
    rc, out, err = build_db([seed_copy], db)
    assert rc == 0, err
    assert "1 removed" in out and "2 loaded" in out and "3 unchanged" in out
    after = dump(db)
    ids = {r[0] for r in after["documents"]}
    assert "002_649b130caa943bb7" not in ids and "extra" in ids
    assert not [r for r in after["sentences"] if r[1] == "002_649b130caa943bb7"]
    keep = [r for r in before["sentences"] if r[1] == "000_dee86277aac3db40"]
    assert keep == [r for r in after["sentences"] if r[1] == "000_dee86277aac3db40"]


def test_sentence_keys_stay_unique_and_shared_with_claims_across_increments(tmp_path, seed_copy):
    # Searches join claims to sentences on sentence_key (etl.store.queries.where): a key reused or left
    # out after an incremental load would make a search miss or mix up claims.
    db = tmp_path / "r.duckdb"
    build_db([seed_copy], db)
    changed = seed_copy / "003_170771dc1d63228a.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n新增段落，全市新增企业100家。\n", encoding="utf-8")
    (seed_copy / "extra.txt").write_text("测试标题\n\n本报讯 今年1-8月，全市实现产值50亿元。\n", encoding="utf-8")
    build_db([seed_copy], db)
    n, keyed, distinct = one(db, "SELECT count(*), count(sentence_key), count(DISTINCT sentence_key) FROM sentences")[0]
    assert n == keyed == distinct > 0
    assert one(db, """SELECT count(*) FROM claims c LEFT JOIN sentences s USING (sentence_id)
                      WHERE c.sentence_key IS DISTINCT FROM s.sentence_key""") == [(0,)]
    from etl.store import queries

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = queries.filtered_claims(con, queries.Filters(q="产值"))
    finally:
        con.close()
    found = set(rows["claim_id"])
    assert found == {r[0] for r in one(db, """SELECT claim_id FROM claims c JOIN sentences s USING (sentence_id)
                                             WHERE contains(s.text, '产值') OR contains(coalesce(c.metric, ''), '产值')""")}
    assert "extra" in set(rows["doc_id"])  # the sentence added by the increment is found


def test_bad_files_are_named_and_the_rest_loads(tmp_path, seed_copy):
    (seed_copy / "empty.txt").write_bytes(b"")
    (seed_copy / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (seed_copy / "invalid.txt").write_bytes(b"\xff\xfe\xfd\x80\x81\x82" * 200)
    (seed_copy / "folder.txt").mkdir()
    db = tmp_path / "r.duckdb"
    rc, out, err = build_db([seed_copy], db)
    assert rc == 1
    for name in ("empty.txt", "binary.txt", "invalid.txt", "folder.txt"):
        assert name in err
    assert "is empty" in err and "binary" in err and "directory" in err
    assert one(db, "SELECT count(*) FROM documents")[0][0] == 5


def test_cli_exit_status_and_summary(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "a.txt").write_text("标题\n\n本报讯 全市新增企业100家。\n", encoding="utf-8")
    (bad / "b.txt").write_bytes(b"")
    p = subprocess.run([sys.executable, "-m", "etl", str(bad), "--db", str(tmp_path / "c.duckdb")],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 1
    assert "b.txt" in p.stderr and "is empty" in p.stderr
    assert "2 files" in p.stdout and "articles" in p.stdout and "claims" in p.stdout and " s " in p.stdout


def test_missing_manifest_infers_dates_within_three_days(tmp_path, seed_copy):
    truth = {r["file"][:-4]: dt.date.fromisoformat(r["published"])
             for r in csv.DictReader(open(seed_copy / "manifest.csv", encoding="utf-8"))}
    (seed_copy / "manifest.csv").unlink()
    db = tmp_path / "r.duckdb"
    build_db([seed_copy], db)
    rows = one(db, "SELECT doc_id, published, published_source FROM documents")
    assert len(rows) == 5
    for doc_id, pub, source in rows:
        assert source == "inferred"
        assert abs((pub - truth[doc_id]).days) <= 3, (doc_id, pub)


_KILLER = """
import os, signal, sys
sys.path.insert(0, {root!r})
import etl.store.database as store
real = store.Writer.add
def dying_add(self, tables):
    real(self, tables)
    os.kill(os.getpid(), signal.SIGKILL)   # die after writing rows, before the rename
store.Writer.add = dying_add
from etl.load import run
run([{src!r}], {db!r}, progress=False)
"""


def test_killed_run_leaves_previous_database_intact(tmp_path, seed_copy):
    db = tmp_path / "r.duckdb"
    build_db([seed_copy], db)
    before_bytes = hashlib.sha256(db.read_bytes()).hexdigest()
    before = dump(db)
    extra = seed_copy / "new.txt"
    extra.write_text("新标题\n\n本报讯 全市新增企业100家。\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-c", _KILLER.format(root=str(ROOT), src=str(seed_copy), db=str(db))],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == -9
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before_bytes
    assert dump(db) == before
    # The next run recovers and loads the new file.
    rc, out, _ = build_db([seed_copy], db)
    assert rc == 0 and "1 loaded" in out


def test_a_second_file_of_the_same_name_renames_the_first_without_a_duplicate(tmp_path):
    # doc_id is the file name; a clash adds the folder name, so the first file's document is
    # renamed: its rows under the old name must go.
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    (src / "a" / "x.txt").write_text("标题\n\n本报讯 全市新增企业100家。\n", encoding="utf-8")
    db = tmp_path / "r.duckdb"
    build_db([src], db)
    (src / "b" / "x.txt").write_text("标题二\n\n本报讯 全市新增企业200家。\n", encoding="utf-8")
    rc, out, err = build_db([src], db)
    assert rc == 0, err
    assert sorted(one(db, "SELECT doc_id FROM documents")) == [("a_x",), ("b_x",)]
    full = tmp_path / "full.duckdb"
    build_db([src], full)
    assert dump(db) == dump(full)
