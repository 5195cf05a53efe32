"""The compound × month rollup (table ``compound_months``) and how it is kept right.

Views read this table instead of the ledger rows, so their cost grows with compounds × months
in scope, not with the number of activities or cases ever reported. The rollup is derived
data: ``refresh`` recomputes one compound's rows from its live (``is_current``) ledger rows
and runs inside the import's transaction, so readers never see a ledger without its rollup.
``rebuild`` recomputes everything (after the demo generator, a restore or a manual repair)
and ``differences`` compares the table with a fresh computation (``rollups --check``).

The counting rules are the headline rules of ``services.metrics``: activities by their month,
cases by the month received (their latest state) and separately by the month closed,
facility projects by the month completed (status 完工), votes by the month held, disclosures
by their month. For 物业与包保 (``services.themes.property``): property-service cases by month
received and activities organised with the liaison unit (包保单位) by month. Medians and category
breakdowns are not additive and stay on the ledgers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Integer,
    Numeric,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.elements import BindParameter

from services import day_counts, town_months, versions
from services.db import write_transaction
from services.domain import LIAISON_ORGANISER, PROPERTY_SERVICE, RATED, SATISFACTION_FIGURES, SATISFIED, UNRATED
from services.models import Activity, CaseRecord, Compound, CompoundMonth, Disclosure, FacilityRecord, VoteRecord

FIGURES: tuple[str, ...] = tuple(
    c.name for c in CompoundMonth.__table__.columns if c.name not in ("compound_id", "month")
)

_TYPES = {c.name: c.type for c in CompoundMonth.__table__.columns}


def _zero(name: str):
    kind = _TYPES[name]
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return cast(literal(0), kind)
    return cast(literal(0), Float if isinstance(kind, Float) else Integer)


def _part(compound_col, month_col, figures: dict, where, compound_ids, wanted: tuple[str, ...]):
    """One ledger's grouped ``wanted`` figures, zeros for those it has not (so parts can be unioned)."""
    cols = [compound_col.label("compound_id"), month_col.label("month")]
    cols += [(figures[name] if name in figures else _zero(name)).label(name) for name in wanted]
    stmt = select(*cols).where(where, month_col.is_not(None))
    if compound_ids is not None:
        stmt = stmt.where(compound_col.in_(compound_ids))
    return stmt.group_by(compound_col, month_col)


def _summed(x, name: str | None = None):
    """SUM(x), 0 when there are no rows, typed like the rollup column ``name`` (integer by default)."""
    return cast(func.coalesce(func.sum(x), 0), _TYPES[name] if name else Integer)


def computed(compound_ids: Iterable[int] | BindParameter | None = None, figures: tuple[str, ...] = FIGURES):
    """SELECT compound_id, month, <figures…> computed from the live ledger rows (of some compounds).

    ``figures``: all of them, or those a migration's table had (a migration fills the columns it
    creates; later ones add and fill theirs)."""
    ids = compound_ids if compound_ids is None or isinstance(compound_ids, BindParameter) else sorted(set(compound_ids))
    a, r, f, v, d = Activity, CaseRecord, FacilityRecord, VoteRecord, Disclosure
    count = func.count
    ratio = v.participating_households * 1.0 / v.total_households
    prop, closed = r.category == PROPERTY_SERVICE, r.status == "已办结"
    rating = func.coalesce(r.satisfaction, UNRATED)
    liaison = a.organisers.contains(LIAISON_ORGANISER)
    parts = [
        _part(
            a.compound_id,
            a.month,
            {
                "activities": count(),
                "participants": _summed(a.participants),
                "volunteer_hours": _summed(a.volunteer_hours, "volunteer_hours"),
                "households_visited": _summed(a.visited_households),
                "liaison_activities": count(case((liaison, 1))),
                "liaison_participants": _summed(case((liaison, a.participants))),
            },
            a.is_current.is_(True),
            ids,
            figures,
        ),
        _part(
            r.compound_id,
            r.received_month,
            {
                "cases_received": count(),
                "demands_received": count(case((r.kind == "诉求", 1))),
                "disputes_received": count(case((r.kind == "纠纷", 1))),
                "cases_responded": count(
                    case((or_(r.first_response_date.is_not(None), r.closed_date.is_not(None)), 1))
                ),
                "cases_resolved": count(case((r.status == "已办结", 1))),
                "cases_transferred": count(case((r.status == "已转办", 1))),
                "property_demands": count(case((and_(prop, r.kind == "诉求"), 1))),
                "property_disputes": count(case((and_(prop, r.kind == "纠纷"), 1))),
                "property_cases": count(case((prop, 1))),
                "property_resolved": count(case((and_(prop, closed), 1))),
                "property_rated": count(case((and_(prop, closed, r.satisfaction.in_(RATED)), 1))),
                "property_satisfied": count(case((and_(prop, closed, r.satisfaction.in_(SATISFIED)), 1))),
                **{
                    figure: count(case((and_(closed, rating == level), 1)))
                    for level, figure in SATISFACTION_FIGURES.items()
                },
            },
            r.is_current.is_(True),
            ids,
            figures,
        ),
        _part(r.compound_id, r.closed_month, {"cases_closed": count()}, r.is_current.is_(True), ids, figures),
        _part(
            f.compound_id,
            f.completed_month,
            {
                "facility_projects_completed": count(),
                "facility_investment_yuan": _summed(f.investment_yuan, "facility_investment_yuan"),
            },
            and_(f.is_current.is_(True), f.status == "完工"),
            ids,
            figures,
        ),
        _part(
            v.compound_id,
            v.vote_month,
            {
                "votes_held": count(),
                "votes_passed_local": count(case((v.passes_local.is_(True), 1))),
                "votes_passed_statutory": count(case((v.passes_statutory.is_(True), 1))),
                "vote_participation_sum": _summed(ratio, "vote_participation_sum"),
                "vote_participation_n": count(ratio),
            },
            v.is_current.is_(True),
            ids,
            figures,
        ),
        _part(
            d.compound_id,
            d.month,
            {
                "disclosures": count(),
                "disclosed_income_yuan": _summed(d.income_yuan, "disclosed_income_yuan"),
                "disclosed_spending_yuan": _summed(d.spending_yuan, "disclosed_spending_yuan"),
            },
            d.is_current.is_(True),
            ids,
            figures,
        ),
    ]
    both = union_all(*parts).subquery("parts")
    sums = [cast(func.sum(both.c[name]), _TYPES[name]).label(name) for name in figures]
    return select(both.c.compound_id, both.c.month, *sums).group_by(both.c.compound_id, both.c.month)


