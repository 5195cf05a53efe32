"""Reporting completeness: who was expected to report, who did, who was late, who is missing.

Expected: every month from the month a compound's branch was founded (compounds without a
branch are not expected to report). Received: the month was submitted (提交本月 or a zero
report; 已上报 and every state after it, see ``services.month_reports``). On time: the first
submission was made by the deadline day of the next month. In progress (填报中): ledgers are in
but the month was not submitted. Approved: the town (or county) approved the month's report.
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from services import month_reports
from services.access import ClampedScope, scoped_read
from services.domain import Period, add_months, month_end, month_of, months_between, report_deadline
from services.models import Compound, CompoundMonth, MonthReport, Submission, Town

STATUSES = ("on_time", "late", "in_progress", "missing", "not_expected")
CALENDAR_COLUMNS = [
    "compound_id",
    "code",
    "name",
    "town_code",
    "town",
    "month",
    "status",
    "first_submitted_at",
    "review",
    "changed_after_approval",
]


def _compounds(engine: Engine, scope) -> pd.DataFrame:
    stmt = select(
        Compound.id.label("compound_id"),
        Compound.code,
        Compound.name,
        Compound.town_code,
        Town.name.label("town"),
        Compound.branch_founded,
    ).join(Town, Town.code == Compound.town_code)
    stmt = _in_scope(stmt, scope)
    with engine.connect() as conn:
        return pd.DataFrame(
            [tuple(row) for row in conn.execute(stmt.order_by(Compound.code))],
            columns=["compound_id", "code", "name", "town_code", "town", "branch_founded"],
        )


@scoped_read
def calendar(engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int) -> pd.DataFrame:
    """One row per compound × month with its status (on_time, late, in_progress, missing or
    not_expected) and its review state (drafting, submitted, approved, returned or None)."""
    compounds = _compounds(engine, scope)
    if compounds.empty:
        return pd.DataFrame(columns=CALENDAR_COLUMNS)
    with engine.connect() as conn:
        found = month_reports.states_in(conn, scope, period)
    # every compound × every month of the period, compounds in code order (a province-year is
    # 360,000 rows: built column-wise, not row by row)
    months = period.months
    compounds["first_month"] = [month_of(day) if day else None for day in compounds["branch_founded"]]
    grid = compounds.loc[compounds.index.repeat(len(months))].reset_index(drop=True)
    grid["month"] = months * len(compounds)
    grid = grid.merge(found, on=["compound_id", "month"], how="left")
    first_month = grid["first_month"]
    deadline = grid["month"].map({m: report_deadline(m, deadline_day) for m in months})
    arrived = grid["first_submitted_at"]
    grid["status"] = np.select(
        [
            first_month.isna() | (grid["month"] < first_month.fillna("")),
            arrived.notna() & (arrived <= deadline),
            arrived.notna(),
            grid["review"].notna(),
        ],
        ["not_expected", "on_time", "late", "in_progress"],
        default="missing",
    )
    grid["changed_after_approval"] = grid["changed_after_approval"].fillna(False).astype(bool)
    grid["first_submitted_at"] = arrived
    return grid[CALENDAR_COLUMNS]


IN_CHUNK = 5000  # compound ids per IN (…) list: well inside SQLite's limit of bound variables


def missing_runs(engine: Engine, scope, end: str, *, at_least: int = 1) -> dict[int, int]:
    """{compound_id: consecutive months up to ``end`` with no report, counted from the month after
    its last report (or from its branch's founding month)} for expected compounds missing for
    ``at_least`` months or more.

    Only compounds with no report in the last ``at_least`` months can qualify, so their last
    report is looked up for them alone (through the primary key), not for every compound of the
    scope over every month ever reported (a province: two million month-reports)."""
    compounds = _compounds(engine, scope)
    r = MonthReport
    window = Period(add_months(end, -(at_least - 1)), end)

    recent = _in_scope(
        select(r.compound_id)
        .join(Compound, Compound.id == r.compound_id)
        .where(r.month >= window.start, r.month <= window.end, r.first_submitted_at.is_not(None))
        .distinct(),
        scope,
    )
    with engine.connect() as conn:
        reported = {cid for (cid,) in conn.execute(recent)}
        candidates = [c for c in compounds.itertuples() if c.branch_founded and c.compound_id not in reported]
        ids = [c.compound_id for c in candidates]
        last_report: dict[int, str] = {}
        for i in range(0, len(ids), IN_CHUNK):
            stmt = (
                select(r.compound_id, func.max(r.month))
                .where(r.compound_id.in_(ids[i : i + IN_CHUNK]), r.month <= end, r.first_submitted_at.is_not(None))
                .group_by(r.compound_id)
            )
            last_report.update(conn.execute(stmt).all())
    runs = {}
    for c in candidates:
        first = month_of(c.branch_founded)
        last = last_report.get(c.compound_id)
        start = max(first, add_months(last, 1)) if last else first
        if start <= end and len(months_between(start, end)) >= at_least:
            runs[c.compound_id] = len(months_between(start, end))
    return runs


def totals(cal: pd.DataFrame) -> dict[str, int | float | None]:
    """Expected, received, on-time and approved counts (and rates) of a calendar."""
    expected = int((cal["status"] != "not_expected").sum()) if not cal.empty else 0
    received = int(cal["status"].isin(["on_time", "late"]).sum()) if not cal.empty else 0
    on_time = int((cal["status"] == "on_time").sum()) if not cal.empty else 0
    approved = int(((cal["review"] == "approved") & (cal["status"] != "not_expected")).sum()) if not cal.empty else 0
    return _with_rates(expected, received, on_time, approved)


def _with_rates(expected: int, received: int, on_time: int, approved: int) -> dict[str, int | float | None]:
    return {
        "reports_expected": expected,
        "reports_received": received,
        "reports_on_time": on_time,
        "reports_approved": approved,
        "reporting_rate": received / expected if expected else None,
        "on_time_rate": on_time / expected if expected else None,
        "approved_rate": approved / expected if expected else None,
    }


def _in_scope(stmt, scope):
    """``stmt`` (over compounds, or joined to them) restricted to the scope's active compounds."""
    return month_reports.scope_filter(stmt.where(Compound.active.is_(True)), scope)


@scoped_read
def summary(engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int) -> dict[str, int | float | None]:
    """The ``totals`` of the scope's calendar for the period, counted by the database: the same
    numbers without building the calendar's compound × month rows (a province-month is 30,000).

    A month is expected of a compound when its branch was founded by the month's last day (the
    calendar's "from the founding month on")."""
    months = period.months
    founded = Compound.branch_founded
    expected_stmt = _in_scope(
        select(*[func.count(case((founded <= month_end(m), 1))) for m in months]).select_from(Compound), scope
    )
    r = MonthReport
    last_day = case({m: month_end(m) for m in months}, value=r.month)
    deadline = case({m: report_deadline(m, deadline_day) for m in months}, value=r.month)
    expected = founded <= last_day
    arrived = and_(expected, r.first_submitted_at.is_not(None))
    counted_stmt = _in_scope(
        select(
            func.count(case((arrived, 1))),
            func.count(case((and_(arrived, r.first_submitted_at <= deadline), 1))),
            func.count(case((and_(expected, r.state == "approved"), 1))),
        )
        .select_from(r)
        .join(Compound, Compound.id == r.compound_id)
        .where(r.month >= period.start, r.month <= period.end),
        scope,
    )
    with engine.connect() as conn:
        expected_n = sum(int(n) for n in conn.execute(expected_stmt).one())
        received, on_time, approved = (int(n) for n in conn.execute(counted_stmt).one())
    return _with_rates(expected_n, received, on_time, approved)


MONTH_COUNTS = ["months_expected", "months_reported", "months_on_time", "months_disclosed"]


def months_by_compound(engine: Engine, scope, period: Period, *, deadline_day: int) -> pd.DataFrame:
    """Per active compound in scope: the months of the period it was expected to report, and of
    those the months received, received on time and with a financial disclosure (the rollup's
    ``disclosures``); the calendar's statuses counted by the database, without its rows."""
    months = period.months
    founded = Compound.branch_founded
    expected_months = reduce(operator.add, [case((founded <= month_end(m), 1), else_=0) for m in months])
    registry = _in_scope(select(Compound.id, expected_months).select_from(Compound), scope)
    r = MonthReport
    deadline = case({m: report_deadline(m, deadline_day) for m in months}, value=r.month)
    expected = founded <= case({m: month_end(m) for m in months}, value=r.month)
    arrived = and_(expected, r.first_submitted_at.is_not(None))
    reports = _in_scope(
        select(
            r.compound_id,
            func.count(case((arrived, 1))),
            func.count(case((and_(arrived, r.first_submitted_at <= deadline), 1))),
        )
        .join(Compound, Compound.id == r.compound_id)
        .where(r.month >= period.start, r.month <= period.end)
        .group_by(r.compound_id),
        scope,
    )
    cm = CompoundMonth
    disclosed = _in_scope(
        select(cm.compound_id, func.count())
        .join(Compound, Compound.id == cm.compound_id)
        .where(
            cm.month >= period.start,
            cm.month <= period.end,
            cm.disclosures > 0,
            founded <= case({m: month_end(m) for m in months}, value=cm.month),
        )
        .group_by(cm.compound_id),
        scope,
    )
    with engine.connect() as conn:
        frame = pd.DataFrame([tuple(row) for row in conn.execute(registry)], columns=["compound_id", MONTH_COUNTS[0]])
        received = {cid: (int(n), int(on_time)) for cid, n, on_time in conn.execute(reports)}
        with_disclosure = {cid: int(n) for cid, n in conn.execute(disclosed)}
    frame["months_reported"] = [received.get(cid, (0, 0))[0] for cid in frame["compound_id"]]
    frame["months_on_time"] = [received.get(cid, (0, 0))[1] for cid in frame["compound_id"]]
    frame["months_disclosed"] = [with_disclosure.get(cid, 0) for cid in frame["compound_id"]]
    return frame.astype({c: "int64" for c in MONTH_COUNTS})


def by_town_month(cal: pd.DataFrame) -> pd.DataFrame:
    """Rates per town and month, for the table and the heat strip."""
    if cal.empty:
        return pd.DataFrame(
            columns=[
                "town_code",
                "town",
                "month",
                "reports_expected",
                "reports_received",
                "reports_on_time",
                "reporting_rate",
                "on_time_rate",
            ]
        )
    flags = cal.assign(
        expected=cal["status"] != "not_expected",
        received=cal["status"].isin(["on_time", "late"]),
        on_time=cal["status"] == "on_time",
    )
    out = flags.groupby(["town_code", "town", "month"], as_index=False).agg(
        reports_expected=("expected", "sum"), reports_received=("received", "sum"), reports_on_time=("on_time", "sum")
    )
    denominator = out["reports_expected"].where(out["reports_expected"] > 0)
    out["reporting_rate"] = out["reports_received"] / denominator
    out["on_time_rate"] = out["reports_on_time"] / denominator
    return out


def missing_in(cal: pd.DataFrame, month: str) -> pd.DataFrame:
    """Compounds expected but not received for ``month``; ``status`` tells "nothing yet" (missing)
    from "started, not submitted" (in_progress)."""
    rows = cal[(cal["month"] == month) & cal["status"].isin(["missing", "in_progress"])]
    return rows[["compound_id", "code", "name", "town", "status"]]


@scoped_read
def submission_history(engine: Engine, scope: ClampedScope, *, limit: int = 120) -> pd.DataFrame:
    """Every submission of the scope's compound, newest first (superseded versions included)."""
    stmt = (
        select(
            Submission.month,
            Submission.version,
            Submission.kind,
            Submission.status,
            Submission.submitted_at,
            Submission.file_names,
            Submission.row_counts,
        )
        .join(Compound, Compound.id == Submission.compound_id)
        .where(Submission.compound_id == scope.compound_id)
        .order_by(Submission.month.desc(), Submission.version.desc())
        .limit(limit)
    )
    if scope.town_code is not None:
        stmt = stmt.where(Compound.town_code == scope.town_code)
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(stmt).mappings().all(),
            columns=["month", "version", "kind", "status", "submitted_at", "file_names", "row_counts"],
        )


@scoped_read
def month_progress(
    engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int, now: dt.datetime | None = None
) -> dict:
    """Whether the period's last month is still being reported (its deadline has not passed), and
    how many of the reports expected in scope are in: figures of an open month are not complete."""
    month = period.end
    still_open = (now or dt.datetime.now()) <= report_deadline(month, deadline_day)
    if not still_open:
        return {"month": month, "open": False, "received": None, "expected": None}
    counts = totals(calendar(engine, scope, Period(month, month), deadline_day=deadline_day))
    return {
        "month": month,
        "open": True,
        "received": counts["reports_received"],
        "expected": counts["reports_expected"],
    }


@scoped_read
def month_report(engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int) -> dict:
    """Where the scope's compound stands with the period's last month: the deadline, the current
    ledgers (version, kind, when, rows per ledger), the month's state (``status``, a
    ``month_reports.MonthStatus``) and whether it was submitted on time."""
    month = period.end
    s = Submission
    stmt = (
        select(s.version, s.kind, s.submitted_at, s.row_counts)
        .join(Compound, Compound.id == s.compound_id)
        .where(s.compound_id == scope.compound_id, s.month == month, s.status == "current")
    )
    if scope.town_code is not None:
        stmt = stmt.where(Compound.town_code == scope.town_code)
    with engine.connect() as conn:
        current = conn.execute(stmt).mappings().first()
    state = month_reports.month_status(engine, scope, month)
    deadline = report_deadline(month, deadline_day)
    arrived = state.first_submitted_at
    return {
        "month": month,
        "deadline": deadline,
        "version": current["version"] if current else None,
        "kind": current["kind"] if current else None,
        "submitted_at": current["submitted_at"] if current else None,
        "row_counts": dict(current["row_counts"] or {}) if current else {},
        "status": state,
        "on_time": None if arrived is None else arrived <= deadline,
        "days_left": (deadline.date() - dt.date.today()).days,
    }


@scoped_read
def missing_with_contacts(engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int) -> pd.DataFrame:
    """Compounds still missing the period's last month, with their secretaries' names and work phones."""
    from services.accounts import contacts

    month = period.end
    cal = calendar(engine, scope, Period(month, month), deadline_day=deadline_day)
    missing = missing_in(cal, month)
    people = contacts(engine, missing["compound_id"].tolist())
    people = people.groupby("compound_id", as_index=False).agg(
        secretary=("display_name", "、".join), work_phone=("work_phone", lambda p: "、".join(x for x in p if x))
    )
    return missing.merge(people, on="compound_id", how="left").fillna({"secretary": "", "work_phone": ""})
