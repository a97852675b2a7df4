"""Numbers, periods and highlighted sentences formatted for readers (pure functions, no Streamlit).

Chinese readers count in 万 (10^4) and 亿 (10^8): 683470000000 元 -> 6834.7亿元, 3891200 户 ->
389.12万户, 5.61 % -> 5.61%. English readers get thousands / million / billion.
"""
from __future__ import annotations

import calendar
import datetime as dt
import html
import math

# Units that never take a magnitude word (5.61%, 3个百分点, 第2位, 1.5倍).
NO_MAGNITUDE = {"%", "个百分点", "倍", "位", "折", "强"}
ZH_MAGNITUDES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
EN_MAGNITUDES = ((1e12, " tn"), (1e9, " bn"), (1e6, " m"))
QUALIFIER_ZH = {"approx": "约", "over": "超", "under": "不足"}
QUALIFIER_EN = {"approx": "about ", "over": "over ", "under": "under "}
EN_UNITS = {"元": "yuan", "美元": "US$", "%": "%", "个百分点": "pp", "户": "households", "家": "firms",
            "名": "people", "人": "people", "人次": "person-times", "项": "items", "件": "items", "个": "",
            "平方米": "m²", "平方公里": "km²", "千瓦时": "kWh", "公里": "km", "吨": "t", "亩": "mu", "倍": "×"}


