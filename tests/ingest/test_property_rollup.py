"""物业与包保 reads its counts from the compound × month rollup (migration 0008). On both
databases, through imports, piecemeal ledgers, replacements, a returned month and a corrected
one, its per-compound figures equal a count over the live ledger rows done here in Python, one
row at a time, by the rules the page states (``services.themes.property``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from alembic import command
from sqlalchemy import inspect, select, update

from services import month_reports, rollups
from services.access import SYSTEM
from services.db import write_transaction
from services.domain import Period
from services.ingest import import_month
from services.ledgers import ACTIVITIES, CASES
from services.models import Activity, CaseRecord, Compound
from services.schema import alembic_config, upgrade
from services.themes import property as property_theme
from tests.ingest.helpers import HONGCHUAN, NOW, A, B, activity, activity2, case, case2, csv_bytes, rows_for
from tests.scoped import scoped

MARCH = "2025-03"
PERIODS = [Period("2025-02", "2025-02"), Period(MARCH, MARCH), Period("2025-01", "2025-04")]
COUNTED = (
    "property_demands",
    "property_disputes",
    "property_cases",
    "property_resolved",
    "property_rated",
    "property_satisfied",
    "cases_received",
    "liaison_activities",
    "liaison_participants",
)


@pytest.fixture
def county(county):
    """A has a property company and a liaison unit; B neither (its 包保单位 activities count for none)."""
    with write_transaction(county.engine) as conn:
        conn.execute(update(Compound).values(branch_founded=dt.date(2020, 1, 1)))
        conn.execute(
            update(Compound).where(Compound.code == A).values(property_company="锦江物业", liaison_unit="县住建局")
        )
    return county


def by_the_rules(engine, period: Period) -> dict[tuple[int, str], int]:
    """{(compound_id, figure): count} from every live ledger row, one row at a time."""
    with engine.connect() as conn:
        units = dict(conn.execute(select(Compound.id, Compound.liaison_unit)).all())
        cases = conn.execute(select(CaseRecord).where(CaseRecord.is_current.is_(True))).all()
        activities = conn.execute(select(Activity).where(Activity.is_current.is_(True))).all()
    out: Counter = Counter()
    for r in cases:
        if not (period.start <= r.received_month <= period.end):
            continue
        out[(r.compound_id, "cases_received")] += 1
        if r.category != "物业服务":
            continue
        out[(r.compound_id, "property_cases")] += 1
        out[(r.compound_id, "property_demands" if r.kind == "诉求" else "property_disputes")] += 1
        if r.status == "已办结":
            out[(r.compound_id, "property_resolved")] += 1
            out[(r.compound_id, "property_rated")] += r.satisfaction in ("满意", "基本满意", "不满意")
            out[(r.compound_id, "property_satisfied")] += r.satisfaction in ("满意", "基本满意")
    for a in activities:
        if period.start <= a.month <= period.end and "包保单位" in (a.organisers or "") and units[a.compound_id]:
            out[(a.compound_id, "liaison_activities")] += 1
            out[(a.compound_id, "liaison_participants")] += a.participants or 0
    return {key: n for key, n in out.items() if n}


def shown(engine, period: Period, scope=None) -> dict[tuple[int, str], int]:
    frame = property_theme.by_compound(engine, scope or scoped(), period)
    return {
        (int(row["compound_id"]), name): int(row[name]) for _, row in frame.iterrows() for name in COUNTED if row[name]
    }


def check(county) -> None:
    engine = county.engine
    assert rollups.differences(engine) == []
    for period in PERIODS:
        expected = by_the_rules(engine, period)
        assert shown(engine, period) == expected, period
        town = shown(engine, period, scoped(town_code=HONGCHUAN))
        assert town == {k: v for k, v in expected.items() if k[0] in (county.ids[A], county.ids[B])}


def _import(county, tables: dict, *, who=None, replace=False, now=NOW):
    files = [(f"{name}.csv", csv_bytes(table)) for name, table in tables.items()]
    return import_month(
        county.engine, principal=who or county.secretary_a, files=files, month=MARCH, replace=replace, now=now
    )


def property_case(**kw) -> dict:
    return case(类别="物业服务", **kw)


def test_the_rollup_follows_imports_replacements_returns_and_corrections(county):
    engine, a = county.engine, county.ids[A]
    liaison = activity(组织方="党支部、包保单位", 参与人数="30")
    # piecemeal: the activities ledger first, the cases ledger later, each on its own
    _import(county, {ACTIVITIES.name: rows_for(ACTIVITIES, [liaison, activity2()])})
    check(county)
    cases = [
        property_case(),
        property_case(案件编号="C-5", 类型="纠纷", 满意度="不满意"),
        property_case(案件编号="C-6", 状态="处理中", 办结日期="", 满意度=""),
        case2(),
    ]
    _import(county, {CASES.name: rows_for(CASES, cases)})
    _import(county, {ACTIVITIES.name: rows_for(ACTIVITIES, [activity(小区编码=B, 组织方="包保单位")])}, who=SYSTEM)
    check(county)
    assert shown(engine, Period(MARCH, MARCH))[(a, "property_cases")] == 3
    assert shown(engine, Period(MARCH, MARCH))[(a, "liaison_participants")] == 30
    assert (county.ids[B], "liaison_activities") not in shown(engine, Period(MARCH, MARCH))  # B has no unit

    # a replacement: C-5 is now a demand, C-6 closed, the liaison activity gone
    replaced = [property_case(), property_case(案件编号="C-5", 满意度="基本满意"), property_case(案件编号="C-6")]
    _import(county, {CASES.name: rows_for(CASES, replaced)}, replace=True)
    _import(county, {ACTIVITIES.name: rows_for(ACTIVITIES, [activity2()])}, replace=True)
    check(county)
    assert (a, "liaison_activities") not in shown(engine, Period(MARCH, MARCH))

    # returned by the town, then the secretary's fixed ledger
    month_reports.submit(engine, county.secretary_a, a, MARCH, deadline_day=5, now=NOW)
    month_reports.return_report(engine, county.town, a, MARCH, "物业纠纷漏报", now=NOW)
    fixed = [*replaced, property_case(案件编号="C-7", 类型="纠纷")]
    _import(county, {CASES.name: rows_for(CASES, fixed)}, replace=True)
    check(county)

    # approved, then corrected through a request the town approves
    month_reports.submit(engine, county.secretary_a, a, MARCH, deadline_day=5, now=NOW)
    month_reports.approve(engine, county.town, a, MARCH, now=NOW)
    request = month_reports.request_correction(engine, county.secretary_a, a, MARCH, "满意度录错", now=NOW)
    month_reports.decide_correction(engine, county.town, request, approve=True, now=NOW)
    _import(county, {CASES.name: rows_for(CASES, [property_case(满意度="不满意")])}, replace=True)
    check(county)
    assert shown(engine, Period(MARCH, MARCH))[(a, "property_cases")] == 1


def test_upgrading_to_0008_fills_the_new_figures_from_the_ledgers(county):
    engine = county.engine
    liaison = activity(组织方="包保单位、党支部")
    _import(county, {ACTIVITIES.name: rows_for(ACTIVITIES, [liaison]), CASES.name: rows_for(CASES, [property_case()])})
    expected = shown(engine, Period(MARCH, MARCH))
    assert expected[(county.ids[A], "property_satisfied")] == 1 and expected[(county.ids[A], "liaison_activities")]
    cfg = alembic_config()
    with write_transaction(engine) as conn:  # back to before migration 0008: the columns go
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    assert "property_cases" not in {c["name"] for c in inspect(engine).get_columns("compound_months")}
    upgrade(engine)
    assert rollups.differences(engine) == []
    assert shown(engine, Period(MARCH, MARCH)) == expected
