"""Cell values: what is accepted, and that everything else is rejected rather than guessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from services.ingest.values import ExcelError, Formula, ValueIssue, parse_cell
from services.ledgers import ACTIVITIES, CASES, DISCLOSURES, FACILITIES, REGISTRY, VOTES

DATE = ACTIVITIES.column("activity_date")
MONTH = DISCLOSURES.column("month")
COUNT = ACTIVITIES.column("participants")
HOURS = ACTIVITIES.column("volunteer_hours")
MONEY = DISCLOSURES.column("income_yuan")
CODE = ACTIVITIES.column("compound_code")
KIND = CASES.column("kind")
ORGANISERS = ACTIVITIES.column("organisers")
NOTE = ACTIVITIES.column("note")
THRESHOLD = VOTES.column("local_threshold")
QUANTITY = FACILITIES.column("quantity")


@pytest.mark.parametrize(
    "raw",
    [
        "2025-03-05",
        "2025/3/5",
        "2025.3.5",
        "2025年3月5日",
        "20250305",
        "２０２５年３月５日",
        " 2025-03-05 ",
        dt.datetime(2025, 3, 5),
        dt.date(2025, 3, 5),
        45721,
        45721.0,
        "45721",
        "2025-03-05 00:00:00",
        "2025 年 3 月 5 日",
    ],
)
def test_dates_in_every_accepted_form(raw):
    assert parse_cell(DATE, raw) == dt.date(2025, 3, 5)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2025-02-30", "value.date_impossible"),
        ("2025-13-01", "value.date_impossible"),
        ("25/3/5", "value.date"),
        ("3/5/2025", "value.date"),
        ("2025年3月", "value.date"),
        ("上周五", "value.date"),
        ("1900-01-01", "value.date_range"),
        ("#REF!", "value.excel_error"),
        (ExcelError("#VALUE!"), "value.excel_error"),
        (Formula("=TODAY()"), "value.formula"),
        (True, "value.bool"),
        (dt.time(8, 30), "value.date"),
        ("2025-3/5", "value.date"),
    ],
)
def test_bad_dates_are_rejected(raw, code):
    with pytest.raises(ValueIssue) as issue:
        parse_cell(DATE, raw)
    assert issue.value.code == code


@pytest.mark.parametrize(
    "raw", ["2025-03", "2025/3", "2025年3月", "202503", 202503, "２０２５-０３", dt.datetime(2025, 3, 1), "2025/3/1"]
)
def test_months_in_every_accepted_form(raw):
    assert parse_cell(MONTH, raw) == "2025-03"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2025-13", "value.month_impossible"),
        ("202500", "value.month_impossible"),
        ("2025.3", "value.month"),
        (2025.1, "value.month"),
        ("三月", "value.month"),
        (dt.datetime(2025, 3, 15), "value.month"),
        ("2025-03-15", "value.month"),
    ],
)
def test_bad_months_are_rejected(raw, code):
    with pytest.raises(ValueIssue) as issue:
        parse_cell(MONTH, raw)
    assert issue.value.code == code


@pytest.mark.parametrize(
    ("raw", "value"), [("12", 12), ("12.0", 12), (12.0, 12), (12, 12), ("１２", 12), ("1,200", 1200), ("0", 0)]
)
def test_counts(raw, value):
    assert parse_cell(COUNT, raw) == value


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("约30", "value.approximate"),
        ("30左右", "value.approximate"),
        ("12人", "value.unit"),
        ("无", "value.placeholder"),
        ("/", "value.placeholder"),
        ("-", "value.placeholder"),
        ("#DIV/0!", "value.excel_error"),
        ("-3", "value.negative"),
        (-3, "value.negative"),
        ("12.5", "value.int"),
        (12.5, "value.int"),
        ("1E3", "value.scientific"),
        ("1,20", "value.number"),
        ("十二", "value.number"),
        ("1000001", "value.range"),
    ],
)
def test_bad_counts_are_rejected(raw, code):
    with pytest.raises(ValueIssue) as issue:
        parse_cell(COUNT, raw)
    assert issue.value.code == code


def test_amounts_accept_thousands_separators_and_keep_two_places():
    assert parse_cell(MONEY, "1,234,567.89") == Decimal("1234567.89")
    assert parse_cell(MONEY, "5000.5") == Decimal("5000.50")
    assert parse_cell(MONEY, 1200.5) == Decimal("1200.50")
    with pytest.raises(ValueIssue, match="小数位数"):
        parse_cell(MONEY, "10.005")
    with pytest.raises(ValueIssue):
        parse_cell(MONEY, "¥100")
    assert parse_cell(HOURS, "6.5") == Decimal("6.5")
    with pytest.raises(ValueIssue):
        parse_cell(HOURS, "2.25")


def test_quantity_must_be_positive():
    assert parse_cell(QUANTITY, "0.5") == Decimal("0.50")
    with pytest.raises(ValueIssue, match="大于 0"):
        parse_cell(QUANTITY, "0")


@pytest.mark.parametrize(
    ("raw", "value"), [("70%", "0.7"), ("0.7", "0.7"), ("70", "0.7"), ("66.67%", "0.6667"), ("1", "1")]
)
def test_local_threshold_forms(raw, value):
    assert parse_cell(THRESHOLD, raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["30%", "0.3", "120%", "abc"])
def test_local_threshold_out_of_range_or_unreadable(raw):
    with pytest.raises(ValueIssue):
        parse_cell(THRESHOLD, raw)


def test_codes_keep_their_text_and_refuse_what_excel_did_to_them():
    assert parse_cell(CODE, "０５１１４２３１１２００１") == "051142311200" + "1"
    assert parse_cell(CODE, 511423112001) == "511423112001"
    assert parse_cell(CODE, 511423112001.0) == "511423112001"
    for raw in ("1.10101E+17", 1.10101e17, "5114 2311", "=A1"):
        with pytest.raises(ValueIssue):
            parse_cell(CODE, raw)


def test_enums_are_exact_and_traditional_characters_are_not_converted():
    assert parse_cell(KIND, " 诉 求 ") == "诉求"
    with pytest.raises(ValueIssue) as issue:
        parse_cell(KIND, "訴求")
    assert "诉求" in issue.value.hint_zh
    system = REGISTRY.column("coord_system")
    assert parse_cell(system, "gcj-02") == "GCJ02"


def test_organisers_split_on_documented_separators_in_canonical_order():
    assert parse_cell(ORGANISERS, "妇联、党支部;物业；妇联") == "党支部、物业、妇联"
    with pytest.raises(ValueIssue, match="不可选"):
        parse_cell(ORGANISERS, "党支部,物业")


def test_text_is_trimmed_but_not_rewritten():
    assert parse_cell(NOTE, "  甲\u3000\u3000小区  ") == "甲 小区"
    assert parse_cell(NOTE, "第一行\r\n第二行") == "第一行\n第二行"
    assert parse_cell(NOTE, "<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert parse_cell(REGISTRY.column("property_company"), "无") is None


@pytest.mark.parametrize("raw", ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "\t=1", "-2+3", "\r=1"])
def test_text_that_excel_would_run_as_a_formula_is_rejected(raw):
    with pytest.raises(ValueIssue) as issue:
        parse_cell(NOTE, raw)
    assert issue.value.code == "value.formula_text"
