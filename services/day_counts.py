"""Day-count histograms of cases (tables ``case_days`` and ``town_case_days``): the medians and
90th percentiles of 诉求与纠纷 and the headline are read from them instead of from every case.

A median does not add up across compounds or months, but a histogram does: the number of cases
that took 0, 1, 2 … days, per compound and month received, summed over any set of compounds and
months, gives exactly the list the median is taken from. Per town the sums are kept too, so a
county's year is a few thousand rows (towns × months × distinct day counts), not every case.

Rules (those of ``services.themes.cases``): live cases (``is_current``) by the month received;
``close``: days from 受理 to 办结 (``days_to_close``); ``reply``: days to the first reply, or to
closing for a case closed without a separate reply; cases without the figure are left out.

Keeping them right: ``refresh`` runs inside each import's transaction with ``compound_months``
(``services.rollups.refresh``): the compounds' rows are recomputed and the difference is added
to their towns' rows. ``rebuild_in`` recomputes both tables; ``differences`` compares them with
a fresh computation (``python -m services rollups`` checks it).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, func, insert, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from services.domain import Period, Scope
from services.models import CaseDays, CaseRecord, Compound, TownCaseDays

MEASURES = ("close", "reply")
IN_CHUNK = 5000  # compound ids per IN (…) list


def _days_of(measure: str):
    r = CaseRecord
    return r.days_to_close if measure == "close" else func.coalesce(r.days_to_first_response, r.days_to_close)


def computed(compound_ids: Iterable[int] | None = None):
    """SELECT compound_id, town_code, month, measure, days, cases from the live case rows."""
    r, c = CaseRecord, Compound
    parts = []
    for measure in MEASURES:
        days = _days_of(measure)
        stmt = (
            select(
                r.compound_id.label("compound_id"),
                c.town_code.label("town_code"),
                r.received_month.label("month"),
                literal(measure).label("measure"),
                days.label("days"),
                func.count().label("cases"),
            )
            .join(c, c.id == r.compound_id)
            .where(r.is_current.is_(True), r.received_month.is_not(None), days.is_not(None))
            .group_by(r.compound_id, c.town_code, r.received_month, days)
        )
        if compound_ids is not None:
            stmt = stmt.where(r.compound_id.in_(compound_ids))
        parts.append(stmt)
    return union_all(*parts)


COLUMNS = ["compound_id", "town_code", "month", "measure", "days", "cases"]
TOWN_KEY = ("measure", "month", "town_code", "days")


def _town_rows(conn: Connection, ids: list[int]) -> Counter:
    """The compounds' rows as {(measure, month, town_code, days): cases}."""
    d = CaseDays
    out: Counter = Counter()
    stmt = select(d.measure, d.month, d.town_code, d.days, d.cases).where(d.compound_id.in_(ids))
    for measure, month, town, days, cases in conn.execute(stmt):
        out[(measure, month, town, int(days))] += int(cases)
    return out


def _upsert(conn: Connection):
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(TownCaseDays)
    return stmt.on_conflict_do_update(
        index_elements=list(TOWN_KEY), set_={"cases": TownCaseDays.cases + stmt.excluded.cases}
    )


def refresh(conn: Connection, compound_ids: Iterable[int]) -> None:
    """Recompute these compounds' histograms and move their towns' sums by the difference (call
    inside the writing transaction)."""
    ids = sorted(set(compound_ids))
    if not ids:
        return
    for i in range(0, len(ids), IN_CHUNK):
        chunk = ids[i : i + IN_CHUNK]
        before = _town_rows(conn, chunk)
        conn.execute(delete(CaseDays).where(CaseDays.compound_id.in_(chunk)))
        conn.execute(insert(CaseDays).from_select(COLUMNS, computed(chunk)))
        after = _town_rows(conn, chunk)
        change = {key: after.get(key, 0) - before.get(key, 0) for key in before.keys() | after.keys()}
        moved = [dict(zip(TOWN_KEY, key, strict=True), cases=n) for key, n in sorted(change.items()) if n]
        if not moved:
            continue
        conn.execute(_upsert(conn), moved)
        emptied = [dict(zip(TOWN_KEY, key, strict=True)) for key, n in sorted(change.items()) if n < 0]
        t = TownCaseDays
        for row in emptied:
            conn.execute(
                delete(t).where(
                    t.measure == row["measure"],
                    t.month == row["month"],
                    t.town_code == row["town_code"],
                    t.days == row["days"],
                    t.cases <= 0,
                )
            )


