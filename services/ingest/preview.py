"""What an upload would change, before anything is written: per ledger rows new / updated /
unchanged / removed against the compound's current rows, and differences from last month worth
a second look (big jumps, numbers copied unchanged) — warnings, never errors."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, select

from services.domain import add_months
from services.ingest.checks import CompoundRef
from services.ingest.contract import ACTIVITIES, DISCLOSURES, MONTHLY_LEDGERS, VOTES, Ledger
from services.ingest.derive import PlannedRow, content_fields
from services.ingest.problems import Notice, Problem
from services.models import Submission

JUMP_RATIO = 3
ACTIVITY_NUMBERS = (
    "participants",
    "volunteers",
    "volunteer_hours",
    "visited_households",
    "visited_hardship_party",
    "visited_hardship_residents",
    "visited_disabled",
    "visited_bereaved",
)


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

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def same_files_as_existing(self) -> bool:
        return self.existing is not None and self.existing.file_hash == self.file_hash

    @property
    def row_counts(self) -> dict[str, int]:
        return {lp.key: lp.rows for lp in self.ledgers}


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
    t = ledger.model.__table__
    return [dict(r) for r in conn.execute(select(t).where(t.c.submission_id == submission_id)).mappings()]


def _current_by_key(conn: Connection, ledger: Ledger, compound_id: int, keys: list[str]) -> dict[str, dict]:
    t = ledger.model.__table__
    key = t.c[ledger.entity_field]
    out = {}
    for start in range(0, len(keys), 500):
        stmt = select(t).where(
            t.c.compound_id == compound_id, t.c.is_current.is_(True), key.in_(keys[start : start + 500])
        )
        out.update({r[ledger.entity_field]: dict(r) for r in conn.execute(stmt).mappings()})
    return out


def _same(ledger: Ledger, a: dict, b: dict) -> bool:
    return all(_norm(a.get(f)) == _norm(b.get(f)) for f in content_fields(ledger))


def _norm(value):
    return value.normalize() if isinstance(value, Decimal) else value


def _fingerprint(ledger: Ledger, row: dict) -> tuple:
    return tuple(_norm(row.get(f)) for f in content_fields(ledger))


def compare(
    conn: Connection, compound: CompoundRef, month: str, planned: dict[str, list[PlannedRow]], existing
) -> tuple[list[LedgerPreview], list[Notice]]:
    """Per-ledger counts against the current rows, and warnings against the previous month."""
    previous = existing_submission(conn, compound.id, add_months(month, -1))
    existing_id = existing.id if existing else None
    out, warnings = [], []
    for ledger in MONTHLY_LEDGERS:
        rows = planned.get(ledger.key, [])
        replaced = _rows_of_submission(conn, ledger, existing_id)
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
    return out, warnings


def _warn(row: PlannedRow | None, ledger: Ledger, column: str | None, message: str) -> Notice:
    if row is None:
        return Notice("", None, None, column, message, ledger.name)
    return Notice(row.file, row.sheet, row.row, column, message, ledger.name)


def _entity_warnings(ledger: Ledger, rows: list[PlannedRow], current: dict, compound: CompoundRef) -> list[Notice]:
    out = []
    for r in rows:
        before = current.get(r.data[ledger.entity_field])
        if ledger.key == "case_records" and before and before["received_date"] != r.data["received_date"]:
            out.append(_warn(r, ledger, "受理日期", f"受理日期与之前上报的（{before['received_date']}）不同，请确认"))
        if ledger is VOTES:
            total = r.data["total_households"]
            if compound.households and abs(total - compound.households) > compound.households / 10:
                out.append(
                    _warn(
                        r, ledger, "业主总户数", f"业主总户数与小区档案的户数（{compound.households}）相差较大，请确认"
                    )
                )
            if before and before["vote_date"] != r.data["vote_date"]:
                out.append(_warn(r, ledger, "表决日期", f"表决日期与之前上报的（{before['vote_date']}）不同，请确认"))
    return out


def _jump(now: float, before: float, floor: float) -> bool:
    if now <= 0 or before <= 0 or abs(now - before) < floor:
        return False
    return now >= before * JUMP_RATIO or now * JUMP_RATIO <= before


def _activity_figures(row: dict) -> tuple:
    """An activity's name and numbers: equal for last month's twin of a copied row."""
    return (row["name"], *(_norm(row[f]) for f in ACTIVITY_NUMBERS))


def _month_on_month(ledger: Ledger, rows: list[PlannedRow], last: list[dict], compound: CompoundRef) -> list[Notice]:
    out = []
    if ledger is ACTIVITIES:
        last_figures = {_activity_figures(x) for x in last}  # a set: both months may hold 100,000 rows
        for r in rows:
            if compound.households and (r.data["visited_households"] or 0) > compound.households:
                out.append(_warn(r, ledger, "慰问户数", f"慰问户数超过小区总户数（{compound.households}），请确认"))
            twin = bool(last_figures) and _activity_figures(r.data) in last_figures
            if twin and any(r.data[f] for f in ACTIVITY_NUMBERS):
                out.append(
                    _warn(r, ledger, "参与人数", "与上月同名活动的人数、户数完全相同，请确认不是复制了上月的数据")
                )
        if last and _jump(len(rows), len(last), 3):
            out.append(_warn(None, ledger, None, f"活动次数 {len(rows)} 与上月（{len(last)}）相差很大，请确认"))
        people, people_before = sum(r.data["participants"] for r in rows), sum(x["participants"] for x in last)
        if last and _jump(people, people_before, 30):
            out.append(
                _warn(None, ledger, "参与人数", f"参与人数合计 {people} 与上月（{people_before}）相差很大，请确认")
            )
    elif ledger is DISCLOSURES and rows and last:
        r, x = rows[0], last[0]
        same = r.data["income_yuan"] == x["income_yuan"] and r.data["spending_yuan"] == x["spending_yuan"]
        if same and (r.data["income_yuan"] or r.data["spending_yuan"]):
            out.append(_warn(r, ledger, "收入（元）", "收入和支出与上月完全相同，请确认不是复制了上月的数据"))
        for f, header in (("income_yuan", "收入（元）"), ("spending_yuan", "支出（元）")):
            if _jump(float(r.data[f]), float(x[f]), 1000):
                out.append(_warn(r, ledger, header, f"{header[:2]}与上月（{x[f]}）相差很大，请确认"))
    return out
