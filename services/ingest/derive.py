"""Validated values → database rows; each ledger's ``derive`` computes its derived columns, once, here."""

from __future__ import annotations

from dataclasses import dataclass

from services.ingest.validate import LedgerRows, gc_paused
from services.ledgers import Ledger


@dataclass
class PlannedRow:
    file: str
    sheet: str | None
    row: int
    data: dict  # model field → value (without submission_id and is_current)


_CONTENT_FIELDS: dict[str, tuple[str, ...]] = {}


def content_fields(ledger: Ledger) -> tuple[str, ...]:
    """The fields a secretary fills in (what 'unchanged' compares); computed once per ledger (asked per row)."""
    fields = _CONTENT_FIELDS.get(ledger.key)
    if fields is None:
        fields = tuple(c.field for c in ledger.columns if c.stored and c.field != "compound_code")
        _CONTENT_FIELDS[ledger.key] = fields
    return fields


def model_row(ledger: Ledger, values: dict, *, compound_id: int, month: str) -> dict:
    """The row to write for one validated row of a monthly ledger, derived columns included."""
    if not ledger.monthly:
        raise ValueError(f"not a monthly ledger: {ledger.name}")
    row = {f: values.get(f) for f in content_fields(ledger)}
    row.update(compound_id=compound_id, month=month)
    ledger.derive(row)
    return row


def planned_rows(rows: LedgerRows, *, compound_id: int, month: str) -> list[PlannedRow]:
    with gc_paused():  # one new dict per row, like reading
        return [
            PlannedRow(
                rows.file, rows.sheet, r.row, model_row(rows.ledger, r.values, compound_id=compound_id, month=month)
            )
            for r in rows.rows
        ]
