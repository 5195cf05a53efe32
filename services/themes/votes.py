"""民主议事: owners' votes under the local signature rule and Civil Code art. 278, side by side.

Counting rules (shown to users under ``formula.vote.*``):

- votes count by their 表决日期 in the period; the pass flags were computed at import by
  ``services.domain.vote_outcome`` (local: 同意户数 ÷ 业主总户数 ≥ the vote's local threshold;
  art. 278: participation ≥ 2/3 of owners and of area, consent > 1/2 or ≥ 3/4 (重大事项) of the
  participating owners and area; unknown without area figures);
- a near miss failed a rule although every ratio it fell short on was within ``NEAR_MISS`` (5
  percentage points) of its threshold;
- a vote passed under the local rule is pending at the end of the period unless it was carried out
  (已落实) by then, whenever it was held; its age is counted from 表决日期 to the period's last day,
  and it is flagged from ``alert_vote_not_implemented_days`` days on.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, Float, and_, case, cast, func, or_, select

from services.access import ClampedScope, scoped_read
from services.domain import (
    DEFAULT_VOTE_ALERT_DAYS,
    STATUTORY_MAJOR_CONSENT,
    STATUTORY_ORDINARY_CONSENT,
    STATUTORY_PARTICIPATION,
    Period,
    Scope,
)
from services.metrics import _scoped, coverage, vote_totals
from services.models import Compound, Town, VoteRecord
from services.themes import tabular
from services.themes.conditions import vote_flagged_at, vote_pending_at

NEAR_MISS = 0.05  # "within 5 points of a threshold"
NOT_RECORDED = "未填"

v = VoteRecord


def _ratio(part, whole):
    return cast(part, Float) / func.nullif(cast(whole, Float), 0)


participation = _ratio(v.participating_households, v.total_households)
local_consent = _ratio(v.agree_households, v.total_households)
area_participation = _ratio(v.participating_area, v.total_area)
household_consent = _ratio(v.agree_households, v.participating_households)
area_consent = _ratio(v.agree_area, v.participating_area)
required_consent = case(
    (v.matter == "重大事项", float(STATUTORY_MAJOR_CONSENT)), else_=float(STATUTORY_ORDINARY_CONSENT)
)

near_miss_local = and_(v.passes_local.is_(False), local_consent >= cast(v.local_threshold, Float) - NEAR_MISS)
near_miss_statutory = and_(
    v.passes_statutory.is_(False),
    participation >= float(STATUTORY_PARTICIPATION) - NEAR_MISS,
    area_participation >= float(STATUTORY_PARTICIPATION) - NEAR_MISS,
    household_consent >= required_consent - NEAR_MISS,
    area_consent >= required_consent - NEAR_MISS,
)


def _held(period: Period):
    return and_(v.is_current.is_(True), v.vote_month >= period.start, v.vote_month <= period.end)


def _counts(period: Period, alert_days: int) -> list:
    """Per-vote conditional counts shared by the summary and the per-compound table."""
    held, day = _held(period), period.last_day
    return [
        func.count(case((held, 1))).label("votes_held"),
        func.count(case((and_(held, v.passes_local.is_(True)), 1))).label("passed_local"),
        func.count(case((and_(held, v.passes_statutory.is_(True)), 1))).label("passed_statutory"),
        func.count(case((and_(held, v.passes_statutory.is_(False)), 1))).label("failed_statutory"),
        func.count(case((and_(held, v.passes_statutory.is_(None)), 1))).label("unknown_statutory"),
        func.count(case((and_(held, v.passes_local.is_(True), v.passes_statutory.is_(False)), 1))).label("local_only"),
        func.count(case((and_(held, v.passes_local.is_(False), v.passes_statutory.is_(True)), 1))).label(
            "statutory_only"
        ),
        func.count(case((and_(held, near_miss_local), 1))).label("near_miss_local"),
        func.count(case((and_(held, near_miss_statutory), 1))).label("near_miss_statutory"),
        func.count(case((and_(held, or_(near_miss_local, near_miss_statutory)), 1))).label("near_misses"),
        func.coalesce(func.sum(case((held, participation))), 0).label("participation_sum"),
        func.count(case((vote_pending_at(day), 1))).label("pending"),
        func.count(case((vote_flagged_at(day, alert_days), 1))).label("pending_flagged"),
    ]


COUNT_KEYS = (
    "votes_held",
    "passed_local",
    "passed_statutory",
    "failed_statutory",
    "unknown_statutory",
    "local_only",
    "statutory_only",
    "near_miss_local",
    "near_miss_statutory",
    "near_misses",
    "pending",
    "pending_flagged",
)


@scoped_read
def summary(engine: Engine, scope: ClampedScope, period: Period, *, alert_days: int = DEFAULT_VOTE_ALERT_DAYS) -> dict:
    """Headline figures (``metrics.vote_totals`` plus statutory failures, near misses and the
    pending backlog at the end of the period)."""
    out: dict = {"compounds": coverage(engine, scope, period.last_day)["compounds"]}
    out.update(vote_totals(engine, scope, period))
    stmt = _scoped(select(*_counts(period, alert_days)).where(v.is_current.is_(True)), scope, v.compound_id)
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().one()
    out.update({k: int(row[k]) for k in COUNT_KEYS})
    out["alert_days"] = alert_days
    return out


@scoped_read
def outcomes(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """The 2×3 table: rows local pass / fail, columns art. 278 pass / fail / unknown, with totals."""
    stmt = _scoped(
        select(v.passes_local, v.passes_statutory, func.count())
        .where(_held(period))
        .group_by(v.passes_local, v.passes_statutory),
        scope,
        v.compound_id,
    )
    table = pd.DataFrame(0, index=["pass", "fail"], columns=["pass", "fail", "unknown"], dtype="int64")
    with engine.connect() as conn:
        for local, statutory, n in conn.execute(stmt):
            column = "unknown" if statutory is None else ("pass" if statutory else "fail")
            table.loc["pass" if local else "fail", column] += int(n)
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum(axis=0)
    return table.rename_axis("local").reset_index()


@scoped_read
def participation_bins(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Votes per ten-point band of participation (参与户数 ÷ 业主总户数); 100% joins 90–100%."""
    band = case(
        (v.participating_households >= v.total_households, 9),
        else_=(v.participating_households * 10) // v.total_households,
    )
    stmt = _scoped(
        select(band.label("band"), func.count().label("votes")).where(_held(period)).group_by(band),
        scope,
        v.compound_id,
    )
    with engine.connect() as conn:
        counts = {int(b): int(n) for b, n in conn.execute(stmt)}
    return pd.DataFrame(
        {
            "band": range(10),
            "band_start": [b / 10 for b in range(10)],
            "band_end": [(b + 1) / 10 for b in range(10)],
            "votes": [counts.get(b, 0) for b in range(10)],
        }
    )


