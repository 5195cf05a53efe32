"""The corpus of bad files: every hazard class in importer-hazards.md, each built from a good file.

Each case names where the problem must be reported: (file, sheet, row, column, problem code);
``None`` in a slot means "not located there" (file-level problems).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from services.ingest import Limits
from services.ledgers import ACTIVITIES, CASES, DISCLOSURES, FACILITIES, REGISTRY, VOTES
from tests.ingest.helpers import (
    ID_NUMBER,
    MOBILE,
    B,
    activity,
    activity2,
    case,
    case2,
    csv_bytes,
    disclosure,
    facility,
    march_tables,
    registry_rows,
    rows_for,
    vote,
    xlsx_bytes,
)


@dataclass
class Case:
    id: str
    files: list[tuple[str, bytes]]
    expect: list[tuple]  # (file, sheet, row, column, code)
    hazard: str
    principal: str = "admin"
    month: str | None = "2025-03"
    limits: Limits = field(default_factory=Limits)
    registry: bool = False


def act(*rows, enc="utf-8-sig") -> bytes:
    return csv_bytes(rows_for(ACTIVITIES, list(rows)), enc)


def one(ledger, row, enc="utf-8-sig") -> bytes:
    return csv_bytes(rows_for(ledger, [row]), enc)


def good_xlsx() -> bytes:
    return xlsx_bytes(march_tables())


def _rezip(data: bytes, change) -> bytes:
    """Rewrite a workbook package member by member through ``change(name, bytes) -> bytes | None``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
        extra = change("", b"")
        if extra:
            dst.writestr("xl/vbaProject.bin", extra)
    return out.getvalue()


def macro_workbook() -> bytes:
    def change(name, body):
        if name == "":
            return b"\x00VBA-project"
        if name == "[Content_Types].xml":
            return body.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
        return body

    return _rezip(good_xlsx(), change)


def entity_bomb() -> bytes:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]>'
    )

    def change(name, body):
        if name == "xl/worksheets/sheet1.xml":
            return bomb + body.replace(b"<t>", b"<t>&lol3;", 1)
        return body or None

    return _rezip(good_xlsx(), change)


def zip_bomb() -> bytes:
    def change(name, body):
        if name == "xl/worksheets/sheet1.xml":
            return body.replace(b"</worksheet>", b"<!--" + b" " * (8 * 1024 * 1024) + b"--></worksheet>")
        return body or None

    return _rezip(good_xlsx(), change)


