"""Role × page in the running app: allowed pages render; others are not even registered."""

import pytest

from tests.apptest.conftest import no_exceptions
from tests.test_roles import PAGES

SCRIPTS = {page: f"pages/{page}.py" for page in PAGES}
CASES = [
    (role, page, role in roles) for page, roles in PAGES.items() for role in ("admin", "county", "town", "secretary")
]


@pytest.mark.parametrize(("role", "page", "allowed"), CASES)
def test_role_page_matrix(app_as, role, page, allowed):
    at = app_as(role)
    no_exceptions(at)
    if allowed:
        at.switch_page(SCRIPTS[page]).run()
        no_exceptions(at)
        assert at.title, f"{role} sees an empty {page}"
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(SCRIPTS[page])


def test_town_official_sees_only_their_town(app_as):
    at = app_as("town")
    assert at.title[0].value == "洪川镇总览"
    assert not [s for s in at.sidebar.selectbox if s.label == "镇"]  # no town selector offered


def test_secretary_lands_on_their_month(app_as):
    at = app_as("secretary")
    assert not at.exception
    assert at.title[0].value == "本月上报 · 甲小区"
    assert [w for w in [*at.warning, *at.error] if "尚未上报" in w.value]  # the month due now is not in
    assert "去上报或更正" in [link.proto.label for link in at.get("page_link")]


def test_secretary_sees_only_their_compound(app_as):
    at = app_as("secretary")
    at.switch_page("pages/overview.py").run()
    assert at.title[0].value == "甲小区总览"
    activities = next(m for m in at.metric if m.label == "开展活动")
    assert activities.value == "1"  # default period = latest month with data, 2025-02: the 02-14 activity
