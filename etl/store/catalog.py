"""Metric catalog: canonical metric ids for the noisy metric phrases of claims.

`data/metrics.csv` lists canonical metrics (id, Chinese and English names, unit, topic and
synonyms). A claim's metric phrase is normalised (region words, verbs such as 实现/累计 and the
suffixes 数/额/总额/总值/金额/规模/数量/排名 removed) and looked up among the normalised names and
synonyms; a phrase that is the catalog name with one character lost at either end (a line-break
artefact such as 效发明专利拥有量) matches too. A phrase not in the catalog keeps an id derived
from its normalised text (`m_` + 10 hex digits), stable across runs. Pure: no database here.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from etl.extract.lexicon import table
from etl.extract.places import strip_place_names

CATALOG_FILE = "metrics.csv"

_PUNCT = re.compile(r"[\s\u3000“”\"'‘’《》〈〉「」『』·•・:：,，、;；.。!！?？\-—–~～/]+")
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
_GENERIC_PLACES = ("全市", "全省", "全区", "全县", "全域", "全川", "全国", "我市", "我省", "本市", "本省", "我区", "全州")
_FILLERS = ("实现", "完成", "达到", "累计", "共计", "合计", "总计", "预估", "预计", "同期", "今年", "去年",
            "全年", "其中", "目前", "截至", "截止")
_LEADS = ("已", "共", "达", "为", "的", "有", "约", "超", "近")
_NUMBER_WORDS = "指系倍函基参分"  # 指数, 系数, 倍数 ... keep their 数
_SUFFIXES = ("总金额", "总额", "总值", "金额", "规模", "数量", "总数", "排名", "排位", "位次", "额", "数")


@dataclass(frozen=True)
class Metric:
    """One canonical metric of the catalog."""

    metric_id: str
    name_zh: str
    name_en: str
    unit: str
    topic: str
    synonyms: tuple[str, ...] = ()


def first_place_word(s: str) -> str | None:
    """The first region name, alias or generic word (全市...) in `s`, longest at its position."""
    from etl.extract.places import names_matcher

    find, names = names_matcher(tuple(_GENERIC_PLACES))
    spans = find(s)
    return names[spans[0][0]] if spans else None


_FILLER_RE = re.compile("|".join(sorted(_FILLERS, key=len, reverse=True)))


_SHARE_OF = re.compile(r"(?<=.)占(?:[^占]*比重|比)$")


def normalize(text: str | None) -> str:
    """The comparable core of a metric phrase ('' when nothing is left)."""
    if not text:
        return ""
    s = _BRACKETS.sub("", str(text))
    s = _SHARE_OF.sub("", s)  # X占进出口总值比重 / X占比: a share of X is X's (the kind says share)
    s = _PUNCT.sub("", s)
    s = strip_place_names(s, tuple(_GENERIC_PLACES))
    s = _FILLER_RE.sub("", s)
    while s and s[0] in _LEADS and len(s) > 2:
        s = s[1:]
    for suf in _SUFFIXES:
        if s.endswith(suf) and len(s) > len(suf) + 1 and not (suf == "数" and s[-2] in _NUMBER_WORDS):
            s = s[: -len(suf)]
            break
    return s


def derived_id(text: str | None) -> str | None:
    """Id of a metric not in the catalog: `m_` + a short hash of its normalised text (None if empty)."""
    key = normalize(text)
    if not key:
        return None
    return "m_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


class Catalog:
    """Canonical metrics and a lookup from normalised phrases to metric ids."""

    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics: dict[str, Metric] = {}
        self.index: dict[str, str] = {}
        for m in metrics:
            if m.metric_id in self.metrics:
                raise ValueError(f"duplicate metric id {m.metric_id}")
            self.metrics[m.metric_id] = m
            for phrase in (m.name_zh, *m.synonyms):
                key = normalize(phrase)
                if not key:
                    continue
                other = self.index.setdefault(key, m.metric_id)
                if other != m.metric_id:
                    raise ValueError(f"{phrase!r} is a name of both {other} and {m.metric_id}")
        # A key with one character lost at either end (line-break artefacts), when unambiguous.
        trimmed: dict[str, str | None] = {}
        for key, mid in self.index.items():
            if len(key) >= 5:
                for t in (key[1:], key[:-1]):
                    if t not in self.index:
                        trimmed[t] = mid if trimmed.get(t, mid) == mid else None
        self._trimmed = {k: v for k, v in trimmed.items() if v}

    def match(self, metric: str | None) -> str | None:
        """The catalog id of a metric phrase, or None when it is not in the catalog."""
        key = normalize(metric)
        if not key:
            return None
        return self.index.get(key) or self._trimmed.get(key)

    def metric_id(self, metric: str | None) -> str | None:
        """Catalog id, else the id derived from the phrase's own text (None for an empty phrase)."""
        return self.match(metric) or derived_id(metric)

    def rows(self) -> list[tuple[str, str, str, str, str, list[str]]]:
        """(metric_id, name_zh, name_en, unit, topic, synonyms) for the `metrics` table."""
        return [(m.metric_id, m.name_zh, m.name_en, m.unit, m.topic, list(m.synonyms)) for m in self.metrics.values()]


def parse_rows(rows: list[dict[str, str]]) -> list[Metric]:
    """Catalog rows (dicts with the CSV's columns) as Metric records."""
    return [Metric(r["metric_id"], r["name_zh"], r.get("name_en", ""), r.get("unit", ""), r.get("topic", ""),
                   tuple(s.strip() for s in r.get("synonyms", "").split("|") if s.strip())) for r in rows]


@functools.lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The catalog of `data/metrics.csv` (loaded once)."""
    return Catalog(parse_rows(list(table(CATALOG_FILE))))
