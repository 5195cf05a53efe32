"""诉求与纠纷: the closed loop (事事有回音、件件有落实), its timing, the open backlog and disputes.

Counting rules are those of ``metrics.case_totals``: cases received in the period, each in its
latest state (current rows), in active compounds of the scope. A case is answered when it has a
first-reply date or was closed; days to first reply fall back to days to close for a case closed
without a separate reply. Medians are ``statistics.median``; the 90th percentile is the nearest
rank (nine cases in ten took at most that many days), so it is always a real case's figure.

The open backlog is as of the period's last day and counts every case received by then, not
only in the period: received on or before that day, not transferred (已转办 cases are with
another office), and not closed by that day (no closing date, or a later one).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from services import day_counts, metrics, town_months
from services.access import ClampedScope, scoped_read
from services.domain import CASE_CATEGORIES, SATISFACTION, SATISFACTION_FIGURES, UNRATED, Period, Scope
from services.metrics import _scoped
from services.models import CaseRecord
from services.themes import tabular
from services.themes.conditions import SATISFIED, cases_open_at

AGE_BUCKETS = (("le_7", 7), ("d8_30", 30), ("d31_90", 90), ("gt_90", None))  # key, upper bound in days
LOOP_COUNTS = (
    "cases_received",
    "demands_received",
    "disputes_received",
    "cases_responded",
    "cases_resolved",
    "cases_transferred",
    "cases_open_at_end",
)


def _received(period: Period):
    r = CaseRecord
    return and_(r.is_current.is_(True), r.received_month >= period.start, r.received_month <= period.end)


@scoped_read
def loop(engine: Engine, scope: ClampedScope, period: Period) -> dict:
    """``metrics.case_totals`` plus timing percentiles, cases still open, backlog and satisfaction."""
    out: dict = dict(metrics.case_totals(engine, scope, period))
    with engine.connect() as conn:
        reply_days = day_counts.histogram(conn, scope, period, "reply").get(None)
        close_days = day_counts.histogram(conn, scope, period, "close").get(None)
        out["cases_open_at_end"] = town_months.cases_open_at_end(conn, scope, period.end)  # a running sum of the rollup
    out["median_days_to_first_response"] = day_counts.median(reply_days)
    out["p90_days_to_first_response"] = day_counts.percentile(reply_days, 0.9)
    out["p90_days_to_close"] = day_counts.percentile(close_days, 0.9)
    out["cases_in_progress"] = out["cases_received"] - out["cases_resolved"] - out["cases_transferred"]
    levels = satisfaction(engine, scope, period).set_index("satisfaction")["cases"]
    rated = int(levels.sum() - levels.get(UNRATED, 0))
    out["cases_rated"] = rated
    out["satisfaction_rate"] = metrics._rate(int(levels[list(SATISFIED)].sum()), rated)
    return out


@scoped_read
def backlog(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Cases open at the period's end by age (days since received): ≤7, 8-30, 31-90, >90; by kind."""
    end = period.last_day
    r = cases_open_at(end)  # read through the open-cases index, then scoped
    bucket = case(
        *[(r.c.received_date >= end - dt.timedelta(days=upper), key) for key, upper in AGE_BUCKETS if upper],
        else_=AGE_BUCKETS[-1][0],
    )
    stmt = _scoped(
        select(
            bucket.label("bucket"),
            func.count(case((r.c.kind == "诉求", 1))).label("demands"),
            func.count(case((r.c.kind == "纠纷", 1))).label("disputes"),
        ).group_by(bucket),
        scope,
        r.c.compound_id,
    )
    with engine.connect() as conn:
        found = {row.bucket: row for row in conn.execute(stmt)}
    rows = []
    for key, _ in AGE_BUCKETS:
        demands, disputes = (int(found[key].demands), int(found[key].disputes)) if key in found else (0, 0)
        rows.append({"bucket": key, "demands": demands, "disputes": disputes, "cases": demands + disputes})
    return pd.DataFrame(rows)


