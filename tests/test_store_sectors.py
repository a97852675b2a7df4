"""etl.store.sectors: what a sector filter takes in, counts rolled up the tree, and the filter in SQL."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.load import run
from etl.store import sectors
from etl.store.queries import Filters, count_claims, sector_counts, vocabulary


def test_a_sector_is_found_by_code_name_or_alias():
    assert sectors.resolve("C34") == "C34"
    assert sectors.resolve("通用设备制造业") == "C34"
    assert sectors.resolve("汽车") == "C36"
    assert sectors.resolve("锂电") == "CD-LIB"
    assert sectors.resolve("不是行业") is None
    assert sectors.name("C34") == "通用设备制造业" and sectors.name("xx") == "xx"


def test_a_filter_takes_in_all_below_and_the_groupings_inside():
    c = sectors.covered("C")
    assert {"C", "C34", "C3411", "C36"} <= c and "CD-LIB" in c  # 锂电's classes are all in C38
    assert "B" not in c and "STAT-IND" not in c  # 工业 is wider than 制造业
    industry = sectors.covered("STAT-IND")
    assert {"B", "C", "D", "C34"} <= industry and "F" not in industry
    assert sectors.covered("C34") >= {"C341", "C3411"} and "C36" not in sectors.covered("C34")
    assert [n.code for n in sectors.path("C3411")] == ["C", "C34", "C341", "C3411"]


def test_counts_roll_up_and_the_tree_lists_sections_then_divisions_then_groupings():
    counts = sectors.rollup({"C34": 3, "C36": 2, "CD-LIB": 1, "STAT-IND": 4})
    assert counts["C34"] == 3 and counts["C"] == 6 and counts["STAT-IND"] == 10
    assert "F" not in counts  # no claims
    order = sectors.tree(counts)
    codes = [c for c, _ in order]
    assert codes.index("C") < codes.index("C34") < codes.index("C36")
    assert dict(order)["C"] == 0 and dict(order)["C34"] == 1
    assert codes.index("C36") < codes.index("STAT-IND")  # groupings after the classes


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of one page of our own: two 大类 of 制造业 and a figure of no industry."""
    src = tmp_path_factory.mktemp("sectors")
    (src / "p.txt").write_text("本报讯 今年上半年，全市通用设备制造业增加值增长8.1%，汽车制造业增加值增长12.5%，"
                               "社会消费品零售总额增长6%。\n", encoding="utf-8")
    (src / "manifest.csv").write_text("file,published\np.txt,2024-07-20\n", encoding="utf-8")
    out = src / "r.duckdb"
    assert run([str(src)], str(out), progress=False) == 0
    return out


def test_the_sector_filter_in_sql(db: Path):
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert count_claims(con, Filters(sector=("C34",))) == 1
        assert count_claims(con, Filters(sector=("通用设备制造业",))) == 1  # a name works as its code
        assert count_claims(con, Filters(sector=("C",))) == 2  # both 大类 of 制造业
        assert count_claims(con, Filters(sector=("F",))) == 0
        assert count_claims(con, Filters(sector=("不是行业",))) == 0  # an unknown label matches nothing
        counts = sector_counts(con)
        assert counts["C"] == 2 and counts["C34"] == 1
        assert vocabulary(con)["sector"][:3] == ("C", "C34", "C36")
    finally:
        con.close()


def test_the_export_command_filters_by_sector(db: Path, tmp_path: Path):
    from report.export import main

    out = tmp_path / "c.csv"
    assert main(["--db", str(db), "--sector", "制造业", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    rows = text.strip().splitlines()
    assert len(rows) == 3 and "sector_code" in rows[0] and "C34" in text and "C36" in text
    assert main(["--db", str(db), "--sector", "F", "-o", str(out)]) == 2  # nothing in 批发和零售业
