"""The 审核 view: each submitted month awaiting review with its key figures, last month's beside
them, whether it came in on time, and the importer's 请核对 notes (big jumps, numbers copied from
last month) kept with the month's imports."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from services import month_reports
from services.access import ClampedScope, scoped_read
from services.domain import add_months, report_deadline
from services.models import CompoundMonth, Submission

FIGURES = ("activities", "participants", "cases_received", "cases_closed")


@scoped_read
def queue(engine: Engine, scope: ClampedScope, *, deadline_day: int) -> pd.DataFrame:
    """``month_reports.review_queue`` with, per row: the figures of ``FIGURES`` for the month and
    the month before (``prev_…``), ``on_time`` and ``warnings`` (the importer's notes, one string)."""
    rows = month_reports.review_queue(engine, scope)
    columns = [*rows.columns, *FIGURES, *(f"prev_{f}" for f in FIGURES), "on_time", "warnings"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    keys = set(zip(rows["compound_id"], rows["month"], strict=True))
    wanted = keys | {(cid, add_months(m, -1)) for cid, m in keys}
    ids = sorted({cid for cid, _ in keys})
    cm = CompoundMonth
    with engine.connect() as conn:
        figures = {
            (r.compound_id, r.month): r
            for r in conn.execute(
                select(cm.compound_id, cm.month, *(getattr(cm, f) for f in FIGURES)).where(cm.compound_id.in_(ids))
            )
            if (r.compound_id, r.month) in wanted
        }
        notes: dict[tuple[int, str], list[str]] = {}
        stmt = (
            select(Submission.compound_id, Submission.month, Submission.warnings)
            .where(Submission.compound_id.in_(ids), Submission.warnings.is_not(None))
            .order_by(Submission.id)
        )
        for cid, month, warnings in conn.execute(stmt):
            if (cid, month) in keys:
                kept = notes.setdefault((cid, month), [])
                kept.extend(w for w in warnings or [] if w not in kept)
    out = rows.copy()
    for figure in FIGURES:
        out[figure] = [
            _figure(figures, cid, m, figure) for cid, m in zip(out["compound_id"], out["month"], strict=True)
        ]
        out[f"prev_{figure}"] = [
            _figure(figures, cid, add_months(m, -1), figure)
            for cid, m in zip(out["compound_id"], out["month"], strict=True)
        ]
    out["on_time"] = [
        first <= report_deadline(m, deadline_day)
        for first, m in zip(out["first_submitted_at"], out["month"], strict=True)
    ]
    out["warnings"] = [
        "；".join(notes.get((cid, m), [])) for cid, m in zip(out["compound_id"], out["month"], strict=True)
    ]
    return out[columns]


def _figure(figures: dict, compound_id: int, month: str, name: str) -> int:
    row = figures.get((compound_id, month))
    return int(getattr(row, name)) if row is not None else 0
