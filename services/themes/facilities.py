"""设施改造: what upgrades delivered (in physical units and yuan) and what is still being built.

Counting rules (shown to users under ``formula.fac.*``):

- completed work: projects whose latest state is 完工 with a completion date in the period (the
  rule of ``metrics.facility_totals``); quantities add up per category and unit, never across units;
- in progress (在建) at the end of the period: started by then (or no start date given, if still
  在建) and not completed by then;
- overdue: in progress for more than ``OVERDUE_DAYS`` days since the start date (开工日期);
- before / during: per compound, projects completed before the period began vs within it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, and_, case, func, or_, select

from services import formatting
from services.access import ClampedScope, scoped_read
from services.domain import FACILITY_CATEGORIES, FUNDING_SOURCES, Period
from services.metrics import _num, _scoped, coverage, facility_totals
from services.models import Compound, FacilityRecord, Town
from services.themes import tabular

OVERDUE_DAYS = 180  # a project still 在建 this long after its start date is flagged as overdue
NO_FUNDING_SOURCE = "未填"

f = FacilityRecord


def _completed(period: Period):
    return and_(
        f.is_current.is_(True), f.status == "完工", f.completed_month >= period.start, f.completed_month <= period.end
    )


def _in_progress_at(day: dt.date):
    return and_(
        f.is_current.is_(True),
        or_(
            and_(f.status == "在建", or_(f.started_date.is_(None), f.started_date <= day)),
            and_(f.status == "完工", f.started_date <= day, f.completed_date > day),
        ),
    )


def _overdue_at(day: dt.date, overdue_days: int):
    return and_(_in_progress_at(day), f.started_date < day - dt.timedelta(days=overdue_days))


def _category_rank(category: str) -> int:
    return FACILITY_CATEGORIES.index(category) if category in FACILITY_CATEGORIES else len(FACILITY_CATEGORIES)


def quantity_text(quantity, unit: str, lang: str = "zh", unit_label: str | None = None) -> str:
    """1211, 米 → '1,211 米' (万 for large figures; decimals only when the quantity has them)."""
    value = float(quantity)
    decimals = 0 if value == int(value) else 2
    return f"{formatting.number(value, lang, decimals=decimals)} {unit_label or unit}"


@scoped_read
def summary(engine: Engine, scope: ClampedScope, period: Period, *, overdue_days: int = OVERDUE_DAYS) -> dict:
    """Headline figures: completed projects and investment (``metrics.facility_totals``), plus the
    projects in progress and overdue at the end of the period."""
    out = {"compounds": coverage(engine, scope, period.last_day)["compounds"]}
    out.update(facility_totals(engine, scope, period))
    day = period.last_day
    stmt = _scoped(
        select(
            func.count(case((_in_progress_at(day), 1))).label("projects_in_progress"),
            func.count(case((_overdue_at(day, overdue_days), 1))).label("projects_overdue"),
        ).where(f.is_current.is_(True)),
        scope,
        f.compound_id,
    )
    with engine.connect() as conn:
        out.update({k: int(v) for k, v in conn.execute(stmt).mappings().one().items()})
    out["overdue_days"] = overdue_days
    return out


@scoped_read
def by_category(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Completed work per category and unit: projects, quantity, investment (domain order)."""
    stmt = _scoped(
        select(
            f.category,
            f.unit,
            func.count().label("projects"),
            func.sum(f.quantity).label("quantity"),
            func.coalesce(func.sum(f.investment_yuan), 0).label("investment_yuan"),
        )
        .where(_completed(period))
        .group_by(f.category, f.unit),
        scope,
        f.compound_id,
    )
    with engine.connect() as conn:
        rows = [
            {"category": c, "unit": u, "projects": int(n), "quantity": _num(q), "investment_yuan": _num(i)}
            for c, u, n, q, i in conn.execute(stmt)
        ]
    rows.sort(key=lambda r: (_category_rank(r["category"]), r["unit"]))
    return pd.DataFrame(rows, columns=["category", "unit", "projects", "quantity", "investment_yuan"])


