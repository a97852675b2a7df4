"""An English question in the Chinese a reader of the paper would write, for the Chinese parser.

"Chengdu GDP first half of 2021" -> "2021年上半年 成都 地区生产总值 是多少". Periods are read by
pattern, places by the pinyin of the gazetteer's names (pypinyin: every place of the gazetteer,
not a hand list), other words from `data/ask/english.csv`. Words it does not know are dropped:
the Chinese parser then finds fewer words of a metric and answers less often, never wrongly more.
Pure: no database here.
"""
from __future__ import annotations

import functools
import re

from etl.extract.lexicon import table
from etl.extract.places import gazetteer

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH = "(" + "|".join(m for m in _MONTHS) + "|" + "|".join(m[:3] for m in _MONTHS) + r")\.?"
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}
_Y = r"((?:19|20)\d\d)"


_COUNTS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_COUNT = "(?:" + "|".join(_COUNTS) + r"|\d{1,2})"


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNTS.index(word.lower()) + 1


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name.lower().rstrip(".")[:3]))


# (pattern, Chinese) in order: the longer forms first. Each is replaced once, in place.
_PERIODS: tuple[tuple[re.Pattern, object], ...] = tuple((re.compile(p, re.I), f) for p, f in (
    (rf"\b(?:as reported in|reported in|report(?:ed)? of)\s+(?:{_MONTH}\s+)?{_Y}\b", lambda m: " "),
    (rf"\(\s*{_Y}\s+report\s*\)", lambda m: " "),
    (rf"\b{_MONTH}\s*(?:-|–|to|through)\s*{_MONTH}\s+(?:of\s+)?{_Y}\b",
     lambda m: f"{m.group(3)}年{_month(m.group(1))}-{_month(m.group(2))}月"),
    (rf"\b(?:the\s+)?first three quarters of\s+{_Y}\b", lambda m: f"{m.group(1)}年前三季度"),
    (rf"\b(?:the\s+)?first ({_COUNT}) months of\s+{_Y}\b", lambda m: f"{m.group(2)}年前{_count(m.group(1))}个月"),
    (rf"\b(?:by\s+|at\s+)?end-{_Y}\b", lambda m: f"{m.group(1)}年末"),
    (rf"\b(?:the\s+)?(first|second) half of\s+{_Y}\b",
     lambda m: f"{m.group(2)}年{'上' if m.group(1).lower() == 'first' else '下'}半年"),
    (rf"\bH([12])\s+{_Y}\b", lambda m: f"{m.group(2)}年{'上' if m.group(1) == '1' else '下'}半年"),
    (rf"\b(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th) quarter of\s+{_Y}\b",
     lambda m: f"{m.group(2)}年{_QUARTERS[_ORDINAL[m.group(1).lower()]]}季度"),
    (rf"\bQ([1-4])\s+{_Y}\b", lambda m: f"{m.group(2)}年{_QUARTERS[int(m.group(1))]}季度"),
    (rf"\b{_Y}\s+Q([1-4])\b", lambda m: f"{m.group(1)}年{_QUARTERS[int(m.group(2))]}季度"),
    (rf"\b(?:at\s+)?(?:the\s+)?end of\s+{_MONTH}\s+{_Y}\b", lambda m: f"{m.group(2)}年{_month(m.group(1))}月末"),
    (rf"\b(?:at\s+)?(?:the\s+)?end of\s+{_Y}\b", lambda m: f"{m.group(1)}年末"),
    (rf"\b(?:as of|as at|by)\s+{_MONTH}\s+{_Y}\b", lambda m: f"截至{m.group(2)}年{_month(m.group(1))}月"),
    (rf"\b(?:the\s+)?full year(?: of)?\s+{_Y}\b", lambda m: f"{m.group(1)}年全年"),
    (rf"\b{_Y}\s+as a whole\b", lambda m: f"{m.group(1)}年全年"),
    (rf"\b{_MONTH}\s+{_Y}\b", lambda m: f"{m.group(2)}年{_month(m.group(1))}月"),
    (rf"\b(?:in\s+)?{_Y}\b", lambda m: f"{m.group(1)}年"),
))

# What is asked, in the words question.py reads.
_ASKS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.I), z) for p, z in (
    (r"\bhow fast\b|\bgrowth rate\b|\bgrowth\b|\bgrow(?:n|th)?\b|\bgrew\b|\bincrease by\b|\brise\b|\brose\b", " 增长 "),
    (r"\bpercentage points?\b", " 个百分点 "),
    (r"\bshare\b|\bproportion\b|\bpercentage of\b|\bper ?cent of\b", " 占比 "),
    (r"\brank(?:ing|ed)?\b|\bplace\b|\bposition\b", " 排名 "),
    (r"\bplan(?:s|ned)?\b|\btargets?\b|\bexpected\b|\bforecast\b|\baims? to\b|\bintends? to\b", " 计划 "),
    (r"\byear[- ]on[- ]year\b", " 同比 "),
    (r"\bhow many\b", " 多少" + "\u2063"),
    (r"\btotal\b|\bin all\b|\boverall\b", " \u2064 "),
    (r"\bhow much\b|\bwhat (?:is|was|were|are)\b|\bnumber of\b", " 多少 "),
))

