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
from services.metrics import _scoped, per_100_households
from services.models import Activity, CaseRecord, Compound
from services.themes import tabular
from services.themes.conditions import SATISFIED, case_open_at

PROPERTY_SERVICE = "物业服务"
LIAISON_ORGANISER = "包保单位"
RATED = ("满意", "基本满意", "不满意")

r, a = CaseRecord, Activity

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


@scoped_read
def by_compound(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per compound: its company and liaison unit, property-service cases and their rates,
    all cases received, open cases at the period's end, activities its liaison unit joined."""
    day = period.last_day
    received = and_(r.received_month >= period.start, r.received_month <= period.end)
    prop = r.category == PROPERTY_SERVICE
    closed = r.status == "已办结"
    in_period = _scoped(
        select(
            r.compound_id,
            func.count(case((and_(prop, r.kind == "诉求"), 1))).label("property_demands"),
            func.count(case((and_(prop, r.kind == "纠纷"), 1))).label("property_disputes"),
            func.count(case((prop, 1))).label("property_cases"),
            func.count(case((and_(prop, closed), 1))).label("property_resolved"),
            func.count(case((and_(prop, closed, r.satisfaction.in_(RATED)), 1))).label("property_rated"),
            func.count(case((and_(prop, closed, r.satisfaction.in_(SATISFIED)), 1))).label("property_satisfied"),
            func.count().label("cases_received"),
        )
        .where(r.is_current.is_(True), received)
        .group_by(r.compound_id),
        scope,
        r.compound_id,
    )
    still_open = _scoped(
        select(r.compound_id, func.count().label("open_cases")).where(case_open_at(day)).group_by(r.compound_id),
        scope,
        r.compound_id,
    )
    joined = _scoped(
        select(
            a.compound_id,
            func.count().label("liaison_activities"),
            func.coalesce(func.sum(a.participants), 0).label("liaison_participants"),
        )
        .where(
            a.is_current.is_(True),
            a.month >= period.start,
            a.month <= period.end,
            a.organisers.contains(LIAISON_ORGANISER),
            Compound.liaison_unit.is_not(None),
        )
        .group_by(a.compound_id),
        scope,
        a.compound_id,
    )
    facts = (Compound.property_company, Compound.liaison_unit, Compound.branch_founded)
    with engine.connect() as conn:
        frame = tabular.per_compound(conn, scope, [in_period, still_open, joined], counts=COUNTS, extra=facts)
    if frame.empty:
        return frame
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
    """Headline figures for the scope, added up from ``by_compound``."""
    return _summary_of(by_compound(engine, scope, period))


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