@scoped_read
def categories(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Cases received per category (demands, disputes, closed, closure rate), in the domain's order."""
    r = CaseRecord
    stmt = _scoped(
        select(
            r.category,
            func.count().label("cases_received"),
            func.count(case((r.kind == "诉求", 1))).label("demands_received"),
            func.count(case((r.kind == "纠纷", 1))).label("disputes_received"),
            func.count(case((r.status == "已办结", 1))).label("cases_resolved"),
        )
        .where(_received(period))
        .group_by(r.category),
        scope,
        r.compound_id,
    )
    columns = ["category", "cases_received", "demands_received", "disputes_received", "cases_resolved"]
    with engine.connect() as conn:
        frame = tabular.frame(conn, stmt, columns=columns)
    frame = frame.astype({c: "int64" for c in columns[1:]})
    frame["closure_rate"] = frame["cases_resolved"] / frame["cases_received"].where(frame["cases_received"] > 0)
    rank = {name: i for i, name in enumerate(CASE_CATEGORIES)}
    order = frame["category"].map(lambda name: rank.get(name, len(rank)))
    return frame.assign(_order=order).sort_values(["_order", "category"]).drop(columns="_order").reset_index(drop=True)


@scoped_read
def satisfaction(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Closed cases received in the period by residents' satisfaction (blank counts as 未评价),
    summed from the rollup (``domain.SATISFACTION_FIGURES``)."""
    found = metrics.rollup_sums(engine, scope, period, tuple(SATISFACTION_FIGURES.values()))
    frame = pd.DataFrame(
        {"satisfaction": list(SATISFACTION), "cases": [int(found[SATISFACTION_FIGURES[s]]) for s in SATISFACTION]}
    )
    total = frame["cases"].sum()
    frame["share"] = frame["cases"] / total if total else None
    return frame


@scoped_read
def trend(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Per month: demands and disputes received, and cases closed (by closing month, as ``metrics.monthly_trend``)."""
    return metrics.monthly_figures(engine, scope, period, ("demands_received", "disputes_received", "cases_closed"))


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    received = frame["cases_received"].where(frame["cases_received"] > 0)
    frame["response_rate"] = frame["cases_responded"] / received
    frame["closure_rate"] = frame["cases_resolved"] / received
    frame["demands_per_100_households"] = metrics.per_100_households(frame["demands_received"], frame["households"])
    frame["disputes_per_100_households"] = metrics.per_100_households(frame["disputes_received"], frame["households"])
    return frame


def _per_compound(conn, scope: Scope, period: Period) -> pd.DataFrame:
    counts = metrics.compound_figures(scope, period, LOOP_COUNTS[:-1])
    opened = cases_open_at(period.last_day)
    still_open = _scoped(
        select(opened.c.compound_id, func.count().label("cases_open_at_end")).group_by(opened.c.compound_id),
        scope,
        opened.c.compound_id,
    )
    frame = tabular.registry(conn, scope)
    for stmt, cols in ((counts, LOOP_COUNTS[:-1]), (still_open, LOOP_COUNTS[-1:])):
        part = tabular.frame(conn, stmt, columns=["compound_id", *cols])
        frame = frame.merge(part, on="compound_id", how="left")
    frame[list(LOOP_COUNTS)] = frame[list(LOOP_COUNTS)].apply(pd.to_numeric).fillna(0).astype("int64")
    return frame


@scoped_read
def by_compound(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per compound in scope: the loop, rates, median days to close, disputes per 100 households."""
    with engine.connect() as conn:
        frame = _per_compound(conn, scope, period)
        closing = day_counts.histogram(conn, scope, period, "close", by="compound")
    frame["median_days_to_close"] = (
        frame["compound_id"].map(lambda cid: day_counts.median(closing.get(cid))).astype("float64")
    )
    return _rates(frame).sort_values(["town_code", "code"]).reset_index(drop=True)


@scoped_read
def by_town(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """The per-compound figures summed by town; rates and medians recomputed over the town's cases."""
    with engine.connect() as conn:
        frame = _per_compound(conn, scope, period)
        closing = day_counts.histogram(conn, scope, period, "close", by="town")
    towns = frame.groupby(["town_code", "town"], as_index=False).agg(
        compounds=("compound_id", "count"), households=("households", "sum"), **{c: (c, "sum") for c in LOOP_COUNTS}
    )
    towns["median_days_to_close"] = (
        towns["town_code"].map(lambda code: day_counts.median(closing.get(code))).astype("float64")
    )
    return _rates(towns).sort_values("town_code").reset_index(drop=True)