# Marks "how many" for question.py (a count is asked, not an amount of money) and "total" (the
# whole is asked, not a part): invisible characters.
COUNT_MARK = "\u2063"
TOTAL_MARK = "\u2064"

_WORD = re.compile(r"[a-z][a-z\-']*[a-z]|[a-z]", re.I)
_GLOSS = re.compile(r"\([^()]*\)")
_PLACE_SUFFIX = re.compile(r"(?:省|市|区|县|自治州|州|新区|高新区)$")
_LETTER = re.compile(r"[A-Za-z]")


def is_english(text: str) -> bool:
    """Whether a question is written in English (more Latin letters than Chinese characters)."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return len(_LETTER.findall(text)) > 2 * han


@functools.lru_cache(maxsize=1)
def _terms() -> tuple[re.Pattern, dict[str, str]]:
    rows = {r["english"].lower(): r["chinese"] for r in table("ask/english.csv")}
    words = sorted((w for w in rows if rows[w]), key=lambda w: (-len(w), w))
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I), rows


_LEVEL_RANK = {"province": 0, "city": 1, "metro": 2, "zone": 3, "district": 4, "county": 5, "country": 6}


@functools.lru_cache(maxsize=1)
def place_names() -> dict[str, str]:
    """Pinyin without tones or spaces (chengdu, xinjin) -> the gazetteer name a reader means.

    Where two places share a pinyin, the higher level wins, then a place in Sichuan (the papers'
    home): Chengdu is 成都市, never a county of the same sound.
    """
    from pypinyin import lazy_pinyin  # imported here: only English questions need it

    from etl.extract.places import is_sichuan

    best: dict[str, tuple[tuple, str]] = {}
    for name, place in gazetteer().items():
        core = _PLACE_SUFFIX.sub("", name) if len(name) > 2 else name
        if len(core) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in core):
            continue
        key = "".join(lazy_pinyin(core)).lower()
        rank = (_LEVEL_RANK.get(place.level, 9), not is_sichuan(place), name != place.name, place.name)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, place.name)
    return {k: v[1] for k, v in best.items()}


@functools.lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    """English words the table knows, those that measure nothing included."""
    return frozenset(w for r in table("ask/english.csv") for w in r["english"].lower().split())


def read(question: str) -> tuple[str, list[str]]:
    """The Chinese reading of an English question (see the module's docstring), and its words
    that nothing reads (not a period, place, asking or table word, nor inside a gloss in
    brackets: (EVs, solar cells)): each is a part of what is asked no claim can be checked against."""
    s = question.replace("’", "'")
    parts: list[str] = []
    for pattern, fn in _PERIODS:
        s = pattern.sub(lambda m, fn=fn: parts.append(fn(m)) or " ", s)  # type: ignore[operator]
    for pattern, zh in _ASKS:
        s = pattern.sub(lambda m, zh=zh: parts.append(zh) or " ", s)
    pattern, rows = _terms()
    s = pattern.sub(lambda m: parts.append(rows[m.group().lower()]) or " ", s)
    places, known = place_names(), _known()
    for w in _WORD.findall(s):
        key = re.sub(r"'s$", "", w.lower()).replace("-", "")
        for k in (key, *w.lower().split("-")):  # Neijiang-Zigong-Luzhou: three places
            if k in places:
                parts.append(places[k])
                if k == key:
                    break
    unread = []
    for w in _WORD.findall(_GLOSS.sub(" ", s)):
        key = re.sub(r"'s$", "", w.lower())
        if not (key in known or key.replace("-", "") in places or all(k in places for k in key.split("-"))):
            unread.append(key)
    # Chinese the question already carries (个体工商户, 信易贷) is kept.
    parts.extend(re.findall(r"[\u4e00-\u9fff]+", s))
    text = " ".join(parts)
    asks = "多少" in text or "排名" in text or "占比" in text or "增长" in text
    return (text if asks else text + "多少"), unread


def to_chinese(question: str) -> str:
    """The Chinese reading of an English question (`read`)."""
    return read(question)[0]


def unread(question: str) -> list[str]:
    """The words of an English question nothing reads (`read`)."""
    return read(question)[1]
