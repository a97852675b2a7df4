"""A figure's industry sector, as a class of GB/T 4754-2017 or a grouping of classes.

The names come from data/sectors/ (built by scripts/build_sectors.py from the standard): every
class name (通用设备制造业 -> C34), the short names newspapers write (汽车 -> C36, 规上工业 ->
工业), and the names of the statistical groupings and Chengdu's industries (高技术制造业,
战略性新兴产业, 锂电, 白酒 ...). data/sectors/not_sectors.csv lists names that, in a figure's
words, usually name an institution or an activity rather than an industry (医院, 研发).

A name counts only where it starts a word of the text (jieba) and ends one, or is at least three
characters long (新能源汽车产量 is segmented 新能源|汽车产量): 金融机构 does not name 金融, 建筑面积
not 建筑. The figure's metric is read first, then the words of its clause before it, its sentence
before it and its article's title (`figure_sector`); of the names found in one text the most
specific wins (a chain or a 中类 over a 大类, a 大类 over a 门类 or a
grouping as broad as 工业), the first of equals.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.extract.lexicon import alternation, table
from etl.extract.wordseg import segment

# Specificity of a match: broad groupings (三次产业, 工业) < 门类 < 大类 and top-level groupings <
# 中类, 小类 and groupings inside another (锂电 inside 绿色低碳).
_LEVEL_RANK = {"门类": 1, "大类": 2, "中类": 3, "小类": 3}
_BROAD_GROUPINGS = ("三次产业", "统计口径")
_MIN_UNALIGNED = 3  # a name this long may end inside a word
_SHORT_METRIC = 6  # a metric this short names what is measured, not of what
# What a company or a project of the article's industry produces or invests: such a figure takes
# the industry its article's title names (a page on a 锂电 plant: 年产值, 产能, 总投资), unlike the
# region's statistics the same page may quote (外贸进出口, 地区生产总值).
_OWN_OUTPUT = ("产能", "产值", "产量", "投资", "营收", "营业收入", "销售收入", "利润", "产线", "达产")
# Words after a name that keep it an industry's name where jieba joined them (化工行业, 汽车产量).
_INDUSTRY_SUFFIXES = ("行业", "产业", "产品", "领域", "板块", "产量", "产值", "产能", "销量", "出口", "进口", "增加值")


@dataclass(frozen=True)
class Sector:
    """`code`: a 4754 class (C34) or a grouping id (CD-LIB); `label`: its name, as shown."""

    code: str
    label: str
    rank: int


@functools.lru_cache(maxsize=1)
def _not_sectors() -> re.Pattern:
    """The phrases of data/sectors/not_sectors.csv that are not names themselves (金融机构)."""
    names = {r["alias"] for r in table("sectors/aliases.csv")}
    return re.compile(alternation(r["name"] for r in table("sectors/not_sectors.csv") if r["name"] not in names))


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, Sector]:
    classes = {r["code"]: r for r in table("sectors/taxonomy.csv")}
    groups = {r["id"]: r for r in table("sectors/groups.csv")}
    excluded = {r["name"] for r in table("sectors/not_sectors.csv")}
    out: dict[str, Sector] = {}
    for r in table("sectors/aliases.csv"):
        alias, target = r["alias"], r["target"]
        if alias in out or alias in excluded:
            continue  # an alias pointing at several schemes keeps its first row (a class before a group)
        if r["kind"] == "class":
            rank = _LEVEL_RANK[classes[target]["level"]]
        else:
            g = groups[target]
            rank = 0 if g["grouping"] in _BROAD_GROUPINGS else (3 if g["parent"] else 2)
        out[alias] = Sector(target, r["target_name"], rank)
    return out


@functools.lru_cache(maxsize=1)
def _longest() -> int:
    return max(map(len, _names()))


@functools.lru_cache(maxsize=8192)
def sector_in(text: str) -> Sector | None:
    """The most specific sector a text names, by whole words (cached: figures of a sentence share
    their clause)."""
    if not text:
        return None
    # Phrases that are not sectors are blanked first: the names inside 高新技术企业, 金融机构.
    text = _not_sectors().sub(lambda m: " " * len(m.group()), text)
    names, longest = _names(), _longest()
    starts, ends = [0], set()
    pos = 0
    for w in segment(text):
        k = text.find(w, pos)
        if k < 0:
            continue
        pos = k + len(w)
        starts.append(k)
        ends.update((k, pos))
    found: list[tuple[int, int, Sector]] = []
    for i in sorted(set(starts)):
        for j in range(min(len(text), i + longest), i, -1):
            s = names.get(text[i:j])
            if s is not None and (j in ends or j - i >= _MIN_UNALIGNED or text.startswith(_INDUSTRY_SUFFIXES, j)):
                found.append((i, j, s))
                break  # the longest name at this start
    # A name inside a longer one is part of it (零售业 in 批发和零售业); of the others the most
    # specific wins, the first of equals.
    outer = [(i, j, s) for i, j, s in found if not any(a <= i and j <= b and b - a > j - i for a, b, _ in found)]
    return max(outer, key=lambda m: (m[2].rank, -m[0]))[2] if outer else None


def figure_sector(metric: str | None, clause: str, before: str = "", title: str = "") -> Sector | None:
    """The sector of a figure: the one its metric names, else its clause before it, else, when
    its metric is short (总投资, 产值: it measures what the sentence is about, unlike 社会消费品零售
    总额 after a clause on another industry), its sentence before it (examples listed before 等
    left out: X等N个平台 counts platforms, not X's industry), else, for what a plant or project produces or invests (_OWN_OUTPUT), a specific one (a
    chain, a 中类 or 小类) its article's title names."""
    found = sector_in(metric or "") or sector_in(clause)
    if found is None and before and len(metric or "") <= _SHORT_METRIC:
        found = sector_in(before[before.rfind("等") + 1:])
    if found is None and title and metric and any(w in metric for w in _OWN_OUTPUT):
        found = sector_in(title)
        if found is not None and found.rank < 3:
            return None
    return found


def sector_of(*texts: str) -> Sector | None:
    """The sector of the first text naming one."""
    for text in texts:
        s = sector_in(text or "")
        if s is not None:
            return s
    return None