@scoped_read
def by_funding(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Investment of completed projects per funding source, with its share of the total."""
    source = func.coalesce(f.funding_source, NO_FUNDING_SOURCE)
    stmt = _scoped(
        select(
            source.label("funding_source"),
            func.count().label("projects"),
            func.coalesce(func.sum(f.investment_yuan), 0).label("investment_yuan"),
        )
        .where(_completed(period))
        .group_by(source),
        scope,
        f.compound_id,
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(
            [(s, int(n), _num(i)) for s, n, i in conn.execute(stmt)],
            columns=["funding_source", "projects", "investment_yuan"],
        )
    order = [*FUNDING_SOURCES, NO_FUNDING_SOURCE]
    frame["order"] = frame["funding_source"].map(lambda s: order.index(s) if s in order else len(order))
    frame = frame.sort_values("order").drop(columns="order").reset_index(drop=True)
    total = frame["investment_yuan"].sum()
    frame["share"] = frame["investment_yuan"] / total if total else None
    return frame


@scoped_read
def in_progress(
    engine: Engine, scope: ClampedScope, period: Period, *, overdue_days: int = OVERDUE_DAYS
) -> pd.DataFrame:
    """Projects in progress at the end of the period, longest-running first, overdue ones flagged."""
    day = period.last_day
    stmt = _scoped(
        select(
            Compound.id.label("compound_id"),
            Compound.code,
            Compound.name.label("compound"),
            Compound.town_code,
            Town.name.label("town"),
            f.project_no,
            f.name.label("project"),
            f.category,
            f.quantity,
            f.unit,
            f.investment_yuan,
            f.funding_source,
            f.started_date,
            case((_overdue_at(day, overdue_days), True), else_=False).label("overdue"),
        )
        .select_from(f)
        .where(_in_progress_at(day)),
        scope,
        f.compound_id,
    ).join(Town, Town.code == Compound.town_code)
    columns = [
        "compound_id",
        "code",
        "compound",
        "town_code",
        "town",
        "project_no",
        "project",
        "category",
        "quantity",
        "unit",
        "investment_yuan",
        "funding_source",
        "started_date",
        "days_in_progress",
        "overdue",
    ]
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["quantity"] = frame["quantity"].map(_num)
    frame["investment_yuan"] = frame["investment_yuan"].map(lambda v: None if v is None else _num(v))
    frame["days_in_progress"] = [None if pd.isna(s) else (day - s).days for s in frame["started_date"]]
    frame["overdue"] = frame["overdue"].astype(bool)
    frame = frame.sort_values(
        ["days_in_progress", "code", "project_no"], ascending=[False, True, True], na_position="last"
    )
    return frame[columns].reset_index(drop=True)


@scoped_read
def by_compound(
    engine: Engine, scope: ClampedScope, period: Period, *, overdue_days: int = OVERDUE_DAYS
) -> pd.DataFrame:
    """Before and after per compound: projects and investment completed before the period vs
    within it, the categories done in each, and projects in progress / overdue at its end."""
    day = period.last_day
    before = and_(f.status == "完工", f.completed_month < period.start)
    during = and_(f.status == "完工", f.completed_month >= period.start, f.completed_month <= period.end)
    counts = _scoped(
        select(
            f.compound_id,
            func.count(case((before, 1))).label("projects_before"),
            func.coalesce(func.sum(case((before, f.investment_yuan))), 0).label("investment_before"),
            func.count(case((during, 1))).label("projects_during"),
            func.coalesce(func.sum(case((during, f.investment_yuan))), 0).label("investment_during"),
            func.count(case((_in_progress_at(day), 1))).label("projects_in_progress"),
            func.count(case((_overdue_at(day, overdue_days), 1))).label("projects_overdue"),
        )
        .where(f.is_current.is_(True))
        .group_by(f.compound_id),
        scope,
        f.compound_id,
    )
    when = case((during, "during"), else_="before")
    categories = _scoped(
        select(f.compound_id, when.label("when"), f.category)
        .where(f.is_current.is_(True), f.status == "完工", f.completed_month <= period.end)
        .group_by(f.compound_id, when, f.category),
        scope,
        f.compound_id,
    )
    with engine.connect() as conn:
        frame = tabular.per_compound(
            conn,
            scope,
            [counts],
            counts=("projects_before", "projects_during", "projects_in_progress", "projects_overdue"),
            amounts=("investment_before", "investment_during"),
        )
        if frame.empty:
            return frame
        done = conn.execute(categories).all()
    lists: dict[tuple[int, str], list[str]] = {}
    for compound_id, period_part, category in done:
        lists.setdefault((compound_id, period_part), []).append(category)
    for period_part in ("before", "during"):
        frame[f"categories_{period_part}"] = [
            "、".join(sorted(lists.get((cid, period_part), []), key=_category_rank)) for cid in frame["compound_id"]
        ]
    return frame.sort_values(["town_code", "code"]).reset_index(drop=True)


TOWN_SUMS = (
    "households",
    "projects_before",
    "investment_before",
    "projects_during",
    "investment_during",
    "projects_in_progress",
    "projects_overdue",
)


@scoped_read
def by_town(engine: Engine, scope: ClampedScope, period: Period, *, overdue_days: int = OVERDUE_DAYS) -> pd.DataFrame:
    """The per-compound figures rolled up per town, plus how many compounds completed work."""
    per_compound = by_compound(engine, scope, period, overdue_days=overdue_days)
    if per_compound.empty:
        return per_compound
    towns = (
        per_compound.assign(improved=per_compound["projects_during"] > 0)
        .groupby(["town_code", "town"], as_index=False)
        .agg(
            compounds=("compound_id", "count"),
            compounds_improved=("improved", "sum"),
            **{col: (col, "sum") for col in TOWN_SUMS},
        )
    )
    return towns.sort_values("town_code").reset_index(drop=True)
