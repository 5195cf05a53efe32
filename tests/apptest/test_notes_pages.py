"""批注 under the views: the town official writes one on 甲小区's profile (the compound's scope)
naming the secretary; the secretary of 甲小区 reads it there, literally, and finds it in 我的待办;
止戈镇's official does not; a note on a town's theme view is read under that view by whoever sees
the town; only officials get the box."""

from __future__ import annotations

import pytest

from services import accounts, notes
from services.access import SYSTEM
from services.db import make_engine
from services.domain import Period
from services.formatting import md_escape
from tests import hostile
from tests.apptest.conftest import PASSWORD, login, new_app, no_exceptions
from tests.scoped import scoped

JIA = 1
HONGCHUAN = "511423112"
BODY = f"{hostile.IMG}{hostile.SCRIPT}{hostile.LINK} **整改** @t-secretary"
THEME_PAGES = [
    "overview",
    "map",
    "activities",
    "cases",
    "facilities",
    "votes",
    "finance",
    "property",
    "coverage",
    "index",
    "reporting",
    "alerts",
]


@pytest.fixture
def engine(fixture_db):
    engine = make_engine(fixture_db)
    accounts.create_user(
        engine,
        SYSTEM,
        username="t-zhige",
        display_name="止戈镇干部",
        role="town",
        town="止戈镇",
        password=PASSWORD,
        must_change=False,
    )
    yield engine
    engine.dispose()


def profile_of(app, compound_id: int = JIA):
    app.query_params["compound"] = str(compound_id)
    app.switch_page("pages/profile.py").run()
    no_exceptions(app)
    return app


def note_box(app):
    return next(t for t in app.text_area if t.label.startswith("写批注"))


def test_a_town_note_on_a_compound_reaches_its_secretary_literally_and_no_other_town(engine, app_as):
    app = profile_of(app_as("town"))
    assert "这一范围、这一期还没有批注。" in [c.value for c in app.caption]
    note_box(app).input(BODY).run()
    next(b for b in app.button if b.label == "保存批注").click()
    app.run()
    no_exceptions(app)
    stored = notes.notes(engine, scoped(compound_id=JIA), "profile", Period("2025-02", "2025-02"))
    assert list(stored["body"]) == [BODY] and list(stored["mentions"]) == [["t-secretary"]]

    app = profile_of(app_as("town"))  # a new session sees the new state
    assert BODY in [t.value for t in app.text]
    assert note_box(app).value == ""  # the box is empty again

    secretary = app_as("secretary")
    app = profile_of(secretary)
    assert BODY in [t.value for t in app.text]  # shown as text: the tags, link and stars as typed
    assert not any("<img" in m.value or "<script" in m.value for m in app.markdown)
    assert not [t for t in app.text_area if t.label.startswith("写批注")]  # secretaries do not write
    assert any(c.value.startswith(md_escape("t-town · 20")) for c in app.caption)  # author and time

    app.switch_page("pages/inbox.py").run()
    no_exceptions(app)
    assert any(t.value.startswith("批注提到我｜t-town 在批注中提到您") for t in app.text)

    other = login(new_app(), "t-zhige")
    app = profile_of(other)
    assert not any(BODY in t.value for t in app.text)
    assert [w for w in app.warning if "无权查看" in w.value]


@pytest.mark.parametrize("page", THEME_PAGES)
def test_every_theme_view_has_its_notes_and_only_officials_write(engine, app_as, page):
    for role, writes in (("town", True), ("secretary", False)):
        app = app_as(role)
        app.switch_page(f"pages/{page}.py").run()
        no_exceptions(app)
        assert "批注" in [h.value for h in app.subheader]
        assert bool([t for t in app.text_area if t.label.startswith("写批注")]) is writes


def test_a_note_on_a_towns_view_is_read_by_who_sees_the_town(engine, app_as):
    app = app_as("town")
    app.switch_page("pages/cases.py").run()
    note_box(app).input("本月纠纷上升，已约谈物业。").run()
    next(b for b in app.button if b.label == "保存批注").click()
    app.run()
    no_exceptions(app)
    county = new_app()
    county.query_params["town"] = HONGCHUAN
    login(county, "t-county")
    county.switch_page("pages/cases.py").run()
    assert "本月纠纷上升，已约谈物业。" in [t.value for t in county.text]
    whole = app_as("county")
    whole.switch_page("pages/cases.py").run()  # the county's own view is another scope
    assert "本月纠纷上升，已约谈物业。" not in [t.value for t in whole.text]


def test_a_refused_note_keeps_its_text(engine, app_as):
    app = app_as("town")
    app.switch_page("pages/cases.py").run()
    note_box(app).input("请联系 13812345678").run()
    next(b for b in app.button if b.label == "保存批注").click()
    app.run()
    assert [e.value for e in app.error if "手机号" in e.value]
    assert note_box(app).value == "请联系 13812345678"
