"""小区档案: one compound's card, its monthly timeline across all ledgers, its cases and votes.

Every function takes a scope that names one compound (``scope.compound_id``); with none, they
return nothing. Scope checks happen before these run (services.access.read).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, or_, select

from services import reporting
from services.access import ClampedScope, scoped_read
from services.accounts import contacts
from services.domain import DEFAULT_DEADLINE_DAY, Period
from services.metrics import monthly_trend
from services.models import CaseRecord, Compound, Disclosure, FacilityRecord, Town, VoteRecord

BODIES = (
    "branch_founded",
    "property_company",
    "owners_committee_founded",
    "womens_federation_founded",
    "volunteers",
    "liaison_unit",
)


@scoped_read
def compound_card(engine: Engine, scope: ClampedScope, period: Period, **_: object) -> dict:
    """Registry facts, which bodies exist at the end of the period, and the secretary's contact."""
    if scope.compound_id is None:
        return {}
    stmt = (
        select(Compound.__table__, Town.name.label("town"))
        .join(Town, Town.code == Compound.town_code)
        .where(Compound.id == scope.compound_id)
    )
    if scope.town_code:
        stmt = stmt.where(Compound.town_code == scope.town_code)
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().one_or_none()
    if row is None:
        return {}
    card = dict(row)
    end = period.last_day
    card["bodies"] = {
        "branch": bool(row["branch_founded"] and row["branch_founded"] <= end),
        "property_company": row["property_company"] is not None,
        "owners_committee": bool(row["owners_committee_founded"] and row["owners_committee_founded"] <= end),
        "womens_federation": bool(row["womens_federation_founded"] and row["womens_federation_founded"] <= end),
        "volunteer_team": bool(row["volunteers"]),
        "liaison_unit": row["liaison_unit"] is not None,
    }
    people = contacts(engine, [scope.compound_id])
    card["secretaries"] = people[["display_name", "work_phone"]].to_dict("records")
    return card


def _per_month(engine: Engine, model, month_column, compound_id: int, period: Period, *conditions) -> dict:
    """{month: current rows of ``model`` for one compound}, by ``month_column`` within the period."""
    stmt = (
        select(month_column, func.count())
        .where(
            model.compound_id == compound_id,
            model.is_current.is_(True),
            month_column.between(period.start, period.end),
            *conditions,
        )
        .group_by(month_column)
    )
    with engine.connect() as conn:
        return {month: count for month, count in conn.execute(stmt)}


@scoped_read
def compound_timeline(
    engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int = DEFAULT_DEADLINE_DAY
) -> pd.DataFrame:
    """Per month: reporting status, activities, visits, cases received/closed, projects completed,
    votes held, and whether the finances were disclosed."""
    if scope.compound_id is None:
        return pd.DataFrame()
    frame = monthly_trend(engine, scope, period).set_index("month")
    cid, f, v, d = scope.compound_id, FacilityRecord, VoteRecord, Disclosure
    completed = _per_month(engine, f, f.completed_month, cid, period, f.status == "完工")
    votes = _per_month(engine, v, v.vote_month, cid, period)
    disclosed = _per_month(engine, d, d.month, cid, period)
    frame["projects_completed"] = pd.Series(completed, dtype="float64")
    frame["votes_held"] = pd.Series(votes, dtype="float64")
    frame = frame.fillna(0).astype("int64")
    frame["disclosed"] = [month in disclosed for month in frame.index]
    cal = reporting.calendar(engine, scope, period, deadline_day=deadline_day)
    frame["status"] = cal.set_index("month")["status"].reindex(frame.index).fillna("not_expected")
    return frame.reset_index()


@scoped_read
def compound_cases(engine: Engine, scope: ClampedScope, period: Period, **_: object) -> pd.DataFrame:
    """Cases received or closed in the period, or still open at its end, in their latest state."""
    if scope.compound_id is None:
        return pd.DataFrame()
    r = CaseRecord
    stmt = (
        select(
            r.case_no,
            r.kind,
            r.category,
            r.received_date,
            r.first_response_date,
            r.closed_date,
            r.status,
            r.satisfaction,
            r.summary,
        )
        .where(
            r.compound_id == scope.compound_id,
            r.is_current.is_(True),
            r.received_date <= period.last_day,
            or_(r.received_month >= period.start, r.closed_date.is_(None), r.closed_date >= period.first_day),
        )
        .order_by(r.received_date.desc())
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all())


@scoped_read
def compound_votes(engine: Engine, scope: ClampedScope, period: Period, **_: object) -> pd.DataFrame:
    """Votes held in the period with both pass results and how far they were carried out."""
    if scope.compound_id is None:
        return pd.DataFrame()
    v = VoteRecord
    stmt = (
        select(
            v.vote_no,
            v.vote_date,
            v.topic,
            v.matter,
            v.total_households,
            v.participating_households,
            v.agree_households,
            v.passes_local,
            v.passes_statutory,
            v.implementation,
            v.implemented_date,
        )
        .where(
            v.compound_id == scope.compound_id, v.is_current.is_(True), v.vote_month.between(period.start, period.end)
        )
        .order_by(v.vote_date.desc())
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    if not frame.empty:
        frame["participation"] = frame["participating_households"] / frame["total_households"]
        frame["agreement"] = frame["agree_households"] / frame["total_households"]
    return frame
