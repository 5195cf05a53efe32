"""The month's report in the app: the secretary submits on 数据上报 and sees a return's reason on
login; the town official reviews on 审核 (approve several, return with a reason); the county locks
a month there; corrections are asked for and agreed; the figures on the page equal the services'."""

from __future__ import annotations

import pytest

from services import month_reports
from services.access import SYSTEM
from services.db import make_engine
from tests.apptest.conftest import USERS, login, new_app, no_exceptions
from tests.scoped import scoped

A = "511423112001"  # 甲小区 (洪川镇), the test secretary's compound
MONTH = "2025-03"


@pytest.fixture
def march_in(fixture_db):
    """甲's March activities imported (填报中), nothing submitted."""
    from services import ingest
    from services.ledgers import ACTIVITIES
    from tests.ingest import helpers

    table = [[A if cell == helpers.A else cell for cell in row] for row in helpers.march_tables()[ACTIVITIES.name]]
    engine = make_engine(fixture_db)
    ingest.import_month(engine, principal=SYSTEM, files=[("活动.csv", helpers.csv_bytes(table))], month=MONTH)
    yield engine
    engine.dispose()


def _compound_id(engine) -> int:
    from sqlalchemy import select

    from services.models import Compound

    with engine.connect() as conn:
        return conn.execute(select(Compound.id).where(Compound.code == A)).scalar_one()


def _upload_page(month: str = MONTH):
    app = login(new_app(), "t-secretary")
    app.switch_page("pages/upload.py").run()
    next(s for s in app.selectbox if s.label == "上报月份").set_value(month).run()
    return app


def _texts(app) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [e.value for e in (*app.success, *app.warning, *app.error, *app.info)]
    return "\n".join(parts)


def test_the_secretary_submits_the_month_from_the_upload_page(march_in):
    app = _upload_page()
    no_exceptions(app)
    assert "2025-03 月报状态：填报中" in _texts(app)
    next(b for b in app.button if b.label == "提交本月").click()
    app.run()
    no_exceptions(app)
    assert month_reports.status(march_in, _compound_id(march_in), MONTH).label == "已上报"
    app = _upload_page()  # AppTest does not follow the page's own rerun: open the page again
    assert "2025-03 月报状态：已上报" in _texts(app)
    assert not [b for b in app.button if b.label == "提交本月"]


def test_a_returned_month_greets_the_secretary_with_its_reason(march_in):
    cid = _compound_id(march_in)
    month_reports.submit(march_in, SYSTEM, cid, MONTH, deadline_day=5)
    month_reports.return_report(march_in, SYSTEM, cid, MONTH, "活动照片缺失，请补充")
    app = login(new_app(), "t-secretary")  # the first page: 本月上报
    no_exceptions(app)
    assert "被退回的月报（1 个）" in _texts(app) and "活动照片缺失，请补充" in _texts(app)
    app = _upload_page()
    assert "退回理由：活动照片缺失，请补充" in _texts(app)
    assert [b for b in app.button if b.label == "提交本月"]


def test_the_town_approves_from_the_queue_and_the_figures_are_the_services(march_in, app_as):
    cid = _compound_id(march_in)
    month_reports.submit(march_in, SYSTEM, cid, MONTH, deadline_day=5)
    app = app_as("town")
    app.switch_page("pages/review.py").run()
    no_exceptions(app)
    waiting = month_reports.review_queue(march_in, scoped(town_code="511423112"))  # the fixture's months too
    assert any(f"等待审核 {len(waiting)} 个月报" in s.value for s in app.subheader)
    queue = next(d.value for d in app.dataframe if "小区" in d.value.columns)
    march = queue[queue["月份"] == MONTH]
    assert list(march["活动"]) == [2] and list(march["参与人次"]) == [55] and list(march["是否按时"]) == ["逾期"]
    # February in the fixture: 甲 held 1 activity and received 1 case; March: 2 and none yet
    assert list(march["与上月相比"]) == ["活动 +1，诉求纠纷 -1"]
    pick = next(m for m in app.multiselect if m.label == "选择要审核通过的月报")
    pick.set_value([f"{cid}|{MONTH}"]).run()
    next(b for b in app.button if b.label.startswith("审核通过所选")).click()
    app.run()
    no_exceptions(app)
    assert month_reports.status(march_in, cid, MONTH).label == "已审核"
    app = app_as("town")
    app.switch_page("pages/review.py").run()
    queue = next(d.value for d in app.dataframe if "小区" in d.value.columns)
    assert MONTH not in set(queue["月份"]) and len(queue) == len(waiting) - 1


def test_a_return_needs_a_reason_on_the_page(march_in, app_as):
    cid = _compound_id(march_in)
    month_reports.submit(march_in, SYSTEM, cid, MONTH, deadline_day=5)
    app = app_as("town")
    app.switch_page("pages/review.py").run()
    next(s for s in app.selectbox if s.label == "退回哪个月报").set_value(f"{cid}|{MONTH}").run()
    next(b for b in app.button if b.label == "退回").click()
    app.run()
    assert any("退回理由" in e.value for e in app.error)
    assert month_reports.status(march_in, cid, MONTH).label == "已上报"
    app = app_as("town")
    app.switch_page("pages/review.py").run()
    next(s for s in app.selectbox if s.label == "退回哪个月报").set_value(f"{cid}|{MONTH}").run()
    next(t for t in app.text_area if t.label.startswith("退回理由")).input("参与人数与签到不符").run()
    next(b for b in app.button if b.label == "退回").click()
    app.run()
    no_exceptions(app)
    status = month_reports.status(march_in, cid, MONTH)
    assert (status.label, status.return_reason) == ("已退回", "参与人数与签到不符")


def test_the_county_locks_a_month_and_the_secretary_asks_for_a_correction(march_in, app_as, monkeypatch):
    from tests.deck.test_archive import fake_render

    monkeypatch.setattr("services.deck.render", fake_render)  # the lock's background archive: no real files
    cid = _compound_id(march_in)
    town = app_as("town")
    town.switch_page("pages/review.py").run()
    assert not [s for s in town.subheader if "锁定月份" in s.value]  # towns do not lock months
    county = app_as("county")
    county.switch_page("pages/review.py").run()
    next(s for s in county.selectbox if s.label == "月份").set_value(MONTH).run()
    next(b for b in county.button if b.label == "锁定该月").click()
    county.run()
    no_exceptions(county)
    assert month_reports.status(march_in, cid, MONTH).label == "已锁定"

    app = _upload_page()
    assert "2025-03 月报状态：已锁定" in _texts(app)
    assert not [t for t in app.tabs if t.label == "在线填写"]  # nothing to import into a locked month
    next(t for t in app.text_area if t.label.startswith("更正理由")).input("漏报一次活动").run()
    next(b for b in app.button if b.label == "提交更正申请").click()
    app.run()
    no_exceptions(app)
    assert month_reports.status(march_in, cid, MONTH).pending_correction == "漏报一次活动"

    town = app_as("town")
    town.switch_page("pages/review.py").run()
    assert any("更正申请（1 个）" in s.value for s in town.subheader)
    next(b for b in town.button if b.label == "同意更正").click()
    town.run()
    no_exceptions(town)
    status = month_reports.status(march_in, cid, MONTH)
    assert (status.label, status.reopened) == ("填报中", True)


def test_the_review_page_is_for_officials_only():
    from services.access import Principal, pages_for

    has_review = {role: "review" in {p.id for p in pages_for(Principal(1, "x", role))} for role in USERS}
    assert has_review == {"admin": True, "county": True, "town": True, "secretary": False}
