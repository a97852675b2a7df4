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


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str  # stripped text of the line
    gap_before: int  # newlines between the previous line and this one


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    role: str  # headline | body | caption | byline | meta
    lines: tuple[str, ...]

    def clean(self, text: str) -> str:
        return _strip_breaks(text[self.start:self.end])


def _strip_breaks(s: str) -> str:
    return s.replace("\r", "").replace("\n", "")


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their stripped extent and the newline gap before them."""
    out: list[Line] = []
    gap = 0
    pos = 0
    for raw in text.split("\n"):
        body = raw.rstrip("\r")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            s = pos + lead
            out.append(Line(s, s + len(stripped), stripped, gap))
            gap = 0
        gap += 1
        pos += len(raw) + 1
    return out


def last_char(s: str) -> str:
    i = len(s) - 1
    while i > 0 and s[i] in _CLOSERS:
        i -= 1
    return s[i] if s else ""


def ends_sentence(s: str) -> bool:
    return last_char(s) in _TERMINAL or s.endswith(("……”", "…”")) or ends_with_credit(s)


def ends_with_credit(s: str) -> bool:
    """A paragraph closed by a parenthesised reporter name: '...验收。(王眉灵)'."""
    return bool(_CREDIT_END.search(s))


def is_byline(s: str) -> bool:
    return bool(_BYLINE.match(s)) or bool(_CREDIT_INLINE.match(s))


def is_caption(s: str) -> bool:
    # Every _CAPTION_END ending has 摄 or 图: the cheap test spares most lines the regex scan.
    return (("摄" in s or "图" in s) and bool(_CAPTION_END.search(s))) or bool(_CREDIT_INLINE.match(s))


def is_meta(s: str) -> bool:
    return bool(_META.match(s))


def headline_like(s: str) -> bool:
    """Short, unpunctuated lines: headlines, kickers, subheads and speaker labels."""
    if len(s) > _HEADLINE_MAX or ends_sentence(s) and not s.endswith((":", "：")):
        return False
    if s.startswith(("本报讯", "紧接", "——")) and not s.startswith("——"):
        return False
    if any(c in s for c in "。；;"):
        return False
    commas = sum(s.count(c) for c in "，,")
    return commas == 0 or (commas == 1 and (" " in s or "\u3000" in s))


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    return jieba


def splits_word(a: str, b: str) -> bool:
    """True when the break between a and b falls inside a word ('...技术创' | '新中心...')."""
    left, right = a[-3:], b[:3]
    if not (left and right and "\u4e00" <= left[-1] <= "\u9fff" and "\u4e00" <= right[0] <= "\u9fff"):
        return False
    pos = 0
    for tok in _jieba().cut(left + right, HMM=False):
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
    if _BYLINE.match(line):
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
