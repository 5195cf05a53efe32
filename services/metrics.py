"""Every headline formula, once, as SQL pushed to the database.

Pages, exports and ``python -m services metrics`` call these functions; nothing else computes
a published figure. A ``Scope`` narrows to a town or a compound; a ``Period`` is a range of
months. Counting rules (also shown to users, see ``services.i18n`` keys ``formula.*``):

- activities, cases and votes count by their own date in the period;
- case rates and days-to-close are over the cases received in the period, in their latest state;
- facility figures count projects completed in the period;
- a compound is expected to report every month from the month its branch was founded; a month
  counts as received when any ledger or a zero report was imported for it, and as on time when
  the first submission arrived by the deadline day of the following month.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, Select, and_, case, func, select

from services import day_counts, town_months
from services import reporting as reporting_rules
from services.access import ClampedScope, comparison_scope, scoped_read
from services.db import frame_of
from services.domain import DEFAULT_DEADLINE_DAY, FACILITY_CATEGORIES, Period, Scope
from services.models import (
    Compound,
    CompoundMonth,
    FacilityRecord,
    Submission,
    Town,
)


def _scoped(stmt: Select, scope: Scope, compound_col=None) -> Select:
    """Restrict a statement to active compounds in ``scope`` (joining compounds if needed)."""
    if compound_col is not None:
        stmt = stmt.join(Compound, Compound.id == compound_col)
    stmt = stmt.where(Compound.active.is_(True))
    if scope.town_code:
        stmt = stmt.where(Compound.town_code == scope.town_code)
    if scope.compound_id is not None:
        stmt = stmt.where(Compound.id == scope.compound_id)
    return stmt


def _num(value) -> float:
    if value is None:
        return 0.0
    return float(value) if isinstance(value, Decimal | float) else value


def _rate(part: float, whole: float) -> float | None:
    return None if not whole else part / whole


# ---- registry and coverage -----------------------------------------------------------------


def coverage(engine: Engine, scope: Scope, as_of: dt.date) -> dict[str, int]:
    """Compounds in scope and how many have each governance body on ``as_of``."""
    c = Compound
    stmt = _scoped(
        select(
            func.count().label("compounds"),
            func.coalesce(func.sum(c.households), 0).label("households"),
            func.count(case((c.branch_founded <= as_of, 1))).label("with_branch"),
            func.count(c.property_company).label("with_property_company"),
            func.count(case((c.owners_committee_founded <= as_of, 1))).label("with_owners_committee"),
            func.count(case((c.womens_federation_founded <= as_of, 1))).label("with_womens_federation"),
            func.count(case((c.volunteers > 0, 1))).label("with_volunteer_team"),
            func.count(c.liaison_unit).label("with_liaison_unit"),
        ),
        scope,
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().one()
    return {k: int(v or 0) for k, v in row.items()}


# ---- reporting -----------------------------------------------------------------------------


def reporting(
    engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int
) -> dict[str, int | float | None]:
    """Expected, received and on-time compound-months (rules in ``services.reporting``)."""
    return reporting_rules.summary(engine, scope, period, deadline_day=deadline_day)


# ---- ledgers -------------------------------------------------------------------------------


def rollup_sums(engine: Engine, scope: Scope, period: Period, figures: tuple[str, ...]) -> dict:
    """Sums of rollup figures over the active compounds in scope and the months of the period:
    a compound's from ``compound_months``, a town's or the county's from the town sums."""
    with engine.connect() as conn:
        if scope.compound_id is None:
            return town_months.sums(conn, scope, period, figures)
        cm = CompoundMonth
        sums = [func.coalesce(func.sum(getattr(cm, name)), 0).label(name) for name in figures]
        stmt = _scoped(select(*sums).where(cm.month >= period.start, cm.month <= period.end), scope, cm.compound_id)
        return dict(conn.execute(stmt).mappings().one())


def activity_totals(engine: Engine, scope: Scope, period: Period) -> dict[str, float]:
    row = rollup_sums(engine, scope, period, ("activities", "participants", "volunteer_hours", "households_visited"))
    return {k: _num(v) for k, v in row.items()}


CASE_FIGURES = (
    "cases_received",
    "demands_received",
    "disputes_received",
    "cases_responded",
    "cases_resolved",
    "cases_transferred",
)


