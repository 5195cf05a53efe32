"""The global filters: a link to a town the user may not see says so, and views open on complete figures."""

from tests import fixture_county as fx


def test_a_link_to_another_town_says_no_access(fixture_db):
    from tests.apptest.conftest import login, new_app

    app = new_app()
    app.query_params["town"] = fx.ZHIGE
    login(app, "t-town")
    assert not app.exception
    assert [w.value for w in app.warning if "无权查看" in w.value]
    assert app.title[0].value == "洪川镇总览"  # their own town, not the one in the link


def test_an_official_following_a_valid_link_gets_no_warning(fixture_db):
    from tests.apptest.conftest import login, new_app

    app = new_app()
    app.query_params["town"] = fx.ZHIGE
    login(app, "t-county")
    assert not [w.value for w in app.warning if "无权查看" in w.value]
    assert app.title[0].value == "止戈镇总览"


def test_views_open_on_the_last_month_whose_deadline_has_passed(fixture_db):
    """A report for the month still being reported must not pull the default onto that month."""
    from services import ingest
    from services.access import SYSTEM
    from services.db import make_engine
    from services.domain import DEFAULT_DEADLINE_DAY, add_months, last_closed_month
    from tests.apptest.conftest import login, new_app

    closed = last_closed_month(DEFAULT_DEADLINE_DAY)
    still_open = add_months(closed, 1)
    engine = make_engine(fixture_db)
    ingest.submit_zero_report(engine, principal=SYSTEM, compound_id=1, month=still_open)
    engine.dispose()
    app = login(new_app(), "t-county")
    assert not app.exception
    assert app.sidebar.selectbox(key="flt_to").value == closed
    assert still_open in app.sidebar.selectbox(key="flt_to").options  # still offered, just not the default


def test_a_month_still_being_reported_is_labelled_and_its_changes_not_coloured(fixture_db):
    from services.domain import DEFAULT_DEADLINE_DAY, add_months, last_closed_month
    from tests.apptest.conftest import login, new_app

    still_open = add_months(last_closed_month(DEFAULT_DEADLINE_DAY), 1)
    app = new_app()
    app.query_params["from"] = still_open
    app.query_params["to"] = still_open
    login(app, "t-county")
    assert not app.exception
    notices = [w.value for w in app.warning if "上报未截止" in w.value]
    assert len(notices) == 1 and f"{still_open} 上报未截止：已报 0/3" in notices[0]
    assert {m.proto.color for m in app.metric} == {2}  # GRAY: no red or green on an incomplete month


def test_reporting_for_a_month_before_its_deadline_lists_nobody_as_missing(fixture_db):
    from services.domain import DEFAULT_DEADLINE_DAY, add_months, last_closed_month
    from tests.apptest.conftest import login, new_app

    still_open = add_months(last_closed_month(DEFAULT_DEADLINE_DAY), 1)
    app = new_app()
    app.query_params["from"] = still_open
    app.query_params["to"] = still_open
    login(app, "t-county")
    app.switch_page("pages/reporting.py").run()
    assert not app.exception
    headings = [h.value for h in app.subheader]
    assert f"{still_open} 未到截止日" in headings
    assert not [h for h in headings if "未上报" in h and "截止" not in h]


def test_a_link_to_another_towns_compound_says_no_access(fixture_db):
    from tests.apptest.conftest import login, new_app

    app = new_app()
    app.query_params["compound"] = "3"  # 丙小区, in 止戈镇
    login(app, "t-town")
    app.switch_page("pages/profile.py").run()
    assert not app.exception
    assert [w.value for w in app.warning if "无权查看" in w.value]
