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

from etl.extract.lexicon import alternation, grouped, table, trie_alternation

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


@dataclass(frozen=True, init=False)
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

    def __init__(self, start: int, end: int, text: str, value: float, unit: str, unit_kind: str, qualifier: str,
                 ordinal: bool = False, chinese: bool = False) -> None:
        # One per figure: filling __dict__ is 2x faster than the generated frozen __init__
        # (an object.__setattr__ call per field). Fields are still read-only.
        d = self.__dict__
        d["start"], d["end"], d["text"], d["value"], d["unit"] = start, end, text, value, unit
        d["unit_kind"], d["qualifier"], d["ordinal"], d["chinese"] = unit_kind, qualifier, ordinal, chinese


@functools.lru_cache(maxsize=1)
def units() -> dict[str, tuple[str, str]]:
    """unit as written -> (canonical unit, default kind); kind 'skip' marks non-quantities."""
    return {r["unit"]: (r["canonical"], r["kind"]) for r in table("units.csv")}


@functools.lru_cache(maxsize=1)
def qualifier_words() -> dict[str, dict[str, str]]:
    """position -> {word: qualifier} from data/qualifiers.csv."""
    return grouped("qualifiers.csv", "position", "qualifier")


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


# A statistic's abbreviation written against its figure: GDP9602.72亿元, CPI102.3 (with a magnitude).
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,5}$")


