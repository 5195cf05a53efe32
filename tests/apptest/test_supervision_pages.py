"""督办 and 我的待办 in the app: the town issues an order on the page, the secretary finds it in the
inbox, signs and answers it, the town accepts it; the page's figures are the services'."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from services import inbox, settings_store, supervision
from services.access import Principal
from services.db import make_engine
from services.models import Compound, User
from tests.apptest.conftest import no_exceptions
from tests.scoped import scoped

A = "511423112001"  # 甲小区 (洪川镇), the test secretary's compound
HOSTILE = "<b>清理楼道杂物</b> **加粗**"


def _principal(engine, username: str) -> Principal:
    columns = (User.id, User.username, User.role, User.town_code, User.compound_id)
    with engine.connect() as conn:
        return Principal(*conn.execute(select(*columns).where(User.username == username)).one())


def _compound_id(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Compound.id).where(Compound.code == A)).scalar_one()


def _orders_page(app):
    app.switch_page("pages/orders.py").run()
    no_exceptions(app)
    return app


def test_the_town_issues_an_order_on_the_page(fixture_db, app_as):
    engine = make_engine(fixture_db)
    app = _orders_page(app_as("town"))
    next(s for s in app.selectbox if s.label == "责任小区").set_value(_compound_id(engine)).run()
    next(t for t in app.text_area if t.label.startswith("督办要求")).input(HOSTILE).run()
    next(b for b in app.button if b.label == "交办").click()
    app.run()
    no_exceptions(app)
    made = supervision.orders(engine, scoped(town_code="511423112"))
    assert list(made["requirement"]) == [HOSTILE] and list(made["label"]) == ["待签收"]
    engine.dispose()


def test_the_secretary_signs_and_answers_and_the_town_accepts(fixture_db, app_as):
    engine = make_engine(fixture_db)
    town = _principal(engine, "t-town")
    due = supervision.beijing_today() + dt.timedelta(7)
    order = supervision.issue(engine, town, compound_id=_compound_id(engine), requirement=HOSTILE, deadline=due)
    secretary = _principal(engine, "t-secretary")
    assert [i.page for i in inbox.items(engine, secretary) if "清理楼道杂物" in i.title] == ["orders"]

    app = app_as("secretary")
    app.switch_page("pages/inbox.py").run()
    no_exceptions(app)
    assert any("清理楼道杂物" in t.value for t in app.text)  # shown as text, the markup visible, not applied
    app = _orders_page(app_as("secretary"))
    next(s for s in app.selectbox if s.label == "打开督办单").set_value(order.id).run()
    assert any(t.value == HOSTILE for t in app.text)
    next(b for b in app.button if b.label == "签收").click()
    app.run()
    no_exceptions(app)
    assert supervision.order_state(engine, order.id).label == "办理中"

    app = _orders_page(app_as("secretary"))
    next(s for s in app.selectbox if s.label == "打开督办单").set_value(order.id).run()
    next(t for t in app.text_area if t.label.startswith("办理情况反馈")).input("已清理完毕").run()
    next(b for b in app.button if b.label == "提交反馈").click()
    app.run()
    no_exceptions(app)
    assert supervision.order_state(engine, order.id).label == "已反馈"

    app = _orders_page(app_as("town"))
    next(s for s in app.selectbox if s.label == "打开督办单").set_value(order.id).run()
    next(b for b in app.button if b.label == "验收办结").click()
    app.run()
    no_exceptions(app)
    assert supervision.order_state(engine, order.id).label == "已办结"
    engine.dispose()


def test_the_pages_figures_are_the_services(fixture_db, app_as):
    engine = make_engine(fixture_db)
    town = _principal(engine, "t-town")
    cid = _compound_id(engine)
    ten_days_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=10)
    for days in (-3, 5):  # issued ten days ago: one is overdue by now, the other is not
        due = supervision.beijing_today() + dt.timedelta(days)
        supervision.issue(engine, town, compound_id=cid, requirement="整改", deadline=due, now=ten_days_ago)
    app = _orders_page(app_as("county"))
    shown = {m.label: m.value for m in app.metric}
    figures = supervision.figures(engine, scoped(), sign_days=settings_store.order_sign_days(engine))
    assert shown["交办"] == str(figures["issued"]) == "2"
    assert shown["逾期未办结"] == str(figures["overdue"]) == "1"
    engine.dispose()
