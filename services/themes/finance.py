"""财务公开: which compounds published their monthly accounts, the money disclosed, months missing.

Counting rules (shown to users under ``formula.fin.*``):

- a compound is expected to disclose every month from the month its branch was founded: the
  reporting expectation of ``services.reporting.calendar``, reused as is;
- a compound-month counts as disclosed when the compound's current ledger for it has a 财务公开 row;
- disclosure rate = expected compound-months disclosed ÷ expected compound-months;
- income and spending are the sums of the disclosed figures by their month (``metrics.disclosure_totals``).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from services import reporting
from services.access import ClampedScope, scoped_read
from services.domain import DEFAULT_DEADLINE_DAY, Period, Scope
from services.metrics import _num, _scoped, disclosure_totals
from services.models import Disclosure

d = Disclosure

CALENDAR_COLUMNS = [
    "compound_id",
    "code",
    "name",
    "town_code",
    "town",
    "month",
    "expected",
    "disclosed",
    "status",
    "income_yuan",
    "spending_yuan",
]


@scoped_read
def calendar(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per compound × month: expected?, disclosed?, status (disclosed / missing /
    not_expected) and the amounts disclosed."""
    # the deadline only splits on-time from late reports; the expectation does not depend on it
    expectation = reporting.calendar(engine, scope, period, deadline_day=DEFAULT_DEADLINE_DAY)
    if expectation.empty:
        return pd.DataFrame(columns=CALENDAR_COLUMNS)
    stmt = _scoped(
        select(
            d.compound_id,
            d.month,
            func.count().label("rows"),
            func.coalesce(func.sum(d.income_yuan), 0).label("income_yuan"),
            func.coalesce(func.sum(d.spending_yuan), 0).label("spending_yuan"),
        )
        .where(d.is_current.is_(True), d.month >= period.start, d.month <= period.end)
        .group_by(d.compound_id, d.month),
        scope,
        d.compound_id,
    )
    with engine.connect() as conn:
        sums = pd.DataFrame(
            [(cid, m, int(n), float(_num(i)), float(_num(s))) for cid, m, n, i, s in conn.execute(stmt)],
            columns=["compound_id", "month", "rows", "income_yuan", "spending_yuan"],
        )
    frame = expectation.drop(columns=["status", "first_submitted_at"]).assign(
        expected=expectation["status"] != "not_expected"
    )
    frame = frame.merge(sums, on=["compound_id", "month"], how="left")
    frame["disclosed"] = frame["rows"].fillna(0) > 0
    frame["status"] = "not_expected"
    frame.loc[frame["expected"], "status"] = "missing"
    frame.loc[frame["disclosed"], "status"] = "disclosed"
    frame[["income_yuan", "spending_yuan"]] = frame[["income_yuan", "spending_yuan"]].fillna(0.0)
    return frame[CALENDAR_COLUMNS]


def _rate(disclosed: pd.Series | int, expected: pd.Series | int):
    if isinstance(expected, pd.Series):
        return disclosed / expected.where(expected > 0)
    return disclosed / expected if expected else None


def _summary_of(cal: pd.DataFrame, totals: dict) -> dict:
    expected = int(cal["expected"].sum()) if not cal.empty else 0
    disclosed = int((cal["expected"] & cal["disclosed"]).sum()) if not cal.empty else 0
    missing = cal[cal["status"] == "missing"] if not cal.empty else cal
    out = {
        "compounds": int(cal["compound_id"].nunique()) if not cal.empty else 0,
        "months_expected": expected,
        "months_disclosed": disclosed,
        "months_missing": expected - disclosed,
        "disclosure_rate": _rate(disclosed, expected),
        "compounds_missing": int(missing["compound_id"].nunique()),
    }
    out.update(totals)
    return out


@scoped_read
def summary(engine: Engine, scope: ClampedScope, period: Period) -> dict:
    """Headline figures: compound-months expected and disclosed, the rate, months missing,
    compounds missing at least one month, and the money disclosed (``metrics.disclosure_totals``)."""
    return _summary_of(calendar(engine, scope, period), disclosure_totals(engine, scope, period))


