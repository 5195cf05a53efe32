"""Hostile ledger text in real Chromium: shown as typed, never executed or turned into markup."""

import pytest

from services import accounts
from services.access import SYSTEM
from services.db import make_engine
from tests import hostile
from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_hostile_text_is_shown_literally(visit, served_db_url):
    engine = make_engine(served_db_url)
    hostile.plant(engine)
    accounts.create_user(
        engine,
        SYSTEM,
        username="e2e-sec2",
        display_name="s",
        role="secretary",
        compound_code="511423112002",
        password=PASSWORD,
        must_change=False,
    )
    engine.dispose()
    dialogs = []
    visit.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    visit.login("e2e-sec2")
    visit.goto("/overview")  # a secretary lands on 本月上报; the overview's title starts with the name
    page = visit.page
    heading = page.get_by_role("heading", level=1).first
    assert heading.inner_text().startswith(hostile.IMG)  # the characters typed, as text
    visit.shot("hostile-secretary")
    for path in ("/map", "/reporting", "/upload"):
        visit.goto(path)
        assert visit.exceptions() == 0
    visit.goto("/")
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("script:has-text('alert(2)')").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert dialogs == []