def ole(*streams: str) -> bytes:
    body = b"".join(s.encode("utf-16-le") + b"\x00" * 8 for s in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body + b"\x00" * 1024


def merged_header_xlsx() -> bytes:
    table = rows_for(ACTIVITIES, [activity()])
    table.insert(1, [""] * len(table[0]))
    return xlsx_bytes({ACTIVITIES.name: table}, merges={ACTIVITIES.name: ["A1:A2"]})


def merged_data_xlsx() -> bytes:
    table = rows_for(ACTIVITIES, [activity(), activity2(小区编码="")])
    return xlsx_bytes({ACTIVITIES.name: table}, merges={ACTIVITIES.name: ["A2:A3"]})


def formula_xlsx() -> bytes:
    return xlsx_bytes({ACTIVITIES.name: rows_for(ACTIVITIES, [activity(参与人数="=10+5")])})


def error_cell_xlsx() -> bytes:
    return xlsx_bytes({ACTIVITIES.name: rows_for(ACTIVITIES, [activity(慰问户数="#REF!")])})


def scientific_xlsx() -> bytes:
    return xlsx_bytes({CASES.name: rows_for(CASES, [case(案件编号=1.10101e17)])})


def two_row_header_csv() -> bytes:
    table = rows_for(ACTIVITIES, [activity()])
    sub = [""] * len(table[0])
    sub[9:13] = ["困难党员", "困难群众", "残疾人", "失独家庭"]
    table[0][9:13] = ["慰问户数（分项）", "", "", ""]
    table.insert(1, sub)
    return csv_bytes(table)


def mixed_encoding_csv() -> bytes:
    good = act(activity(), enc="gbk")
    return good + csv_bytes([[c for c in rows_for(ACTIVITIES, [activity2()])[1]]], "utf-8")


def renamed_column_csv() -> bytes:
    table = rows_for(ACTIVITIES, [activity()])
    table[0][1] = "活动时间"
    return csv_bytes(table)


def extra_column(header: str, value: str) -> bytes:
    table = rows_for(ACTIVITIES, [activity()])
    table[0].append(header)
    table[1].append(value)
    return csv_bytes(table)


def duplicate_column_csv() -> bytes:
    table = rows_for(ACTIVITIES, [activity()])
    table[0].append("参与人数")
    table[1].append("15")
    return csv_bytes(table)


def ragged_csv() -> bytes:
    table = rows_for(ACTIVITIES, [activity(), activity2()])
    table[2] = [*table[2], "", "多出来的"]
    return csv_bytes(table)


def unnamed_column_csv() -> bytes:
    table = rows_for(ACTIVITIES, [activity(), activity2()])
    for row in table:
        row.append("")
    table[2][-1] = "无名列的值"
    return csv_bytes(table)


def footer_in_middle_csv() -> bytes:
    table = rows_for(ACTIVITIES, [activity()])
    table.append(["合计", "", "", "", "15"])
    table.append(rows_for(ACTIVITIES, [activity2()])[1])
    return csv_bytes(table)


def hidden_data_xlsx() -> bytes:
    tables = {ACTIVITIES.name: rows_for(ACTIVITIES, [activity()]), "Sheet2": rows_for(CASES, [case()])}
    return xlsx_bytes(tables, hidden=("Sheet2",))


def sheet_name_mismatch_xlsx() -> bytes:
    return xlsx_bytes({ACTIVITIES.name: rows_for(CASES, [case()])})


def pii_in_title_csv() -> bytes:
    return csv_bytes([[f"填报人 王书记 {MOBILE}"], *rows_for(ACTIVITIES, [activity()])])


def corpus() -> list[Case]:
    a, c, f, v, d = "活动.csv", "案件.csv", "设施.csv", "表决.csv", "财务.csv"
    sa, sc = ACTIVITIES.name, CASES.name
    return [
        # encodings
        Case("mixed-encodings", [(a, mixed_encoding_csv())], [(a, None, 3, None, "encoding.mixed")], "encoding"),
        Case(
            "undecodable",
            [(a, act(activity(), enc="gbk") + b"\xff\xfe\xff")],
            [(a, None, None, None, "encoding.unknown")],
            "encoding",
        ),
        Case(
            "bom-but-gbk",
            [(a, b"\xef\xbb\xbf" + act(activity(), enc="gbk"))],
            [(a, None, 1, None, "encoding.mixed")],  # the BOM says UTF-8; the header is already GBK
            "encoding",
        ),
        Case(
            "nul-bytes",
            [(a, act(activity()).replace(b",", b"\x00,", 1)[3:])],
            [(a, None, None, None, "file.type")],
            "type",
        ),
        # file types
        Case(
            "pdf-renamed",
            [("台账.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")],
            [("台账.xlsx", None, None, None, "file.type")],
            "type",
        ),
        Case(
            "xls",
            [("台账.xls", ole("Workbook", "SummaryInformation"))],
            [("台账.xls", None, None, None, "file.xls")],
            "type",
        ),
        Case(
            "encrypted",
            [("台账.xlsx", ole("EncryptionInfo", "EncryptedPackage"))],
            [("台账.xlsx", None, None, None, "file.encrypted")],
            "type",
        ),
        Case("xlsm", [("台账.xlsm", macro_workbook())], [("台账.xlsm", None, None, None, "file.macro")], "type"),
        Case("zip-bomb", [("台账.xlsx", zip_bomb())], [("台账.xlsx", None, None, None, "zip.bomb")], "type"),
        Case("entity-bomb", [("台账.xlsx", entity_bomb())], [("台账.xlsx", None, None, None, "xml.entities")], "type"),
        Case(
            "zip-not-workbook",
            [("台账.xlsx", _rezip(good_xlsx(), lambda n, b: None if n.startswith("xl/workbook") else (b or None)))],
            [("台账.xlsx", None, None, None, "file.type")],
            "type",
        ),
        Case(
            "html-xls",
            [("台账.xls", "<html><body><table><tr><td>小区编码</td></tr></table>".encode())],
            [("台账.xls", None, None, None, "file.type")],
            "type",
        ),
        Case(
            "truncated-xlsx",
            [("台账.xlsx", good_xlsx()[:900])],
            [("台账.xlsx", None, None, None, "file.corrupt")],
            "type",
        ),
        Case("empty-file", [(a, b"")], [(a, None, None, None, "file.empty")], "type"),
        Case(
            "too-big",
            [(a, act(activity(), activity2()))],
            [(a, None, None, None, "limits.bytes")],
            "limits",
            limits=Limits(max_bytes=200),
        ),
        Case(
            "too-many-rows",
            [(a, act(*[activity(活动名称=f"活动{i}") for i in range(8)]))],
            [(a, None, 7, None, "limits.rows")],
            "limits",
            limits=Limits(max_rows=5),
        ),
        # layout
        Case("two-row-header", [(a, two_row_header_csv())], [(a, None, 2, None, "header.two_rows")], "layout"),
        Case("merged-header", [("m.xlsx", merged_header_xlsx())], [("m.xlsx", sa, 1, None, "header.merged")], "layout"),
        Case("merged-data", [("m.xlsx", merged_data_xlsx())], [("m.xlsx", sa, 2, "A列", "layout.merged")], "layout"),
        Case(
            "missing-required-column",
            [(a, renamed_column_csv())],
            [(a, None, 1, "活动日期", "header.missing"), (a, None, 1, "B列", "header.unknown")],
            "layout",
        ),
        Case("column-of-names", [(a, extra_column("姓名", "王某"))], [(a, None, 1, "O列", "header.unknown")], "layout"),
        Case(
            "duplicate-column", [(a, duplicate_column_csv())], [(a, None, 1, "参与人数", "header.duplicate")], "layout"
        ),
        Case("header-only", [(a, act())], [(a, None, 1, None, "file.header_only")], "layout"),
        Case("ragged-row", [(a, ragged_csv())], [(a, None, 3, "P列", "layout.ragged")], "layout"),
        Case("unnamed-column", [(a, unnamed_column_csv())], [(a, None, 3, "O列", "layout.unnamed_column")], "layout"),
        Case("footer-in-middle", [(a, footer_in_middle_csv())], [(a, None, 3, None, "layout.footer_middle")], "layout"),
        Case(
            "no-header",
            [(a, csv_bytes([["甲小区三月工作总结"], ["本月开展活动两次"]]))],
            [(a, None, None, None, "header.not_found")],
            "layout",
        ),
        Case(
            "hidden-sheet-with-data",
            [("m.xlsx", hidden_data_xlsx())],
            [("m.xlsx", "Sheet2", None, None, "sheet.hidden")],
            "layout",
        ),
        Case(
            "sheet-name-mismatch",
            [("m.xlsx", sheet_name_mismatch_xlsx())],
            [("m.xlsx", sa, 1, None, "header.sheet_mismatch")],
            "layout",
        ),
        Case(
            "unbalanced-quotes",
            [(a, act(activity()) + b'511423112001,"2025-03-09,\xe5\x85\xb6\xe4\xbb\x96\r\n')],
            [(a, None, None, None, "csv.quotes")],
            "layout",
        ),
        Case(
            "same-ledger-twice",
            [(a, act(activity())), ("活动2.csv", act(activity2()))],
            [("活动2.csv", None, 1, None, "upload.duplicate_ledger")],
            "layout",
        ),
        # values
        Case(
            "approximate",
            [(a, act(activity(参与人数="约30")))],
            [(a, None, 2, "参与人数", "value.approximate")],
            "values",
        ),
        Case("unit-suffix", [(a, act(activity2(参与人数="12人")))], [(a, None, 2, "参与人数", "value.unit")], "values"),
        Case(
            "none-in-number",
            [(a, act(activity(), activity2(志愿者人数="无")))],
            [(a, None, 3, "志愿者人数", "value.placeholder")],
            "values",
        ),
        Case(
            "slash-in-number",
            [(a, act(activity(慰问户数="/")))],
            [(a, None, 2, "慰问户数", "value.placeholder")],
            "values",
        ),
        Case(
            "excel-error-literal",
            [(a, act(activity(参与人数="#DIV/0!")))],
            [(a, None, 2, "参与人数", "value.excel_error")],
            "values",
        ),
        Case(
            "excel-error-cell",
            [("m.xlsx", error_cell_xlsx())],
            [("m.xlsx", sa, 2, "慰问户数", "value.excel_error")],
            "values",
        ),
        Case("formula-cell", [("m.xlsx", formula_xlsx())], [("m.xlsx", sa, 2, "参与人数", "value.formula")], "values"),
        Case(
            "negative-count",
            [(a, act(activity(参与人数="-5")))],
            [(a, None, 2, "参与人数", "value.negative")],
            "values",
        ),
        Case(
            "fraction-count", [(a, act(activity(参与人数="12.5")))], [(a, None, 2, "参与人数", "value.int")], "values"
        ),
        Case(
            "impossible-date",
            [(a, act(activity(活动日期="2025-02-30")))],
            [(a, None, 2, "活动日期", "value.date_impossible")],
            "values",
        ),
        Case(
            "invalid-month",
            [(d, one(DISCLOSURES, disclosure(月份="2025-13")))],
            [(d, None, 2, "月份", "value.month_impossible")],
            "values",
        ),
        Case(
            "month-not-reported",
            [(d, one(DISCLOSURES, disclosure(月份="2025-02")))],
            [(d, None, 2, "月份", "month.rule")],
            "values",
        ),
        Case(
            "future-month",
            [(a, act(activity(活动日期="2025-05-05")))],
            [(a, None, None, None, "month.future")],
            "values",
            month="2025-05",
        ),
        Case(
            "future-date",
            [(d, one(DISCLOSURES, disclosure(公示日期="2025-04-20")))],
            [(d, None, 2, "公示日期", "date.future")],
            "values",
        ),
        Case(
            "scientific-code",
            [("m.xlsx", scientific_xlsx())],
            [("m.xlsx", sc, 2, "案件编号", "value.code_scientific")],
            "values",
        ),
        Case(
            "scientific-code-csv",
            [(c, one(CASES, case(小区编码="5.11423E+11")))],
            [(c, None, 2, "小区编码", "value.code_scientific")],
            "values",
        ),
        Case(
            "lost-leading-zero",
            [(a, act(activity(小区编码="51142310101")))],
            [(a, None, 2, "小区编码", "compound.unknown")],
            "values",
        ),
        Case("traditional-enum", [(c, one(CASES, case(类型="訴求")))], [(c, None, 2, "类型", "value.enum")], "values"),
        Case(
            "formula-text",
            [(a, act(activity(备注='=HYPERLINK("http://x","点我")')))],
            [(a, None, 2, "备注", "value.formula_text")],
            "hostile text",
        ),
        Case(
            "too-many-decimals",
            [(a, act(activity(志愿服务时长="2.25")))],
            [(a, None, 2, "志愿服务时长", "value.places")],
            "values",
        ),
        Case(
            "zero-quantity", [(f, one(FACILITIES, facility(数量="0")))], [(f, None, 2, "数量", "value.range")], "values"
        ),
        Case(
            "threshold-too-low",
            [(v, one(VOTES, vote(本地通过比例="30%")))],
            [(v, None, 2, "本地通过比例", "value.range")],
            "values",
        ),
        Case("required-blank", [(c, one(CASES, case(状态="")))], [(c, None, 2, "状态", "value.required")], "values"),
        # rules
        Case(
            "of-which-exceeds",
            [(a, act(activity(慰问残疾人户数="11")))],
            [(a, None, 2, "慰问残疾人户数", "rule.of_which")],
            "rules",
        ),
        Case(
            "of-which-without-total",
            [(a, act(activity(慰问户数="")))],
            [(a, None, 2, "慰问户数", "rule.of_which_total_missing")],
            "rules",
        ),
        Case(
            "dates-backwards",
            [(c, one(CASES, case(办结日期="2025-03-01")))],
            [(c, None, 2, "办结日期", "rule.dates_backwards")],
            "rules",
        ),
        Case(
            "closed-without-date",
            [(c, one(CASES, case(办结日期="")))],
            [(c, None, 2, "办结日期", "rule.closed_needs_date")],
            "rules",
        ),
        Case(
            "date-without-closed",
            [(c, one(CASES, case(状态="处理中")))],
            [(c, None, 2, "状态", "rule.date_needs_closed")],
            "rules",
        ),
        Case(
            "completed-without-date",
            [(f, one(FACILITIES, facility(状态="完工")))],
            [(f, None, 2, "完工日期", "rule.completed_needs_date")],
            "rules",
        ),
        Case(
            "agree-over-participating",
            [(v, one(VOTES, vote(同意户数="170")))],
            [(v, None, 2, "同意户数", "rule.agree_le_part")],
            "rules",
        ),
        Case(
            "areas-partial",
            [(v, one(VOTES, vote(同意面积="")))],
            [(v, None, 2, "同意面积", "rule.areas_all_or_none")],
            "rules",
        ),
        Case(
            "duplicate-case-number",
            [(c, csv_bytes(rows_for(CASES, [case(), case2(案件编号="C-3")])))],
            [(c, None, 3, "案件编号", "rule.duplicate_key")],
            "rules",
        ),
        Case(
            "new-case-from-earlier-month",
            [(c, one(CASES, case2(案件编号="C-8", 受理日期="2025-02-20")))],
            [(c, None, 2, "受理日期", "month.rule")],
            "rules",
        ),
        Case(
            "activity-outside-month",
            [(a, act(activity(), activity2(活动日期="2025-02-27")))],
            [(a, None, 3, "活动日期", "month.rule")],
            "rules",
        ),
        Case(
            "two-disclosures",
            [(d, csv_bytes(rows_for(DISCLOSURES, [disclosure(), disclosure()])))],
            [(d, None, 3, "月份", "rule.disclosure_one_row")],
            "rules",
        ),
        Case(
            "month-ambiguous",
            [(a, act(activity())), (c, one(CASES, case(案件编号="C-1", 受理日期="2025-02-10")))],
            [(None, None, None, None, "month.unknown")],
            "rules",
            month=None,
        ),
        # identity
        Case(
            "unknown-compound",
            [(a, act(activity(小区编码="511423199999")))],
            [(a, None, 2, "小区编码", "compound.unknown")],
            "identity",
        ),
        Case(
            "other-compound",
            [(a, act(activity(小区编码=B)))],
            [(a, None, 2, "小区编码", "auth.compound")],
            "identity",
            principal="sec-a",
        ),
        Case(
            "two-compounds",
            [(a, act(activity(), activity2(小区编码=B)))],
            [(a, None, 3, "小区编码", "compound.mixed")],
            "identity",
        ),
        Case(
            "town-cannot-import",
            [(a, act(activity()))],
            [(a, None, None, None, "auth.role")],
            "identity",
            principal="town",
        ),
        Case(
            "secretary-registry",
            [("档案.csv", one(REGISTRY, registry_rows()))],
            [("档案.csv", None, None, None, "auth.registry")],
            "identity",
            principal="sec-a",
            registry=True,
        ),
        Case(
            "registry-with-ledgers",
            [
                (
                    "m.xlsx",
                    xlsx_bytes(
                        {REGISTRY.name: rows_for(REGISTRY, [registry_rows()]), sa: rows_for(ACTIVITIES, [activity()])}
                    ),
                )
            ],
            [("m.xlsx", REGISTRY.name, 1, None, "upload.registry_mixed")],
            "identity",
        ),
        # personal data
        Case(
            "id-in-note",
            [(a, act(activity(备注=f"慰问对象身份证{ID_NUMBER}")))],
            [(a, None, 2, "备注", "pii.id")],
            "personal data",
        ),
        Case(
            "mobile-in-name",
            [(a, act(activity2(活动名称=f"联系{MOBILE}报名")))],
            [(a, None, 2, "活动名称", "pii.mobile")],
            "personal data",
        ),
        Case(
            "old-id-in-summary",
            [(c, one(CASES, case(摘要="当事人110105491231002"), enc="gbk"))],
            [(c, None, 2, "摘要", "pii.id")],
            "personal data",
        ),
        Case("mobile-in-title", [(a, pii_in_title_csv())], [(a, None, 1, "A列", "pii.mobile")], "personal data"),
        Case(
            "mobile-in-xlsx-number",
            [("m.xlsx", xlsx_bytes({sc: rows_for(CASES, [case(摘要=13812345678)])}))],
            [("m.xlsx", sc, 2, "摘要", "pii.mobile")],
            "personal data",
        ),
    ]
