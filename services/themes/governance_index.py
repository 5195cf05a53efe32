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
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

import pandas as pd
from sqlalchemy import Engine, case, func, or_, select

from services import reporting, settings_store, supervision
from services.access import ClampedScope, comparison_scope, scoped_read
from services.domain import COUNTY, DEFAULT_DEADLINE_DAY, Period, Scope, add_months
from services.index_weights import COMPONENTS, configured
from services.metrics import _scoped, by_compound
from services.models import CaseRecord, Compound, Disclosure, FacilityRecord, VoteRecord


def weights(engine: Engine) -> dict[str, float]:
    base, _ = configured()
    stored = settings_store.get(engine, "index_weights", fallback={})
    override = stored if isinstance(stored, dict) else {}
    return {c: float(override.get(c, base[c])) for c in COMPONENTS}


def _per_compound(engine: Engine, scope: Scope, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all())


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
    county = by_compound(engine, comparison_scope(COUNTY), period, deadline_day=deadline_day)
    if county.empty:
        return pd.DataFrame()
    # the scope's compounds are rows of the county's (each compound's figures are its own): no second read
    inside = pd.Series(True, index=county.index)
    if scope.town_code is not None:
        inside &= county["town_code"] == scope.town_code
    if scope.compound_id is not None:
        inside &= county["compound_id"] == scope.compound_id
    frame = county[inside].reset_index(drop=True)
    if frame.empty:
        return frame
    frame = frame[["compound_id", "code", "name", "town_code", "town", "households", "activities_per_100_households"]]
    percentile = county.set_index("compound_id")["activities_per_100_households"].rank(pct=True, method="max")
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

    r = CaseRecord
    answered = or_(r.first_response_date.is_not(None), r.closed_date.is_not(None))
    cases = _per_compound(
        engine,
        scope,
        _scoped(
            select(
                r.compound_id,
                func.count().label("n"),
                func.count(case((answered, 1))).label("answered"),
                func.count(case((r.status == "已办结", 1))).label("closed"),
            )
            .where(r.is_current.is_(True), r.received_month.between(period.start, period.end))
            .group_by(r.compound_id),
            scope,
            r.compound_id,
        ),
    )
    if not cases.empty:
        cases["response"] = (cases["answered"] + cases["closed"]) * 50 / cases["n"]
        frame = frame.merge(cases[["compound_id", "response"]], on="compound_id", how="left")
    else:
        frame["response"] = float("nan")

    year = Period(add_months(period.end, -11), period.end)
    v = VoteRecord
    votes = _per_compound(
        engine,
        scope,
        _scoped(
            select(v.compound_id, func.avg(v.participating_households * 100.0 / v.total_households).label("democracy"))
            .where(v.is_current.is_(True), v.vote_month.between(year.start, year.end))
            .group_by(v.compound_id),
            scope,
            v.compound_id,
        ),
    )
    frame = (
        frame.merge(votes, on="compound_id", how="left") if not votes.empty else frame.assign(democracy=float("nan"))
    )

    f = FacilityRecord
    works = _per_compound(
        engine,
        scope,
        _scoped(
            select(
                f.compound_id,
                func.max(
                    case((f.completed_month.between(year.start, year.end), 100), (f.status == "在建", 50), else_=0)
                ).label("facilities"),
            )
            .where(f.is_current.is_(True))
            .group_by(f.compound_id),
            scope,
            f.compound_id,
        ),
    )
    frame = frame.merge(works, on="compound_id", how="left") if not works.empty else frame.assign(facilities=0.0)
    frame["facilities"] = frame["facilities"].fillna(0).astype(float)

    cal = reporting.calendar(engine, scope, period, deadline_day=deadline_day)
    expected = cal[cal["status"] != "not_expected"]
    d = Disclosure
    disclosed = _per_compound(
        engine,
        scope,
        _scoped(
            select(d.compound_id, d.month).where(d.is_current.is_(True), d.month.between(period.start, period.end)),
            scope,
            d.compound_id,
        ),
    )
    disclosed_pairs = set(zip(disclosed.get("compound_id", []), disclosed.get("month", []), strict=True))
    pairs = zip(expected["compound_id"], expected["month"], strict=True)
    expected = expected.assign(on_time=expected["status"] == "on_time", disclosed=[p in disclosed_pairs for p in pairs])
    shares = expected.groupby("compound_id")[["on_time", "disclosed"]].mean() * 100
    frame = frame.merge(
        shares.rename(columns={"on_time": "timeliness", "disclosed": "disclosure"}),
        left_on="compound_id",
        right_index=True,
        how="left",
    )
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
