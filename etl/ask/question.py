"""A question read into what the claims table can be searched by: place, period, kind, unit, metric words.

The project's own extractors read it: places (etl.extract.places), periods resolved against the
question's date (etl.extract.periods), the script converter, jieba, and the metric synonyms of the
extraction. What is left once the places, the period and the asking words are taken out is the
metric; its words (with the synonyms a paper writes for them, `data/ask/synonyms.csv`) are what a
claim's metric phrase and sentence must contain. Pure: no database here.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from etl.extract.fields.metric import canonical_metric
from etl.extract.lexicon import alternation, table
from etl.extract.periods import Period, PeriodMention, find_periods
from etl.extract.places import Place, by_name, find_places, gazetteer
from etl.extract.script import simplify
from etl.extract.wordseg import segment

from .english import COUNT_MARK, TOTAL_MARK, is_english
from .english import read as read_english

KINDS = ("value", "growth", "share", "rank", "change_pp")
MAX_CHARS = 300  # of a question read (a question is a sentence; a page pasted in is cut)
MAX_TERMS = 16  # metric words kept (each is a condition of the candidates' SQL)

_ASKED_ON = re.compile(r"[（(]?\s*提问日期\s*[:：]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?")
_PUNCT = re.compile(r"[\s\u3000，,。.？?！!：:；;、“”\"'‘’（）()《》「」【】\[\]—\-–~～/·]+")
_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,24})[”」』\"]")
_DIGITS = re.compile(r"^[\d.]+$")
# A measure word asked for: 多少户, 几个, 多少亿元, 多少钱.
_MONEY = {"钱": "元", "元": "元", "万元": "元", "亿元": "元", "美元": "美元", "亿美元": "美元", "万美元": "美元"}
_MEASURES = ("户", "家", "个", "件", "条", "人", "名", "人次", "场", "项", "公里", "千瓦时", "吨", "辆", "套", "所",
             "座", "次", "张", "台", "亩", "位", "平方米", "平方公里", "万人", "万户", "万家", "架次", "艘", "列",
             "班", "只", "款", "批", "届", "种", "篇", "份", "株", "头", "间", "栋", "处", "元", "钱", "万元",
             "亿元", "美元", "亿美元", "万美元")
_SAME_UNITS = {"名": "人", "万人": "人", "万户": "户", "万家": "家"}
# 多少 followed by a measure word; the longest measure word first.
_UNIT_ASKED = re.compile(r"(?:多少|几)(" + alternation(_MEASURES) + ")")


@dataclass(frozen=True)
class Question:
    """What a question asks for."""

    asked: str  # the question as typed
    text: str  # as read: Simplified script, English put into Chinese, the question's date removed
    today: dt.date  # what 今年 / 去年 are counted from
    places: tuple[Place, ...] = ()  # the subject first
    period: Period | None = None
    period_text: str = ""
    strict: bool = False  # 全年 / 当月: the whole period named, not a part of it
    kind: str = "value"  # value | growth | share | rank | change_pp
    unit: str | None = None  # the measure word asked for (元 for money)
    plan: bool = False  # a target or forecast is asked for (计划, 预计)
    terms: tuple[str, ...] = ()  # words of the metric
    names: frozenset[str] = frozenset()
    # words that some claim's metric phrase has (民营企业, 一般贸易): a part of what is measured,
    # to be found with the figure, not only somewhere in its article (set by etl.ask.answer)
    modifiers: frozenset[str] = frozenset()  # names the question quotes (“信易贷”): terms found anywhere in an article
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term -> other forms
    lang: str = "zh"
    period_name: str = ""  # which period pattern read it (year, quarters, since ...)
    count: bool = False  # "how many": a count, not money
    total: bool = False  # "total imports": the whole, not a part of it
    unread: tuple[str, ...] = ()  # English words nothing could read: asked, but never found
    relative: bool = False  # 今年 / 去年 with no date of its own: counted from each article's date

    @property
    def metric(self) -> str:
        return "".join(self.terms)


@functools.lru_cache(maxsize=1)
def _roles() -> dict[str, str]:
    return {r["word"]: r["role"] for r in table("ask/question_words.csv")}


@functools.lru_cache(maxsize=1)
def _role_re() -> re.Pattern:
    return re.compile(alternation(_roles()))


@functools.lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Question word -> the other words a paper writes for it."""
    return {r["word"]: tuple(w for w in r["also"].split("|") if w) for r in table("ask/synonyms.csv")}