def fmt_number(x: float, digits: int = 2) -> str:
    """`x` with at most `digits` decimals, trailing zeros dropped: 6834.70 -> '6834.7'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _no_magnitude(unit: str) -> bool:
    return unit in NO_MAGNITUDE or any(c.isascii() and c.isalpha() for c in unit)


def fmt_value(value: float | None, unit: str | None, lang: str = "zh", digits: int = 2) -> str:
    """A value with its unit: 6834.7亿元, 389.12万户, 5.61%, 3个百分点 (en: 683.47 bn yuan)."""
    unit = unit or ""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if lang == "en":
        u = EN_UNITS.get(unit, unit)
        if unit in ("%",):
            return f"{fmt_number(value, digits)}%"
        if not _no_magnitude(unit):
            for size, word in EN_MAGNITUDES:
                if abs(value) >= size:
                    return f"{fmt_number(value / size, digits)}{word} {u}".strip()
        number = f"{value:,.{digits}f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
        return f"{number} {u}".strip() if u not in ("%", "×") else f"{number}{u}"
    if not _no_magnitude(unit):
        for size, word in ZH_MAGNITUDES:
            if abs(value) >= size:
                return f"{fmt_number(value / size, digits)}{word}{unit}"
    return f"{fmt_number(value, digits)}{unit}"


def fmt_claim(value: float | None, unit: str | None, qualifier: str | None = None, lang: str = "zh") -> str:
    """The value with its qualifier: 约350名, 超1.3万家 (en: about 350 people)."""
    prefix = (QUALIFIER_EN if lang == "en" else QUALIFIER_ZH).get(qualifier or "", "")
    return prefix + fmt_value(value, unit, lang)


def scale_for(values: list[float], unit: str | None, lang: str = "zh") -> tuple[float, str]:
    """A divisor and axis unit for plotting `values`: ([6.8e11, 5e11], '元') -> (1e8, '亿元')."""
    unit = unit or ""
    finite = [abs(v) for v in values if v is not None and not math.isnan(v)]
    top = max(finite, default=0.0)
    if _no_magnitude(unit):
        return 1.0, unit
    for size, word in (EN_MAGNITUDES if lang == "en" else ZH_MAGNITUDES):
        if top >= size:
            if lang == "en":
                return size, f"{word.strip()} {EN_UNITS.get(unit, unit)}".strip()
            return size, word + unit
    return 1.0, (EN_UNITS.get(unit, unit) if lang == "en" else unit)


def _as_date(d) -> dt.date | None:
    if d is None:
        return None
    try:
        if isinstance(d, float) and math.isnan(d):
            return None
        if hasattr(d, "to_pydatetime"):  # pandas Timestamp (NaT is caught by the isnan-like check below)
            if d != d:  # NaT
                return None
            d = d.to_pydatetime()
        if isinstance(d, dt.datetime):
            return d.date()
        if isinstance(d, dt.date):
            return d
        return dt.date.fromisoformat(str(d)[:10])
    except (TypeError, ValueError):
        return None


def period_type_of(start, end) -> str | None:
    """etl.extract.periods.period_type of dates as they come from a frame (Timestamp, date, str, NaT)."""
    from etl.extract.periods import period_type

    return period_type(_as_date(start), _as_date(end))


def period_types(starts, ends) -> list[str | None]:
    """period_type_of for columns of a frame (each distinct period worked out once)."""
    seen: dict = {}
    out = []
    for s, e in zip(starts, ends, strict=True):
        key = (str(s), str(e))
        if key not in seen:
            seen[key] = period_type_of(s, e)
        out.append(seen[key])
    return out


def fmt_date(d, lang: str = "zh") -> str:
    """2023-11-23 -> '2023年11月23日' ('2023-11-23' in English); '' when unknown."""
    d = _as_date(d)
    if d is None:
        return ""
    return d.isoformat() if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


def fmt_period(start, end, lang: str = "zh") -> str:
    """A reference period for readers: 2023年, 2023年1-8月, 2023年8月, 截至2023年8月31日."""
    s, e = _as_date(start), _as_date(end)
    if s is None and e is None:
        return ""
    if s is None or e is None or s == e:
        d = e or s
        return f"as of {d.isoformat()}" if lang == "en" else f"截至{d.year}年{d.month}月{d.day}日"
    month_end = e.day == calendar.monthrange(e.year, e.month)[1]
    if s.year == e.year and s.day == 1 and month_end:
        if s.month == 1 and e.month == 12:
            return str(s.year) if lang == "en" else f"{s.year}年"
        if lang == "en":
            return f"{s:%b} {s.year}" if s.month == e.month else f"{s:%b}–{e:%b} {s.year}"
        return f"{s.year}年{s.month}月" if s.month == e.month else f"{s.year}年{s.month}-{e.month}月"
    if s.day == 1 and s.month == 1 and e.month == 12 and month_end:
        return f"{s.year}–{e.year}" if lang == "en" else f"{s.year}-{e.year}年"
    return f"{s.isoformat()} – {e.isoformat()}"


def highlight_html(text: str, sentence: tuple[int, int] | None, mention: tuple[int, int] | None,
                   base: int = 0) -> str:
    """`text` escaped, the sentence wrapped in <mark> and the mention in <strong class="mention">.

    Offsets are absolute (document offsets); `base` is the document offset of `text[0]`.
    Spans outside `text` are clipped; the mention is clipped to the sentence. Line breaks become <br>.
    """
    n = len(text)

    def clip(span: tuple[int, int] | None) -> tuple[int, int] | None:
        if span is None:
            return None
        a, b = max(0, span[0] - base), min(n, span[1] - base)
        return (a, b) if a < b else None

    sent, men = clip(sentence), clip(mention)
    if sent is None:
        cuts = [(0, n, "")]
    else:
        cuts = [(0, sent[0], ""), (sent[0], sent[1], "mark"), (sent[1], n, "")]
    out: list[str] = []
    for a, b, tag in cuts:
        if a >= b:
            continue
        if tag != "mark":
            if men and a <= men[0] and men[1] <= b:  # mention outside the sentence: still mark it
                out.append(_esc(text[a:men[0]]) + _strong(text[men[0]:men[1]]) + _esc(text[men[1]:b]))
            else:
                out.append(_esc(text[a:b]))
            continue
        if men and a <= men[0] and men[1] <= b:
            inner = _esc(text[a:men[0]]) + _strong(text[men[0]:men[1]]) + _esc(text[men[1]:b])
        else:
            inner = _esc(text[a:b])
        out.append(f'<mark class="claim-sentence">{inner}</mark>')
    return "".join(out)


def _esc(s: str) -> str:
    return html.escape(s).replace("\r\n", "\n").replace("\n", "<br>")


def _strong(s: str) -> str:
    return f'<strong class="claim-mention">{_esc(s)}</strong>'
