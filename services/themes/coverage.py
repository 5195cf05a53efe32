"""组织覆盖: which governance bodies each compound has, as of the end of the period.

A body is present when (the same rules as ``metrics.coverage``, kept in ``presence`` below):
a Party branch, owners' committee or women's federation founded on or before the period's last
day; a property company or liaison unit named in the registry (the registry has no dates for
them, so today's registry applies); a volunteer team when the registry lists volunteers > 0.
Compounds are the active ones in scope.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from services import metrics
from services.access import ClampedScope, scoped_read
from services.domain import Period
from services.metrics import _scoped
from services.models import Compound, Town
from services.themes import tabular

BODIES = ("branch", "property_company", "owners_committee", "womens_federation", "volunteer_team", "liaison_unit")
CURVE_START = "2020-01"


def presence(as_of: dt.date) -> dict:
    """body → SQL condition that a compound has it on ``as_of`` (NULL dates count as absent)."""
    c = Compound
    return {
        "branch": c.branch_founded <= as_of,
        "property_company": c.property_company.is_not(None),
        "owners_committee": c.owners_committee_founded <= as_of,
        "womens_federation": c.womens_federation_founded <= as_of,
        "volunteer_team": c.volunteers > 0,
        "liaison_unit": c.liaison_unit.is_not(None),
    }


@scoped_read
def shares(engine: Engine, scope: ClampedScope, period: Period) -> dict:
    """Compounds in scope, how many have each body at the period's end, and the share of compounds."""
    counts = metrics.coverage(engine, scope, period.last_day)
    out: dict = dict(counts)
    for body in BODIES:
        out[f"share_with_{body}"] = metrics._rate(counts[f"with_{body}"], counts["compounds"])
    return out


@scoped_read
def presence_by_compound(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per compound: registry facts and a True/False column ``has_<body>`` per body."""
    conditions = presence(period.last_day)
    stmt = _scoped(
        select(
            Compound.id.label("compound_id"),
            Compound.code,
            Compound.name,
            Compound.town_code,
            Town.name.label("town"),
            Compound.community,
            Compound.households,
            *[case((cond, 1), else_=0).label(f"has_{body}") for body, cond in conditions.items()],
        ).join(Town, Town.code == Compound.town_code),
        scope,
    ).order_by(Compound.town_code, Compound.code)
    columns = ["compound_id", "code", "name", "town_code", "town", "community", "households"]
    with engine.connect() as conn:
        frame = tabular.frame(conn, stmt, columns=columns + [f"has_{b}" for b in BODIES])
    for body in BODIES:
        frame[f"has_{body}"] = frame[f"has_{body}"].astype(bool)
    return frame


@scoped_read
def missing_by_town(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Per town: compounds, households, how many lack each body at the period's end
    (``missing_<body>``) and how many lack at least one (``missing_any``)."""
    conditions = presence(period.last_day)
    stmt = _scoped(
        select(
            Compound.town_code,
            Town.name.label("town"),
            func.count().label("compounds"),
            func.coalesce(func.sum(Compound.households), 0).label("households"),
            *[
                (func.count() - func.count(case((cond, 1)))).label(f"missing_{body}")
                for body, cond in conditions.items()
            ],
            # and_() is NULL when a date is missing, so such compounds count as lacking a body
            (func.count() - func.count(case((and_(*conditions.values()), 1)))).label("missing_any"),
        )
        .join(Town, Town.code == Compound.town_code)
        .group_by(Compound.town_code, Town.name),
        scope,
    ).order_by(Compound.town_code)
    columns = ["town_code", "town", "compounds", "households", *[f"missing_{b}" for b in BODIES], "missing_any"]
    with engine.connect() as conn:
        frame = tabular.frame(conn, stmt, columns=columns)
    return frame.astype({col: "int64" for col in columns[2:]})


@scoped_read
def missing_compounds(engine: Engine, scope: ClampedScope, period: Period, *, body: str) -> pd.DataFrame:
    """The compounds in scope without ``body`` at the period's end."""
    if body not in BODIES:
        raise ValueError(f"unknown body {body!r}")
    frame = presence_by_compound(engine, scope, period)
    lacking = frame[~frame[f"has_{body}"]]
    return lacking[["compound_id", "code", "name", "town_code", "town", "community", "households"]].reset_index(
        drop=True
    )


@scoped_read
def founding_curve(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Per month from 2020-01 to the period's end: branches founded that month and in total since.

    Branches founded before 2020 are in the first month's total; compounds are the active ones in scope."""
    year = func.extract("year", Compound.branch_founded)
    month = func.extract("month", Compound.branch_founded)
    stmt = _scoped(
        select(year.label("y"), month.label("m"), func.count().label("founded"))
        .where(Compound.branch_founded.is_not(None), Compound.branch_founded <= period.last_day)
        .group_by(year, month),
        scope,
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    start = min(CURVE_START, period.end)
    founded = {f"{int(y):04d}-{int(m):02d}": int(n) for y, m, n in rows}
    before = sum(n for m, n in founded.items() if m < start)
    months = Period(start, period.end).months
    frame = pd.DataFrame({"month": months, "founded": [founded.get(m, 0) for m in months]})
    frame["branches"] = frame["founded"].cumsum() + before
    return frame
