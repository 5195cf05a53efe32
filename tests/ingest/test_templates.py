"""Templates come from the contract: header-only data sheets, drop-downs, text-format codes, a
说明 sheet with examples; a filled template imports cleanly; prefilled open items close in one cell."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from services.ingest import LEDGERS, import_month, open_items, template_csv, template_workbook, write_templates
from services.ledgers import ACTIVITIES, CASES, INSTRUCTIONS_SHEET
from services.models import CaseRecord
from tests.ingest.helpers import NOW, A, activity, activity2, case, case2, csv_bytes


def test_csv_templates_are_bom_utf8_header_only(tmp_path):
    paths = write_templates(tmp_path)
    assert [p.name for p in paths] == [f"{lg.name}.csv" for lg in LEDGERS] + ["台账模板.xlsx"]
    for ledger in LEDGERS:
        data = template_csv(ledger.name)
        assert data.startswith(b"\xef\xbb\xbf")
        assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [[c.header for c in ledger.columns]]


def test_workbook_has_header_only_sheets_dropdowns_text_codes_and_instructions():
    book = load_workbook(io.BytesIO(template_workbook()))
    assert book.sheetnames == [INSTRUCTIONS_SHEET, *[lg.name for lg in LEDGERS]]
    for ledger in LEDGERS:
        ws = book[ledger.name]
        values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
        assert values[0] == [c.header for c in ledger.columns]
        assert not any(values[1:]), f"{ledger.name} must hold the header row only"
        lists = {
            next(iter(dv.sqref.ranges)).min_col: dv.formula1
            for dv in ws.data_validations.dataValidation
            if dv.type == "list"
        }
        for i, col in enumerate(ledger.columns, start=1):
            if col.kind == "enum":
                assert lists[i] == '"' + ",".join(col.allowed) + '"', col.header
            if col.kind == "code":
                assert ws.cell(row=2, column=i).number_format == "@"
                assert ws.column_dimensions[ws.cell(row=1, column=i).column_letter].number_format == "@"
    rows = list(book[INSTRUCTIONS_SHEET].iter_rows(min_row=5, values_only=True))
    documented = {(r[0], r[1]) for r in rows}
    assert documented == {(lg.name, c.header) for lg in LEDGERS for c in lg.columns}
    example = next(r for r in rows if r[:2] == ("诉求纠纷台账", "状态"))
    assert example[2:] == (
        "是",
        "单选",
        CASES.column("status").meaning,
        "已受理 / 处理中 / 已办结 / 已转办",
        "已办结",
        "status",
    )


def test_a_filled_workbook_template_imports_cleanly(reported):
    book = load_workbook(io.BytesIO(template_workbook(ledgers=[ACTIVITIES.name, CASES.name])))
    for ledger, rows in ((ACTIVITIES, [activity(), activity2()]), (CASES, [case(), case2()])):
        for r, row in enumerate(rows, start=2):
            for i, col in enumerate(ledger.columns, start=1):
                book[ledger.name].cell(row=r, column=i).value = row.get(col.header) or None
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_month(
        reported.engine, principal=reported.secretary_a, files=[("模板.xlsx", buffer.getvalue())], now=NOW
    )
    assert result.row_counts == {"activities": 2, "case_records": 2}


def test_a_filled_csv_template_imports_cleanly(reported):
    text = template_csv(CASES.name).decode("utf-8-sig")
    body = csv_bytes([[case2().get(c.header, "") for c in CASES.columns]], "utf-8")
    result = import_month(
        reported.engine, principal=reported.secretary_a, files=[("案件.csv", text.encode("utf-8-sig") + body)], now=NOW
    )
    assert result.row_counts == {"case_records": 1}


def test_prefilled_open_cases_close_in_one_cell(reported):
    engine = reported.engine
    prefill = open_items(engine, reported.ids[A])
    assert [r["案件编号"] for r in prefill["case_records"]] == ["C-1"]
    assert [r["项目编号"] for r in prefill["facility_records"]] == ["P-0"]
    rows = list(csv.reader(io.StringIO(template_csv(CASES.name, prefill=prefill).decode("utf-8-sig"))))
    assert rows[1][:5] == [A, "C-1", "诉求", "停车", "2025-02-10"]
    header = rows[0]
    rows[1][header.index("状态")], rows[1][header.index("办结日期")] = "已办结", "2025-03-08"
    import_month(
        engine, principal=reported.secretary_a, files=[("案件.csv", csv_bytes(rows))], month="2025-03", now=NOW
    )
    with engine.connect() as conn:
        current = conn.execute(
            select(CaseRecord.status, CaseRecord.days_to_close).where(
                CaseRecord.case_no == "C-1", CaseRecord.is_current
            )
        ).one()
    assert tuple(current) == ("已办结", 26)
    book = load_workbook(io.BytesIO(template_workbook(prefill=prefill)))
    assert book[CASES.name].cell(row=2, column=2).value == "C-1"
