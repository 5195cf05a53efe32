"""The governance index reads the compound × month rollup: its components equal the same rules
applied to the ledger rows themselves, on both databases, on the hand-made fixture county and
through imports, a replacement of a returned month and a correction of an approved one.

``ledger_components`` below is the index's former reading of the ledgers, kept here as the
reference: it must not be changed to follow ``component_scores``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import case, func, or_, select, update

from services import month_reports, reporting, rollups
from services.access import ClampedScope
from services.db import make_engine, write_transaction
from services.domain import Period, add_months
from services.index_weights import COMPONENTS
from services.ingest import import_month
from services.ledgers import ACTIVITIES, CASES, DISCLOSURES, FACILITIES, VOTES
from services.models import CaseRecord, Compound, Disclosure, FacilityRecord, VoteRecord
from services.schema import init_db
from services.themes import governance_index as gi
from tests import fixture_county as fx
from tests.ingest import helpers as ih
from tests.scoped import scoped
from tests.themes import fixture as parts

DEADLINE_DAY = 5
FROM_ROLLUP = ["response", "democracy", "facilities", "timeliness", "disclosure"]


def _in_scope(stmt, scope: ClampedScope, compound_col=None):
    if compound_col is not None:
        stmt = stmt.join(Compound, Compound.id == compound_col)
    stmt = stmt.where(Compound.active.is_(True))
    if scope.town_code:
        stmt = stmt.where(Compound.town_code == scope.town_code)
    if scope.compound_id is not None:
        stmt = stmt.where(Compound.id == scope.compound_id)
    return stmt


def _frame(engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all())


def ledger_components(engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    """Per active compound in scope (index compound_id): the five components straight from the
    ledgers' live rows and the scope's own reporting calendar."""
    with engine.connect() as conn:
        ids = list(conn.execute(_in_scope(select(Compound.id), scope).order_by(Compound.id)).scalars())
    out = pd.DataFrame(index=pd.Index(ids, name="compound_id"))

    r = CaseRecord
    answered = or_(r.first_response_date.is_not(None), r.closed_date.is_not(None))
    cases = _frame(
        engine,
        _in_scope(
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
    if cases.empty:
        out["response"] = float("nan")
    else:
        out["response"] = ((cases["answered"] + cases["closed"]) * 50 / cases["n"]).set_axis(cases["compound_id"])

    year = Period(add_months(period.end, -11), period.end)
    v = VoteRecord
    votes = _frame(
        engine,
        _in_scope(
            select(v.compound_id, func.avg(v.participating_households * 100.0 / v.total_households).label("democracy"))
            .where(v.is_current.is_(True), v.vote_month.between(year.start, year.end))
            .group_by(v.compound_id),
            scope,
            v.compound_id,
        ),
    )
    out["democracy"] = votes.set_index("compound_id")["democracy"].astype(float) if not votes.empty else float("nan")

    f = FacilityRecord
    works = _frame(
        engine,
        _in_scope(
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
    out["facilities"] = works.set_index("compound_id")["facilities"] if not works.empty else 0
    out["facilities"] = out["facilities"].fillna(0).astype(float)

    cal = reporting.calendar(engine, scope, period, deadline_day=DEADLINE_DAY)
    expected = cal[cal["status"] != "not_expected"]
    d = Disclosure
    disclosed = _frame(
        engine,
        _in_scope(
            select(d.compound_id, d.month).where(d.is_current.is_(True), d.month.between(period.start, period.end)),
            scope,
            d.compound_id,
        ),
    )
    pairs = set(zip(disclosed.get("compound_id", []), disclosed.get("month", []), strict=True))
    flags = expected.assign(
        on_time=expected["status"] == "on_time",
        disclosed=[p in pairs for p in zip(expected["compound_id"], expected["month"], strict=True)],
    )
    shares = flags.groupby("compound_id")[["on_time", "disclosed"]].mean() * 100
    out["timeliness"] = shares["on_time"].astype(float)
    out["disclosure"] = shares["disclosed"].astype(float)
    return out[FROM_ROLLUP]


def from_rollup(engine, scope: ClampedScope, period: Period) -> pd.DataFrame:
    scores = gi.component_scores(engine, scope, period, deadline_day=DEADLINE_DAY)
    assert list(scores.columns) == ["compound_id", "code", "name", "town_code", "town", "households", *COMPONENTS]
    return scores.set_index("compound_id").sort_index()[FROM_ROLLUP]


def assert_same_as_ledgers(engine, scopes, periods) -> None:
    for scope in scopes:
        for period in periods:
            # equal, NaN where the ledgers give none; democracy sums ratios per month first, so its
            # last bits may differ from an average over the rows
            pd.testing.assert_frame_equal(
                from_rollup(engine, scope, period),
                ledger_components(engine, scope, period),
                check_exact=False,
                rtol=1e-12,
                atol=0,
                obj=f"components of {scope} in {period}",
            )


HAND_PERIODS = [
    Period("2025-01", "2025-02"),
    Period("2025-01", "2025-01"),
    Period("2025-02", "2025-02"),
    Period("2024-11", "2024-12"),  # the previous period compound_index compares with
    Period("2025-12", "2025-12"),  # a year window that still holds January and February
    Period("2026-01", "2026-03"),  # one that no longer does: only projects under way remain
]


@pytest.mark.parametrize("part", ["estate", "casework"])
def test_the_hand_made_county_gives_the_ledgers_components(engine, part):
    fx.load(engine)
    {"estate": parts.load_estate, "casework": parts.load_casework}[part](engine)
    compound = 4 if part == "estate" else 6
    scopes = [scoped(), scoped(fx.HONGCHUAN), scoped(fx.ZHIGE), scoped(compound_id=3), scoped(compound_id=compound)]
    assert_same_as_ledgers(engine, scopes, HAND_PERIODS)
    # the comparison is not vacuous: every component has values, and absences, somewhere
    both = ledger_components(engine, scoped(), Period("2025-01", "2025-02"))
    assert both.notna().any().all() and (both.isna() | (both == 0)).any().all()


IMPORT_PERIODS = [
    Period("2025-03", "2025-03"),
    Period("2025-02", "2025-03"),
    Period("2025-02", "2025-02"),
    Period("2026-02", "2026-02"),  # the year to February 2026 holds March 2025 only
]


def _files(tables: dict[str, list[list]]) -> list[tuple[str, bytes]]:
    return [(f"{name}.csv", ih.csv_bytes(table)) for name, table in tables.items()]


def _march(county, who, tables, *, replace=False):
    return import_month(
        county.engine,
        principal=who,
        files=_files(tables),
        month="2025-03",
        replace=replace,
        submit=True,
        deadline_day=DEADLINE_DAY,
        now=ih.NOW,
    )


def test_imports_a_returned_months_replacement_and_a_correction_give_the_ledgers_components(engine):
    county = ih.load_county(engine)
    a, b = county.ids[ih.A], county.ids[ih.B]
    with write_transaction(engine) as conn:  # every compound expected to report from 2020
        conn.execute(update(Compound).values(branch_founded=dt.date(2020, 1, 1)))
    scopes = [scoped(), scoped(ih.HONGCHUAN), scoped(compound_id=a)]
    import_month(
        engine,
        principal=county.secretary_a,
        files=ih.february_files(),
        month="2025-02",
        submit=True,
        deadline_day=DEADLINE_DAY,
        now=ih.NOW,  # February submitted in April: late
    )
    _march(county, county.secretary_a, ih.march_tables())  # on time
    _march(county, county.secretary_b, {ACTIVITIES.name: ih.rows_for(ACTIVITIES, [ih.activity(小区编码=ih.B)])})
    assert_same_as_ledgers(engine, scopes, IMPORT_PERIODS)
    before = ledger_components(engine, scoped(), Period("2025-02", "2025-03"))

    # the town returns A's March; A replaces it: February's C-1 is closed in March, C-3 gives way to
    # an unanswered C-5, February's project P-0 is completed and fewer owners took part in V-1
    month_reports.return_report(engine, county.town, a, "2025-03", "案件与签到表不符", now=ih.NOW)
    tables = ih.march_tables()
    closing = ih.case(案件编号="C-1", 受理日期="2025-02-10", 首次回应日期="2025-02-11", 办结日期="2025-03-06")
    fresh = ih.case(案件编号="C-5", 受理日期="2025-03-20", 首次回应日期="", 办结日期="", 状态="处理中", 满意度="")
    tables[CASES.name] = ih.rows_for(CASES, [closing, ih.case2(), fresh])
    completed = ih.facility(
        项目编号="P-0", 项目名称="门禁改造", 项目类别="门禁", 数量="4", 单位="套", 开工日期="2025-02-03"
    )
    completed.update(状态="完工", 完工日期="2025-03-15")
    tables[FACILITIES.name] = ih.rows_for(FACILITIES, [completed, ih.facility()])
    tables[VOTES.name] = ih.rows_for(
        VOTES, [ih.vote(参与户数="120", 同意户数="100", 参与面积="12000", 同意面积="10000")]
    )
    assert _march(county, county.secretary_a, tables, replace=True).status == "replaced"
    assert_same_as_ledgers(engine, scopes, IMPORT_PERIODS)
    after = ledger_components(engine, scoped(), Period("2025-02", "2025-03"))
    for component in ("response", "democracy", "facilities"):
        assert after.loc[a, component] != before.loc[a, component], component

    # B's March is approved, then corrected (a disclosure added) after the town agrees
    month_reports.approve(engine, county.town, b, "2025-03", now=ih.NOW)
    request = month_reports.request_correction(engine, county.secretary_b, b, "2025-03", "漏报财务公开", now=ih.NOW)
    month_reports.decide_correction(engine, county.town, request, approve=True, now=ih.NOW)
    corrected = {
        ACTIVITIES.name: ih.rows_for(ACTIVITIES, [ih.activity(小区编码=ih.B)]),
        DISCLOSURES.name: ih.rows_for(DISCLOSURES, [ih.disclosure(小区编码=ih.B)]),
    }
    _march(county, county.secretary_b, corrected, replace=True)
    assert_same_as_ledgers(engine, [*scopes, scoped(compound_id=b)], IMPORT_PERIODS)
    march = ledger_components(engine, scoped(), Period("2025-03", "2025-03"))
    assert (after.loc[b, "disclosure"], march.loc[b, "disclosure"]) == (0, 100)


def test_a_vote_without_a_participation_ratio_is_left_out_alike(sqlite_url):
    """On SQLite a vote of 0 households has no ratio (x / 0 is NULL): both readings skip it, and a
    compound with only such votes has no democracy score (PostgreSQL refuses the division in both)."""
    engine = make_engine(sqlite_url)
    init_db(engine)
    fx.load(engine)
    with write_transaction(engine) as conn:
        zero = dict(total_households=0, participating_households=0, agree_households=0)
        conn.execute(update(VoteRecord).where(VoteRecord.compound_id == 3).values(**zero))
    rollups.rebuild(engine)
    assert_same_as_ledgers(engine, [scoped()], [Period("2025-01", "2025-02")])
    assert pd.isna(from_rollup(engine, scoped(), Period("2025-01", "2025-02")).loc[3, "democracy"])
    engine.dispose()
