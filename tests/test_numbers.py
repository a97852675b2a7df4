"""Numeric mentions: forms, values, units, qualifiers, and what is not a claim."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.extract.numbers import find_numbers, parse_number


def one(text: str):
    found = find_numbers(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text,mention,value,unit,qualifier", [
    ("营业收入9473亿元", "9473亿元", 947300000000, "元", "exact"),
    ("成交金额 1085.95 亿元,", "1085.95 亿元", 108595000000, "元", "exact"),
    ("同比增 长86.23%", "86.23%", 86.23, "%", "exact"),
    ("企业突破1.3万 家", "1.3万 家", 13000, "家", "over"),
    ("人才350余名", "350余名", 350, "名", "over"),
    ("归集7.1 亿余条信息", "7.1 亿余条", 710000000, "条", "over"),
    ("收录380余 万户市场主体", "380余 万户", 3800000, "户", "over"),
    ("400余万自然人", "400余万", 4000000, "", "over"),
    ("服务150余 家高校", "150余 家", 150, "家", "over"),
    ("融资需求超2400亿 元", "2400亿 元", 240000000000, "元", "over"),
    ("签约电量20.8亿千瓦时", "20.8亿千瓦时", 2080000000, "千瓦时", "exact"),
    ("装机总量逾2.2GW", "2.2GW", 2.2, "GW", "over"),
    ("储能装机量超1GWh", "1GWh", 1, "GWh", "over"),
    ("新设经营主体60.18万户", "60.18万户", 601800, "户", "exact"),
    ("四大创新平台", "四大", 4, "", "exact"),
    ("投产两条产线", "两条", 2, "条", "exact"),
    ("十余家企业", "十余家", 10, "家", "over"),
    ("三千名志愿者", "三千名", 3000, "名", "exact"),
    ("一千二百三十四人", "一千二百三十四人", 1234, "人", "exact"),
    ("３２家企业", "３２家", 32, "家", "exact"),
    ("1,234万元", "1,234万元", 12340000, "元", "exact"),
    ("约105亿元", "105亿元", 10500000000, "元", "approx"),
    ("480平方米左右", "480平方米", 480, "平方米", "approx"),
    ("近150项", "150项", 150, "项", "under"),
    ("不到20人", "20人", 20, "人", "under"),
    ("不足5个", "5个", 5, "个", "under"),
    ("100人以内", "100人", 100, "人", "under"),
    ("超过5亿元", "5亿元", 500000000, "元", "over"),
    ("覆盖率超50%", "50%", 50, "%", "over"),
    ("引进30个以上", "30个", 30, "个", "over"),
    ("不少于4000场", "4000场", 4000, "场", "over"),
    ("增长逾50%", "50%", 50, "%", "over"),
    ("上百种服务", "上百种", 100, "种", "over"),
    ("数十台设备", "数十台", 10, "台", "over"),
    ("提升8.2个百分点", "8.2个百分点", 8.2, "个百分点", "exact"),
    ("是一期的4.5倍", "4.5倍", 4.5, "倍", "exact"),
    ("7大类", "7大类", 7, "类", "exact"),
    ("9大品类", "9大品类", 9, "品类", "exact"),
    ("8.5折优惠", "8.5折", 8.5, "折", "exact"),
    ("百分之五十", "百分之五十", 50, "%", "exact"),
    ("排名提升至第24位", "第24位", 24, "位", "exact"),
    ("规模位列全国第8", "第8", 8, "位", "exact"),
    ("节约3亿元", "3亿元", 300000000, "元", "exact"),
])
def test_forms(text, mention, value, unit, qualifier):
    n = one(text)
    assert text[n.start:n.end] == n.text == mention
    assert n.value == pytest.approx(value)
    assert n.unit == unit
    assert n.qualifier == qualifier


@pytest.mark.parametrize("text", [
    "2023年11月22日", "1-8 月", "前11月", "24小时连轴生产", "两个月后", "三年时间", "5天前",
    "第七届成都国际诗歌周", "第三十五期", "第四个前沿研究中心", "“十四五”规划", "S11线", "中国环流三号",
    "TGV3.0概念", "三中心一基地", "增强“五力”", "“五个能级”", "联系电话:028-86611442", "3、2、1",
    "一系列政策", "一个个节拍", "二期项目", "四季度以来", "《成都市科技成果转化28条》", "D4栋", "十四届四次全会",
])
def test_not_claims(text):
    assert find_numbers(text) == []


def test_offsets_cover_the_mention():
    text = "其中包含成都供需信息240条、德阳供需信息95条"
    assert [text[n.start:n.end] for n in find_numbers(text)] == ["240条", "95条"]


@pytest.mark.parametrize("s,v", [("3.2万", 32000), ("一千二百三十四", 1234), ("12.5亿", 1.25e9),
                                 ("１２３", 123), ("两千", 2000), ("3万亿", 3e12)])
def test_parse_number(s, v):
    assert parse_number(s) == pytest.approx(v)


DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """Write 1..99999999 in Chinese numerals (一千二百三十四, 三万零五)."""
    if n == 0:
        return "零"
    out = ""
    for unit, size in (("万", 10000), ("", 1)):
        part = (n // size) % 10000 if size == 1 else n // size
        if not part:
            if out and not out.endswith("零"):
                out += "零"
            continue
        s, zero = "", False
        for d, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            k = (part // d) % 10
            if k:
                if zero and s:
                    s += "零"
                s += DIGITS[k] + name
                zero = False
            else:
                zero = True
        if out and part < 1000 and not out.endswith("零"):
            out += "零"
        out += s + unit
    return out.rstrip("零")


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_integers_roundtrip(n):
    assert parse_number(chinese(n)) == n


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["万", "亿"]))
def test_decimal_magnitudes_roundtrip(k, mag):
    text = f"{k / 10:.1f}{mag}"
    assert parse_number(text) == pytest.approx(k / 10 * (1e4 if mag == "万" else 1e8), rel=1e-12)


@given(st.integers(min_value=0, max_value=10**9))
def test_fullwidth_roundtrip(n):
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full) == n


@given(st.integers(min_value=2, max_value=99_999), st.sampled_from(["家", "个", "项", "名"]))
def test_chinese_counts_in_text_roundtrip(n, unit):
    m = one(f"共有{chinese(n)}{unit}参加")
    assert (m.value, m.unit) == (n, unit)


@pytest.mark.parametrize("text,mention,value,qualifier", [
    ("占出口总值的八成。", "八成", 80, "exact"),
    ("进出口额占全省的四成以上", "四成", 40, "over"),
    ("占比近两成", "两成", 20, "under"),
])
def test_tenths_are_percentages(text, mention, value, qualifier):
    n = one(text)
    assert (n.text, n.value, n.unit, n.unit_kind, n.qualifier) == (mention, value, "%", "share", qualifier)


@pytest.mark.parametrize("text", ["三成都市", "四成员国", "一成不变", "第3成都站"])
def test_cheng_inside_words_is_not_tenths(text):
    assert find_numbers(text) == []


def test_measure_word_before_latin_letters_is_kept():
    assert one("纳入监测的58家A级旅游景区").text == "58家"
    assert find_numbers("5G基站和3D打印") == []


def test_positions_passed_over_hold_no_mention(monkeypatch):
    """find_numbers only tries positions where a mention worth reading can start (not 一 in
    一系列, not 2023 in 2023年): trying every numeral gives the same mentions."""
    import random
    import re

    from etl.extract import numbers

    texts = ["三百分之一", "十二月三百分之五年", "2023年11月22日签约3个项目", "3小区", "3小时", "第十四届", "１２月",
             "1,000年", "2.5年", "三万年", "上百年", "数十年", "第3年", "3 年", "三个月", "百分之三年", "一系列四川企业"]
    rnd = random.Random(11)
    alpha = "三百分之一二十万2０1 第上数年月小时届期余多大个位,.之%元家"
    texts += ["".join(rnd.choice(alpha) for _ in range(rnd.randint(0, 12))) for _ in range(3000)]
    fast = [find_numbers(t) for t in texts]
    prefix = "".join(w[0] for w in numbers.qualifier_words().get("prefix", {}))
    every = re.compile(f"[0-9０-９第{re.escape(prefix)}{numbers.CN_NUM_CHARS}]")
    monkeypatch.setattr(numbers, "_first_char", lambda: every)
    assert [find_numbers(t) for t in texts] == fast
    assert fast[0] == []  # 三百分之一 is read from 三 (三百 + 分), not from 百 (百分之一)


# ------------------------------------------------ Chinese numerals read without cn2an

def _cn2an(s: str):
    import cn2an

    return cn2an.cn2an(s, "normal")


def test_standard_numerals_read_as_cn2an_reads_them() -> None:
    import random

    from etl.extract.numbers import standard_numeral, standard_value

    rng = random.Random(7)
    ns = [*range(20_000), *(rng.randrange(10**k) for k in range(5, 13) for _ in range(400))]
    for n in ns:
        s = standard_numeral(n)
        assert standard_value(s) == n == _cn2an(s), s
        two = s.replace("二千", "两千").replace("二百", "两百").replace("二万", "两万").replace("二亿", "两亿")
        assert standard_value(two) == n == _cn2an(two), two
    assert [standard_numeral(n) for n in (10, 306, 1050, 10500, 100005000, 150000000)] == [
        "一十", "三百零六", "一千零五十", "一万零五百", "一亿零五千", "一亿五千万"]


@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿", min_size=1, max_size=9))
def test_any_string_read_here_has_cn2an_value(s: str) -> None:
    from etl.extract.numbers import standard_value

    v = standard_value(s)
    if v is not None:
        assert _cn2an(s) == v


@pytest.mark.parametrize("s,value", [("一千五", 1500), ("一万三", 13000), ("二〇二三", 2023), ("二百十", 210)])
def test_colloquial_numerals_go_to_cn2an(s: str, value: int) -> None:
    from etl.extract.numbers import parse_numeral, standard_value

    assert standard_value(s) is None and parse_numeral(s) == value


def test_standard_numerals_need_no_cn2an() -> None:
    import subprocess
    import sys

    code = ("import sys; from etl.extract.numbers import parse_numeral; "
            "assert [parse_numeral(s) for s in ('一千零五十', '两万', '十五', '三百零六')] == [1050, 20000, 15, 306]; "
            "print('cn2an' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# Forms from real articles never tuned on (our own sentences of the same shapes).

def _found(text: str) -> list[tuple[str, float, str, str]]:
    return [(n.text, n.value, n.unit, n.qualifier) for n in find_numbers(text)]


def test_zero_inside_a_word_is_not_a_figure():
    assert _found("汽车零部件产业实现产值120亿元") == [("120亿元", 12e9, "元", "exact")]
    assert _found("社会消费品零售总额稳步回升") == []
    assert _found("实现零距离服务") == []


def test_compound_units_stay_whole():
    assert _found("全年能源消费总量1200万吨标准煤") == [("1200万吨标准煤", 12e6, "吨标准煤", "exact")]
    assert _found("单位产值能耗0.35吨标准煤/万元") == [("0.35吨标准煤/万元", 0.35, "吨标准煤/万元", "exact")]


def test_a_range_is_one_figure_its_middle_approximately():
    assert _found("门票20-25元") == [("20-25元", 22.5, "元", "approx")]
    assert _found("年产1500万～2000万张") == [("1500万～2000万张", 17.5e6, "张", "approx")]
    assert _found("预计年税收6-8亿元") == [("6-8亿元", 7e8, "元", "approx")]
    assert _found("增速保持在5%-8%") == [("5%-8%", 6.5, "%", "approx")]
    assert _found("2023-2025年计划投资300亿元") == [("300亿元", 3e10, "元", "exact")]  # years are no range


def test_a_minus_sign_makes_a_negative_figure_but_not_inside_codes():
    assert _found("进口增速为-1.1%") == [("-1.1%", -1.1, "%", "exact")]
    assert _found("型号A-12个") == []
    assert _found("服务电话028-87654321") == []


def test_chinese_decimals():
    assert _found("比重提高零点五个百分点") == [("零点五个百分点", 0.5, "个百分点", "exact")]
    assert _found("增长三点二个百分点") == [("三点二个百分点", 3.2, "个百分点", "exact")]


def test_a_figure_written_against_its_abbreviation_is_read():
    # GDP9602.72亿元: the statistic's abbreviation, then its figure with a magnitude.
    assert _found("上半年实现GDP9600.5亿元，同比增长12%") == [("9600.5亿元", 9600.5e8, "元", "exact"),
                                                       ("12%", 12.0, "%", "exact")]
    assert _found("CPI同比上涨0.3%") == [("0.3%", 0.3, "%", "exact")]
    # codes and product names stay no figure: a letter or two, or no magnitude
    assert _found("TGV3.0概念") == [] and _found("S11线") == [] and _found("A380客机") == []
    assert _found("PM2.5浓度下降") == []


def test_a_space_after_the_decimal_point_is_a_line_break():
    assert _found("地区生产总值超1. 8万亿元") == [("1. 8万亿元", 1.8e12, "元", "over")]
    assert _found("旅客吞吐量6512. 3万人次") == [("6512. 3万人次", 65123000.0, "人次", "exact")]
    assert _found("1. 全市新增企业") == []  # a list marker
