"""Layout repair: turn a page's lines into paragraphs with roles, keeping exact offsets.

Newspaper text files break lines inside sentences, words and numbers (column layout,
PDF extraction), interleave photo captions, bylines and edition notes. This module decides,
for each line break, whether it ends a paragraph or is an artefact to remove, and labels
each paragraph: headline, body, caption, byline or meta. Paragraphs are contiguous spans of
the original text; their clean text is the span with line breaks removed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from etl.extract.wordseg import tokenizer

# A line ends a sentence when its last visible character is one of these (closing quotes
# and brackets after them are skipped).
_TERMINAL = set("。！？!?；;：:")
_CLOSERS = set("”’」』）)】\"'")
_CONT_START = set("，,、。；;：:）)”’%％")
_BYLINE = re.compile(
    r"^[（(]?\s*(?:[\u4e00-\u9fff]{2,4}\s+)?(?:本报记者|本报通讯员|通讯员|特约记者|(?:[\u4e00-\u9fff]{2,8}日报|[\u4e00-\u9fff]{2,8}报)?[\u4e00-\u9fff]{0,6}记者)"
    r"[\s\u4e00-\u9fff·/、]{2,80}[)）]?$"
)
_CREDIT_END = re.compile(r"[。！？”][（(][\u4e00-\u9fff][\u4e00-\u9fff\s·]{1,30}[)）]\s*$")
_CAPTION_END = re.compile(r"(?:\s摄|摄影\s*\S{0,8}|供图|图片来源[^。]{0,20}|\s[\u4e00-\u9fff]{2,4}\s*摄)\s*$")
_CREDIT_INLINE = re.compile(r"^(?:[\u4e00-\u9fff]{2,8}日报)?[\u4e00-\u9fff]{0,8}记者\s*[\u4e00-\u9fff]{2,4}\s*摄")
_META = re.compile(r"^(?:责任编辑|编辑[:：]|美术编辑|版式|校对|欢迎关注|扫码|本版(?:编辑|图片)|联系电话)")
_AFTER_DIGIT = set(".．%％万亿千百元个条家人项名户件日月年号倍位")
_HEADLINE_MAX = 64
_WORD_CUT_MIN = 20
_LONG_HEADLINE = 32


@dataclass(frozen=True, init=False)
class Line:
    start: int
    end: int
    text: str  # stripped text of the line
    gap_before: int  # newlines between the previous line and this one

    def __init__(self, start: int, end: int, text: str, gap_before: int) -> None:
        # One per line of every page: filling __dict__ is 2x faster than the generated frozen
        # __init__ (an object.__setattr__ call per field). Fields are still read-only.
        d = self.__dict__
        d["start"], d["end"], d["text"], d["gap_before"] = start, end, text, gap_before


@dataclass(frozen=True, init=False)
class Paragraph:
    start: int
    end: int
    role: str  # headline | body | caption | byline | meta
    lines: tuple[str, ...]

    def __init__(self, start: int, end: int, role: str, lines: tuple[str, ...]) -> None:
        d = self.__dict__  # as Line.__init__
        d["start"], d["end"], d["role"], d["lines"] = start, end, role, lines

    def clean(self, text: str) -> str:
        return _strip_breaks(text[self.start:self.end])


def _strip_breaks(s: str) -> str:
    return s.replace("\r", "").replace("\n", "")


# The stripped text of a non-blank line: from its first to its last non-space character
# (`\s` is str.isspace(), like str.strip(); [^\n] keeps a match inside its line).
_LINE = re.compile(r"\S(?:[^\n]*\S)?")


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their stripped extent and the newline gap before them."""
    out: list[Line] = []
    prev = 0
    for m in _LINE.finditer(text):
        s, e = m.span()
        out.append(Line(s, e, m.group(), text.count("\n", prev, s)))
        prev = e
    return out


def last_char(s: str) -> str:
    i = len(s) - 1
    while i > 0 and s[i] in _CLOSERS:
        i -= 1
    return s[i] if s else ""


@lru_cache(maxsize=1024)
def ends_sentence(s: str) -> bool:
    # Cached: asked up to four times about each line of a page (role, joins, interruptions).
    return last_char(s) in _TERMINAL or s.endswith(("……”", "…”")) or ends_with_credit(s)


def ends_with_credit(s: str) -> bool:
    """A paragraph closed by a parenthesised reporter name: '...验收。(王眉灵)'."""
    # Its last visible character is the closing parenthesis: a cheap test before the scan.
    return s.rstrip().endswith((")", "）")) and bool(_CREDIT_END.search(s))


# Every byline names a 记者 or a 通讯员, every inline photo credit a 记者: cheap tests that spare
# most lines the regex (the patterns are tried at the start of every line).
def _byline(s: str) -> bool:
    return ("记者" in s or "通讯员" in s) and bool(_BYLINE.match(s))


