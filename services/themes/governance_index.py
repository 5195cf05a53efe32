"""治理指数: a transparent composite per compound and town, every component shown.

Components, each scored 0–100 for the period (rules also shown on the page):
- organisation: share of the six bodies present at the end of the period;
- activity: percentile of activities per 100 households among ALL compounds of the county (so a
  town's view stays comparable with the county's);
- response: mean of the response rate and the closure rate of cases received in the period
  (no cases: left out);
- democracy: mean participation (参与户数/业主总户数) of votes in the 12 months to the period end
  (no votes: left out);
- facilities: 100 if a project was completed in those 12 months, 50 if one is under way, else 0;
- timeliness: on-time share of the months the compound was expected to report;
- disclosure: share of expected months with a financial disclosure;
- supervision (optional, weight 0 unless an administrator sets one): 按期办结率 × 100 of the
  supervision orders issued to the compound in the period, as ``services.supervision.figures``
  defines it (closed on time ÷ due, as of ``today``); a compound with no order due yet is left
  out, like a compound without cases, so an order still inside its time costs nothing.
Index = Σ weight × score ÷ Σ weight over the components the compound has.

Cases, votes, completed projects and disclosures are read from the compound × month rollup
(``services.rollups``: the live ledger rows counted by the same rules), the expected, on-time and
disclosed months from the counts ``metrics.by_compound_and_months`` made for the scope's
compounds (``services.reporting.months_by_compound``); only "a project under way" is read from the
facility ledger (the rollup counts completions). Of the county's other compounds only their
activity rate is read (``metrics.activity_rates``), to rank the scope's compounds by.
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

import numpy as np
import pandas as pd
from sqlalchemy import Engine, case, select

from services import settings_store, supervision
from services.access import ClampedScope, comparison_scope, scoped_read
from services.db import frame_of
from services.domain import COUNTY, DEFAULT_DEADLINE_DAY, Period, Scope, add_months
from services.index_weights import COMPONENTS, configured
from services.metrics import _scoped, activity_rates, by_compound_and_months, compound_figures
from services.models import Compound, FacilityRecord


def weights(engine: Engine) -> dict[str, float]:
    base, _ = configured()
    stored = settings_store.get(engine, "index_weights", fallback={})
    override = stored if isinstance(stored, dict) else {}
    return {c: float(override.get(c, base[c])) for c in COMPONENTS}


def _per_compound(engine: Engine, scope: Scope, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        return frame_of(conn.execute(stmt))


def _rollup_sums(engine: Engine, scope: Scope, period: Period, names: tuple[str, ...], ids: pd.Series) -> pd.DataFrame:
    """The rollup figures ``names`` summed over the period, one row per compound of ``ids`` in
    their order (NaN for a compound without a rollup row in the period)."""
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(compound_figures(scope, period, names))]
    summed = pd.DataFrame(rows, columns=["compound_id", *names]).set_index("compound_id")
    return summed.reindex(ids).reset_index(drop=True).apply(pd.to_numeric)


def _under_way(engine: Engine, scope: Scope) -> list[int]:
    """Compounds with a facility project under way (在建) now; the rollup counts completed projects only."""
    f = FacilityRecord
    stmt = _scoped(
        select(f.compound_id).where(f.is_current.is_(True), f.status == "在建").distinct(), scope, f.compound_id
    )
    with engine.connect() as conn:
        return list(conn.execute(stmt).scalars())


def component_scores(
    engine: Engine,
    scope: ClampedScope,
    period: Period,
    *,
    deadline_day: int = DEFAULT_DEADLINE_DAY,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One row per compound in scope: the component scores (0–100, NaN when left out); ``today``
    (Beijing, default now) is the day supervision orders are judged on."""
    # the activity score ranks the scope's compounds among all the county's: only that one rate
    # is read for the whole county, everything else for the scope's compounds alone
    county_rates = activity_rates(engine, comparison_scope(COUNTY), period)
    if county_rates.empty:
        return pd.DataFrame()
    frame, months = by_compound_and_months(engine, scope, period, deadline_day=deadline_day)
    if frame.empty:
        return frame
    frame = frame[["compound_id", "code", "name", "town_code", "town", "households", "activities_per_100_households"]]
    percentile = county_rates.rank(pct=True, method="max")
    frame = frame.assign(activity=frame["compound_id"].map(percentile) * 100)

    c = Compound
    end = period.last_day
    present = (
        c.branch_founded <= end,
        c.property_company.is_not(None),
        c.owners_committee_founded <= end,
        c.womens_federation_founded <= end,
        c.volunteers > 0,
        c.liaison_unit.is_not(None),
    )
    count = reduce(operator.add, (case((condition, 1), else_=0) for condition in present))
    bodies = _per_compound(engine, scope, _scoped(select(c.id.label("compound_id"), count.label("bodies")), scope))
    frame = frame.merge(bodies, on="compound_id", how="left")
    frame["organisation"] = frame["bodies"] * 100 / 6

    # response, democracy, facilities and disclosure from the compound × month rollup (the ledgers'
    # live rows counted by the same rules), not from the ledger rows themselves
    ids = frame["compound_id"]
    cases = _rollup_sums(engine, scope, period, ("cases_received", "cases_responded", "cases_resolved"), ids)
    received = cases["cases_received"].where(cases["cases_received"] > 0)  # no cases: left out
    frame["response"] = (cases["cases_responded"] + cases["cases_resolved"]) * 50 / received

    year = Period(add_months(period.end, -11), period.end)
    in_year = _rollup_sums(
        engine, scope, year, ("vote_participation_sum", "vote_participation_n", "facility_projects_completed"), ids
    )
    voted = in_year["vote_participation_n"].where(in_year["vote_participation_n"] > 0)  # no votes: left out
    frame["democracy"] = in_year["vote_participation_sum"] * 100 / voted
    completed = in_year["facility_projects_completed"].fillna(0) > 0
    frame["facilities"] = np.select([completed, ids.isin(_under_way(engine, scope))], [100.0, 50.0], 0.0)

    # timeliness and disclosure: shares of the months the compound was expected to report (the
    # counts by_compound_and_months took its reporting figures from); none expected: left out
    counted = months.set_index("compound_id").reindex(ids.to_numpy())
    expected = counted["months_expected"].where(counted["months_expected"] > 0)
    frame["timeliness"] = (counted["months_on_time"] / expected * 100).to_numpy()  # as the mean of the months × 100
    frame["disclosure"] = (counted["months_disclosed"] / expected * 100).to_numpy()
    frame["supervision"] = frame["compound_id"].map(_supervision(engine, scope, period, today)).astype(float)
    return frame[["compound_id", "code", "name", "town_code", "town", "households", *COMPONENTS]]