@functools.cache
def _refresh_statements():
    """Built once: an import's refresh then costs two executions of cached, compiled SQL."""
    ids = bindparam("ids", expanding=True)
    return (
        delete(CompoundMonth).where(CompoundMonth.compound_id.in_(ids)),
        insert(CompoundMonth).from_select(["compound_id", "month", *FIGURES], computed(ids)),
    )


def _stored(conn: Connection, ids: list[int]) -> dict[tuple[int, str], tuple]:
    cm = CompoundMonth
    rows = conn.execute(
        select(cm.compound_id, cm.month, *[getattr(cm, n) for n in FIGURES]).where(cm.compound_id.in_(ids))
    )
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def refresh(conn: Connection, compound_ids: Iterable[int]) -> None:
    """Recompute the rollup rows, the day-count histograms (``services.day_counts``) and the town
    sums of the months that changed (``services.town_months``) of these compounds (call inside
    the writing transaction)."""
    ids = sorted(set(compound_ids))
    if not ids:
        return
    remove, fill = _refresh_statements()
    before = _stored(conn, ids)
    conn.execute(remove, {"ids": ids})
    conn.execute(fill, {"ids": ids})
    after = _stored(conn, ids)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    if changed:
        towns = {
            cid: town for cid, town in conn.execute(select(Compound.id, Compound.town_code).where(Compound.id.in_(ids)))
        }
        town_months.refresh(conn, {(towns[cid], month) for cid, month in changed})
    day_counts.refresh(conn, ids)


def rebuild_in(conn: Connection, figures: tuple[str, ...] = FIGURES, *, derived: bool = True) -> int:
    """Recompute the whole table (``figures``: all, or a migration's own) and, unless a migration
    that predates them asks, the tables derived from it and beside it (the day-count histograms
    and the town sums), on an open connection; returns the number of rollup rows."""
    conn.execute(delete(CompoundMonth))
    columns = ["compound_id", "month", *figures]
    conn.execute(insert(CompoundMonth).from_select(columns, computed(figures=figures), include_defaults=False))
    if derived:
        day_counts.rebuild_in(conn)
        town_months.rebuild_in(conn)
    return conn.execute(select(func.count()).select_from(CompoundMonth)).scalar_one()


def rebuild(engine: Engine) -> int:
    """Recompute the whole table, the day-count histograms and the town sums in one transaction; returns the
    number of rollup rows."""
    with write_transaction(engine) as conn:
        rows = rebuild_in(conn)
        versions.move_all(conn)  # figures read from the rollup may have changed in every town
        return rows


def differences(engine: Engine, limit: int = 20) -> list[str]:
    """Where the stored rollup (the day-count histograms, the town sums) differ from a fresh computation
    ("compound month figure stored fresh")."""
    with engine.connect() as conn:
        fresh = {(row.compound_id, row.month): row for row in conn.execute(computed())}
        stored = {(row.compound_id, row.month): row for row in conn.execute(select(CompoundMonth))}
        out: list[str] = day_counts.differences(conn, limit) + town_months.differences(conn, limit)
    for key in sorted(fresh.keys() | stored.keys()):
        a, b = stored.get(key), fresh.get(key)
        for name in FIGURES:
            x = None if a is None else getattr(a, name)
            y = None if b is None else getattr(b, name)
            if x is None and y is not None and not y:
                continue
            if not _same(x, y):
                out.append(f"{key[0]} {key[1]} {name} stored={x} fresh={y}")
                if len(out) >= limit:
                    return out
    return out


def _same(x, y) -> bool:
    if x is None or y is None:
        return x == y
    return abs(float(x) - float(y)) <= 1e-9 * max(1.0, abs(float(y)))
