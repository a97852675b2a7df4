"""`python -m etl.export`: every format written, exit 2 on an empty filter, clear errors."""
from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from test_export_data import N_CLAIMS, N_TRADE, make_db

from report import images
from report.export import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return make_db(tmp_path_factory.mktemp("cli") / "small.duckdb")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = main(list(argv), out=out, err=err)
    return rc, out.getvalue(), err.getvalue()


def test_csv_and_xlsx(db, tmp_path):
    rc, out, err = run("--db", str(db), "--topic", "trade", "--format", "csv", "-o", str(tmp_path / "t.csv"))
    assert rc == 0, err
    assert "3 claims" in out
    text = (tmp_path / "t.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and len(text.decode("utf-8-sig").strip().splitlines()) == 1 + N_TRADE
    rc, _, err = run("--db", str(db), "-o", str(tmp_path / "all.xlsx"))  # format from the extension
    assert rc == 0, err
    ws = load_workbook(tmp_path / "all.xlsx")["数字"]
    assert ws.max_row == 1 + N_CLAIMS and ws["A1"].value == "数值"


def test_filters_by_region_metric_and_dates(db, tmp_path):
    out = tmp_path / "r.csv"
    assert run("--db", str(db), "--region", "郫都区", "--region", "武侯区", "-o", str(out))[0] == 0
    assert len(out.read_text(encoding="utf-8-sig").strip().splitlines()) == 3
    assert run("--db", str(db), "--metric", "外贸进出口总额", "--since", "2023-01-01", "-o", str(out))[0] == 0
    assert len(out.read_text(encoding="utf-8-sig").strip().splitlines()) == 3  # 2023 amount + growth
    assert run("--db", str(db), "--until", "2022-12-31", "-o", str(out))[0] == 0
    assert "7000亿元" in out.read_text(encoding="utf-8-sig")


def test_empty_filter_exits_2(db, tmp_path):
    target = tmp_path / "none.csv"
    rc, _, err = run("--db", str(db), "--topic", "energy", "--format", "csv", "-o", str(target))
    assert rc == 2 and "no claims match" in err and "--topic energy" in err
    assert not target.exists()


def test_missing_db_and_bad_arguments(tmp_path):
    rc, _, err = run("--db", str(tmp_path / "missing.duckdb"), "-o", str(tmp_path / "x.csv"))
    assert rc == 2 and "database not found" in err
    rc, _, err = run("--db", str(tmp_path / "missing.duckdb"), "-o", str(tmp_path / "x.docx"))
    assert rc == 2 and "--format" in err


def test_errors_without_traceback_in_a_real_process(db, tmp_path):
    for args, needle in ((["--since", "2023-13-01"], "not a date"),
                         (["--db", str(tmp_path / "nope.duckdb")], "database not found"),
                         (["--since", "2024-01-01", "--until", "2023-01-01"], "after --until")):
        p = subprocess.run([sys.executable, "-m", "etl.export", "--db", str(db), "-o", str(tmp_path / "x.csv"), *args],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert p.returncode == 2, p.stderr
        assert needle in p.stderr and "Traceback" not in p.stderr


def test_image_without_chromium_says_how(db, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    images.shutdown()
    rc, _, err = run("--db", str(db), "--format", "png", "-o", str(tmp_path / "x.png"))
    assert rc == 1 and "apt-get install chromium fonts-noto-cjk" in err
    assert not (tmp_path / "x.png").exists()


@pytest.mark.slow
@pytest.mark.skipif(not images.available(), reason="needs chromium and fonts-noto-cjk")
def test_every_image_format_and_deck(db, tmp_path):
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<svg"), ("pdf", b"%PDF"), ("pptx", b"PK")):
        target = tmp_path / f"trade.{fmt}"
        rc, _, err = run("--db", str(db), "--topic", "trade", "--format", fmt, "-o", str(target))
        assert rc == 0, err
        assert target.read_bytes()[:len(magic)] == magic, fmt
    text = subprocess.run(["pdftotext", str(tmp_path / "trade.pdf"), "-"], capture_output=True, text=True).stdout
    assert "外贸进出口总额" in unicodedata.normalize("NFKC", text)
    prs = Presentation(tmp_path / "trade.pptx")
    assert len(prs.slides) == 2  # title + the trade trend


@pytest.mark.slow
def test_seed_database_every_format(seed_db, tmp_path):
    """The real path on the ETL's own output (whatever the extractor yields today)."""
    import duckdb

    con = duckdb.connect(str(seed_db), read_only=True)
    n = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    con.close()
    if n == 0:
        pytest.skip("the extractor yields no claims yet")
    formats = ["csv", "xlsx"] + (["png", "svg", "pdf", "pptx"] if images.available() else [])
    for fmt in formats:
        rc, _, err = run("--db", str(seed_db), "--format", fmt, "-o", str(tmp_path / f"seeds.{fmt}"))
        assert rc == 0, (fmt, err)
        assert (tmp_path / f"seeds.{fmt}").stat().st_size > 1000
