"""The town × month level of the rollup (table ``town_months``): ``compound_months`` summed per
town, so a county's or a town's figures over a period read towns × months rows (a province's
year: 12 × 12) instead of compounds × months (30,000 × 12).

Rules: a row holds the sums of every compound of the town, active or not, as ``compound_months``
holds them; readers subtract what compounds no longer active hold (few rows, read by their
key), so deactivating a compound needs no write here. A compound's own figures (a compound
scope, per-compound tables) are still read from ``compound_months``.

Keeping it right: ``services.rollups.refresh`` tells ``refresh`` which (town, month) rows its
compounds' rollup rows changed in; those rows are summed again from ``compound_months`` in the
import's transaction (exact sums, also for money and hours, no running differences). A registry
import that moves compounds to another town recomputes both towns (``refresh_towns``).
``rebuild_in`` recomputes everything and ``differences`` compares the table with a fresh sum
(``python -m services rollups`` checks it).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Select, and_, delete, func, insert, or_, select

from services.domain import Period, Scope
from services.models import Compound, CompoundMonth, town_months

FIGURES: tuple[str, ...] = tuple(c.name for c in town_months.columns if c.name not in ("town_code", "month"))
IN_CHUNK = 500  # (town, month) pairs per statement


def computed(where=None) -> Select:
    """SELECT town_code, month, <every figure summed> from ``compound_months`` (rows matching ``where``)."""
    cm, c = CompoundMonth, Compound
    stmt = (
        select(c.town_code, cm.month, *[func.sum(getattr(cm, name)).label(name) for name in FIGURES])
        .join(c, c.id == cm.compound_id)
        .group_by(c.town_code, cm.month)
    )
    return stmt if where is None else stmt.where(where)


def _replace(conn: Connection, which_stored, which_compounds) -> None:
    conn.execute(delete(town_months).where(which_stored))
    conn.execute(insert(town_months).from_select(["town_code", "month", *FIGURES], computed(which_compounds)))


def refresh(conn: Connection, pairs: Iterable[tuple[str, str]]) -> None:
    """Sum these (town code, month) rows again from ``compound_months`` (inside the writing transaction)."""
    wanted = sorted(set(pairs))
    t, cm, c = town_months.c, CompoundMonth, Compound
    for i in range(0, len(wanted), IN_CHUNK):
        by_town: dict[str, list[str]] = {}
        for town, month in wanted[i : i + IN_CHUNK]:
            by_town.setdefault(town, []).append(month)
        stored = or_(*[and_(t.town_code == town, t.month.in_(months)) for town, months in by_town.items()])
        fresh = or_(*[and_(c.town_code == town, cm.month.in_(months)) for town, months in by_town.items()])
        _replace(conn, stored, fresh)


def refresh_towns(conn: Connection, towns: Iterable[str]) -> None:
    """Sum every month of these towns again (a registry import moved compounds between them)."""
    codes = sorted(set(towns))
    if codes:
        _replace(conn, town_months.c.town_code.in_(codes), Compound.town_code.in_(codes))


def rebuild_in(conn: Connection) -> int:
    """Recompute the whole table from ``compound_months``; returns its number of rows."""
    conn.execute(delete(town_months))
    conn.execute(insert(town_months).from_select(["town_code", "month", *FIGURES], computed()))
    return conn.execute(select(func.count()).select_from(town_months)).scalar_one()


def differences(conn: Connection, limit: int = 20) -> list[str]:
    """Where the stored town sums differ from a fresh sum of ``compound_months``."""
    fresh = {(row.town_code, row.month): row for row in conn.execute(computed())}
    stored = {(row.town_code, row.month): row for row in conn.execute(select(town_months))}
    out: list[str] = []
    for key in sorted(fresh.keys() | stored.keys()):
        a, b = stored.get(key), fresh.get(key)
        for name in FIGURES:
            x = 0 if a is None else getattr(a, name)
            y = 0 if b is None else getattr(b, name)
            if abs(float(x or 0) - float(y or 0)) > 1e-6:
                out.append(f"town_months {key[0]} {key[1]} {name} stored={x} fresh={y}")
                if len(out) >= limit:
                    return out
    return out


# ---- reading ---------------------------------------------------------------------------------


def _in_months(month_col, first: str | None, last: str):
    return month_col <= last if first is None else and_(month_col >= first, month_col <= last)


def _parts(scope: Scope, first: str | None, last: str, expressions, *, by_month: bool) -> tuple[Select, Select]:
    """The towns' sums and what inactive compounds hold in them, as two statements with the same
    columns (``month`` first when ``by_month``). ``expressions(table_columns)`` gives the labelled
    figures to sum from a table's columns."""
    if scope.compound_id is not None:
        raise ValueError("a compound's figures are read from compound_months, not from its town's sums")
    t, cm, c = town_months.c, CompoundMonth.__table__.c, Compound
    towns = select(*([t.month] if by_month else []), *expressions(t)).where(_in_months(t.month, first, last))
    inactive = (
        select(*([cm.month] if by_month else []), *expressions(cm))
        .join(c, c.id == cm.compound_id)
        .where(_in_months(cm.month, first, last), c.active.is_(False))
    )
    if scope.town_code:
        towns = towns.where(t.town_code == scope.town_code)
        inactive = inactive.where(c.town_code == scope.town_code)
    if by_month:
        towns, inactive = towns.group_by(t.month), inactive.group_by(cm.month)
    return towns, inactive


