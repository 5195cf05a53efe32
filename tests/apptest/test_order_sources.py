"""Orders issued from the rows where problems are seen: 预警, 民主议事's votes not carried out and
小区档案 hand the compound, the source and a drafted requirement to 督办's form; a row that already
has an open order names it and offers no second one; only officials see the action; the profile
lists the compound's orders as services read them.

The fixture county has no alert at 2025-02 with the default thresholds; with cases open more than
10 days and votes not carried out after 30 days, 甲小区 (洪川镇) has one overdue case (case
C1) and one vote (V1, 47 days) and 丙小区 (止戈镇) one vote (V3, 41 days)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from services import settings_store, supervision
from services.access import SYSTEM, Principal
from services.db import make_engine
from services.models import User
from tests.apptest.conftest import no_exceptions
from tests.scoped import scoped

MONTH = "2025-02"
JIA, BING = 1, 3  # compound ids of 甲小区 (洪川镇) and 丙小区 (止戈镇)
PICK = "要督办的一行"


@pytest.fixture
def engine(fixture_db):
    engine = make_engine(fixture_db)
    settings_store.set_value(engine, SYSTEM, "alert_case_open_days", 10)
    settings_store.set_value(engine, SYSTEM, "alert_vote_not_implemented_days", 30)
    yield engine
    engine.dispose()


def principal(engine, username: str) -> Principal:
    columns = (User.id, User.username, User.role, User.town_code, User.compound_id)
    with engine.connect() as conn:
        return Principal(*conn.execute(select(*columns).where(User.username == username)).one())


def open_page(app, script: str):
    app.switch_page(script).run()
    no_exceptions(app)
    return app


def widget(widgets, label: str):
    return next(w for w in widgets if w.label.startswith(label))


def test_the_alert_rows_show_no_order_until_one_is_issued_from_a_row(engine, app_as):
    app = open_page(app_as("town"), "pages/alerts.py")
    table = app.dataframe[0].value
    assert list(table["预警类型"]) == ["案件超期未办结", "表决通过未落实"] and set(table["督办"]) == {""}
    rows = widget(app.selectbox, PICK)
    assert rows.options == ["洪川镇 · 甲小区 · 案件超期未办结", "洪川镇 · 甲小区 · 表决通过未落实"]
    rows.set_value(0).run()
    next(b for b in app.button if b.label == "发督办单").click()
    app.run()  # the click hands the row over and switches page, which AppTest does not follow
    no_exceptions(app)

    app = open_page(app, "pages/orders.py")
    assert "洪川镇 · 甲小区 · 案件超期未办结" in [t.value for t in app.text]
    requirement = widget(app.text_area, "督办要求")
    assert requirement.value.startswith("甲小区：2025-02 触发“案件超期未办结”预警（数值 1，阈值 10）")
    assert not [s for s in app.selectbox if s.label == "责任小区"]  # the compound comes with the row
    requirement.input(requirement.value + "月底前清零。").run()
    next(b for b in app.button if b.label == "交办").click()
    app.run()
    no_exceptions(app)
    made = supervision.orders(engine, scoped())
    assert len(made) == 1
    order = made.iloc[0]
    assert (order["compound_id"], order["source_kind"]) == (JIA, "case")
    assert order["source_ref"] == supervision.alert_source("case_overdue", MONTH).ref == "alert:case_overdue@2025-02"
    assert order["requirement"].endswith("月底前清零。") and order["issuer_role"] == "town"

    app = open_page(app_as("town"), "pages/alerts.py")  # a new session sees the new state
    table = app.dataframe[0].value
    assert list(table["督办"]) == [f"已督办 #{order['id']} 待签收", ""]
    widget(app.selectbox, PICK).set_value(0).run()
    assert not [b for b in app.button if b.label == "发督办单"]  # not twice
    assert [i.value for i in app.info if f"#{order['id']}（待签收）" in i.value]
    assert f"打开督办单 #{order['id']}" in [link.proto.label for link in app.get("page_link")]
    widget(app.selectbox, PICK).set_value(1).run()  # the vote of the same compound is another item
    assert [b for b in app.button if b.label == "发督办单"]


@pytest.mark.parametrize(
    ("role", "rows"),
    [("admin", 3), ("county", 3), ("town", 2), ("secretary", 0)],
)
def test_only_officials_may_issue_from_an_alert_row(engine, app_as, role, rows):
    app = open_page(app_as(role), "pages/alerts.py")
    assert len(app.dataframe[0].value) == (rows or 2)  # the secretary sees their own compound's two
    pickers = [s for s in app.selectbox if s.label == PICK]
    assert len(pickers[0].options) == rows if rows else not pickers
    assert not [b for b in app.button if b.label == "发督办单"]  # nothing picked yet


def test_the_county_issues_from_a_vote_not_carried_out(engine, app_as):
    app = open_page(app_as("county"), "pages/votes.py")
    pending = next(d.value for d in app.dataframe if "督办" in d.value.columns)
    assert list(pending["督办"]) == ["", ""]
    picker = widget(app.selectbox, PICK)
    index = next(i for i, label in enumerate(picker.options) if "丙小区" in label)
    picker.set_value(index).run()
    next(b for b in app.button if b.label == "发督办单").click()
    app.run()
    app = open_page(app, "pages/orders.py")
    requirement = widget(app.text_area, "督办要求")
    assert requirement.value.startswith("丙小区：第 V3 号表决“议题V3”于") and "已 41 天未落实" in requirement.value
    next(b for b in app.button if b.label == "交办").click()
    app.run()
    no_exceptions(app)
    made = supervision.orders(engine, scoped())
    assert list(zip(made["compound_id"], made["source_kind"], made["source_ref"], strict=True)) == [
        (BING, "vote", supervision.vote_source("V3").ref)
    ]
    app = open_page(app_as("county"), "pages/votes.py")
    pending = next(d.value for d in app.dataframe if "督办" in d.value.columns)
    assert sorted(pending["督办"]) == ["", f"已督办 #{made['id'][0]} 待签收"]


@pytest.mark.parametrize("role", ["admin", "county", "town", "secretary"])
def test_the_profile_lists_the_compounds_orders_as_services_read_them(engine, app_as, role):
    town = principal(engine, "t-town")
    ten_days_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=10)
    late = supervision.issue(
        engine,
        town,
        compound_id=JIA,
        requirement="整改一",
        deadline=supervision.beijing_today() - dt.timedelta(3),
        now=ten_days_ago,
    )
    supervision.issue(engine, town, compound_id=JIA, requirement="整改二", deadline=supervision.beijing_today())
    county = principal(engine, "t-county")
    supervision.issue(engine, county, compound_id=BING, requirement="别处", deadline=supervision.beijing_today())
    app = app_as(role)
    app.query_params["compound"] = str(JIA)
    app = open_page(app, "pages/profile.py")
    listed = next(d.value for d in app.dataframe if "督办要求" in d.value.columns)
    expected = supervision.orders(engine, scoped(compound_id=JIA))
    assert list(listed["编号"]) == list(expected["id"]) and len(listed) == 2
    assert list(listed["状态"]) == ["待签收", "待签收"]
    assert list(listed["期限"]) == list(expected["deadline"])
    assert list(listed["逾期"]) == ["" if o != late.id else "是" for o in expected["id"]]
    pickers = [s for s in app.selectbox if s.label == PICK]
    if role == "secretary":
        assert not pickers
    else:  # the compound's two alerts, then its profile
        assert [label.rsplit(" · ", 1)[-1] for label in pickers[0].options] == [
            "案件超期未办结",
            "表决通过未落实",
            "小区档案",
        ]


def test_the_order_labels_follow_the_language(engine, app_as):
    supervision.issue(
        engine, principal(engine, "t-town"), compound_id=JIA, requirement="整改", deadline=supervision.beijing_today()
    )
    app = app_as("county")
    app.session_state["lang"] = "en"  # what the sidebar's language switch sets
    app = open_page(app, "pages/orders.py")
    listed = next(d.value for d in app.dataframe if "Requirement" in d.value.columns)
    assert list(listed["State"]) == ["To sign"] and list(listed["Source"]) == ["Issued directly"]
    assert list(listed["Priority"]) == ["Normal"]
    by_source = next(d.value for d in app.dataframe if "Issued directly" in d.value.to_string())
    assert not any("直接交办" in d.value.to_string() for d in app.dataframe)
    assert by_source is not None
