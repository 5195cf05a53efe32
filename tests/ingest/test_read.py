"""Reading files: encodings, workbooks, title rows, footers and blank rows (no database needed)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from services.ingest import Limits, Upload, parse_uploads
from services.ledgers import ACTIVITIES, CASES, FACILITIES
from tests.ingest.helpers import activity, activity2, case, csv_bytes, facility, rows_for, xlsx_bytes


def _parse(*files, limits=None):
    return parse_uploads([Upload(name, data) for name, data in files], limits or Limits())


def _values(parsed):
    return [[row.values for row in lr.rows] for lr in parsed.ledgers]


def test_every_text_encoding_reads_to_the_same_values():
    table = rows_for(ACTIVITIES, [activity(), activity2(活动名称="䶮字（仅 GB18030 有）")])
    plain = rows_for(ACTIVITIES, [activity(), activity2()])
    forms = {
        "utf8-bom": csv_bytes(table, "utf-8-sig"),
        "utf8": csv_bytes(table, "utf-8"),
        "gb18030": csv_bytes(table, "gb18030"),
        "utf16-tab": csv_bytes(table, "utf-16", delimiter="\t"),
    }
    results = {k: _parse((f"{k}.csv", v)) for k, v in forms.items()}
    for key, parsed in results.items():
        assert not parsed.problems, (key, [p.describe() for p in parsed.problems.as_list()])
    assert len({repr(_values(p)) for p in results.values()}) == 1
    gbk = _parse(("gbk.csv", csv_bytes(plain, "gbk")))
    assert _values(gbk) == _values(_parse(("u.csv", csv_bytes(plain))))
    assert results["utf16-tab"].reads[0].encoding.startswith("UTF-16")
    assert gbk.reads[0].encoding == "GBK/GB18030"


def test_workbook_renamed_csv_is_read_as_a_workbook_with_a_notice():
    data = xlsx_bytes({ACTIVITIES.name: rows_for(ACTIVITIES, [activity()])})
    parsed = _parse(("活动.csv", data))
    assert not parsed.problems
    assert parsed.ledgers[0].rows[0].values["participants"] == 15
    assert any("内容是 Excel 工作簿" in n.message_zh for n in parsed.notices)


def test_title_rows_are_tolerated_and_rows_numbered_as_the_spreadsheet_shows_them():
    table = [["甲小区2025年3月活动台账"], [], *rows_for(ACTIVITIES, [activity(), activity2()])]
    for name, data in (("a.csv", csv_bytes(table)), ("a.xlsx", xlsx_bytes({"Sheet1": table}))):
        parsed = _parse((name, data))
        assert not parsed.problems, [p.describe() for p in parsed.problems.as_list()]
        lr = parsed.ledgers[0]
        assert (lr.header_row, [r.row for r in lr.rows]) == (3, [4, 5])


def test_trailing_total_and_signature_lines_are_ignored_with_a_notice():
    table = [*rows_for(ACTIVITIES, [activity(), activity2()]), ["合计", "", "", "", "55"], [], ["填表人：王书记"]]
    parsed = _parse(("a.csv", csv_bytes(table, "gbk")))
    assert not parsed.problems
    assert len(parsed.ledgers[0].rows) == 2
    assert sorted(n.row for n in parsed.notices if "合计/填表人" in n.message_zh) == [4, 6]


def test_blank_formatted_rows_hidden_empty_sheets_and_the_instructions_sheet_are_ignored():
    data = xlsx_bytes(
        {
            "说明": [["随便写的说明"]],
            ACTIVITIES.name: rows_for(ACTIVITIES, [activity()]),
            "备用": [["", ""]],
            CASES.name: rows_for(CASES, []),
        },
        hidden=("备用",),
    )
    book = load_workbook(io.BytesIO(data))
    ws = book[ACTIVITIES.name]
    for r in range(3, 400):  # hundreds of blank rows that only carry a fill
        ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor="FFFF00")
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = _parse(("m.xlsx", buffer.getvalue()))
    assert not parsed.problems, [p.describe() for p in parsed.problems.as_list()]
    assert [len(lr.rows) for lr in parsed.ledgers] == [1]
    messages = " ".join(n.describe() for n in parsed.notices)
    assert "说明页" in messages and "诉求纠纷台账" in messages


def test_excel_date_cells_serial_numbers_and_numeric_cells():
    row = activity(活动日期=dt.datetime(2025, 3, 5), 参与人数=15.0, 慰问户数=10)
    row2 = activity2(活动日期=45736)  # serial number of 2025-03-20
    parsed = _parse(("m.xlsx", xlsx_bytes({ACTIVITIES.name: rows_for(ACTIVITIES, [row, row2])})))
    assert not parsed.problems
    values = [r.values for r in parsed.ledgers[0].rows]
    assert [v["activity_date"] for v in values] == [dt.date(2025, 3, 5), dt.date(2025, 3, 20)]
    assert values[0]["participants"] == 15


def test_english_aliases_and_header_variants_are_accepted():
    table = rows_for(FACILITIES, [facility()])
    table[0] = [
        "compound_code",
        "Project No",
        "project_name",
        "category",
        "quantity",
        "unit",
        "投入金额(元)",
        "funding_source",
        "status",
        "started_date",
        "completed_date",
    ]
    parsed = _parse(("f.csv", csv_bytes(table)))
    assert not parsed.problems, [p.describe() for p in parsed.problems.as_list()]
    assert str(parsed.ledgers[0].rows[0].values["investment_yuan"]) == "300000.00"


def test_short_ragged_rows_are_padded():
    table = rows_for(CASES, [case()])
    table.append(["511423112001", "C-9", "诉求", "停车", "2025-03-09", "", "", "已受理"])  # trailing cells omitted
    parsed = _parse(("c.csv", csv_bytes(table)))
    assert not parsed.problems
    assert parsed.ledgers[0].rows[1].values["summary"] is None


def test_workbooks_are_parsed_through_defusedxml():
    import openpyxl
    from openpyxl.xml import functions

    from tests.ingest.corpus import entity_bomb

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")
    # even without our own DTD check, openpyxl refuses the entity bomb
    with pytest.raises(ValueError):
        book = openpyxl.load_workbook(io.BytesIO(entity_bomb()), read_only=True)
        list(book.worksheets[0].iter_rows())


def test_mixed_encodings_name_the_first_row_where_the_encoding_changes():
    """A UTF-8 file (header row 1, rows 2–3, row 3 holding a line break inside quotes, so the
    spreadsheet's row 4 is the file's fifth line) with a GBK row appended: the change is at row 4.
    The other way round (GBK with a UTF-8 row appended) names the appended row as well."""
    utf8 = csv_bytes(rows_for(ACTIVITIES, [activity(), activity2(备注="第一行\n第二行")]), "utf-8")
    appended = csv_bytes([rows_for(ACTIVITIES, [activity(活动名称="重阳敬老")])[1]], "gbk")
    gbk = csv_bytes(rows_for(ACTIVITIES, [activity()]), "gbk")
    for data, row, change in (
        (utf8 + appended, 4, "由 UTF-8 变为 GBK"),
        (gbk + csv_bytes([rows_for(ACTIVITIES, [activity2()])[1]], "utf-8"), 3, "由 GBK 变为 UTF-8"),
        (b"\xef\xbb\xbf" + utf8 + appended, 4, "由 UTF-8 变为 GBK"),
    ):
        [problem] = _parse(("活动.csv", data)).problems.as_list()
        assert (problem.file, problem.row, problem.code) == ("活动.csv", row, "encoding.mixed")
        assert f"从第{row}行起{change}" in problem.message_zh
        assert f"第{row}行" in problem.describe().split("：")[0]  # where: 活动.csv 第4行
