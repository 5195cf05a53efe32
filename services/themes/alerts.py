"""预警: compounds needing a decision, as of the end of the period.

Rules (thresholds are administrator settings, see services.settings_store):
- not_reporting: expected but missing for the last N consecutive months or more (N =
  alert_months_not_reporting); the value is the whole run, counted back to the last report;
- dispute_spike: disputes received in the last month ≥ factor × the compound's own monthly average
  over the 12 months before, and at least 3 (so 0 → 1 is not a spike);
- case_overdue: cases still open (not closed, not transferred) received more than D days before the
  end of the period (D = alert_case_open_days);
- vote_not_implemented: votes passing the local rule and not carried out by the end of the period,
  held at least V days before it (V = alert_vote_not_implemented_days) — ``conditions.vote_flagged_at``, the
  rule the 民主议事 page flags with;
- branch_idle: a branch founded before the last quarter with no activity in its three months;
- disclosure_missing: a compound that disclosed in the 12 months before but in none of the last 2.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select

from services import reporting, settings_store
from services.access import ClampedScope, scoped_read
from services.domain import Period, Scope, add_months
from services.metrics import _scoped, compound_figures
from services.models import CaseRecord, Compound, Town, VoteRecord
from services.themes.conditions import vote_flagged_at

KINDS = ("not_reporting", "dispute_spike", "case_overdue", "vote_not_implemented", "branch_idle", "disclosure_missing")
MIN_SPIKE = 3


def thresholds(engine: Engine) -> dict[str, int]:
    keys = (
        "alert_months_not_reporting",
        "alert_dispute_spike_factor",
        "alert_case_open_days",
        "alert_vote_not_implemented_days",
    )
    return {key: settings_store.get_int(engine, key) for key in keys}


def _registry(engine: Engine, scope: Scope) -> pd.DataFrame:
    stmt = _scoped(
        select(
            Compound.id.label("compound_id"),
            Compound.code,
            Compound.name,
            Town.name.label("town"),
            Compound.branch_founded,
        ).join(Town, Town.code == Compound.town_code),
        scope,
    )
    with engine.connect() as conn:
        return pd.DataFrame(
            [tuple(row) for row in conn.execute(stmt)],
            columns=["compound_id", "code", "name", "town", "branch_founded"],
        )


def _rolled_up(engine: Engine, scope: Scope, period: Period, figure: str) -> dict[int, int]:
    """{compound_id: ``figure`` summed over the period's months} from the compound × month rollup
    (the ledgers' counts by the headline rules), compounds with a non-zero sum only."""
    with engine.connect() as conn:
        return {cid: int(n) for cid, n in conn.execute(compound_figures(scope, period, (figure,))) if n}


def _count_by_compound(engine: Engine, scope: Scope, model, *conditions) -> dict[int, int]:
    """{compound_id: number of current rows of ``model`` meeting ``conditions``} within ``scope``.

    The rows are picked first (a materialised CTE, so the database reads them through the index
    that fits the conditions), then grouped: grouped straight away, SQLite walked every row of
    the ledger in compound order."""
    picked = select(model.compound_id).where(model.is_current.is_(True), *conditions).cte("picked")
    picked = picked.prefix_with("MATERIALIZED")
    stmt = select(picked.c.compound_id, func.count()).group_by(picked.c.compound_id)
    stmt = _scoped(stmt, scope, picked.c.compound_id)
    with engine.connect() as conn:
        return {compound_id: count for compound_id, count in conn.execute(stmt)}


@scoped_read
def alerts(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """One row per (compound, alert kind) with the figures behind it; newest problems first."""
    limits = thresholds(engine)
    end = period.end
    end_day = period.last_day
    registry = _registry(engine, scope)
    rows: list[dict] = []

    def add(compound_id: int, kind: str, value, detail: dict) -> None:
        rows.append({"compound_id": compound_id, "kind": kind, "value": value, **detail})

    n = limits["alert_months_not_reporting"]
    for compound_id, months in reporting.missing_runs(engine, scope, end, at_least=n).items():
        add(compound_id, "not_reporting", months, {"threshold": n})

    r = CaseRecord
    last_month = _rolled_up(engine, scope, Period(end, end), "disputes_received")
    history = _rolled_up(engine, scope, Period(add_months(end, -12), add_months(end, -1)), "disputes_received")
    factor = limits["alert_dispute_spike_factor"]
    for compound_id, count in last_month.items():
        average = history.get(compound_id, 0) / 12
        if count >= MIN_SPIKE and count >= factor * max(average, 1 / 12):
            add(compound_id, "dispute_spike", count, {"threshold": round(average, 2)})

    open_before = end_day - dt.timedelta(days=limits["alert_case_open_days"])
    overdue = _count_by_compound(
        engine, scope, r, r.closed_date.is_(None), r.status != "已转办", r.received_date <= open_before
    )
    for compound_id, count in overdue.items():
        add(compound_id, "case_overdue", count, {"threshold": limits["alert_case_open_days"]})

    # the votes page's own rule (pending at the period's end, flagged after N days), so both agree
    stale_votes = _count_by_compound(
        engine, scope, VoteRecord, vote_flagged_at(end_day, limits["alert_vote_not_implemented_days"])
    )
    for compound_id, count in stale_votes.items():
        add(compound_id, "vote_not_implemented", count, {"threshold": limits["alert_vote_not_implemented_days"]})

    quarter = Period(add_months(end, -2), end)
    active = _rolled_up(engine, scope, quarter, "activities")
    for row in registry.itertuples():
        if row.branch_founded and row.branch_founded < quarter.first_day and not active.get(row.compound_id):
            add(row.compound_id, "branch_idle", 0, {"threshold": 3})

    recent = _rolled_up(engine, scope, Period(add_months(end, -1), end), "disclosures")
    earlier = _rolled_up(engine, scope, Period(add_months(end, -13), add_months(end, -2)), "disclosures")
    for compound_id in earlier:
        if not recent.get(compound_id):
            add(compound_id, "disclosure_missing", 0, {"threshold": 2})

    frame = pd.DataFrame(rows, columns=["compound_id", "kind", "value", "threshold"])
    frame = frame.merge(registry[["compound_id", "code", "name", "town"]], on="compound_id", how="inner")
    frame["kind_order"] = frame["kind"].map(KINDS.index)
    return frame.sort_values(["kind_order", "value", "code"], ascending=[True, False, True]).drop(columns="kind_order")


# kinds whose value counts things (cases, votes, disputes) or months; the others are flags (value 0)
ITEMS_SUMMED = ("dispute_spike", "case_overdue", "vote_not_implemented")


def alert_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Compounds flagged, per kind."""
    return {kind: int((frame["kind"] == kind).sum()) for kind in KINDS}


def alert_items(frame: pd.DataFrame) -> dict[str, int]:
    """What the flagged compounds hold in all: cases, votes and disputes summed; for missing reports
    the longest run of months."""
    out = {kind: int(frame.loc[frame["kind"] == kind, "value"].sum()) for kind in ITEMS_SUMMED}
    runs = frame.loc[frame["kind"] == "not_reporting", "value"]
    out["not_reporting"] = int(runs.max()) if not runs.empty else 0
    return out
