"""Decoding article files: every supported encoding, and bad input named with a reason."""
from __future__ import annotations

import os

import pytest

from etl.ingest.sources import SourceError, decode, parse_date
from tests.conftest import SEEDS

SEED_TEXT = (SEEDS / "000_dee86277aac3db40.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
])
def test_decode_reencoded_seed(encoding, expected):
    text, enc = decode(SEED_TEXT.encode(encoding))
    assert text == SEED_TEXT
    assert enc == expected


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"), (b"  \n\n ", "empty"), (os.urandom(3000) + b"\x00", "binary"),
    (bytes(range(256)) * 20, "binary"), (b"\xff\xfe\xfd\x80\x81abc" * 100, "invalid"),
])
def test_decode_rejects_bad_bytes(data, reason):
    with pytest.raises(SourceError, match=reason):
        decode(data)


def test_parse_date_forms():
    assert str(parse_date("2023-11-23")) == "2023-11-23"
    assert str(parse_date("2023/1/5")) == "2023-01-05"
    assert str(parse_date("2024年1月25日")) == "2024-01-25"
    assert parse_date("not a date") is None and parse_date("") is None
