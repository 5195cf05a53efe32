"""Resident IDs and mobile numbers: found anywhere (check digit validated), only ever shown masked."""

from __future__ import annotations

import pytest

from services.ingest.problems import ImportRejected, Notice, Problem
from services.pii import find_pii, id_check_digit, is_resident_id, mask_text
from tests.ingest.helpers import ID_NUMBER, MOBILE


def test_check_digit_is_iso_7064_mod_11_2():
    assert id_check_digit(ID_NUMBER[:17]) == "X"
    assert is_resident_id(ID_NUMBER)
    assert not is_resident_id(ID_NUMBER[:17] + "1")  # wrong check digit: not an ID (e.g. a long code)
    assert is_resident_id("110105491231002")  # 15-digit old ID, born 1949-12-31


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"张三身份证{ID_NUMBER}已核实", "1101**********002X"),
        (f"住户 {ID_NUMBER.lower()}", "1101**********002x"),
        ("老证110105491231002", "1101********002"),
        (f"联系{MOBILE}", "138****5678"),
        ("电话 138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
    ],
)
def test_found_and_masked(text, masked):
    findings = find_pii(text)
    assert [f.masked for f in findings] == [masked]
    assert masked in mask_text(text)
    assert "12345678" not in mask_text(text).replace("-", "").replace(" ", "")


@pytest.mark.parametrize(
    "text", ["511423112001", "2025-03-05", "案件 20250305001", "0833-5551234", "12345678901", "金额 13800.00"]
)
def test_codes_dates_and_landlines_are_not_personal_data(text):
    assert find_pii(text) == []
    assert mask_text(text) == text


def test_problems_notices_and_exceptions_never_carry_the_raw_value():
    problem = Problem(f"{MOBILE}.csv", "表", 3, "备注", f"x{ID_NUMBER}", f"含{MOBILE}", f"删去{ID_NUMBER}", "pii.id")
    notice = Notice("a.csv", None, 1, None, f"见{MOBILE}")
    text = repr(problem) + problem.describe() + repr(notice) + str(ImportRejected([problem]))
    assert MOBILE not in text and ID_NUMBER not in text
    assert "138****5678" in problem.describe() and "1101**********002X" in problem.describe()
