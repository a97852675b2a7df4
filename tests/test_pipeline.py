"""Pipeline helpers."""
from __future__ import annotations

from etl.pipeline import _OUTLET, guess_outlet, outlet_mentions


def test_outlet_mentions_are_the_outlet_pattern_matches():
    for text in ("本报讯(成都日报记者 王眉灵)据成都日报报道", "四川经济日报报道,华西都市报,成都商报社",
                 "报日报晚报科技报", "", "报道", "据经济报道称日报"):
        assert list(outlet_mentions(text)) == _OUTLET.findall(text)
    assert guess_outlet("本报讯(成都日报记者 张三)……成都日报") == "成都日报"