def asked_on(question: str) -> dt.date | None:
    """The date a question states for itself (（提问日期：2024年1月25日）), if any."""
    m = _ASKED_ON.search(question)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _places(text: str) -> tuple[list[Place], list[tuple[int, int]]]:
    """Places a question names, in order (each once), and the spans they take."""
    out: list[Place] = []
    spans: list[tuple[int, int]] = []
    starts = _word_starts(text)
    for m in find_places(text, with_orgs=True):
        place = m.place
        if place is None or m.start not in starts:
            continue  # 融资中信用贷款: 资中 starts inside 融资, no place
        # 成都高新技术产业: 高新技术 is an industry, not the 高新区 of 成都.
        if place.level == "zone" and text.startswith("技术", m.end) and text[m.start:m.end].endswith("高新"):
            place = by_name().get(place.parent) or place
        end = m.end
        if text[m.start:end].endswith("市") and text.startswith("场", end):
            end -= 1  # 成都市场主体: the 市 is 市场's
        if place not in out:
            out.append(place)
        spans.append((m.start, end))
    # 四川卓勤新材料（郫县）: a later place inside an earlier one is what is asked about (郫都区);
    # 成都外贸占四川的比重: an earlier place inside a later one stays first.
    for i in range(1, len(out)):
        if out[0].name in containing(out[i].name):
            out.insert(0, out.pop(i))
    return out, spans


def _word_starts(text: str) -> set[int]:
    """Offsets where a jieba word of the text starts."""
    out, i = set(), 0
    for w in segment(text):
        j = text.find(w, i)
        if j < 0:
            continue
        out.add(j)
        i = j + len(w)
    return out


def containing(name: str | None, metros: bool = False) -> list[str]:
    """The places containing a place (by name), nearest first; with `metros`, its metropolitan
    area too (眉山市 is in 成都都市圈 as well as in 四川省)."""
    out: list[str] = []
    places = by_name()
    p = places.get(name) if name else None
    while p is not None:
        if metros and p.metro and p.metro not in out:
            out.append(p.metro)
        name = p.parent
        if not name or name in out:
            break
        out.append(name)
        p = places.get(name)
    return out


_YEAR = re.compile(r"(?:19|20)\d\d")
_RELATIVE = re.compile("今年|去年|前年|明年|本年|上年|年内|目前|当前|至今|以来|本月|上月|今天|连续|近|过去|未来")


