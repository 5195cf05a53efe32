"""The reporting calendar is built column-wise (a province-year is 360,000 compound-months). It
must give exactly what the rule says compound-month by compound-month, written out here row by
row: not expected before the branch was founded; else on time / late by the first submission
against the deadline; else 填报中 when a report exists; else missing. And the runs of missing
months 预警 flags, looked up only for compounds silent long enough, equal those of every compound."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services import demo, reporting
from services.access import SYSTEM, clamp
from services.db import write_transaction
from services.domain import COUNTY, Period, Scope, month_of, report_deadline
from services.models import Compound, CompoundMonth, MonthReport, Town

STATUSES = set(reporting.STATUSES)


def calendar_by_rule(engine, scope: Scope, period: Period, deadline_day: int) -> pd.DataFrame:
    """The rule applied to each compound × month in turn (compounds in code order)."""
    with Session(engine) as session, engine.connect() as conn:
        compounds = conn.execute(
            select(Compound.id, Compound.code, Compound.name, Compound.town_code, Town.name, Compound.branch_founded)
            .join(Town, Town.code == Compound.town_code)
            .where(Compound.active.is_(True))
            .order_by(Compound.code)
        ).all()
        reports = {
            (r.compound_id, r.month): r
            for r in session.scalars(select(MonthReport).where(MonthReport.month.between(period.start, period.end)))
        }
    rows = []
    for cid, code, name, town_code, town, founded in compounds:
        if scope.town_code and town_code != scope.town_code:
            continue
        for month in period.months:
            report = reports.get((cid, month))
            arrived = report.first_submitted_at if report else None
            if founded is None or month < month_of(founded):
                status = "not_expected"
            elif arrived is not None:
                status = "on_time" if arrived <= report_deadline(month, deadline_day) else "late"
            elif report is not None:
                status = "in_progress"
            else:
                status = "missing"
            review = report.state if report else None
            changed = bool(report.changed_after_approval) if report else False
            rows.append((cid, code, name, town_code, town, month, status, arrived, review, changed))
    return pd.DataFrame(rows, columns=reporting.CALENDAR_COLUMNS)


def _comparable(frame: pd.DataFrame) -> list[tuple]:
    return [
        tuple(None if pd.isna(v) else (v.to_pydatetime() if isinstance(v, pd.Timestamp) else v) for v in row)
        for row in frame.itertuples(index=False)
    ]


@pytest.mark.parametrize("deadline_day", [5, 10])
def test_the_calendar_follows_the_rule_for_every_compound_month(engine, deadline_day):
    demo.generate(engine, compounds=40, start="2023-06", end="2024-12", today=dt.date(2025, 1, 3))
    with engine.connect() as conn:
        town = conn.execute(select(Compound.town_code).order_by(Compound.code).limit(1)).scalar_one()
    seen: set[str] = set()
    for scope, period in [
        (COUNTY, Period("2023-06", "2024-12")),  # branches founded inside the period: not expected before
        (COUNTY, Period("2024-12", "2024-12")),  # the month still being reported: 填报中 and missing
        (Scope(town_code=town), Period("2024-01", "2024-12")),
    ]:
        built = reporting.calendar(engine, clamp(SYSTEM, scope), period, deadline_day=deadline_day)
        expected = calendar_by_rule(engine, scope, period, deadline_day)
        assert len(built) == len(expected) > 0
        assert _comparable(built) == _comparable(expected)
        seen |= set(built["status"])
    assert seen == STATUSES  # the demo gives every status, so each branch of the rule is checked


def test_runs_of_missing_months_are_the_same_when_only_long_ones_are_asked_for(engine):
    demo.generate(engine, compounds=40, start="2023-06", end="2024-12", today=dt.date(2025, 1, 3))
    with engine.connect() as conn:
        town = conn.execute(select(Compound.town_code).order_by(Compound.code).limit(1)).scalar_one()
    longest = 0
    for scope in (COUNTY, Scope(town_code=town)):
        for end in ("2023-08", "2024-06", "2024-12", "2025-02"):  # 2025: nobody has reported yet
            every = reporting.missing_runs(engine, clamp(SYSTEM, scope), end)
            longest = max(longest, *every.values(), 0)
            for at_least in (1, 2, 3, 6):
                asked = reporting.missing_runs(engine, clamp(SYSTEM, scope), end, at_least=at_least)
                assert asked == {cid: n for cid, n in every.items() if n >= at_least}, (scope, end, at_least)
    assert longest >= 6  # runs long enough that every threshold keeps some and drops some


@pytest.mark.parametrize("deadline_day", [3, 10])
def test_the_summary_counted_by_the_database_equals_the_calendars_totals(engine, deadline_day):
    demo.generate(engine, compounds=40, start="2023-06", end="2024-12", today=dt.date(2025, 1, 3))
    with engine.connect() as conn:
        town, compound = conn.execute(select(Compound.town_code, Compound.id).order_by(Compound.code)).first()
    with write_transaction(engine) as conn:  # the edges: founded on a month's last day, submitted at the deadline
        conn.execute(update(Compound).where(Compound.id == compound).values(branch_founded=dt.date(2024, 6, 30)))
        conn.execute(
            update(MonthReport)
            .where(MonthReport.compound_id == compound, MonthReport.month == "2024-06")
            .values(first_submitted_at=report_deadline("2024-06", deadline_day))
        )
    for scope in (COUNTY, Scope(town_code=town), Scope(compound_id=compound)):
        for period in (Period("2023-06", "2024-12"), Period("2024-12", "2024-12"), Period("2025-01", "2025-02")):
            clamped = clamp(SYSTEM, scope)
            cal = reporting.calendar(engine, clamped, period, deadline_day=deadline_day)
            assert reporting.summary(engine, clamped, period, deadline_day=deadline_day) == reporting.totals(cal)
    whole = reporting.summary(engine, clamp(SYSTEM, COUNTY), Period("2023-06", "2024-12"), deadline_day=deadline_day)
    assert 0 < whole["reports_on_time"] < whole["reports_received"] < whole["reports_expected"]
    assert 0 < whole["reports_approved"] < whole["reports_expected"]


def test_months_per_compound_counted_by_the_database_equal_the_calendars(engine):
    demo.generate(engine, compounds=40, start="2023-06", end="2024-12", today=dt.date(2025, 1, 3))
    with engine.connect() as conn:
        town, compound = conn.execute(select(Compound.town_code, Compound.id).order_by(Compound.code)).first()
        disclosed = {
            (cid, month)
            for cid, month in conn.execute(
                select(CompoundMonth.compound_id, CompoundMonth.month).where(CompoundMonth.disclosures > 0)
            )
        }
    with write_transaction(engine) as conn:  # the edges, as for the summary
        conn.execute(update(Compound).where(Compound.id == compound).values(branch_founded=dt.date(2024, 6, 30)))
        conn.execute(
            update(MonthReport)
            .where(MonthReport.compound_id == compound, MonthReport.month == "2024-06")
            .values(first_submitted_at=report_deadline("2024-06", 5))
        )
    for scope in (COUNTY, Scope(town_code=town)):
        for period in (Period("2023-06", "2024-12"), Period("2024-06", "2024-07"), Period("2025-01", "2025-01")):
            clamped = clamp(SYSTEM, scope)
            cal = reporting.calendar(engine, clamped, period, deadline_day=5)
            cal = cal[cal["status"] != "not_expected"]
            by_rule = {
                cid: (
                    len(rows),
                    int(rows["status"].isin(["on_time", "late"]).sum()),
                    int((rows["status"] == "on_time").sum()),
                    sum((cid, m) in disclosed for m in rows["month"]),
                )
                for cid, rows in cal.groupby("compound_id")
            }
            counted = reporting.months_by_compound(engine, clamped, period, deadline_day=5)
            got = {int(r.compound_id): tuple(int(v) for v in r[1:]) for r in counted.itertuples(index=False)}
            assert {cid: v for cid, v in got.items() if v[0]} == by_rule, (scope, period)
            assert all(v == (0, 0, 0, 0) for v in got.values() if not v[0])