def _listing(scope: Scope, where) -> object:
    return _scoped(
        select(
            Compound.id.label("compound_id"),
            Compound.code,
            Compound.name.label("compound"),
            Compound.town_code,
            Town.name.label("town"),
            v.vote_no,
            v.vote_date,
            v.topic,
            v.matter,
            v.total_households,
            v.participating_households,
            v.agree_households,
            participation.label("participation"),
            local_consent.label("local_consent"),
            cast(v.local_threshold, Float).label("local_threshold"),
            v.passes_local,
            area_participation.label("area_participation"),
            household_consent.label("household_consent"),
            area_consent.label("area_consent"),
            required_consent.label("required_consent"),
            v.passes_statutory,
            case((near_miss_local, True), else_=False).label("near_miss_local"),
            case((near_miss_statutory, True), else_=False).label("near_miss_statutory"),
            v.implementation,
            v.implemented_date,
        )
        .select_from(v)
        .where(where),
        scope,
        v.compound_id,
    ).join(Town, Town.code == Compound.town_code)


VOTE_COLUMNS = [
    "compound_id",
    "code",
    "compound",
    "town_code",
    "town",
    "vote_no",
    "vote_date",
    "topic",
    "matter",
    "total_households",
    "participating_households",
    "agree_households",
    "participation",
    "local_consent",
    "local_threshold",
    "passes_local",
    "area_participation",
    "household_consent",
    "area_consent",
    "required_consent",
    "passes_statutory",
    "near_miss_local",
    "near_miss_statutory",
    "implementation",
    "implemented_date",
]


