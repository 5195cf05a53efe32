"""物业与包保: property companies across the compounds they manage, compounds without one, and
the county departments assigned to support compounds (liaison units).

Counting rules (shown to users under ``formula.prop.*``):

- property-service cases are demands and disputes of category 物业服务 received in the period (in
  their latest state), counted per 100 households of the compounds concerned;
- closure rate = those cases 已办结 ÷ those cases received; satisfaction = (满意 + 基本满意) ÷ those
  closed and rated (满意, 基本满意 or 不满意; 未评价 and blank are not rated), as on the cases view;
- a liaison unit joined an activity when 包保单位 is among its organisers and the compound is one
  it is assigned to; activities count by their date in the period;
- a case is open at the end of the period by the rule of the cases view (``services.themes.cases``):
  received by then, not transferred (已转办), not closed by then.

Companies and liaison units are rows rolled up from ``by_compound``, so every figure is computed
once per compound and added up.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from services.access import ClampedScope, scoped_read
from services.domain import Period
from services.metrics import _scoped, compound_figures, per_100_households
from services.models import Compound, CompoundMonth
from services.themes import tabular
from services.themes.conditions import cases_open_at

COUNTS = (
    "property_demands",
    "property_disputes",
    "property_cases",
    "property_resolved",
    "property_rated",
    "property_satisfied",
    "cases_received",
    "open_cases",
    "liaison_activities",
    "liaison_participants",
)


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-100-household and share columns from the summed counts (same formula at every level)."""
    frame["property_demands_per_100_households"] = per_100_households(frame["property_demands"], frame["households"])
    frame["property_disputes_per_100_households"] = per_100_households(frame["property_disputes"], frame["households"])
    cases = frame["property_cases"]
    frame["property_closure_rate"] = frame["property_resolved"] / cases.where(cases > 0)
    rated = frame["property_rated"]
    frame["satisfaction_share"] = frame["property_satisfied"] / rated.where(rated > 0)
    return frame


ROLLED_UP = (*COUNTS[:7], "liaison_activities", "liaison_participants")  # from the rollup; open_cases: ledger


