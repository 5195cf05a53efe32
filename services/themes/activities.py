"""活动与走访: activities by type and month, participants, volunteer hours and home visits.

Counting rules are those of ``metrics.activity_totals``: current rows of the activity ledger
dated within the period, in active compounds of the scope. Home visits are counted by group
(困难党员, 困难群众, 残疾人, 失独家庭) as numbers of households only; nobody is named.
Figures "per 100 households" divide by the households of the compounds in scope
(``metrics.per_100_households``), so big and small compounds compare fairly.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from services import metrics
from services.access import ClampedScope, scoped_read
from services.domain import ACTIVITY_TYPES, Period, Scope
from services.metrics import _scoped
from services.models import Activity
from services.themes import tabular

VISIT_GROUPS = ("visited_hardship_party", "visited_hardship_residents", "visited_disabled", "visited_bereaved")
COUNTS = ("activities", "participants", "volunteer_hours", "households_visited", *VISIT_GROUPS)
PER_100 = ("activities", "participants", "volunteer_hours", "households_visited")
SEASON_YEARS = 3  # the month-of-year profile covers at least this many calendar years


def _in_period(period: Period):
    a = Activity
    return and_(a.is_current.is_(True), a.month >= period.start, a.month <= period.end)


def _sums() -> list:
    a = Activity
    return [
        func.count().label("activities"),
        func.coalesce(func.sum(a.participants), 0).label("participants"),
        func.coalesce(func.sum(a.volunteer_hours), 0).label("volunteer_hours"),
        func.coalesce(func.sum(a.visited_households), 0).label("households_visited"),
        *[func.coalesce(func.sum(getattr(a, g)), 0).label(g) for g in VISIT_GROUPS],
    ]


def _per_100(frame: pd.DataFrame, columns=PER_100) -> pd.DataFrame:
    for col in columns:
        frame[f"{col}_per_100_households"] = metrics.per_100_households(frame[col], frame["households"])
    return frame


def _numeric(frame: pd.DataFrame, columns) -> pd.DataFrame:
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce").fillna(0)
        frame[col] = values.astype("float64" if col == "volunteer_hours" else "int64")
    return frame


@scoped_read
def summary(engine: Engine, scope: ClampedScope, period: Period) -> dict:
    """Totals for the period (``metrics.activity_totals``), visits by group, and each per 100 households."""
    out: dict = dict(metrics.activity_totals(engine, scope, period))
    stmt = _scoped(
        select(*[func.coalesce(func.sum(getattr(Activity, g)), 0).label(g) for g in VISIT_GROUPS]).where(
            _in_period(period)
        ),
        scope,
        Activity.compound_id,
    )
    with engine.connect() as conn:
        out.update({k: int(v) for k, v in conn.execute(stmt).mappings().one().items()})
    registry = metrics.coverage(engine, scope, period.last_day)
    out["compounds"], out["households"] = registry["compounds"], registry["households"]
    # the registry's households in scope are the denominator of every per-100 figure
    frame = _per_100(pd.DataFrame([out]))
    out.update({f"{c}_per_100_households": _plain(frame[f"{c}_per_100_households"].iloc[0]) for c in PER_100})
    return out


def _plain(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _households(engine: Engine, scope: Scope, period: Period) -> int:
    return metrics.coverage(engine, scope, period.last_day)["households"]


@scoped_read
def by_type_month(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Activities and participants per month and activity type (types in the domain's order),
    also per 100 households of the scope."""
    a = Activity
    stmt = _scoped(
        select(
            a.month,
            a.activity_type,
            func.count().label("activities"),
            func.coalesce(func.sum(a.participants), 0).label("participants"),
        )
        .where(_in_period(period))
        .group_by(a.month, a.activity_type),
        scope,
        a.compound_id,
    )
    with engine.connect() as conn:
        frame = tabular.frame(conn, stmt, columns=["month", "activity_type", "activities", "participants"])
    frame = _numeric(frame, ("activities", "participants"))
    frame["households"] = _households(engine, scope, period)
    frame = _per_100(frame, ("activities", "participants"))
    rank = {kind: i for i, kind in enumerate(ACTIVITY_TYPES)}
    frame["type_order"] = frame["activity_type"].map(lambda k: rank.get(k, len(rank)))
    return frame.sort_values(["month", "type_order"]).drop(columns="type_order").reset_index(drop=True)


@scoped_read
def monthly(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Every month of the period (empty months as zero): the counts, visits by group, and the
    counts per 100 households of the scope."""
    a = Activity
    stmt = _scoped(select(a.month, *_sums()).where(_in_period(period)).group_by(a.month), scope, a.compound_id)
    with engine.connect() as conn:
        rows = tabular.frame(conn, stmt, columns=["month", *COUNTS])
    frame = _numeric(pd.DataFrame({"month": period.months}).merge(rows, on="month", how="left"), COUNTS)
    frame["households"] = _households(engine, scope, period)
    return _per_100(frame)


def season_period(period: Period) -> Period:
    """The months behind the month-of-year profile: the calendar years of the period, and at
    least the last three years, ending with the period."""
    first_year = min(int(period.start[:4]), int(period.end[:4]) - SEASON_YEARS + 1)
    return Period(f"{first_year:04d}-01", period.end)


@scoped_read
def seasonality(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Month-of-year profile: one row per year and calendar month with that month's counts."""
    frame = monthly(engine, scope, season_period(period))
    frame.insert(0, "year", frame["month"].str[:4])
    frame.insert(1, "month_of_year", frame["month"].str[5:7].astype("int64"))
    return frame


@scoped_read
def by_compound(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per compound in scope (those without activities as zero), with per-100 figures."""
    a = Activity
    counts = _scoped(
        select(a.compound_id, *_sums()).where(_in_period(period)).group_by(a.compound_id), scope, a.compound_id
    )
    with engine.connect() as conn:
        frame = tabular.registry(conn, scope)
        part = tabular.frame(conn, counts, columns=["compound_id", *COUNTS])
    frame = _numeric(frame.merge(part, on="compound_id", how="left"), COUNTS)
    return _per_100(frame).sort_values(["town_code", "code"]).reset_index(drop=True)


@scoped_read
def by_town(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """The per-compound figures summed by town, with per-100 figures recomputed on the sums."""
    per_compound = by_compound(engine, scope, period)
    towns = per_compound.groupby(["town_code", "town"], as_index=False).agg(
        compounds=("compound_id", "count"), households=("households", "sum"), **{c: (c, "sum") for c in COUNTS}
    )
    return _per_100(towns).sort_values("town_code").reset_index(drop=True)
