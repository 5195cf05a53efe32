"""What an upload would change, before anything is written: per ledger rows new / updated /
unchanged / removed against the compound's current rows, and differences from last month worth
a second look (big jumps, numbers copied unchanged) — warnings, never errors."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from services.domain import add_months
from services.ingest.checks import CompoundRef
from services.ingest.derive import PlannedRow, content_fields
from services.ingest.problems import Notice, Problem
from services.ledgers import MONTHLY_LEDGERS, Ledger
from services.ledgers.rules import norm
from services.models import Submission, table_of


@dataclass(frozen=True)
class ExistingSubmission:
    id: int
    version: int
    kind: str
    submitted_at: dt.datetime
    file_hash: str | None


@dataclass(frozen=True)
class LedgerPreview:
    ledger: str
    key: str
    rows: int
    new: int
    updated: int
    unchanged: int
    removed: int


@dataclass
class Preview:
    """The outcome of a dry run: problems (if any), and what the import would do."""

    compound: CompoundRef | None
    month: str | None
    file_hash: str
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    ledgers: list[LedgerPreview] = field(default_factory=list)
    existing: ExistingSubmission | None = None
    # ledgers this month already holds that the upload does not touch: (name, rows kept as they are)
    untouched: list[tuple[str, int]] = field(default_factory=list)
    # ledgers in the upload that this month already holds rows of (replacing them needs a confirmation)
    overlapping: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def same_files_as_existing(self) -> bool:
        return self.existing is not None and self.existing.file_hash == self.file_hash

    @property
    def row_counts(self) -> dict[str, int]:
        return {lp.key: lp.rows for lp in self.ledgers}

    @property
    def rows_removed(self) -> int:
        """Rows the import would take out of the month (only ever from ledgers in the upload)."""
        return sum(lp.removed for lp in self.ledgers)

    @property
    def changes_nothing(self) -> bool:
        """Every row of the upload is already in, as it is, and nothing would be removed."""
        return all(lp.new == 0 and lp.updated == 0 and lp.removed == 0 for lp in self.ledgers)

    @property
    def needs_replace(self) -> bool:
        """Whether importing changes something already reported: a ledger in the upload is already
        in, or the month was reported as a zero report. Other new ledgers simply join the month."""
        return self.existing is not None and (self.existing.kind == "zero" or bool(self.overlapping))


def existing_submission(conn: Connection, compound_id: int, month: str) -> ExistingSubmission | None:
    s = Submission
    row = conn.execute(
        select(s.id, s.version, s.kind, s.submitted_at, s.file_hash).where(
            s.compound_id == compound_id, s.month == month, s.status == "current"
        )
    ).first()
    return ExistingSubmission(*row) if row else None


def _rows_of_submission(conn: Connection, ledger: Ledger, submission_id: int | None) -> list[dict]:
    if submission_id is None:
        return []
    t = table_of(ledger.model)
    return [dict(r) for r in conn.execute(select(t).where(t.c.submission_id == submission_id)).mappings()]


def _current_by_key(conn: Connection, ledger: Ledger, compound_id: int, keys: list[str]) -> dict[str, dict]:
    t, field = table_of(ledger.model), ledger.entity_field
    assert field is not None  # only keyed ledgers are looked up by key
    key = t.c[field]
    out = {}
    for start in range(0, len(keys), 500):
        stmt = select(t).where(
            t.c.compound_id == compound_id, t.c.is_current.is_(True), key.in_(keys[start : start + 500])
        )
        out.update({r[field]: dict(r) for r in conn.execute(stmt).mappings()})
    return out


def _same(ledger: Ledger, a: dict, b: dict) -> bool:
    return all(norm(a.get(f)) == norm(b.get(f)) for f in content_fields(ledger))


def _fingerprint(ledger: Ledger, row: dict) -> tuple:
    return tuple(norm(row.get(f)) for f in content_fields(ledger))


def compare(
    conn: Connection, compound: CompoundRef, month: str, planned: dict[str, list[PlannedRow]], preview: Preview
) -> None:
    """Per-ledger counts against the current rows, and warnings against the previous month, filled
    into ``preview``. Only the ledgers in the upload are compared: the others stay as they are."""
    previous = existing_submission(conn, compound.id, add_months(month, -1))
    existing_id = preview.existing.id if preview.existing else None
    out, warnings = [], []
    for ledger in MONTHLY_LEDGERS:
        replaced = _rows_of_submission(conn, ledger, existing_id)
        if ledger.key not in planned:
            if replaced:
                preview.untouched.append((ledger.name, len(replaced)))
            continue
        rows = planned[ledger.key]
        if replaced:
            preview.overlapping.append(ledger.name)
        if not rows and not replaced:
            continue
        if ledger.entity_field:
            keys = [r.data[ledger.entity_field] for r in rows]
            current = _current_by_key(conn, ledger, compound.id, keys)
            new = sum(1 for k in keys if k not in current)
            unchanged = sum(
                1
                for r in rows
                if r.data[ledger.entity_field] in current
                and _same(ledger, r.data, current[r.data[ledger.entity_field]])
            )
            removed = len({r[ledger.entity_field] for r in replaced} - set(keys))
            out.append(
                LedgerPreview(ledger.name, ledger.key, len(rows), new, len(rows) - new - unchanged, unchanged, removed)
            )
            warnings += _entity_warnings(ledger, rows, current, compound)
        else:
            before = Counter(_fingerprint(ledger, r) for r in replaced)
            unchanged = 0
            for r in rows if before else ():  # nothing replaced: every row is new
                fp = _fingerprint(ledger, r.data)
                if before[fp] > 0:
                    before[fp] -= 1
                    unchanged += 1
            removed = sum(before.values())
            out.append(LedgerPreview(ledger.name, ledger.key, len(rows), len(rows) - unchanged, 0, unchanged, removed))
            last = _rows_of_submission(conn, ledger, previous.id if previous else None)
            warnings += _month_on_month(ledger, rows, last, compound)
    preview.ledgers, preview.warnings = out, warnings


def _warn(row: PlannedRow | None, ledger: Ledger, column: str | None, message: str) -> Notice:
    if row is None:
        return Notice("", None, None, column, message, ledger.name)
    return Notice(row.file, row.sheet, row.row, column, message, ledger.name)


def _entity_warnings(ledger: Ledger, rows: list[PlannedRow], current: dict, compound: CompoundRef) -> list[Notice]:
    """Each entity row against its current state: the ledger's ``entity_warnings``."""
    return [
        _warn(r, ledger, column, message)
        for r in rows
        for column, message in ledger.entity_warnings(
            r.data, current.get(r.data[ledger.entity_field]), compound.households
        )
    ]


def _month_on_month(ledger: Ledger, rows: list[PlannedRow], last: list[dict], compound: CompoundRef) -> list[Notice]:
    """This month's rows against last month's: the ledger's ``month_on_month``."""
    return [
        _warn(r if isinstance(r, PlannedRow) else None, ledger, column, message)
        for r, column, message in ledger.month_on_month(rows, last, compound.households)
    ]
