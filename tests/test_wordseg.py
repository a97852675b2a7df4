"""jieba with its dictionary read by first character (etl/extract/wordseg.py) segments as stock jieba."""
from __future__ import annotations

import re

import jieba
import pytest

from etl.extract import wordseg
from tests.conftest import SEEDS

# Sentences of the forms the extractor segments: metrics before figures, line ends in words.
OWN = ["全市规模以上工业增加值同比增长7.2%", "高新技术企业数量突破1.3万家", "跨境电商进出口额达到48亿元",
       "科技型中小企业研发费用加计扣除", "新能源汽车产量三成以上", "普惠小微贷款余额", "技术创新中心"]


@pytest.fixture(scope="module")
def stock() -> jieba.Tokenizer:
    tk = jieba.Tokenizer()
    tk.load_userdict(str(wordseg.USER_DICT))
    return tk


def _texts() -> list[str]:
    out = list(OWN)
    for p in sorted(SEEDS.rglob("*.txt")):
        out += [s for s in re.split(r"[。！？\n]", p.read_text(encoding="utf-8", errors="ignore")) if s.strip()]
    return out


def test_same_words_as_stock_jieba(stock):
    tk = wordseg.tokenizer()
    texts = _texts()
    assert len(texts) > 300
    for hmm in (True, False):
        assert [tk.lcut(s, HMM=hmm) for s in texts] == [stock.lcut(s, HMM=hmm) for s in texts]
    assert tk.total == stock.total


def test_reads_only_the_first_characters_looked_up(stock, tmp_path):
    path = wordseg.table_file((tmp_path,))
    table, total = wordseg.decode(path.read_bytes())
    assert total == stock.total and table.loaded() == 0
    for w in ("营业收入", "营业"):
        assert w in table and table[w] == stock.FREQ[w] and table.get(w) == stock.FREQ[w]
    assert "营业收入增长率不存在的词" not in table and table.get("营业收入增长率不存在的词", -1) == -1
    assert "" not in table and table.get("") is None
    assert table.loaded() == 1  # every word above starts with 营
    table["新词"] = 5  # jieba's add_word writes to the table
    assert table["新词"] == 5 and table.loaded() == 2


def test_round_trip_and_damaged_file(tmp_path):
    freq = {"增长": 10, "增": 3, "率": 2, "增长率": 0}
    table, total = wordseg.decode(wordseg.encode(freq, 15))
    assert total == 15 and all(table[w] == f for w, f in freq.items())
    data = wordseg.encode(freq, 15)
    bad = tmp_path / "bad.bin"
    bad.write_bytes(data[:-3])  # truncated: refused, not read half
    assert wordseg._read(bad) is None
    bad.write_bytes(b"not a table")
    assert wordseg._read(bad) is None


def test_written_where_it_can_be(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where a folder should be")
    path = wordseg.table_file((blocked / "jieba", tmp_path / "ok"))
    assert path is not None and path.parent == tmp_path / "ok"
    assert wordseg._read(path) is not None
    assert not list((tmp_path / "ok").glob(".*.tmp"))  # no half-written file left
    assert wordseg.table_file((blocked / "jieba",)) is None  # nowhere to write: the caller loads jieba whole
