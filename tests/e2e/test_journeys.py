"""Journeys a person makes, in real Chromium, offline."""

import pytest

from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_county_official_sees_overview_chart_and_map(visit):
    visit.login("e2e-county")
    page = visit.page
    assert page.get_by_role("heading", name="洪雅县总览").is_visible()
    assert page.get_by_text("已建党支部").first.is_visible()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=20000)
    assert visit.exceptions() == 0
    visit.shot("county-overview")

    visit.goto("/map")
    assert page.get_by_role("heading", name="小区分布图 · 洪雅县").is_visible()
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=20000)
    assert visit.exceptions() == 0
    visit.shot("county-map")


def test_a_page_the_role_may_not_see_is_not_reachable_by_url(visit):
    visit.login("e2e-secretary")
    visit.goto("/admin_users")
    assert visit.page.get_by_role("heading", name="用户管理").count() == 0
    assert visit.page.get_by_role("heading", name="本月上报 · 甲小区").is_visible()  # their home page


def test_login_lockout_then_admin_unlock(visit, browser, served_app):
    from tests.e2e.conftest import Visit

    page = visit.page
    visit.goto("/")
    for _ in range(5):
        page.get_by_label("用户名").fill("e2e-town")
        page.get_by_label("密码").fill("not the password")
        page.get_by_role("button", name="登录").click()
        visit.idle(200)
    assert page.get_by_text("账号已锁定").is_visible()
    page.get_by_label("用户名").fill("e2e-town")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    visit.idle()
    assert page.get_by_text("账号已锁定").is_visible()  # even the right password is refused while locked
    visit.shot("login-locked")

    admin = Visit(browser, served_app)
    try:
        admin.login("e2e-admin")
        admin.goto("/admin_users")
        admin.page.get_by_role("heading", name="用户管理").wait_for()
        box = admin.page.get_by_role("combobox", name="选择账号")
        box.click()
        admin.page.get_by_role("option", name="e2e-town").click()
        admin.idle(200)
        admin.page.get_by_role("button", name="解除锁定").click()
        admin.idle()
        assert admin.page.get_by_text("已完成：解除锁定 e2e-town").is_visible()
        admin.shot("admin-unlock")
        assert admin.external == []
    finally:
        admin.close()

    visit.login("e2e-town")
    assert page.get_by_role("heading", name="洪川镇总览").is_visible()


def test_drill_down_and_back(visit):
    visit.login("e2e-county")
    page = visit.page
    visit.goto("/?from=2025-01&to=2025-02&town=511423112")
    assert page.get_by_role("heading", name="洪川镇总览").is_visible()
    page.get_by_role("button", name="← 全县").click()
    visit.idle()
    assert page.get_by_role("heading", name="洪雅县总览").is_visible()
    assert "town=" not in page.url
    visit.goto("/profile?compound=1&from=2025-01&to=2025-02")
    assert page.get_by_role("heading", name="甲小区").is_visible()
    assert visit.exceptions() == 0


@pytest.mark.parametrize(("user", "pages"), [("e2e-admin", 24), ("e2e-county", 19), ("e2e-secretary", 20)])
def test_navigation_lists_every_page_of_the_role(visit, user, pages):
    """No page hides behind Streamlit's English "View N more": every page of the role is a link."""
    visit.login(user)
    nav = visit.page.locator('[data-testid="stSidebarNav"]')
    assert nav.get_by_text("View", exact=False).count() == 0
    assert nav.locator('[data-testid="stSidebarNavLink"]').count() == pages
    visit.shot(f"navigation-{user}")