def case_totals(engine: Engine, scope: Scope, period: Period) -> dict[str, float | None]:
    """The closed loop over cases received in the period, each in its latest state."""
    counts = {k: int(v) for k, v in rollup_sums(engine, scope, period, CASE_FIGURES).items()}
    with engine.connect() as conn:  # a median does not add up across months, a histogram does
        closing = day_counts.histogram(conn, scope, period, "close").get(None)
    row: dict[str, float | None] = dict(counts)
    row["response_rate"] = _rate(counts["cases_responded"], counts["cases_received"])
    row["closure_rate"] = _rate(counts["cases_resolved"], counts["cases_received"])
    row["median_days_to_close"] = day_counts.median(closing)
    return row


def facility_totals(engine: Engine, scope: Scope, period: Period) -> dict:
    f = FacilityRecord
    completed = and_(
        f.is_current.is_(True),
        f.status == "完工",
        f.completed_month >= period.start,
        f.completed_month <= period.end,
    )
    by_unit = _scoped(
        select(f.category, f.unit, func.sum(f.quantity).label("quantity"))
        .where(completed)
        .group_by(f.category, f.unit)
        .order_by(f.category, f.unit),
        scope,
        f.compound_id,
    )
    totals = rollup_sums(engine, scope, period, ("facility_projects_completed", "facility_investment_yuan"))
    row: dict = {k: _num(v) for k, v in totals.items()}
    with engine.connect() as conn:
        quantities = [{"category": c, "unit": u, "quantity": _num(q)} for c, u, q in conn.execute(by_unit)]
    # the domain's order, identical on every database (collations of Chinese text differ)
    row["facility_quantities"] = sorted(quantities, key=lambda q: (_category_rank(q["category"]), q["unit"]))
    row["facility_projects_completed"] = int(row["facility_projects_completed"])
    return row


def _category_rank(category: str) -> int:
    return FACILITY_CATEGORIES.index(category) if category in FACILITY_CATEGORIES else len(FACILITY_CATEGORIES)


def vote_totals(engine: Engine, scope: Scope, period: Period) -> dict[str, float | None]:
    row = rollup_sums(
        engine,
        scope,
        period,
        (
            "votes_held",
            "votes_passed_local",
            "votes_passed_statutory",
            "vote_participation_sum",
            "vote_participation_n",
        ),
    )
    out: dict[str, float | None] = {
        k: int(row[k]) for k in ("votes_held", "votes_passed_local", "votes_passed_statutory")
    }
    n = int(row["vote_participation_n"])
    out["mean_vote_participation"] = float(row["vote_participation_sum"]) / n if n else None
    return out


def disclosure_totals(engine: Engine, scope: Scope, period: Period) -> dict[str, float]:
    row = rollup_sums(engine, scope, period, ("disclosures", "disclosed_income_yuan", "disclosed_spending_yuan"))
    return {k: _num(v) for k, v in row.items()}


HEADLINE_KEYS = (
    "compounds",
    "reports_expected",
    "reports_received",
    "reports_on_time",
    "activities",
    "participants",
    "volunteer_hours",
    "households_visited",
    "cases_received",
    "demands_received",
    "disputes_received",
    "cases_responded",
    "cases_resolved",
    "response_rate",
    "closure_rate",
    "median_days_to_close",
    "facility_projects_completed",
    "facility_investment_yuan",
    "facility_quantities",
    "votes_held",
    "votes_passed_local",
    "votes_passed_statutory",
    "mean_vote_participation",
)


@scoped_read
def headline(engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int = DEFAULT_DEADLINE_DAY) -> dict:
    """All headline figures for one scope and period (the `metrics --json` contract)."""
    cov = coverage(engine, scope, period.last_day)
    out: dict = {"compounds": cov["compounds"]}
    out.update(reporting(engine, scope, period, deadline_day=deadline_day))
    out.update(activity_totals(engine, scope, period))
    out.update(case_totals(engine, scope, period))
    out.update(facility_totals(engine, scope, period))
    out.update(vote_totals(engine, scope, period))
    out.update({k: v for k, v in cov.items() if k != "compounds"})
    out.update(disclosure_totals(engine, scope, period))
    return out


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change (0.125 = +12.5%); None when there is no base to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


# ---- series and breakdowns -----------------------------------------------------------------