@scoped_read
def by_compound(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per compound: its company and liaison unit, property-service cases and their rates,
    all cases received, open cases at the period's end, activities its liaison unit joined.

    The counts come from the compound × month rollup (``services.rollups``: the rules above, kept
    by each import); only the cases open on the period's last day are read from the ledger."""
    opened = cases_open_at(period.last_day)
    still_open = _scoped(
        select(opened.c.compound_id, func.count().label("open_cases")).group_by(opened.c.compound_id),
        scope,
        opened.c.compound_id,
    )
    facts = (Compound.property_company, Compound.liaison_unit, Compound.branch_founded)
    parts = [compound_figures(scope, period, ROLLED_UP), still_open]
    with engine.connect() as conn:
        frame = tabular.per_compound(conn, scope, parts, counts=COUNTS, extra=facts)
    if frame.empty:
        return frame
    frame = frame[[c for c in frame.columns if c not in COUNTS] + list(COUNTS)]
    # a liaison unit joins activities only where it is assigned: none, none counted
    without_unit = frame["liaison_unit"].isna()
    frame.loc[without_unit, ["liaison_activities", "liaison_participants"]] = 0
    return _rates(frame).sort_values(["town_code", "code"]).reset_index(drop=True)


def _roll_up(frame: pd.DataFrame, keys: list[str], **extra) -> pd.DataFrame:
    out = frame.groupby(keys, as_index=False).agg(
        compounds=("compound_id", "count"),
        households=("households", "sum"),
        **{col: (col, "sum") for col in COUNTS},
        **extra,
    )
    return _rates(out)


def _companies_of(per_compound: pd.DataFrame) -> pd.DataFrame:
    if per_compound.empty or per_compound["property_company"].isna().all():
        return pd.DataFrame(columns=["property_company", "compounds", "households", *COUNTS])
    managed = per_compound[per_compound["property_company"].notna()]
    out = _roll_up(managed, ["property_company"], towns=("town", lambda t: "、".join(dict.fromkeys(t))))
    return out.sort_values(["households", "property_company"], ascending=[False, True]).reset_index(drop=True)


def _unmanaged_of(per_compound: pd.DataFrame) -> pd.DataFrame:
    if per_compound.empty:
        return per_compound
    return per_compound[per_compound["property_company"].isna()].reset_index(drop=True)


def _liaison_units_of(per_compound: pd.DataFrame) -> pd.DataFrame:
    if per_compound.empty or per_compound["liaison_unit"].isna().all():
        return pd.DataFrame(columns=["liaison_unit", "compounds", "households", *COUNTS])
    assigned = per_compound[per_compound["liaison_unit"].notna()]
    out = _roll_up(
        assigned, ["liaison_unit"], compounds_without_company=("property_company", lambda c: int(c.isna().sum()))
    )
    return out.sort_values(["compounds", "liaison_unit"], ascending=[False, True]).reset_index(drop=True)


def _by_town_of(per_compound: pd.DataFrame) -> pd.DataFrame:
    if per_compound.empty:
        return per_compound
    flags = per_compound.assign(
        without_company=per_compound["property_company"].isna(),
        without_either=per_compound["property_company"].isna() & per_compound["liaison_unit"].isna(),
    )
    out = _roll_up(
        flags,
        ["town_code", "town"],
        compounds_without_company=("without_company", "sum"),
        compounds_without_either=("without_either", "sum"),
    )
    return out.sort_values("town_code").reset_index(drop=True)


def _summary_of(per_compound: pd.DataFrame) -> dict:
    if per_compound.empty:
        return {
            "compounds": 0,
            "households": 0,
            **dict.fromkeys(COUNTS, 0),
            "companies": 0,
            "liaison_units": 0,
            "compounds_without_company": 0,
            "compounds_without_either": 0,
            "property_demands_per_100_households": None,
            "property_disputes_per_100_households": None,
            "property_closure_rate": None,
            "satisfaction_share": None,
        }
    total = pd.DataFrame([per_compound[["households", *COUNTS]].sum()])
    row = {k: (None if pd.isna(v) else float(v)) for k, v in _rates(total).iloc[0].items()}
    row.update({k: int(per_compound[k].sum()) for k in ("households", *COUNTS)})
    no_company = per_compound["property_company"].isna()
    row.update(
        compounds=len(per_compound),
        companies=int(per_compound["property_company"].nunique()),
        liaison_units=int(per_compound["liaison_unit"].nunique()),
        compounds_without_company=int(no_company.sum()),
        compounds_without_either=int((no_company & per_compound["liaison_unit"].isna()).sum()),
    )
    return row


@scoped_read
def companies(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per property company across the compounds it manages in scope, most households first."""
    return _companies_of(by_compound(engine, scope, period))


@scoped_read
def unmanaged(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Compounds with no property company: who looks after them (branch, liaison unit) and their cases."""
    return _unmanaged_of(by_compound(engine, scope, period))


@scoped_read
def liaison_units(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per liaison unit: compounds assigned, activities it joined there, open cases there."""
    return _liaison_units_of(by_compound(engine, scope, period))


@scoped_read
def by_town(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Per town: compounds with and without a company or liaison unit, and the property-service rates."""
    return _by_town_of(by_compound(engine, scope, period))


@scoped_read
def summary(engine: Engine, scope: ClampedScope, period: Period) -> dict:
    """Headline figures for the scope: the values ``_summary_of(by_compound(…))`` gives (the page's
    own period takes them from ``overview``), summed by the database for the earlier periods the
    KPI cards compare with, without the per-compound table."""
    c, cm = Compound, CompoundMonth
    registry = _scoped(
        select(
            func.count(),
            func.coalesce(func.sum(c.households), 0),
            func.count(func.distinct(c.property_company)),
            func.count(func.distinct(c.liaison_unit)),
            func.count(case((c.property_company.is_(None), 1))),
            func.count(case((and_(c.property_company.is_(None), c.liaison_unit.is_(None)), 1))),
        ),
        scope,
    )
    assigned = c.liaison_unit.is_not(None)  # a liaison unit's activities count where it is assigned
    sums = [func.coalesce(func.sum(getattr(cm, name)), 0) for name in COUNTS[:7]]
    sums += [func.coalesce(func.sum(case((assigned, getattr(cm, name)), else_=0)), 0) for name in COUNTS[8:]]
    rolled = _scoped(select(*sums).where(cm.month >= period.start, cm.month <= period.end), scope, cm.compound_id)
    opened = cases_open_at(period.last_day)
    still_open = _scoped(select(func.count()).select_from(opened), scope, opened.c.compound_id)
    with engine.connect() as conn:
        compounds, households, companies, units, no_company, no_either = conn.execute(registry).one()
        totals = dict(zip((*COUNTS[:7], *COUNTS[8:]), (int(v) for v in conn.execute(rolled).one()), strict=True))
        totals["open_cases"] = int(conn.execute(still_open).scalar_one())
    if not compounds:
        return _summary_of(pd.DataFrame())
    frame = pd.DataFrame([{"households": int(households), **{k: totals[k] for k in COUNTS}}])
    row = {k: (None if pd.isna(v) else float(v)) for k, v in _rates(frame).iloc[0].items()}
    row.update({"households": int(households), **{k: totals[k] for k in COUNTS}})
    row.update(
        compounds=int(compounds),
        companies=int(companies),
        liaison_units=int(units),
        compounds_without_company=int(no_company),
        compounds_without_either=int(no_either),
    )
    return row


@scoped_read
def overview(engine: Engine, scope: ClampedScope, period: Period) -> dict:
    """Everything the page shows for one period, from a single pass over the compounds: the same
    values as ``summary``, ``companies``, ``unmanaged``, ``liaison_units``, ``by_town``, ``by_compound``."""
    per_compound = by_compound(engine, scope, period)
    return {
        "summary": _summary_of(per_compound),
        "companies": _companies_of(per_compound),
        "unmanaged": _unmanaged_of(per_compound),
        "liaison_units": _liaison_units_of(per_compound),
        "by_town": _by_town_of(per_compound),
        "by_compound": per_compound,
    }