def _supervision(engine: Engine, scope: ClampedScope, period: Period, today: dt.date | None) -> dict[int, float]:
    """{compound_id: 按期办结率 × 100} from the orders' own figures, for compounds with an order due."""
    sign_days = settings_store.get_int(engine, "order_sign_days")
    by = supervision.figures_by(engine, scope, "compound", sign_days=sign_days, period=period, today=today)
    rates = zip(by["compound_id"], by["closed_on_time_rate"], strict=True)
    return {int(compound): rate * 100 for compound, rate in rates if rate is not None and not pd.isna(rate)}


def _combine(scores: pd.DataFrame, w: dict[str, float]) -> pd.Series:
    values = scores[list(COMPONENTS)]
    weight = pd.DataFrame({c: values[c].notna() * w[c] for c in COMPONENTS})
    total = weight.sum(axis=1)
    return (values.fillna(0).mul(pd.Series(w)).sum(axis=1) / total.where(total > 0)).round(1)


@scoped_read
def compound_index(
    engine: Engine,
    scope: ClampedScope,
    period: Period,
    *,
    deadline_day: int = DEFAULT_DEADLINE_DAY,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Index per compound with its components, rank in scope, and change since the previous period."""
    w = weights(engine)
    now = component_scores(engine, scope, period, deadline_day=deadline_day, today=today)
    if now.empty:
        return now
    now["index"] = _combine(now, w)
    before = component_scores(engine, scope, period.previous(), deadline_day=deadline_day, today=today)
    previous = _combine(before, w) if not before.empty else pd.Series(dtype=float)
    now["change"] = now["index"] - now["compound_id"].map(
        dict(zip(before.get("compound_id", []), previous, strict=True))
    )
    now = now.sort_values("index", ascending=False, na_position="last").reset_index(drop=True)
    now.insert(0, "rank", range(1, len(now) + 1))
    return now


def town_index(compounds: pd.DataFrame) -> pd.DataFrame:
    """Per town: the mean of its compounds' index and components (each compound counts once), from
    ``compound_index`` of the county (or of the towns wanted), so the two share one computation."""
    if compounds.empty:
        return compounds
    towns = compounds.groupby(["town_code", "town"], as_index=False)[[*COMPONENTS, "index", "change"]].mean().round(1)
    towns = towns.sort_values("index", ascending=False).reset_index(drop=True)
    towns.insert(0, "rank", range(1, len(towns) + 1))
    return towns


def company_compounds(scores: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """The index of every compound (``scores``: ``compound_index``) with its property company (from
    ``registry``: ``metrics.by_compound``; none: left out), best first; 物业与包保's company league
    links here, so a company is judged by its compounds' governance."""
    if scores.empty:
        return pd.DataFrame(columns=["property_company", "compound_id", "code", "name", "town", "index", "rank"])
    merged = scores.merge(registry[["compound_id", "property_company"]], on="compound_id")
    merged = merged.dropna(subset=["property_company"])
    return merged.sort_values(["property_company", "index"], ascending=[True, False]).reset_index(drop=True)


def company_index(company_compounds: pd.DataFrame) -> pd.DataFrame:
    """Per property company: compounds with an index, their mean, lowest and highest index."""
    grouped = company_compounds.groupby("property_company")["index"]
    out = grouped.agg(index_compounds="count", index_mean="mean", index_min="min", index_max="max").reset_index()
    out["index_mean"] = out["index_mean"].round(1)  # as precise as the index itself
    return out.sort_values("index_mean", ascending=False).reset_index(drop=True)