def rebuild_in(conn: Connection) -> int:
    """Recompute both tables from the ledger; returns the number of compound rows."""
    conn.execute(delete(TownCaseDays))
    conn.execute(delete(CaseDays))
    conn.execute(insert(CaseDays).from_select(COLUMNS, computed()))
    d = CaseDays
    summed = select(d.measure, d.month, d.town_code, d.days, func.sum(d.cases)).group_by(
        d.measure, d.month, d.town_code, d.days
    )
    conn.execute(insert(TownCaseDays).from_select([*TOWN_KEY, "cases"], summed))
    return conn.execute(select(func.count()).select_from(CaseDays)).scalar_one()


def differences(conn: Connection, limit: int = 20) -> list[str]:
    """Where the stored histograms differ from a fresh computation."""
    fresh: Counter = Counter()
    towns: Counter = Counter()
    for cid, town, month, measure, days, cases in conn.execute(computed()):
        fresh[(cid, town, month, measure, int(days))] += int(cases)
        towns[(measure, month, town, int(days))] += int(cases)
    d, t = CaseDays, TownCaseDays
    stored = Counter(
        {
            (cid, town, month, measure, int(days)): int(cases)
            for cid, town, month, measure, days, cases in conn.execute(
                select(d.compound_id, d.town_code, d.month, d.measure, d.days, d.cases)
            )
        }
    )
    town_rows = conn.execute(select(t.measure, t.month, t.town_code, t.days, t.cases))
    stored_towns = Counter(
        {(measure, month, town, int(days)): int(cases) for measure, month, town, days, cases in town_rows}
    )
    out = []
    pairs: list[tuple[str, Counter, Counter]] = [("case_days", stored, fresh), ("town_case_days", stored_towns, towns)]
    for name, a, b in pairs:
        for key in sorted(a.keys() | b.keys(), key=str):
            if a.get(key, 0) != b.get(key, 0):
                out.append(f"{name} {' '.join(map(str, key))} stored={a.get(key, 0)} fresh={b.get(key, 0)}")
                if len(out) >= limit:
                    return out
    return out


# ---- reading ---------------------------------------------------------------------------------


def histogram(conn: Connection, scope: Scope, period: Period, measure: str, *, by: str | None = None) -> dict:
    """{key: Counter(days → cases)} over the scope's active compounds and the period's months;
    ``by``: None (one key, None), ``"town"`` (town codes) or ``"compound"`` (compound ids)."""
    d, t, c = CaseDays, TownCaseDays, Compound
    in_period = and_(d.month >= period.start, d.month <= period.end, d.measure == measure)
    out: dict = {}

    def add(rows, sign: int = 1) -> None:
        for key, days, cases in rows:
            out.setdefault(key, Counter())[int(days)] += sign * int(cases)

    if by == "compound" or scope.compound_id is not None:
        key = d.compound_id if by == "compound" else d.town_code if by == "town" else literal(None)
        stmt = (
            select(key, d.days, func.sum(d.cases))
            .join(c, c.id == d.compound_id)
            .where(in_period, c.active.is_(True))
            .group_by(key, d.days)
        )
        if scope.town_code:
            stmt = stmt.where(c.town_code == scope.town_code)
        if scope.compound_id is not None:
            stmt = stmt.where(d.compound_id == scope.compound_id)
        add(conn.execute(stmt))
    else:
        # the towns' sums, less what compounds no longer active hold in them
        town_key = t.town_code if by == "town" else literal(None)
        stmt = select(town_key, t.days, func.sum(t.cases)).where(
            t.month >= period.start, t.month <= period.end, t.measure == measure
        )
        if scope.town_code:
            stmt = stmt.where(t.town_code == scope.town_code)
        add(conn.execute(stmt.group_by(town_key, t.days)))
        inactive_key = d.town_code if by == "town" else literal(None)
        inactive = (
            select(inactive_key, d.days, func.sum(d.cases))
            .join(c, c.id == d.compound_id)
            .where(in_period, c.active.is_(False))
            .group_by(inactive_key, d.days)
        )
        if scope.town_code:
            inactive = inactive.where(d.town_code == scope.town_code)
        add(conn.execute(inactive), sign=-1)
    return {key: Counter({days: n for days, n in counts.items() if n}) for key, counts in out.items()}


def _nth(counts: Counter, rank: int) -> int:
    """The ``rank``-th smallest value (0-based) of the list the histogram stands for."""
    seen = 0
    for days in sorted(counts):
        seen += counts[days]
        if seen > rank:
            return days
    raise IndexError(rank)


def median(counts: Counter | None) -> float | None:
    """``statistics.median`` of the list the histogram stands for (None when empty)."""
    n = sum(counts.values()) if counts else 0
    if not counts or not n:
        return None
    if n % 2:
        return _nth(counts, n // 2)
    return (_nth(counts, n // 2 - 1) + _nth(counts, n // 2)) / 2


def percentile(counts: Counter | None, share: float) -> int | None:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    n = sum(counts.values()) if counts else 0
    if not counts or not n:
        return None
    return _nth(counts, max(1, math.ceil(share * n)) - 1)
