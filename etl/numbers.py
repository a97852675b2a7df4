"""Find numeric mentions in a sentence and parse them (value, canonical unit, qualifier).

Handles Arabic numbers (decimals, thousands separators, full-width digits), Chinese numerals
(四大, 两条, 十余家, 一千二百三十四), mixed forms (1.3万, 20.8亿千瓦时, 7.1 亿余条), stray spaces
from PDF extraction ("1085.95 亿元", "380余 万户"), and percentages (5.61%, 百分之五十).
Units, measure words and qualifier words come from `data/units.csv` and `data/qualifiers.csv`.
Durations, calendar words, ordinals and numbers inside names or titles are not returned.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

from etl.lexicon import alternation, finditer_from, table

FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
CN_DIGIT_CHARS = "零〇一二两三四五六七八九"
CN_NUM_CHARS = CN_DIGIT_CHARS + "十百千万亿"
MAGNITUDES = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "亿": 10**8,
              "千万": 10**7, "百万": 10**6, "万": 10**4, "千": 10**3, "百": 10**2}
SP = r"[ \u3000\t]*"
CJK_UNIT = re.compile(r"[\u4e00-\u9fff]")
OPEN_QUOTES = "“‘「『\""
ORDINAL_CONTEXT = "届"
CLOSE_QUOTES = "”’」』\""
# 八成 = 80%: a unit that scales the value; only after a Chinese numeral, never before a
# character that makes 成 part of a word (三成都市, 四成员, 两成为).
TENTHS = "成"
TENTHS_NOT_BEFORE = set("都员为立本功果交效长就熟型品绩分")


@dataclass(frozen=True)
class NumberMention:
    """A number with its unit in a sentence; `start`/`end` index the sentence text."""

    start: int
    end: int
    text: str
    value: float
    unit: str  # canonical unit ('' when none, e.g. 四大)
    unit_kind: str  # default kind of the unit: amount | count | share | change_pp | multiple | other | rank
    qualifier: str  # exact | approx | over | under
    ordinal: bool = False  # 第N: a rank when the context says so, else not a claim
    chinese: bool = False  # the numeral is written in Chinese characters


@functools.lru_cache(maxsize=1)
def units() -> dict[str, tuple[str, str]]:
    """unit as written -> (canonical unit, default kind); kind 'skip' marks non-quantities."""
    return {r["unit"]: (r["canonical"], r["kind"]) for r in table("units.csv")}


@functools.lru_cache(maxsize=1)
def qualifier_words() -> dict[str, dict[str, str]]:
    """position -> {word: qualifier} from data/qualifiers.csv."""
    out: dict[str, dict[str, str]] = {}
    for r in table("qualifiers.csv"):
        out.setdefault(r["position"], {})[r["word"]] = r["qualifier"]
    return out


@functools.lru_cache(maxsize=1)
def qualifier_blockers() -> dict[str, str]:
    """before-word -> characters that, right before it, make it part of another word (节约)."""
    return {r["word"]: r.get("not_after", "") for r in table("qualifiers.csv") if r.get("not_after")}


def _magnitude_pattern() -> str:
    """Magnitude words, never eating the first character of a unit (千瓦时, 千米, 百分点)."""
    us = list(units())
    parts = []
    for m in sorted(MAGNITUDES, key=len, reverse=True):
        tails = [u[len(m):] for u in us if u.startswith(m) and len(u) > len(m)]
        look = f"(?!{alternation(tails)})" if tails else ""
        parts.append(re.escape(m) + look)
    return "|".join(parts)


@functools.lru_cache(maxsize=1)
def pattern() -> re.Pattern:
    """The compiled mention regex."""
    arabic = r"(?:[0-9０-９]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9０-９]+)(?:[.．][0-9０-９]+)?"
    cn = f"[{CN_NUM_CHARS}]+"
    inside = alternation(qualifier_words().get("inside", {}))
    prefix = alternation(qualifier_words().get("prefix", {}))
    unit_alt = alternation(units())
    return re.compile(
        rf"(?P<pct>百分之(?P<pnum>{cn}|{arabic}))"
        rf"|(?P<ord>第{SP})?(?:(?P<pre>{prefix})(?=[{CN_NUM_CHARS}]))?"
        rf"(?P<num>{arabic}|{cn})"
        rf"(?:{SP}(?P<in1>{inside}))?"
        rf"(?:{SP}(?P<mag>{_magnitude_pattern()}))?"
        rf"(?:{SP}(?P<in2>{inside}))?"
        rf"(?:{SP}(?P<da>大)(?!{SP}[{CN_NUM_CHARS}]))?"
        rf"(?:{SP}(?P<unit>{unit_alt}))?"
    )


@functools.lru_cache(maxsize=1)
def _first_char() -> re.Pattern:
    """The characters a match of `pattern()` can start with (百分之, 第, a prefix word, a numeral)."""
    prefix_firsts = "".join(sorted({w[0] for w in qualifier_words().get("prefix", {})}))
    return re.compile(f"[0-9０-９第{re.escape(prefix_firsts)}{CN_NUM_CHARS}]")


def parse_numeral(s: str) -> float | None:
    """Value of an Arabic or Chinese numeral span ('1,234.5', '３２', '一千二百三十四', '百')."""
    s = s.translate(FULLWIDTH).replace(",", "").strip()
    if not s:
        return None
    if s[0].isdigit():
        try:
            return float(s)  # correctly rounded, like float(Decimal(s)), and much faster
        except ValueError:
            pass
        try:
            return float(Decimal(s))
        except InvalidOperation:
            return None
    if s[0] in "十百千万亿":
        s = "一" + s
    return _chinese_value(s)


@functools.lru_cache(maxsize=4096)
def _chinese_value(s: str) -> float | None:
    """cn2an's value of a Chinese numeral (cached: cn2an is slow and numerals repeat)."""
    try:
        return float(cn2an.cn2an(s, "normal"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def parse_number(s: str) -> float | None:
    """Value of a whole number expression: '3.2万' -> 32000, '12.5亿' -> 1.25e9, '两千' -> 2000."""
    s = s.translate(FULLWIDTH).replace(" ", "")
    if s and s[0] in CN_NUM_CHARS:
        return parse_numeral(s)  # 一千四百: the whole span is one numeral
    m = re.fullmatch(r"([0-9.,]+|[" + CN_NUM_CHARS + r"]+?)(万亿|千亿|百亿|亿|千万|百万|万|千|百)?", s)
    if not m:
        return None
    v = parse_numeral(m.group(1))
    if v is None:
        return None
    return _scale(v, m.group(2))


def _scale(v: float, mag: str | None) -> float:
    if not mag:
        return v
    return float(Decimal(repr(v)) * MAGNITUDES[mag])


_OPENING_MARK = re.compile("[《“「『]")


def _inside_marks(text: str, i: int) -> tuple[bool, bool]:
    """(inside 《title》, inside quotes) at index i of the sentence."""
    before = text[:i]
    if not _OPENING_MARK.search(before):
        return False, False  # nothing opened before i (most sentences)
    in_title = before.count("《") > before.count("》")
    opens = sum(before.count(q) for q in "“「『")
    closes = sum(before.count(q) for q in "”」』")
    return in_title, opens > closes


def _before_qualifier(text: str, i: int) -> str | None:
    before = text[:i].rstrip(" \u3000")
    if not before.endswith(_word_tuple("before")):
        return None  # no qualifier word at all (most figures)
    for w, q in _sorted_words("before"):
        if before.endswith(w):
            blockers = qualifier_blockers().get(w, "")
            prev = before[-len(w) - 1] if len(before) > len(w) else ""
            if prev and prev in blockers:
                continue
            return q
    return None


@functools.cache
def _sorted_words(position: str) -> tuple[tuple[str, str], ...]:
    ws = qualifier_words().get(position, {})
    return tuple(sorted(ws.items(), key=lambda kv: -len(kv[0])))


@functools.cache
def _word_tuple(position: str) -> tuple[str, ...]:
    return tuple(w for w, _ in _sorted_words(position))


def _after_qualifier(text: str, j: int) -> str | None:
    after = text[j:].lstrip(" \u3000")
    if not after.startswith(_word_tuple("after")):
        return None
    for w, q in _sorted_words("after"):
        if after.startswith(w):
            return q
    return None


def find_numbers(text: str, cuts: tuple[int, ...] = ()) -> list[NumberMention]:
    """All numeric mentions of a sentence that can be claims (see module doc).

    `cuts` are positions where the source had a line break between two digits ("13\\n627.9亿元"):
    a column artefact, so no number may span them; each piece is read on its own.
    """
    if cuts:
        out: list[NumberMention] = []
        bounds = [0, *sorted(cuts), len(text)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            for n in find_numbers(text[a:b]):
                out.append(NumberMention(n.start + a, n.end + a, n.text, n.value, n.unit, n.unit_kind,
                                         n.qualifier, n.ordinal, n.chinese))
        return out
    out = []
    uts = units()
    quals = qualifier_words()
    for m in finditer_from(pattern(), _first_char(), text):
        s, e = m.span()
        pct, num, unit_written, mag, da, ordinal_mark, pre = m.group("pct", "num", "unit", "mag", "da", "ord", "pre")
        if pct:
            v = parse_numeral(m.group("pnum"))
            if v is not None:
                out.append(NumberMention(s, e, m.group(), v, "%", "share", "exact", chinese=True))
            continue
        ordinal = bool(ordinal_mark)
        if not (ordinal or unit_written or mag or da):
            continue  # bare number: dates, codes, list markers (most matches: tested first)
        chinese = num[0] in CN_NUM_CHARS
        prev = text[s - 1] if s > 0 else ""
        if prev and prev.isascii() and (prev.isalnum() or prev in "._-/"):
            continue  # S11, TGV3.0, D4, phone and ID pieces
        canon, ukind = uts.get(unit_written, ("", "")) if unit_written else ("", "")
        if ukind == "skip":
            continue
        end_char = text[e] if e < len(text) else ""
        if end_char and end_char.isascii() and end_char.isalpha() and not (unit_written and CJK_UNIT.match(unit_written)):
            continue  # 3D, 5G, 4K: glued to Latin letters (58家A级景区 has its measure word)
        if unit_written == TENTHS and (not chinese or mag or end_char in TENTHS_NOT_BEFORE):
            continue
        if ordinal:
            if da or (unit_written and canon not in ("位", "名")):
                continue  # 第四个, 第七届, 第一大
            if not unit_written and mag:
                continue
        v = parse_numeral(num)
        if v is None:
            continue
        if chinese and not ordinal and v == 1 and not mag and not pre:
            continue  # 一个, 一条, 一系列: articles rather than counts
        in_title, in_quotes = _inside_marks(text, s)
        if in_title or (chinese and in_quotes and not ordinal):
            continue
        if chinese and prev and (prev in OPEN_QUOTES or prev in ORDINAL_CONTEXT):
            continue  # “五个能级”, 十四届四次全会
        v = _scale(v, mag)
        if unit_written == TENTHS:
            if not 0 < v <= 10:
                continue
            v *= 10
        qualifier = "exact"
        for g in ("in1", "in2"):
            if m.group(g):
                qualifier = quals["inside"][m.group(g)]
        if pre and qualifier == "exact":
            qualifier = quals["prefix"][pre]
        # Mention span starts at the numeral (第 belongs to ranks, 上/数 to the numeral span).
        ms = m.start("num") if not ordinal else s
        if pre and not ordinal:
            ms = m.start("pre")
        if qualifier == "exact":
            qualifier = _before_qualifier(text, ms) or _after_qualifier(text, e) or "exact"
        if ordinal:
            canon, ukind = "位", "rank"
        out.append(NumberMention(ms, e, text[ms:e], v, canon, ukind or "count", qualifier,
                                 ordinal=ordinal, chinese=chinese))
    return out