def _credit_inline(s: str) -> bool:
    return "记者" in s and bool(_CREDIT_INLINE.match(s))


def is_byline(s: str) -> bool:
    return _byline(s) or _credit_inline(s)


def is_caption(s: str) -> bool:
    # Every _CAPTION_END ending has 摄 or 图: the cheap test spares most lines the regex scan.
    return (("摄" in s or "图" in s) and bool(_CAPTION_END.search(s))) or _credit_inline(s)


def is_meta(s: str) -> bool:
    return bool(_META.match(s))


def headline_like(s: str) -> bool:
    """Short, unpunctuated lines: headlines, kickers, subheads and speaker labels."""
    if len(s) > _HEADLINE_MAX or ends_sentence(s) and not s.endswith((":", "：")):
        return False
    if s.startswith(("本报讯", "紧接", "——")) and not s.startswith("——"):
        return False
    if "。" in s or "；" in s or ";" in s:
        return False
    commas = s.count("，") + s.count(",")
    return commas == 0 or (commas == 1 and (" " in s or "\u3000" in s))


def splits_word(a: str, b: str) -> bool:
    """True when the break between a and b falls inside a word ('...技术创' | '新中心...')."""
    left, right = a[-3:], b[:3]
    if not (left and right and "\u4e00" <= left[-1] <= "\u9fff" and "\u4e00" <= right[0] <= "\u9fff"):
        return False
    return _cut_inside(left, right)


@lru_cache(maxsize=4096)
def _cut_inside(left: str, right: str) -> bool:
    """Does jieba put a word across the end of `left` in left + right (cached: jieba is slow)?"""
    pos = 0
    for tok in tokenizer().cut(left + right, HMM=False):
        if pos < len(left) < pos + len(tok):
            return True
        pos += len(tok)
    return False


def splits_number(a: str, b: str) -> bool:
    """True when the break between a and b falls inside a number ('12月13' | '日', '240' | '条')."""
    return bool(a and b and a[-1].isdigit() and (b[0].isdigit() or b[0] in _AFTER_DIGIT))


def _role(line: str) -> str:
    if is_meta(line):
        return "meta"
    if _byline(line):
        return "byline"
    if is_caption(line):
        return "caption"
    return "headline" if headline_like(line) else "body"


def paragraphs(text: str) -> list[Paragraph]:
    """Split a page into paragraphs, joining lines broken inside a sentence."""
    lines = split_lines(text)
    roles = [_role(ln.text) for ln in lines]
    # A short question or statement opening a headline group is a kicker.
    for i, ln in enumerate(lines[:-1]):
        if (roles[i] == "body" and len(ln.text) <= 40 and last_char(ln.text) in "？?"
                and "。" not in ln.text and roles[i + 1] == "headline"):
            roles[i] = "headline"
    out: list[Paragraph] = []
    i, n = 0, len(lines)
    chained = False
    while i < n:
        j = i
        group = [lines[i].text]
        role = roles[i]
        while j + 1 < n and role in ("body", "headline") and _joins(lines, roles, j, chained):
            if _interrupts(lines, j):
                roles[j + 1] = "caption"
                break
            chained = True
            j += 1
            group.append(lines[j].text)
            role = "body"
        if j == i:
            chained = False
        if role == "headline" and len(group) > 1:
            role = "body"
        out.append(Paragraph(lines[i].start, lines[j].end, role, tuple(group)))
        i = j + 1
    return out


def _joins(lines: list[Line], roles: list[str], j: int, chained: bool) -> bool:
    """Does the break after line j fall inside a sentence (a layout artefact)?"""
    cur, nxt = lines[j].text, lines[j + 1]
    if ends_sentence(cur) or roles[j + 1] in ("caption", "byline", "meta"):
        return False
    if _interrupts(lines, j):
        return True  # the caller stops the paragraph and marks the caption
    if nxt.text[0] in _CONT_START or splits_number(cur, nxt.text):
        return True
    if roles[j] == "body":
        return not (nxt.text.startswith(("本报讯", "紧接")))
    # A long unspaced fragment cut inside a word is body text, not a headline.
    if len(cur) >= _WORD_CUT_MIN and " " not in cur and splits_word(cur, nxt.text):
        return True
    # A headline-like fragment continues a column of equal-width lines.
    if chained and j > 0 and abs(len(lines[j - 1].text) - len(cur)) <= 3:
        return True
    return False


def _interrupts(lines: list[Line], j: int) -> bool:
    """A complete short paragraph set apart by blank lines inside a broken sentence: a caption."""
    if j + 2 >= len(lines):
        return False
    nxt = lines[j + 1]
    return (nxt.gap_before >= 3 and ends_sentence(nxt.text) and len(nxt.text) <= 60
            and not ends_sentence(lines[j].text))