def sums(conn: Connection, scope: Scope, period: Period, figures: tuple[str, ...]) -> dict:
    """{figure: sum over the active compounds of a town or county scope and the period's months}."""

    def summed(cols):
        return [func.coalesce(func.sum(cols[name]), 0).label(name) for name in figures]

    towns, inactive = _parts(scope, period.start, period.end, summed, by_month=False)
    total = conn.execute(towns).mappings().one()
    less = conn.execute(inactive).mappings().one()
    return {name: total[name] - less[name] for name in figures}


def monthly(conn: Connection, scope: Scope, period: Period, figures: tuple[str, ...]) -> dict[str, dict]:
    """{month: {figure: sum}} for the months of the period that have rows (town or county scope)."""

    def summed(cols):
        return [func.sum(cols[name]).label(name) for name in figures]

    towns, inactive = _parts(scope, period.start, period.end, summed, by_month=True)
    out: dict[str, dict] = {row.month: {n: row[n] or 0 for n in figures} for row in conn.execute(towns).mappings()}
    for row in conn.execute(inactive).mappings():
        month = out.setdefault(row["month"], dict.fromkeys(figures, 0))
        for name in figures:
            month[name] -= row[name] or 0
    return out


def cases_open_at_end(conn: Connection, scope: Scope, month: str) -> int:
    """Cases open on the last day of ``month`` in the scope's active compounds, from the rollup.

    The rule is ``services.themes.conditions.case_open_at`` (received by the day, not transferred,
    not closed by then). Because the ledger rules keep a closing date only on 已办结 cases and
    never before the day received, the cases open at a month's end are those received up to that
    month, less those transferred among them, less those closed up to that month: a running sum
    of ``cases_received - cases_transferred - cases_closed`` (``tests/ingest/test_town_months.py``
    holds it equal to the case-by-case rule)."""
    if scope.compound_id is not None:
        cm, c = CompoundMonth, Compound
        balance = func.coalesce(func.sum(cm.cases_received - cm.cases_transferred - cm.cases_closed), 0)
        stmt = (
            select(balance)
            .join(c, c.id == cm.compound_id)
            .where(cm.compound_id == scope.compound_id, cm.month <= month, c.active.is_(True))
        )
        return int(conn.execute(stmt).scalar_one())

    def open_balance(cols):
        return [
            func.coalesce(func.sum(cols["cases_received"] - cols["cases_transferred"] - cols["cases_closed"]), 0).label(
                "open"
            )
        ]

    towns, inactive = _parts(scope, None, month, open_balance, by_month=False)
    return int(conn.execute(towns).scalar_one()) - int(conn.execute(inactive).scalar_one())
