"""Rows on top of tests/fixture_county.py for the theme views, in two parts that are never loaded together
(each view's tests work out every figure from the base county and one part):

``load_casework`` (组织覆盖, 活动与走访, 诉求与纠纷): two compounds, visits by group, varied case categories,
ratings and open cases of known ages.

- 丁小区 (id 6, 511423101003, 止戈镇, 400 households): branch founded 2019-06-01 (before the curve
  starts), no other body (volunteers unknown).
- 戊小区 (id 5, 洪川镇): inactive, so its branch, activity and case never count.
- Activities: A 02-03 visits (9 households: 2 Party members, 4 residents, 2 disabled, 1 bereaved;
  12 participants, 6 volunteer hours); C 01-22 visits (5: 1, 3, 1, 0; 10 participants);
  A 2024-01-20 visits (20 households) for the month-of-year profile; 戊's 500-person show.
- Cases (all current rows):
  A-4 诉求 物业服务 received 02-21, answered 02-26, in progress (7 days old on 02-28);
  A-5 诉求 环境卫生 received 01-29, answered 02-05, closed 03-05, 满意 (30 days old on 02-28);
  A-6 诉求 设施维修 received 02-12, answered and closed 02-12/02-20, 基本满意;
  C-3 纠纷 噪音 received 2024-10-01, never closed (150 days old on 02-28);
  C-4 纠纷 噪音 received 01-05, answered 01-09, closed 01-25, 不满意;
  C-5 纠纷 停车 received 2024-11-30, answered 12-02, in progress (90 days old on 02-28);
  E-1 at the inactive 戊小区.

``load_estate`` (设施改造, 民主议事, 财务公开, 物业与包保; ids from 100 up):

- 丁小区 (id 4, 511423101002, 止戈镇): 50 households, managed by 甲物业 (so that company spans two
  towns), liaison unit 县民政局 (so that unit has two compounds), no branch (never expected to report).
  Both parts' fourth compound is called 丁小区 because the tests of each name it; they are two compounds.
- facility projects: A's 门禁 2 套 (Jan, no source, no investment) and 门禁 3 套 (Feb, 15,000, 物业公司),
  A's 绿化 500 平方米 finished in 2024, B's 门禁 started 2024-06-01 and still 在建, C's 健身设施 在建 since
  2025-01-10, and a planned project of C;
- votes V4 (near miss under both rules), V5 (near miss under art. 278 only), V6 (2024, passed,
  never carried out), V7 (passed in January, 100% participation, carried out 02-10);
- disclosures of B (February, and January before its branch existed) and of C (January; plus a
  superseded version);
- property-service cases K1-K9, and activities whose organisers include 包保单位.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine

from services.domain import month_of, vote_outcome
from services.models import Activity, CaseRecord, Compound, Disclosure, FacilityRecord, Submission, VoteRecord
from tests.fixture_county import HONGCHUAN, ZHIGE, insert

D = dt.date
VISIT_GROUPS = ("visited_hardship_party", "visited_hardship_residents", "visited_disabled", "visited_bereaved")


def _compound(cid, code, name, town, households, **kw):
    row = dict(id=cid, code=code, name=name, town_code=town, households=households, lat=29.91, lon=103.38)
    return {**row, "compound_type": "住宅", "active": True, **kw}


def _activity(aid, sid, cid, day, kind, participants, *, visited=None, groups=(None,) * 4, hours=None, **flags):
    """``groups``: households visited that were hardship Party members, hardship residents, disabled, bereaved;
    ``flags``: ``organisers``, ``current``."""
    row = dict(id=aid, submission_id=sid, compound_id=cid, month=month_of(day), is_current=flags.pop("current", True))
    row.update(activity_date=day, activity_type=kind, name=f"活动{aid}", organisers=flags.pop("organisers", None))
    assert not flags, flags
    row.update(zip(VISIT_GROUPS, groups, strict=True))
    hours = None if hours is None else Decimal(hours)
    return {**row, "participants": participants, "visited_households": visited, "volunteer_hours": hours}


def _case(rid, sid, cid, no, kind, category, received, *, responded=None, closed=None, status="处理中", **flags):
    """``flags``: ``satisfaction``, ``month`` (by default that of closing, else of receiving), ``current``."""
    month, current = flags.pop("month", None) or month_of(closed or received), flags.pop("current", True)
    row = dict(id=rid, submission_id=sid, compound_id=cid, month=month, is_current=current, case_no=no, kind=kind)
    row.update(category=category, status=status, satisfaction=flags.pop("satisfaction", None), received_date=received)
    assert not flags, flags
    row.update(received_month=month_of(received), first_response_date=responded, closed_date=closed)
    row.update(closed_month=closed and month_of(closed), days_to_close=closed and (closed - received).days)
    return {**row, "days_to_first_response": responded and (responded - received).days}


def _property_case(rid, sid, cid, no, kind, received, status, **kw):
    return _case(rid, sid, cid, no, kind, "物业服务", received, status=status, **kw)


CASEWORK_COMPOUNDS = [
    _compound(6, "511423101003", "丁小区", ZHIGE, 400, branch_founded=D(2019, 6, 1)),
    _compound(
        5,
        "511423112003",
        "戊小区",
        HONGCHUAN,
        50,
        lat=29.92,
        lon=103.39,
        active=False,
        branch_founded=D(2020, 3, 1),
        property_company="戊物业",
        owners_committee_founded=D(2020, 5, 1),
        womens_federation_founded=D(2020, 6, 1),
        volunteers=3,
        liaison_unit="县住建局",
    ),
]

CASEWORK_SUBMISSIONS = [
    dict(id=6, compound_id=5, month="2025-01", submitted_at=dt.datetime(2025, 2, 2, 9)),
    dict(id=7, compound_id=1, month="2024-01", submitted_at=dt.datetime(2024, 2, 2, 9)),
    dict(id=8, compound_id=1, month="2025-03", submitted_at=dt.datetime(2025, 4, 2, 9)),
]

CASEWORK_ACTIVITIES = [
    _activity(6, 2, 1, D(2025, 2, 3), "走访慰问", 12, visited=9, groups=(2, 4, 2, 1), hours="6"),
    _activity(7, 5, 3, D(2025, 1, 22), "走访慰问", 10, visited=5, groups=(1, 3, 1, 0)),
    _activity(8, 6, 5, D(2025, 1, 15), "文化活动", 500),
    _activity(9, 7, 1, D(2024, 1, 20), "走访慰问", 30, visited=20, groups=(5, 10, 3, 2)),
]

CASEWORK_CASES = [
    _case(7, 5, 3, "C-3", "纠纷", "噪音", D(2024, 10, 1), status="已受理", month="2025-01"),
    _case(8, 2, 1, "A-4", "诉求", "物业服务", D(2025, 2, 21), responded=D(2025, 2, 26), month="2025-02"),
    _case(
        9,
        8,
        1,
        "A-5",
        "诉求",
        "环境卫生",
        D(2025, 1, 29),
        responded=D(2025, 2, 5),
        closed=D(2025, 3, 5),
        status="已办结",
        satisfaction="满意",
        month="2025-03",
    ),
    _case(
        10,
        2,
        1,
        "A-6",
        "诉求",
        "设施维修",
        D(2025, 2, 12),
        responded=D(2025, 2, 12),
        closed=D(2025, 2, 20),
        status="已办结",
        satisfaction="基本满意",
        month="2025-02",
    ),
    _case(
        11,
        5,
        3,
        "C-4",
        "纠纷",
        "噪音",
        D(2025, 1, 5),
        responded=D(2025, 1, 9),
        closed=D(2025, 1, 25),
        status="已办结",
        satisfaction="不满意",
        month="2025-01",
    ),
    _case(12, 5, 3, "C-5", "纠纷", "停车", D(2024, 11, 30), responded=D(2024, 12, 2), month="2025-01"),
    _case(13, 6, 5, "E-1", "纠纷", "噪音", D(2025, 1, 10), month="2025-01"),
]


def load_casework(engine: Engine) -> None:
    tables = [(Compound, CASEWORK_COMPOUNDS), (Submission, CASEWORK_SUBMISSIONS), (Activity, CASEWORK_ACTIVITIES)]
    insert(engine, [*tables, (CaseRecord, CASEWORK_CASES)])


ESTATE_COMPOUNDS = [
    _compound(4, "511423101002", "丁小区", ZHIGE, 50, property_company="甲物业", liaison_unit="县民政局", volunteers=0),
]


def _project(
    pid,
    sid,
    cid,
    no,
    category,
    quantity,
    unit,
    status,
    *,
    started=None,
    completed=None,
    yuan=None,
    source=None,
    month="2025-02",
    current=True,
):
    return dict(
        id=pid,
        submission_id=sid,
        compound_id=cid,
        month=month,
        is_current=current,
        project_no=no,
        name=f"项目{no}",
        category=category,
        quantity=Decimal(quantity),
        unit=unit,
        status=status,
        started_date=started,
        completed_date=completed,
        completed_month=completed and month_of(completed),
        investment_yuan=None if yuan is None else Decimal(yuan),
        funding_source=source,
    )


ESTATE_FACILITIES = [
    _project(
        101, 1, 1, "P3", "门禁", 2, "套", "完工", started=D(2025, 1, 5), completed=D(2025, 1, 15), month="2025-01"
    ),
    _project(
        102,
        2,
        1,
        "P2",
        "门禁",
        3,
        "套",
        "完工",
        started=D(2025, 2, 1),
        completed=D(2025, 2, 10),
        yuan=15000,
        source="物业公司",
    ),
    _project(
        103,
        1,
        1,
        "P0",
        "绿化",
        500,
        "平方米",
        "完工",
        started=D(2024, 4, 1),
        completed=D(2024, 5, 20),
        yuan=50000,
        source="政府",
        month="2025-01",
    ),
    _project(104, 3, 2, "Q1", "门禁", 1, "套", "在建", started=D(2024, 6, 1), yuan=12000),
    _project(
        105, 5, 3, "C7", "健身设施", 4, "套", "在建", started=D(2025, 1, 10), yuan=20000, source="政府", month="2025-01"
    ),
    _project(106, 5, 3, "C8", "照明", 10, "个", "计划", month="2025-01"),
]


def _vote(
    vid,
    sid,
    cid,
    no,
    day,
    matter,
    total,
    part,
    agree,
    areas=(None, None, None),
    *,
    implementation=None,
    implemented=None,
):
    ta, pa, aa = (None if x is None else Decimal(x) for x in areas)
    outcome = vote_outcome(
        matter=matter,
        total_households=total,
        participating_households=part,
        agree_households=agree,
        total_area=ta,
        participating_area=pa,
        agree_area=aa,
    )
    return dict(
        id=vid,
        submission_id=sid,
        compound_id=cid,
        month=month_of(day),
        is_current=True,
        vote_no=no,
        vote_date=day,
        vote_month=month_of(day),
        topic=f"议题{no}",
        matter=matter,
        total_households=total,
        participating_households=part,
        agree_households=agree,
        total_area=ta,
        participating_area=pa,
        agree_area=aa,
        local_threshold=Decimal("0.70"),
        passes_local=outcome.passes_local,
        passes_statutory=outcome.passes_statutory,
        implementation=implementation,
        implemented_date=implemented,
    )


ESTATE_VOTES = [
    # V4: 132/200 = 66% agree (local 70%: short by 4 points); 140/200 = 70% take part but only 13,000 of
    #     20,000 m² = 65% of the area (2/3 needed: short by 1.7 points) → near miss under both rules
    _vote(104, 2, 1, "V4", D(2025, 2, 15), "一般事项", 200, 140, 132, (20000, 13000, 12000)),
    # V5: 重大事项; 160/300 = 53.3% agree (local: far off); 210/300 = 70% and 21,000/30,000 = 70% take part;
    #     consent 160/210 = 76.2% of owners but 15,000/21,000 = 71.4% of area (3/4 needed: short by 3.6
    #     points) → fails art. 278 by a near miss only
    _vote(105, 5, 3, "V5", D(2025, 2, 20), "重大事项", 300, 210, 160, (30000, 21000, 15000)),
    # V6: held in 2024, 180/200 = 90% → passed; never carried out
    _vote(106, 1, 1, "V6", D(2024, 10, 10), "一般事项", 200, 190, 180, implementation="未落实"),
    # V7: everyone takes part (200/200), 160 agree (80%) → passed; carried out on 2025-02-10
    _vote(
        107, 1, 1, "V7", D(2025, 1, 20), "一般事项", 200, 200, 160, implementation="已落实", implemented=D(2025, 2, 10)
    ),
]

ESTATE_DISCLOSURES = [
    dict(
        id=101,
        submission_id=3,
        compound_id=2,
        month="2025-02",
        is_current=True,
        income_yuan=Decimal("800"),
        spending_yuan=Decimal("1200.40"),
        channel="公示栏",
    ),
    # B's January, before its branch existed (2025-02-01): shown, but not expected
    dict(
        id=102,
        submission_id=3,
        compound_id=2,
        month="2025-01",
        is_current=True,
        income_yuan=Decimal("100"),
        spending_yuan=Decimal("50"),
        channel="公示栏",
    ),
    dict(
        id=103,
        submission_id=5,
        compound_id=3,
        month="2025-01",
        is_current=True,
        income_yuan=Decimal("2000"),
        spending_yuan=Decimal("1500"),
        channel="微信群",
    ),
    dict(
        id=104,
        submission_id=4,
        compound_id=3,
        month="2025-01",
        is_current=False,
        income_yuan=Decimal("9999"),
        spending_yuan=Decimal("9999"),
        channel="微信群",
    ),  # superseded version
]

ESTATE_CASES = [
    _property_case(101, 1, 1, "K1", "诉求", D(2025, 1, 8), "已办结", closed=D(2025, 1, 20), satisfaction="满意"),
    _property_case(102, 1, 1, "K2", "纠纷", D(2025, 2, 3), "已受理", current=False),  # older version of K2
    _property_case(103, 2, 1, "K2", "纠纷", D(2025, 2, 3), "处理中"),
    _property_case(104, 2, 1, "K3", "诉求", D(2025, 2, 12), "已办结", closed=D(2025, 2, 14), satisfaction="不满意"),
    _property_case(105, 2, 1, "K4", "诉求", D(2025, 2, 15), "已办结", closed=D(2025, 2, 18), satisfaction="未评价"),
    _property_case(106, 5, 3, "K5", "诉求", D(2025, 1, 5), "已办结", closed=D(2025, 1, 6), satisfaction="基本满意"),
    _property_case(107, 5, 3, "K6", "纠纷", D(2025, 1, 22), "已转办"),
    _property_case(108, 3, 2, "K7", "诉求", D(2025, 2, 2), "已受理"),
    _property_case(109, 1, 1, "K8", "诉求", D(2024, 12, 20), "已办结", closed=D(2025, 1, 3), satisfaction="满意"),
    _property_case(110, 5, 4, "K9", "纠纷", D(2025, 2, 25), "已受理"),
]

ESTATE_ACTIVITIES = [
    _activity(101, 1, 1, D(2025, 1, 15), "环境整治", 30, organisers="党支部、包保单位"),
    _activity(102, 2, 1, D(2025, 2, 20), "环境整治", 12, organisers="包保单位、志愿服务队"),
    _activity(103, 5, 3, D(2025, 2, 5), "环境整治", 10, organisers="党支部"),
    _activity(104, 3, 2, D(2025, 2, 6), "环境整治", 9, organisers="包保单位"),  # B has no liaison unit: not attributed
    _activity(105, 5, 3, D(2025, 1, 28), "环境整治", 20, organisers="包保单位", current=False),  # superseded
]


def load_estate(engine: Engine) -> None:
    tables = [(Compound, ESTATE_COMPOUNDS), (FacilityRecord, ESTATE_FACILITIES), (VoteRecord, ESTATE_VOTES)]
    insert(
        engine, [*tables, (Disclosure, ESTATE_DISCLOSURES), (CaseRecord, ESTATE_CASES), (Activity, ESTATE_ACTIVITIES)]
    )