def monthly_figures(engine: Engine, scope: Scope, period: Period, names: tuple[str, ...]) -> pd.DataFrame:
    """Per month of the period (every month, zeros included): the named rollup figures summed over the scope."""
    with engine.connect() as conn:
        if scope.compound_id is None:
            found = town_months.monthly(conn, scope, period, names)
            rows = pd.DataFrame([{"month": m, **v} for m, v in found.items()], columns=["month", *names])
        else:
            cm = CompoundMonth
            stmt = _scoped(
                select(cm.month, *[func.sum(getattr(cm, n)).label(n) for n in names])
                .where(cm.month >= period.start, cm.month <= period.end)
                .group_by(cm.month),
                scope,
                cm.compound_id,
            )
            rows = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["month", *names])
    frame = pd.DataFrame({"month": period.months}).merge(rows, on="month", how="left")
    for name in names:
        frame[name] = pd.to_numeric(frame[name]).fillna(0).astype("int64")
    return frame


def compound_figures(scope: Scope, period: Period, names: tuple[str, ...]) -> Select:
    """SELECT compound_id, <names summed over the period's months> for the compounds in scope."""
    cm = CompoundMonth
    return _scoped(
        select(cm.compound_id, *[func.sum(getattr(cm, n)).label(n) for n in names])
        .where(cm.month >= period.start, cm.month <= period.end)
        .group_by(cm.compound_id),
        scope,
        cm.compound_id,
    )


