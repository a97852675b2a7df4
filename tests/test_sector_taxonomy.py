"""The GB/T 4754-2017 taxonomy in data/sectors/: rebuilt equal to the committed files, complete,
and every grouping and alias pointing at classes that exist."""
from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTORS = ROOT / "data" / "sectors"
OUTPUTS = ("taxonomy.csv", "groups.csv", "group_members.csv", "aliases.csv")


def _script():
    spec = importlib.util.spec_from_file_location("build_sectors", ROOT / "scripts" / "build_sectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[dict[str, str]]:
    with open(SECTORS / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#")))


@pytest.fixture(scope="module")
def taxonomy() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in _rows("taxonomy.csv")}


@pytest.fixture(scope="module")
def members() -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for r in _rows("group_members.csv"):
        out.setdefault(r["group_id"], {})[r["code"]] = int(r["partial"])
    return out


def test_committed_files_are_what_the_script_builds(tmp_path):
    built = _script().build(tmp_path)
    assert sorted(built) == sorted(OUTPUTS)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (SECTORS / name).read_bytes(), f"{name}: run scripts/build_sectors.py"


def test_counts(taxonomy):
    levels = Counter(r["level"] for r in taxonomy.values())
    # 1381 小类: the vendored source's count (published tallies say 1380, 1381 or 1382; README).
    assert levels == {"门类": 20, "大类": 97, "中类": 473, "小类": 1381}
    assert [r["section"] for r in taxonomy.values() if r["level"] == "门类"] == list("ABCDEFGHIJKLMNOPQRST")
    assert sorted(r["std_code"] for r in taxonomy.values() if r["level"] == "大类") == [f"{i:02d}" for i in range(1, 98)]


def test_each_class_nests_in_its_parent(taxonomy):
    order = ("门类", "大类", "中类", "小类")
    for code, r in taxonomy.items():
        assert code == (r["std_code"] if r["level"] == "门类" else r["section"] + r["std_code"])
        assert r["path"].split(">")[-1] == code and r["path"].split(">")[0] == r["section"]
        assert len(r["path_names"].split(">")) == order.index(r["level"]) + 1
        if r["parent"]:
            assert order.index(taxonomy[r["parent"]]["level"]) == order.index(r["level"]) - 1
            assert code.startswith(r["parent"])
        name = r["name"]
        assert name == name.strip() and "(" not in name and " " not in name, code
    for code in ("C306", "C354", "C359", "C37", "C3531", "C3546", "C3552", "C3583", "C3939", "C4023"):
        assert taxonomy[code]["name"].endswith(("制造", "制造业")), code


@pytest.mark.parametrize("code,name", [
    ("C34", "通用设备制造业"), ("C38", "电气机械和器材制造业"), ("I65", "软件和信息技术服务业"),
    ("K70", "房地产业"), ("C36", "汽车制造业"), ("F", "批发和零售业"), ("C3841", "锂离子电池制造"),
    ("C3973", "集成电路制造"), ("C1512", "白酒制造"), ("C37", "铁路、船舶、航空航天和其他运输设备制造业"),
])
def test_spot_checks(taxonomy, code, name):
    assert taxonomy[code]["name"] == name


def test_every_grouping_code_exists(taxonomy, members):
    by_std = {r["std_code"] for r in taxonomy.values()}
    groups = {g["id"]: g for g in _rows("groupings.csv")}
    for g in groups.values():
        for token in g["codes"].split():
            if token.startswith("@"):
                assert token[1:] in groups, (g["id"], token)
            else:
                code = token.lstrip("-").rstrip("*")
                assert code in taxonomy or code in by_std, (g["id"], token)
        assert not g["parent"] or g["parent"] in groups
    assert set(members) <= set(groups)
    assert all(c in taxonomy and taxonomy[c]["level"] == "小类" for m in members.values() for c in m)
    assert {g["id"] for g in _rows("groups.csv")} == set(groups)


def test_three_sectors_partition_the_economy(taxonomy, members):
    leaves = {c for c, r in taxonomy.items() if r["level"] == "小类"}
    first, second, third = (set(members[g]) for g in ("IND1", "IND2", "IND3"))
    assert first | second | third == leaves
    assert not (first & second or first & third or second & third)
    assert "A0511" in third and "B1110" in third and "C4310" in third and "C3670" in second


def test_groupings(members):
    assert set(members["HTM"]) == set().union(*(members[f"HTM{i}"] for i in range(1, 7)))
    assert "C3841" in members["HTM3"] and "C3964" not in members["HTM"] and "M7451" in members["HTS3"]
    assert "C3612" in members["SEI5"] and "C3841" in members["CD-LIB"] and members["CD-LIB"]["C3841"] == 0
    assert set(members["STAT-IND"]) == {c for c in members["IND2"] if c[0] in "BCD"} | {
        c for c in members["IND3"] if c[0] in "BC"}
    assert members["CD-BAIJIU"] == {"C1512": 0}
    assert set(members["CD-GREEN"]) >= set(members["CD-PV"]) | set(members["CD-LIB"])


def test_aliases(taxonomy):
    aliases = _rows("aliases.csv")
    groups = {g["id"] for g in _rows("groups.csv")}
    by_alias: dict[str, set[str]] = {}
    for a in aliases:
        assert a["target"] in (taxonomy if a["kind"] == "class" else groups), a
        by_alias.setdefault(a["alias"], set()).add(a["target"])
    for alias, code in [("汽车", "C36"), ("房地产", "K70"), ("房地产业", "K70"), ("批发和零售业", "F"),
                        ("软件和信息技术服务业", "I65"), ("通用设备制造业", "C34"), ("电气机械和器材制造业", "C38"),
                        ("国际组织", "T97"), ("批发零售", "F")]:
        assert code in by_alias[alias], alias
    for alias in ("锂电池", "动力电池", "锂离子电池", "锂电"):
        assert "CD-LIB" in by_alias[alias], alias
    assert {"SEI3", "CD-MAT"} <= by_alias["新材料"] and "CD-IC" in by_alias["芯片"]
    classes = Counter(a["alias"] for a in aliases if a["kind"] == "class")
    assert max(classes.values()) == 1  # a name names one class
