"""CSV (UTF-8 with BOM) and XLSX exports of the filtered claims."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_export_data import N_CLAIMS, SENTENCE_2023, TITLE, small_claims

from report import tables

BASE = "https://rongshu.example.org/app"


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> pd.DataFrame:
    return small_claims(tmp_path_factory.mktemp("tab") / "small.duckdb")


def test_csv_has_bom_and_round_trips_chinese(claims, monkeypatch):
    monkeypatch.setenv("RONGSHU_BASE_URL", BASE + "/")
    data = tables.to_csv(claims)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so that Excel reads Chinese"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == [c for c, _, _ in tables.COLUMNS]
    assert len(rows) == N_CLAIMS
    row = next(r for r in rows if r["mention"] == "6834.7亿元")
    assert row["sentence"] == SENTENCE_2023 and row["article_title"] == TITLE
    assert row["outlet"] == "成都日报" and row["published"] == "2023-12-14"
    assert (row["period_start"], row["period_end"]) == ("2023-01-01", "2023-11-30")
    assert float(row["value"]) == 683470000000.0 and row["unit"] == "元"
    assert row["source_url"] == f"{BASE}/source?claim={row['claim_id']}"


def test_csv_of_nothing_still_has_header(claims):
    data = tables.to_csv(claims.iloc[0:0])
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").startswith("value,unit,")


def test_xlsx_headers_rows_types_and_links(claims, monkeypatch):
    monkeypatch.delenv("RONGSHU_BASE_URL", raising=False)
    wb = load_workbook(io.BytesIO(tables.to_xlsx(claims, title="主题：外贸")))
    assert wb.sheetnames == ["数字", "说明"]
    ws = wb["数字"]
    header = [c.value for c in ws[1]]
    assert header == [zh for _, zh, _ in tables.COLUMNS]
    assert ws.max_row == N_CLAIMS + 1
    assert ws.freeze_panes == "A2"
    col = {name: i for i, name in enumerate(header)}
    rows = list(ws.iter_rows(min_row=2, values_only=False))
    by_mention = {r[col["原文数字"]].value: r for r in rows}
    r = by_mention["6834.7亿元"]
    assert r[col["数值"]].value == 683470000000 and isinstance(r[col["数值"]].value, int | float)
    assert r[col["原句"]].value == SENTENCE_2023
    assert r[col["媒体"]].value == "成都日报"
    published = r[col["发布日期"]].value
    assert isinstance(published, dt.datetime | dt.date) and published.strftime("%Y-%m-%d") == "2023-12-14"
    link = r[col["来源链接"]]
    claim_id = r[col["编号"]].value
    assert link.value == f"http://localhost:8501/source?claim={claim_id}"
    assert link.hyperlink is not None and link.hyperlink.target == link.value
    assert by_mention["2.4%"][col["数值"]].value == -2.4
    widths = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(header)}
    assert widths["原句"] > widths["文章标题"] > widths["单位"]
    notes = [c.value for c in wb["说明"]["A"]]
    assert "主题：外贸" in notes