@scoped_read
def monthly_trend(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Per month: activities, households visited, cases received and cases closed."""
    return monthly_figures(
        engine, scope, period, ("activities", "households_visited", "cases_received", "cases_closed")
    )


@scoped_read
def by_compound(
    engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int = DEFAULT_DEADLINE_DAY
) -> pd.DataFrame:
    """One row per compound in scope with registry facts and the period's main figures."""
    return by_compound_and_months(engine, scope, period, deadline_day=deadline_day)[0]


@scoped_read
def by_compound_and_months(
    engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int = DEFAULT_DEADLINE_DAY
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``by_compound`` and the month counts per compound it took its reporting figures from
    (``services.reporting.months_by_compound``: expected, received, on time, disclosed), for a view
    that needs both without counting them a second time."""
    c = Compound
    reg = _scoped(
        select(
            c.id.label("compound_id"),
            c.code,
            c.name,
            c.town_code,
            Town.name.label("town"),
            c.lat,
            c.lon,
            c.households,
            c.branch_founded,
            c.property_company,
        ).join(Town, Town.code == c.town_code),
        scope,
    )
    figures = ("activities", "households_visited", "cases_received", "disputes_received", "cases_resolved")
    rolled = compound_figures(scope, period, figures)
    with engine.connect() as conn:
        frame = frame_of(conn.execute(reg))
        if frame.empty:
            return frame, pd.DataFrame(columns=["compound_id", *reporting_rules.MONTH_COUNTS])
        for stmt in (rolled,):
            part = frame_of(conn.execute(stmt))
            if not part.empty:
                frame = frame.merge(part, on="compound_id", how="left")
    months = reporting_rules.months_by_compound(engine, scope, period, deadline_day=deadline_day)
    frame = frame.merge(months[["compound_id", "months_expected", "months_reported"]], on="compound_id", how="left")
    for col in (
        "activities",
        "households_visited",
        "cases_received",
        "disputes_received",
        "cases_resolved",
        "months_reported",
        "months_expected",
    ):
        values = pd.to_numeric(frame[col], errors="coerce") if col in frame else pd.Series(0, index=frame.index)
        frame[col] = values.fillna(0).astype("int64")
    frame["activities_per_100_households"] = per_100_households(frame["activities"], frame["households"])
    frame["disputes_per_100_households"] = per_100_households(frame["disputes_received"], frame["households"])
    frame["closure_rate"] = frame["cases_resolved"] / frame["cases_received"].where(frame["cases_received"] > 0)
    frame["reporting_rate"] = frame["months_reported"].clip(upper=frame["months_expected"]) / frame[
        "months_expected"
    ].where(frame["months_expected"] > 0)
    return frame.sort_values(["town_code", "code"]).reset_index(drop=True), months


def activity_rates(engine: Engine, scope: Scope, period: Period) -> pd.Series:
    """Activities per 100 households of every active compound in scope, by compound id: the
    ``activities_per_100_households`` of ``by_compound`` without the rest of its figures (the
    governance index ranks a scope's compounds among the county's by it)."""
    c = Compound
    with engine.connect() as conn:
        frame = frame_of(conn.execute(_scoped(select(c.id.label("compound_id"), c.households), scope)))
        part = frame_of(conn.execute(compound_figures(scope, period, ("activities",))))
    if frame.empty:
        return pd.Series(dtype="float64", name="activities_per_100_households")
    frame = frame.merge(part, on="compound_id", how="left")
    activities = pd.to_numeric(frame["activities"], errors="coerce").fillna(0).astype("int64")
    rates = per_100_households(activities, frame["households"])
    return pd.Series(rates.to_numpy(), index=frame["compound_id"].to_numpy(), name="activities_per_100_households")


def per_100_households(count: pd.Series, households: pd.Series) -> pd.Series:
    """Count per 100 households, so that big and small compounds compare fairly."""
    return (count * 100.0 / households.where(households > 0)).round(2)


@scoped_read
def by_town(
    engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int = DEFAULT_DEADLINE_DAY
) -> pd.DataFrame:
    """The town ranking: the per-compound figures rolled up, ranked by activity per household."""
    per_compound = by_compound(engine, scope, period, deadline_day=deadline_day)
    if per_compound.empty:
        return per_compound
    sums = [
        "households",
        "activities",
        "households_visited",
        "cases_received",
        "disputes_received",
        "cases_resolved",
        "months_reported",
        "months_expected",
    ]
    towns = per_compound.groupby(["town_code", "town"], as_index=False).agg(
        compounds=("compound_id", "count"), **{col: (col, "sum") for col in sums}
    )
    towns["activities_per_100_households"] = per_100_households(towns["activities"], towns["households"])
    towns["disputes_per_100_households"] = per_100_households(towns["disputes_received"], towns["households"])
    towns["closure_rate"] = towns["cases_resolved"] / towns["cases_received"].where(towns["cases_received"] > 0)
    towns["reporting_rate"] = towns["months_reported"] / towns["months_expected"].where(towns["months_expected"] > 0)
    towns = towns.sort_values("activities_per_100_households", ascending=False).reset_index(drop=True)
    towns.insert(0, "rank", range(1, len(towns) + 1))
    return towns


PEER_FIGURES = ("activities_per_100_households", "disputes_per_100_households", "closure_rate", "reporting_rate")


@scoped_read
def peer_position(
    engine: Engine, scope: ClampedScope, period: Period, *, deadline_day: int = DEFAULT_DEADLINE_DAY
) -> pd.DataFrame:
    """A compound's rank among its town's compounds and the town median, per figure.

    Anonymised: no other compound's name or value leaves this function, so secretaries may see it."""
    if scope.compound_id is None:
        return pd.DataFrame(columns=["figure", "value", "rank", "compounds", "town_median"])
    with engine.connect() as conn:
        town = conn.execute(select(Compound.town_code).where(Compound.id == scope.compound_id)).scalar()
    peers = by_compound(engine, comparison_scope(Scope(town_code=town)), period, deadline_day=deadline_day)
    mine = peers[peers["compound_id"] == scope.compound_id]
    rows = []
    for figure in PEER_FIGURES:
        values = peers[figure].dropna()
        value = mine[figure].iloc[0] if not mine.empty else None
        higher_is_better = figure != "disputes_per_100_households"
        rank = None
        if value is not None and not pd.isna(value):
            rank = int((values > value).sum() + 1) if higher_is_better else int((values < value).sum() + 1)
        rows.append(
            {
                "figure": figure,
                "value": None if value is None or pd.isna(value) else float(value),
                "rank": rank,
                "compounds": int(values.size),
                "town_median": float(values.median()) if values.size else None,
            }
        )
    return pd.DataFrame(rows)


def data_months(engine: Engine) -> tuple[str, str] | None:
    """The first and last month for which any submission exists (None on an empty database)."""
    with engine.connect() as conn:
        first, last = conn.execute(select(func.min(Submission.month), func.max(Submission.month))).one()
    return None if first is None else (first, last)


def compound_record(engine: Engine, compound_id: int) -> dict:
    """One compound's registry row as a plain dict (empty if unknown)."""
    with engine.connect() as conn:
        row = conn.execute(select(Compound.__table__).where(Compound.id == compound_id)).mappings().one_or_none()
    return dict(row) if row else {}


@scoped_read
def compound_choices(engine: Engine, scope: ClampedScope, _period: Period | None = None) -> dict[int, str]:
    """{id: "code name"} of the active compounds in ``scope``, ordered by code (a picker's options)."""
    stmt = _scoped(select(Compound.id, Compound.code, Compound.name).order_by(Compound.code), scope)
    with engine.connect() as conn:
        return {cid: f"{code} {name}" for cid, code, name in conn.execute(stmt)}


def compound_names(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Compound.id, Compound.name)).all())


def towns(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(select(Town.code, Town.name, Town.lat, Town.lon).order_by(Town.code)).mappings().all()
        )
