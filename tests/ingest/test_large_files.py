"""The shortcuts that keep a 100,000-row upload fast must not change what is found or where."""

from __future__ import annotations

import gc

from services.ingest.uploads import Limits, Upload
from services.ingest.validate import gc_paused, parse_uploads
from services.ingest.workbook import _plain_utf8
from services.ledgers import ACTIVITIES
from tests.ingest.helpers import ID_NUMBER, MOBILE, activity, csv_bytes, rows_for, xlsx_bytes

ROWS = 1200  # more than two blocks of the personal-data scan


def _parse(name: str, data: bytes):
    return parse_uploads([Upload(name, data)], Limits())


def _rows(**changes_by_row) -> list[dict]:
    """ROWS activity rows; ``changes_by_row`` maps "r<index>" to the cells changed in that row."""
    return [activity(**changes_by_row.get(f"r{i}", {})) for i in range(ROWS)]


def test_personal_data_is_found_in_its_row_and_column_in_any_block():
    table = rows_for(
        ACTIVITIES, _rows(r0={"备注": MOBILE}, r499={"活动名称": ID_NUMBER}, r1100={"备注": f"电话{MOBILE}"})
    )
    for name, data in (("a.csv", csv_bytes(table)), ("a.xlsx", xlsx_bytes({ACTIVITIES.name: table}))):
        found = [(p.row, p.column, p.code) for p in _parse(name, data).problems.items if p.code.startswith("pii.")]
        # spreadsheet rows: the header is row 1, so data row i is row i + 2
        assert found == [(2, "备注", "pii.mobile"), (501, "活动名称", "pii.id"), (1102, "备注", "pii.mobile")], name


def test_a_repeated_bad_value_is_reported_on_every_row():
    bad = {f"r{i}": {"参与人数": "约30"} for i in range(0, ROWS, 100)}
    parsed = _parse("a.csv", csv_bytes(rows_for(ACTIVITIES, _rows(**bad))))
    rows = [p.row for p in parsed.problems.items if p.code == "value.approximate"]
    assert rows == [i + 2 for i in range(0, ROWS, 100)]
    assert {p.column for p in parsed.problems.items} == {"参与人数"}


def test_equal_cells_of_different_types_are_parsed_by_type():
    # 1 and 1.0 and True are equal dictionary keys; a bool cell must still be refused
    table = rows_for(ACTIVITIES, [activity(参与人数=1), activity(参与人数=True), activity(参与人数=1.0)])
    parsed = _parse("a.xlsx", xlsx_bytes({ACTIVITIES.name: table}))
    assert [(p.row, p.code) for p in parsed.problems.items] == [(3, "value.bool")]
    assert [r.values["participants"] for r in parsed.by_key(ACTIVITIES.key).rows] == [1, None, 1]


def test_the_garbage_collector_is_restored():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_only_plain_utf8_sheets_take_the_fast_xml_parser():
    assert _plain_utf8(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet>')
    assert _plain_utf8(b"<worksheet xmlns='x'>")
    assert not _plain_utf8(b'<?xml version="1.0" encoding="cp037"?>')
    assert not _plain_utf8('<?xml version="1.0"?>'.encode("utf-16"))
    assert not _plain_utf8(b'<?xml version="1.0"' + b" " * 300)