def _period(text: str, today: dt.date) -> tuple[PeriodMention | None, list[tuple[int, int]], bool]:
    """The period mention asked for, the spans of every period expression, and 全年 (strict)."""
    mentions = find_periods(text, today)
    spans = [(m.start, m.end) for m in mentions]
    strict = False
    chosen = None
    for m in mentions:
        if m.period is None:
            continue  # a comparison base (较2021年)
        if m.name == "this_year" and chosen is not None:
            strict = True  # 2023年全年: the year already named, whole
            continue
        if chosen is None:
            chosen = m
    if chosen is not None and not _YEAR.search(chosen.text):
        # 前11个月……（2023年）: a bare year elsewhere in the question is the period's year
        year = next((m for m in mentions if m is not chosen and m.name == "year" and _YEAR.search(m.text)), None)
        if year is not None:
            again = [m for m in find_periods(year.text + chosen.text, today) if m.period is not None]
            if again:
                chosen = PeriodMention(chosen.start, chosen.end, year.text + chosen.text, again[0].period,
                                       again[0].name)
    return chosen, spans, strict


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans blanked out (by a separator, so words do not join across them)."""
    chars = list(text)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


def parse(question: str, today: dt.date | None = None) -> Question:
    """Read a question (Chinese in either script, or English) into a `Question`."""
    asked = question
    today = asked_on(question) or today or dt.date.today()
    text = _ASKED_ON.sub(" ", question[:MAX_CHARS])
    lang = "en" if is_english(text) else "zh"
    count = total = False
    unread_words: tuple[str, ...] = ()
    if lang == "en":
        text, words_unread = read_english(text)
        unread_words = tuple(words_unread)
        count, total = COUNT_MARK in text, TOTAL_MARK in text
        text = text.replace(COUNT_MARK, "").replace(TOTAL_MARK, "")
    text = canonical_metric(simplify(text.strip())) or ""
    places, place_spans = _places(text)
    chosen, period_spans, strict = _period(text, today)
    period = chosen.period if chosen else None
    period_text = chosen.text if chosen else ""
    relative = bool(chosen and asked_on(question) is None and _RELATIVE.search(chosen.text))
    quoted = [(m.start(), m.end(), _PUNCT.sub("", m.group(1))) for m in _QUOTED.finditer(text)]
    names = [n for _, _, n in quoted if len(n) >= 2]
    rest = _cut(text, place_spans + period_spans + [(a, b) for a, b, _ in quoted])

    kind, plan, strict, words = _read_words(rest, strict)
    unit_m = _UNIT_ASKED.search(text)
    unit = None
    if unit_m:
        unit = _MONEY.get(unit_m.group(1)) or _SAME_UNITS.get(unit_m.group(1)) or unit_m.group(1)
        if unit == "位":
            kind = "rank"
    terms = tuple(dict.fromkeys([*names, *_terms(words, unit_m.group(1) if unit_m else None)]))[:MAX_TERMS]
    syn = synonyms()
    return Question(asked=asked, text=text, today=today, places=tuple(places), period=period,
                    period_text=period_text, strict=strict, kind=kind, unit=unit, plan=plan,
                    terms=terms, names=frozenset(names), alternatives={t: syn[t] for t in terms if t in syn}, lang=lang,
                    period_name=chosen.name if chosen else "", relative=relative, count=count, total=total,
                    unread=unread_words)


_ORDER = ("value", "growth", "share", "change_pp", "rank")  # the most telling kind wins


def _read_words(rest: str, strict: bool) -> tuple[str, bool, bool, list[str]]:
    """Kind, plan, strict and the remaining words of a question's text (places and periods cut).

    A word is an asking word only as a whole jieba word (占 alone, not the 占 of 占地); an asking
    word of two or more characters inside a longer word (增长 in 同比增长了) counts too.
    """
    roles = _roles()
    kind, plan = "value", False
    words: list[str] = []

    def note(role: str) -> None:
        nonlocal kind, plan, strict
        if role in _ORDER and _ORDER.index(role) > _ORDER.index(kind):
            kind = role
        elif role == "plan":
            plan = True
        elif role == "strict":
            strict = True

    for chunk in _PUNCT.split(rest):
        for w in segment(chunk) if chunk else ():
            role = roles.get(w)
            if role:
                note(role)
                continue
            for m in _role_re().finditer(w):
                if len(m.group()) >= 2 and roles[m.group()] in _ORDER:
                    note(roles[m.group()])
            words.append(w)
        words.append(" ")  # chunks stay apart
    return kind, plan, strict, words


def _terms(words: list[str], measure: str | None) -> tuple[str, ...]:
    """Metric words (no digits, no measure word asked for, no asking word, each once)."""
    out: list[str] = []
    roles = _roles()
    for w in words:
        w = w.strip()
        if measure and w.startswith(measure) and w != measure:
            w = w[len(measure):]
        if not w or w == measure or _DIGITS.match(w) or w in out or w in gazetteer() or w.startswith("几"):
            continue  # a place is not a metric word (占四川的比重): the places are matched apart
        if not any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in w):
            continue
        # an asking word glued to the metric by jieba (增长多少): keep the rest
        for m in _role_re().finditer(w):
            if len(m.group()) >= 2 and roles[m.group()] in (*_ORDER, "ask"):
                w = w.replace(m.group(), "")
        if w and w not in out and w not in roles:
            out.append(w)
    return tuple(out)
