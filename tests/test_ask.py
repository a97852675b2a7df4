"""问数 end to end: `python -m etl.ask` on databases built by the ETL (the seeds, and pages of our own)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import build_db

from etl.ask.answer import ask
from etl.ask.evaluate import is_right, read, run, summary

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "ask" / "questions.jsonl"
KEYS = {"value", "unit", "qualifier", "mention", "claim_id", "fact_id", "metric", "region", "period_start",
        "period_end", "published", "outlet", "url"}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.ask", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def con(seed_db: Path):
    c = duckdb.connect(str(seed_db), read_only=True)
    yield c
    c.close()


def test_the_own_question_set_over_the_seeds(con) -> None:
    outcomes = run(con, read(QUESTIONS, ["seeds"]))
    s = summary(outcomes)
    assert s["questions"] == 110
    assert s["right"] >= 0.9, s
    assert s["no_answer_recall"] == 1.0, [o.question for o in outcomes if not o.expected and o.answer]


def test_the_cli_prints_the_spec_json_with_the_claims_value_and_unit(seed_db: Path, con) -> None:
    r = _cli("2023年成都新设经营主体多少户？", "--db", str(seed_db), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert set(out) >= {"question", "answer", "alternatives", "why"}
    a = out["answer"]
    assert KEYS <= set(a)
    assert (a["value"], a["unit"], a["mention"].replace(" ", "")) == (601800, "户", "60.18万户")
    stored = con.execute("SELECT value, unit, fact_id, region FROM claims WHERE claim_id = ?", [a["claim_id"]]).fetchone()
    assert stored == (601800.0, "户", a["fact_id"], a["region"])  # as in claims
    assert a["period_start"] == "2023-01-01" and a["period_end"] == "2023-12-31" and a["outlet"]


def test_no_answer_is_never_a_guess(seed_db: Path) -> None:
    r = _cli("2019年成都地区生产总值是多少？", "--db", str(seed_db), "--json")
    assert r.returncode == 0
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["answer"] is None and out["alternatives"] == []
    assert out["why"].startswith("未找到2019年成都市地区生产总值")
    text = _cli("2024年成都新设经营主体多少户？", "--db", str(seed_db))
    assert text.returncode == 0 and "未找到" in text.stdout and "2023年" in text.stdout  # what the archive has instead


def test_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    r = _cli("成都GDP是多少？", "--db", str(tmp_path / "none.duckdb"), "--json")
    assert r.returncode == 2 and "no database" in r.stderr and r.stdout == ""


def test_the_eval_command_reports_its_figures(seed_db: Path, tmp_path: Path) -> None:
    qs = tmp_path / "q.jsonl"
    lines = [x for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if '"set": "seeds"' in x][:12]
    qs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = _cli("--eval", str(qs), "--db", str(seed_db))
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.strip().splitlines()[-1])
    assert s["questions"] == 12 and {"top1", "no_answer_precision", "no_answer_recall", "ms_p95"} <= set(s)


def test_is_right_compares_value_and_unit() -> None:
    q = {"expect": {"value": 601800, "unit": "户"}, "accept": [{"value": 6018, "unit": "户"}]}
    assert is_right(q, {"value": 601800.0, "unit": "户"}) and is_right(q, {"value": 6018, "unit": "户"})
    assert not is_right(q, {"value": 601800, "unit": "家"}) and not is_right(q, None)
    assert is_right({"expect": None}, None) and not is_right({"expect": None}, {"value": 1, "unit": "户"})


# Two pages of our own that disagree on one figure, and one that repeats it.
PAGES = {
    "a.txt": ("成都经营主体年报\n\n本报讯 2023年，成都新设经营主体60.18万户，同比增长3.9%。\n", "2024-01-25", "成都日报"),
    "b.txt": ("经营主体快报\n\n本报讯 2023年，成都新设经营主体60.2万户，总量再创新高。\n", "2024-01-26", "四川日报"),
    "c.txt": ("一年回顾\n\n本报讯 记者获悉，2023年成都新设经营主体60.18万户。\n", "2024-02-02", "华西都市报"),
}


@pytest.fixture(scope="module")
def disagreeing(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("pages")
    rows = ["file,published,outlet"]
    for name, (text, date, outlet) in PAGES.items():
        (d / name).write_text(text, encoding="utf-8")
        rows.append(f"{name},{date},{outlet}")
    (d / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = d / "db.duckdb"
    rc, _, err = build_db([d], db)
    assert rc == 0, err
    return db


def test_two_articles_that_disagree_give_the_figure_cited_most_and_the_other_as_an_alternative(disagreeing) -> None:
    c = duckdb.connect(str(disagreeing), read_only=True)
    try:
        out = ask(c, "2023年成都新设经营主体多少户？")
        en = ask(c, "How many new business entities did Chengdu set up in 2023?")
    finally:
        c.close()
    a = out["answer"]
    assert a["value"] == 601800 and a["unit"] == "户"  # two articles cite it, one says 60.2万
    assert [x["value"] for x in out["alternatives"]] == [602000]
    assert out["alternatives"][0]["outlet"] == "四川日报"
    assert "2" in out["why"]  # cited by two articles
    assert en["answer"] is not None and en["answer"]["value"] == 601800