def _frame(engine: Engine, stmt, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    if frame.empty:
        return pd.DataFrame(columns=columns)
    for col in ("near_miss_local", "near_miss_statutory", "passes_local"):
        if col in frame:
            frame[col] = frame[col].astype(bool)
    if "passes_statutory" in frame:
        flags = [None if pd.isna(x) else bool(x) for x in frame["passes_statutory"]]  # None: cannot tell
        frame["passes_statutory"] = pd.Series(flags, index=frame.index, dtype=object)
    return frame


@scoped_read
def votes(engine: Engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Every vote held in the period with the ratios each rule looks at and both outcomes."""
    frame = _frame(engine, _listing(scope, _held(period)), VOTE_COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(["vote_date", "code", "vote_no"]).reset_index(drop=True)[VOTE_COLUMNS]


PENDING_COLUMNS = [
    "compound_id",
    "code",
    "compound",
    "town_code",
    "town",
    "vote_no",
    "vote_date",
    "topic",
    "matter",
    "implementation",
    "implemented_date",
    "days_pending",
    "flagged",
]


@scoped_read
def pending(
    engine: Engine, scope: ClampedScope, period: Period, *, alert_days: int = DEFAULT_VOTE_ALERT_DAYS
) -> pd.DataFrame:
    """Votes passed (local rule) but not carried out at the end of the period, oldest first."""
    day = period.last_day
    frame = _frame(engine, _listing(scope, vote_pending_at(day)), PENDING_COLUMNS)
    if frame.empty:
        return frame
    frame["days_pending"] = [(day - d).days for d in frame["vote_date"]]
    frame["flagged"] = frame["days_pending"] >= alert_days
    # 已落实 here means carried out only after the period's end: implemented_date shows when
    frame["implementation"] = frame["implementation"].fillna(NOT_RECORDED)
    frame = frame.sort_values(["days_pending", "code", "vote_no"], ascending=[False, True, True])
    return frame[PENDING_COLUMNS].reset_index(drop=True)


@scoped_read
def by_compound(
    engine: Engine, scope: ClampedScope, period: Period, *, alert_days: int = DEFAULT_VOTE_ALERT_DAYS
) -> pd.DataFrame:
    """One row per compound in scope: the summary's counts and its mean participation."""
    counts = _scoped(
        select(v.compound_id, *_counts(period, alert_days)).where(v.is_current.is_(True)).group_by(v.compound_id),
        scope,
        v.compound_id,
    )
    with engine.connect() as conn:
        frame = tabular.per_compound(conn, scope, [counts], counts=COUNT_KEYS, amounts=("participation_sum",))
    if frame.empty:
        return frame
    _mean_participation(frame)
    return frame.sort_values(["town_code", "code"]).reset_index(drop=True)


def _mean_participation(frame: pd.DataFrame) -> None:
    frame["mean_participation"] = frame["participation_sum"] / frame["votes_held"].where(frame["votes_held"] > 0)


@scoped_read
def by_town(
    engine: Engine, scope: ClampedScope, period: Period, *, alert_days: int = DEFAULT_VOTE_ALERT_DAYS
) -> pd.DataFrame:
    """The per-compound counts rolled up per town."""
    per_compound = by_compound(engine, scope, period, alert_days=alert_days)
    if per_compound.empty:
        return per_compound
    towns = per_compound.groupby(["town_code", "town"], as_index=False).agg(
        compounds=("compound_id", "count"), **{col: (col, "sum") for col in (*COUNT_KEYS, "participation_sum")}
    )
    _mean_participation(towns)
    return towns.sort_values("town_code").reset_index(drop=True)
