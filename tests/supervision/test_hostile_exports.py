"""Hostile text in an order's requirement and feedback stays inert in the list's exports: the
xlsx holds it as text (never a formula or a link), the CSV with formula starts neutralised."""

from __future__ import annotations

import csv
import io

import openpyxl

from services import exports, supervision
from services.access import clamp
from services.domain import Scope
from tests.hostile import IMG, LINK, SCRIPT
from tests.supervision.conftest import DEADLINE, NOW, A

FORMULA = '=HYPERLINK("http://evil.example","点我")'


def test_an_orders_hostile_texts_stay_text_in_xlsx_and_csv(oc):
    requirement = f"{FORMULA} {IMG}"
    made = supervision.issue(
        oc.engine, oc.principal("town"), compound_id=oc.ids[A], requirement=requirement, deadline=DEADLINE, now=NOW
    )
    supervision.sign(oc.engine, oc.principal("sec-a"), made.id, now=NOW)
    supervision.answer(oc.engine, oc.principal("sec-a"), made.id, f"{SCRIPT}{LINK}", now=NOW)
    listing = supervision.orders(oc.engine, clamp(oc.principal("town"), Scope()))
    table = listing[["id", "requirement", "feedback"]]

    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(table)))
    sheet = book.active
    cells = {sheet.cell(row=1, column=c).value: sheet.cell(row=2, column=c) for c in range(1, 4)}
    assert cells["requirement"].value == "'" + requirement and cells["requirement"].data_type == "s"
    assert cells["feedback"].value == SCRIPT + LINK and cells["feedback"].hyperlink is None
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)

    header, row = csv.reader(io.StringIO(exports.csv_bytes(table).decode("utf-8-sig")))
    assert dict(zip(header, row, strict=True))["requirement"] == "'" + requirement
    assert dict(zip(header, row, strict=True))["feedback"] == SCRIPT + LINK