@functools.lru_cache(maxsize=1)
def pattern() -> re.Pattern:
    """The compiled mention regex."""
    # A space after the decimal point is a line break of the page (2. 2万亿元).
    arabic = r"(?:[0-9０-９]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9０-９]+)(?:[.．] ?[0-9０-９]+)?"
    cn = f"[{CN_NUM_CHARS}]+(?:点[零〇一二两三四五六七八九]+)?"  # 三点五, 零点五
    inside = alternation(qualifier_words().get("inside", {}))
    prefix = alternation(qualifier_words().get("prefix", {}))
    # The unit closes the pattern, so a prefix tree matches the same (longest) unit as the
    # longest-first alternation, trying one branch per next character instead of every unit.
    unit_alt = trie_alternation(units())
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
    """Where a match of `pattern()` worth reading can start: 百分之, 第, a prefix word, an Arabic
    numeral, or a Chinese numeral followed by anything that can continue a match.

    A Chinese numeral followed by nothing of the kind (一 in 一系列, 四 in 四川) matches alone, as a
    bare number that find_numbers skips; resuming at the next character is what skipping its
    match does, so not trying such positions at all returns the same mentions, with ~1/4 fewer
    matches to read.
    """
    prefix_firsts = {w[0] for w in qualifier_words().get("prefix", {})}
    always = re.escape("".join(sorted(prefix_firsts | {"百"})))  # 百: 百分之
    # What can follow a numeral in a match: more numerals, spaces (SP), an inside qualifier
    # (余, 多), a magnitude, 大, a unit.
    inside = {w[0] for w in qualifier_words().get("inside", {})}
    words = [*inside, *MAGNITUDES, "大", *units()]
    going_on = re.escape("".join(sorted({w[0] for w in words} | set(CN_NUM_CHARS) | {"点"})) + " \u3000\t")
    # Likewise a numeral run followed by a character that only starts skipped units (2023年,
    # 11月, 十四届, 两期) matches as a skipped mention, and so do the runs starting at its other
    # numerals: the whole run can be passed over. A character qualifies when no other unit,
    # qualifier, magnitude or 大 starts with it (after 小 without 时 nothing matches: bare).
    # A Chinese run with 百 is always read: 三百分之一 holds 百分之一 (the match at 百).
    uts = units()
    skipped = {u[0] for u, (_, kind) in uts.items() if kind == "skip"}
    others = {u[0] for u, (_, kind) in uts.items() if kind != "skip"} | inside | {"大"} | set(CN_NUM_CHARS)
    dated = re.escape("".join(sorted(skipped - others - set(" \u3000\t"))))
    digits = "0-9０-９"
    # The class is consumed first (sre scans for it in a fast loop), then the lookarounds say
    # whether this position can start a match worth reading.
    return re.compile(f"[{digits}第{always}{CN_NUM_CHARS}]"
                      f"(?:(?<=[第{always}])"
                      f"|(?<=[{digits}])(?![{digits}]*{SP}[{dated}])"
                      f"|(?=[{going_on}])(?![{CN_NUM_CHARS.replace('百', '')}]*{SP}[{dated}]))")


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
    """The value of a Chinese numeral: read here when written in the standard form, else by
    cn2an (colloquial 一千五, digit by digit 二〇二三 ...). Importing cn2an costs 0.12 s, a
    tenth of a one-article load; the standard forms read here give cn2an's value (tested)."""
    value = standard_value(s)
    if value is not None:
        return float(value)
    import cn2an  # here, not at the top: see above

    try:
        return float(cn2an.cn2an(s, "normal"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


_CN_DIGIT = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_TWO_BEFORE = re.compile("两(?=[千百万亿])")  # 两千, 两百万: 两 as the digit 2


def standard_numeral(n: int) -> str:
    """n (0 <= n < 10**12) in the standard written form: 一十二, 三百零六, 一万零五十, 一亿零五千."""
    if n == 0:
        return "零"
    out, gap = "", False
    for part, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if not part:
            gap = bool(out)
            continue
        if out and (gap or part < 1000):
            out += "零"
        out += _section(part) + unit
        gap = False
    return out


def _section(n: int) -> str:
    out, gap = "", False
    for unit, d in (("千", n // 1000), ("百", n // 100 % 10), ("十", n // 10 % 10), ("", n % 10)):
        if not d:
            gap = bool(out)
            continue
        out += ("零" if gap else "") + "零一二三四五六七八九"[d] + unit
        gap = False
    return out


def standard_value(s: str) -> int | None:
    """The value of `s` when it is a numeral in the standard form (standard_numeral's, 两 allowed
    before 千百万亿 or alone), else None."""
    t = "二" if s == "两" else _TWO_BEFORE.sub("二", s)
    total = section = digit = 0
    for ch in t:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            section, digit = section + digit * _CN_SMALL[ch], 0
        elif ch == "万":
            total, section, digit = total + (section + digit) * 10**4, 0, 0
        elif ch == "亿":
            total, section, digit = (total + section + digit) * 10**8, 0, 0
        else:
            return None
    value = total + section + digit
    # Only a string that is the standard form of the value read: anything else is cn2an's to read.
    return value if value < 10**12 and standard_numeral(value) == t else None


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
    """The qualifier word right before index i (spaces skipped), unless part of another word."""
    j = i  # text[:j] is text[:i].rstrip(" \u3000"), read in place instead of copied
    while j and text[j - 1] in " \u3000":
        j -= 1
    if not text.endswith(_word_tuple("before"), 0, j):
        return None  # no qualifier word at all (most figures)
    for w, q in _sorted_words("before"):
        if text.endswith(w, 0, j):
            blockers = qualifier_blockers().get(w, "")
            prev = text[j - len(w) - 1] if j > len(w) else ""
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
    """The qualifier word right after index j (spaces skipped)."""
    n = len(text)
    while j < n and text[j] in " \u3000":
        j += 1
    if not text.startswith(_word_tuple("after"), j):
        return None
    for w, q in _sorted_words("after"):
        if text.startswith(w, j):
            return q
    return None


RANGE_MARKS = ("-", "－", "~", "～", "—", "至", "到")
# The lower bound of a range, right before its mark: a numeral with its magnitude, nothing else.
_RANGE_LOW = re.compile(r"(?<![0-9０-９.．第])(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?)(?P<mag>[万亿千])?%?\Z")


def _range_start(text: str, s: int) -> tuple[int, str, str | None] | None:
    """(start, numeral, magnitude) of the lower bound of a range ending at the mark text[s-1]
    (20-25元, 1500万～2000万张), else None."""
    m = _RANGE_LOW.search(text, max(0, s - 16), s - 1)
    if m is None:
        return None
    return m.start(), m.group("num"), m.group("mag")


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
    search = _first_char().search
    c = search(text)
    if c is None:
        return []  # nothing can start a mention (一些, 四川: bare numerals only)
    out = []
    uts = units()
    quals = qualifier_words()
    match = pattern().match
    opening = _OPENING_MARK.search(text)  # the first 《“「『 (None in most sentences)
    # finditer_from(pattern(), _first_char(), text), inlined: the next candidate is looked up
    # before this match is read, so that every `continue` below moves on.
    while c is not None:
        m = match(text, c.start())
        if m is None:
            c = search(text, c.start() + 1)
            continue
        c = search(text, m.end())
        pct, num, unit_written, mag, da, ordinal_mark, pre = m.group("pct", "num", "unit", "mag", "da", "ord", "pre")
        if pct:
            s, e = m.span()
            v = parse_numeral(m.group("pnum"))
            if v is not None:
                out.append(NumberMention(s, e, m.group(), v, "%", "share", "exact", chinese=True))
            continue
        if not (ordinal_mark or unit_written or mag or da):
            continue  # bare number: dates, codes, list markers (most matches: tested first)
        s, e = m.span()
        ordinal = bool(ordinal_mark)
        chinese = num[0] in CN_NUM_CHARS
        if chinese and num.strip("零〇") == "":
            continue  # 零部件, 零售, 零距离: 零 inside a word is no figure
        prev = text[s - 1] if s > 0 else ""
        low = _range_start(text, s) if prev in RANGE_MARKS and not (ordinal_mark or pre) else None
        # -1.1%: a minus sign after a word or a space, not inside a code or a range (5-8)
        negative = (prev != "" and prev in "-－" and low is None and not chinese
                    and (s < 2 or not (text[s - 2].isascii() and text[s - 2].isalnum())))
        if prev and prev.isascii() and (prev.isalnum() or prev in "._-/") and low is None and not negative \
                and not (mag and _ACRONYM.search(text, max(0, s - 8), s)):
            continue  # S11, TGV3.0, D4, phone and ID pieces; GDP9602.72亿元 is a figure
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
        # An ASCII numeral without separators is its own float (parse_numeral's fast case).
        if " " in num:
            num = num.replace(" ", "")
        v = float(num) if num.isascii() and "," not in num else parse_numeral(num)
        if v is None:
            continue
        if chinese and not ordinal and v == 1 and not mag and not pre:
            continue  # 一个, 一条, 一系列: articles rather than counts
        if opening is not None and opening.start() < s:  # else nothing is open before s
            in_title, in_quotes = _inside_marks(text, s)
            if in_title or (chinese and in_quotes and not ordinal):
                continue
        if chinese and prev and (prev in OPEN_QUOTES or prev in ORDINAL_CONTEXT):
            continue  # “五个能级”, 十四届四次全会
        if mag:
            v = _scale(v, mag)
        if low is not None:  # 20-25元, 1500万～2000万张, 6-8亿元: one figure, the middle, approx
            a, lo_num, lo_mag = low
            lo = parse_number(lo_num)
            if lo is None or ukind == "skip":
                continue
            lo = _scale(lo, lo_mag or mag)
            while out and out[-1].start >= a:
                out.pop()  # the lower bound read as a figure of its own
            out.append(NumberMention(a, e, text[a:e], (lo + v) / 2, canon, ukind or "count", "approx",
                                     chinese=chinese))
            continue
        if negative:
            v, s = -v, s - 1
        if unit_written == TENTHS:
            if not 0 < v <= 10:
                continue
            v *= 10
        qualifier = "exact"
        for word in m.group("in1", "in2"):
            if word:
                qualifier = quals["inside"][word]
        if pre and qualifier == "exact":
            qualifier = quals["prefix"][pre]
        # Mention span starts at the numeral (第 belongs to ranks, 上/数 to the numeral span;
        # a minus sign to a negative figure).
        ms = m.start("num") - negative if not ordinal else s
        if pre and not ordinal:
            ms = m.start("pre")
        if qualifier == "exact":
            qualifier = _before_qualifier(text, ms) or _after_qualifier(text, e) or "exact"
        if ordinal:
            canon, ukind = "位", "rank"
        out.append(NumberMention(ms, e, text[ms:e], v, canon, ukind or "count", qualifier,
                                 ordinal=ordinal, chinese=chinese))
    return out
