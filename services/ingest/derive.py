"""Validated values → database rows, with the derived columns computed once, here."""

from __future__ import annotations

from dataclasses import dataclass

from services.domain import DEFAULT_LOCAL_THRESHOLD, month_of, vote_outcome
from services.ingest.contract import ACTIVITIES, CASES, DISCLOSURES, FACILITIES, VOTES, Ledger
from services.ingest.validate import LedgerRows, gc_paused


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
    row = {f: values.get(f) for f in content_fields(ledger)}
    row.update(compound_id=compound_id, month=month)
    if ledger is CASES:
        received, responded, closed = row["received_date"], row["first_response_date"], row["closed_date"]
        row["received_month"] = month_of(received)
        row["closed_month"] = month_of(closed) if closed else None
        row["days_to_first_response"] = (responded - received).days if responded else None
        row["days_to_close"] = (closed - received).days if closed else None
    elif ledger is FACILITIES:
        row["completed_month"] = month_of(row["completed_date"]) if row["completed_date"] else None
    elif ledger is VOTES:
        row["vote_month"] = month_of(row["vote_date"])
        if row["local_threshold"] is None:
            row["local_threshold"] = DEFAULT_LOCAL_THRESHOLD
        outcome = vote_outcome(
            matter=row["matter"],
            total_households=row["total_households"],
            participating_households=row["participating_households"],
            agree_households=row["agree_households"],
            total_area=row["total_area"],
            participating_area=row["participating_area"],
            agree_area=row["agree_area"],
            local_threshold=row["local_threshold"],
        )
        row["passes_local"], row["passes_statutory"] = outcome.passes_local, outcome.passes_statutory
    elif ledger is DISCLOSURES:
        row["month"] = month
    elif ledger is not ACTIVITIES:
        raise ValueError(f"not a monthly ledger: {ledger.name}")
    return row


def planned_rows(rows: LedgerRows, *, compound_id: int, month: str) -> list[PlannedRow]:
    with gc_paused():  # one new dict per row, like reading
        return [
            PlannedRow(
                rows.file, rows.sheet, r.row, model_row(rows.ledger, r.values, compound_id=compound_id, month=month)
            )
            for r in rows.rows
        ]
