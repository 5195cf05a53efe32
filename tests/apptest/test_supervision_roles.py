"""督办 and 我的待办 for each role: the cards on 督办 are ``services.supervision.figures`` of the
role's own scope, and each person's inbox holds their own items.

Three orders: A (town → 甲小区, issued now, 待签收), B (town → 甲小区, issued ten days ago, signed
nine days ago, answered now: 已反馈, the town's to accept) and C (county → 丙小区 in 止戈镇, issued
ten days ago, due three days ago, reminded once: overdue). The county and the administrator see
all three (1 overdue), the town and 甲小区's secretary A and B (none overdue)."""

from __future__ import annotations

import datetime as dt

import pytest

from services import formatting, settings_store, supervision
from services.db import make_engine
from tests.apptest.conftest import no_exceptions
from tests.apptest.test_order_sources import BING, JIA, principal
from tests.scoped import scoped

SCOPES = {"admin": {}, "county": {}, "town": {"town_code": "511423112"}, "secretary": {"compound_id": JIA}}
ISSUED = {"admin": 3, "county": 3, "town": 2, "secretary": 2}
CARDS = [  # card label, figure, how it is shown
    ("交办", "issued", "count"),
    ("逾期未办结", "overdue", "count"),
    ("签收及时率", "sign_on_time_rate", "rate"),
    ("按期办结率", "closed_on_time_rate", "rate"),
    ("逾期率", "overdue_rate", "rate"),
    ("催办次数", "reminders", "count"),
    ("办结天数中位", "median_days_to_close", "days"),
]


def shown(value, kind: str) -> str:
    if value is None:
        return formatting.NONE
    if kind == "rate":
        return formatting.percent(value)
    if kind == "days":
        return formatting.days(value, "zh")
    return formatting.number(value, "zh")


@pytest.fixture
def engine(fixture_db):
    engine = make_engine(fixture_db)
    town, county = principal(engine, "t-town"), principal(engine, "t-county")
    secretary = principal(engine, "t-secretary")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    today = supervision.beijing_today()
    supervision.issue(engine, town, compound_id=JIA, requirement="清理楼道", deadline=today + dt.timedelta(7))
    b = supervision.issue(
        engine,
        town,
        compound_id=JIA,
        requirement="修好路灯",
        deadline=today + dt.timedelta(5),
        now=now - dt.timedelta(10),
    )
    supervision.sign(engine, secretary, b.id, now=now - dt.timedelta(9))
    supervision.answer(engine, secretary, b.id, "已修好")
    c = supervision.issue(
        engine,
        county,
        compound_id=BING,
        requirement="公开财务",
        deadline=today - dt.timedelta(3),
        now=now - dt.timedelta(10),
    )
    supervision.remind(engine, county, c.id)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("role", list(SCOPES))
def test_the_cards_on_the_page_are_the_figures_of_the_roles_scope(engine, app_as, role):
    app = app_as(role)
    app.switch_page("pages/orders.py").run()
    no_exceptions(app)
    cards = {m.label: m.value for m in app.metric}
    figures = supervision.figures(engine, scoped(**SCOPES[role]), sign_days=settings_store.order_sign_days(engine))
    assert figures["issued"] == ISSUED[role]
    for label, key, kind in CARDS:
        assert cards[label] == shown(figures[key], kind), label
    listed = next(d.value for d in app.dataframe if "督办要求" in d.value.columns)
    assert len(listed) == ISSUED[role]


INBOX = {  # what each person finds, and what they must not
    "admin": ("逾期督办｜止戈镇：逾期督办单 1 件", "待验收｜"),
    "county": ("逾期督办｜止戈镇：逾期督办单 1 件", "待验收｜"),
    "town": ("待验收｜请验收反馈 — 甲小区：修好路灯", "逾期督办｜"),
    "secretary": ("待签收｜请签收督办单 — 甲小区：清理楼道", "公开财务"),
}


@pytest.mark.parametrize("role", list(INBOX))
def test_each_person_finds_their_own_items_in_the_inbox(engine, app_as, role):
    app = app_as(role)
    app.switch_page("pages/inbox.py").run()
    no_exceptions(app)
    texts = [t.value for t in app.text]
    found, absent = INBOX[role]
    assert any(t.startswith(found) for t in texts), texts
    assert not any(absent in t for t in texts)
    assert [link.proto.label for link in app.get("page_link")].count("督办") >= 1


def test_the_inbox_kinds_follow_the_language(engine, app_as):
    app = app_as("county")
    app.session_state["lang"] = "en"
    app.switch_page("pages/inbox.py").run()
    no_exceptions(app)
    assert any(t.value.startswith("Overdue orders｜") for t in app.text)