@scoped_read
def trend(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Per month: income and spending disclosed and how many compounds disclosed."""
    stmt = _scoped(
        select(
            d.month,
            func.coalesce(func.sum(d.income_yuan), 0),
            func.coalesce(func.sum(d.spending_yuan), 0),
            func.count(func.distinct(d.compound_id)),
        )
        .where(d.is_current.is_(True), d.month >= period.start, d.month <= period.end)
        .group_by(d.month),
        scope,
        d.compound_id,
    )
    with engine.connect() as conn:
        rows = {m: (float(_num(i)), float(_num(s)), int(n)) for m, i, s, n in conn.execute(stmt)}
    return pd.DataFrame(
        [(m, *rows.get(m, (0.0, 0.0, 0))) for m in period.months],
        columns=["month", "income_yuan", "spending_yuan", "compounds_disclosed"],
    )


COMPOUND_COLUMNS = [
    "compound_id",
    "code",
    "name",
    "town_code",
    "town",
    "months_expected",
    "months_disclosed",
    "months_missing",
    "missing_months",
    "disclosure_rate",
    "income_yuan",
    "spending_yuan",
    "last_disclosed_month",
]


def _latest_months(engine: Engine, scope: Scope, period: Period) -> dict[int, str]:
    """The latest month each compound ever disclosed, up to the period's end."""
    stmt = _scoped(
        select(d.compound_id, func.max(d.month))
        .where(d.is_current.is_(True), d.month <= period.end)
        .group_by(d.compound_id),
        scope,
        d.compound_id,
    )
    with engine.connect() as conn:
        return dict(conn.execute(stmt).all())


def _by_compound_of(cal: pd.DataFrame, latest: dict[int, str]) -> pd.DataFrame:
    if cal.empty:
        return pd.DataFrame(columns=COMPOUND_COLUMNS)
    flags = cal.assign(counted=cal["expected"] & cal["disclosed"], missing=cal["status"] == "missing")
    frame = flags.groupby(["compound_id", "code", "name", "town_code", "town"], as_index=False).agg(
        months_expected=("expected", "sum"),
        months_disclosed=("counted", "sum"),
        months_missing=("missing", "sum"),
        income_yuan=("income_yuan", "sum"),
        spending_yuan=("spending_yuan", "sum"),
    )
    missing = flags[flags["missing"]].groupby("compound_id")["month"].agg("、".join)
    frame["missing_months"] = frame["compound_id"].map(missing).fillna("")
    frame["disclosure_rate"] = _rate(frame["months_disclosed"], frame["months_expected"])
    frame["last_disclosed_month"] = frame["compound_id"].map(latest)
    return frame.sort_values(["town_code", "code"]).reset_index(drop=True)[COMPOUND_COLUMNS]


@scoped_read
def by_compound(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per compound: months expected, disclosed and missing (listed), the rate, the money
    disclosed, and the latest month it ever disclosed up to the period's end."""
    return _by_compound_of(calendar(engine, scope, period), _latest_months(engine, scope, period))


def _by_town_of(per_compound: pd.DataFrame) -> pd.DataFrame:
    if per_compound.empty:
        return per_compound
    towns = (
        per_compound.assign(incomplete=per_compound["months_missing"] > 0)
        .groupby(["town_code", "town"], as_index=False)
        .agg(
            compounds=("compound_id", "count"),
            compounds_missing=("incomplete", "sum"),
            months_expected=("months_expected", "sum"),
            months_disclosed=("months_disclosed", "sum"),
            months_missing=("months_missing", "sum"),
            income_yuan=("income_yuan", "sum"),
            spending_yuan=("spending_yuan", "sum"),
        )
    )
    towns["disclosure_rate"] = _rate(towns["months_disclosed"], towns["months_expected"])
    return towns.sort_values("town_code").reset_index(drop=True)


@scoped_read
def by_town(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """The per-compound figures rolled up per town."""
    return _by_town_of(by_compound(engine, scope, period))


def _town_months_of(cal: pd.DataFrame) -> pd.DataFrame:
    if cal.empty:
        return pd.DataFrame(
            columns=["town_code", "town", "month", "months_expected", "months_disclosed", "disclosure_rate"]
        )
    out = (
        cal.assign(counted=cal["expected"] & cal["disclosed"])
        .groupby(["town_code", "town", "month"], as_index=False)
        .agg(months_expected=("expected", "sum"), months_disclosed=("counted", "sum"))
    )
    out["disclosure_rate"] = _rate(out["months_disclosed"], out["months_expected"])
    return out


@scoped_read
def town_months(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Disclosure rate per town and month (the county's heat strip)."""
    return _town_months_of(calendar(engine, scope, period))


@scoped_read
def overview(engine: Engine, scope: ClampedScope, period: Period) -> dict:
    """Everything the page shows for one period from a single calendar: the same values as
    ``summary``, ``calendar``, ``trend``, ``by_compound``, ``by_town`` and ``town_months``."""
    cal = calendar(engine, scope, period)
    per_compound = _by_compound_of(cal, _latest_months(engine, scope, period))
    return {
        "summary": _summary_of(cal, disclosure_totals(engine, scope, period)),
        "calendar": cal,
        "trend": trend(engine, scope, period),
        "by_compound": per_compound,
        "by_town": _by_town_of(per_compound),
        "town_months": _town_months_of(cal),
    }
