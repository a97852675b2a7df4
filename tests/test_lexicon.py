"""Lexicon helpers."""
from __future__ import annotations

import re

from etl.extract.lexicon import alternation, finditer_from, trie_alternation


def test_finditer_from_matches_finditer():
    pattern = re.compile(r"(?:第)?(?:约)?[0-9一二三]+(?:个|家)?")
    first = re.compile(r"[第约0-9一二三]")
    for text in ("第一家约3个企业", "约约第第12家", "", "第", "三三个12", "x第x约1"):
        got = [(m.span(), m.group()) for m in finditer_from(pattern, first, text)]
        assert got == [(m.span(), m.group()) for m in pattern.finditer(text)]


def test_trie_alternation_matches_like_alternation():
    words = ["成都", "成都市", "成华区", "四川", "四川省", "全市", "市", "都"]
    text = "成都市成华区和四川省全市成都都市四"
    got = [(m.span(), m.group()) for m in re.finditer(trie_alternation(words), text)]
    assert got == [(m.span(), m.group()) for m in re.finditer(alternation(words), text)]
    assert re.sub(trie_alternation(words), "", text) == re.sub(alternation(words), "", text)
