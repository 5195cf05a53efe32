"""An administrator creates a secretary in real Chromium; the secretary logs in with the one-time
password, must set their own, and lands on their compound's view."""

import re
import time

import pytest

from tests.e2e.steps import Journey

pytestmark = pytest.mark.browser

NEW_USER = "yi.secretary"
NEW_PASSWORD = "乙小区的书记每月按时上报"  # a memorable sentence: the rule is length, not symbols
OTP = re.compile(r"已创建账号 yi\.secretary。一次性密码：([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){2})")


def _create_secretary(page) -> None:
    form = page.locator('[data-testid="stForm"]')
    form.get_by_role("textbox", name="用户名", exact=True).fill(NEW_USER)
    form.get_by_role("textbox", name="姓名或称呼", exact=True).fill("乙小区书记")
    form.get_by_role("combobox", name="角色", exact=True).click()
    page.get_by_role("option", name="小区书记", exact=True).click()
    form.get_by_role("textbox", name="小区编码（小区书记账号）", exact=True).fill("511423112002")


def _log_out(visit) -> None:
    """Log out from the sidebar; a reload must still show the login form, because the server has
    ended the session whatever the browser kept."""
    page = visit.page
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录", exact=True).wait_for(timeout=30000)
    deadline = time.monotonic() + 30  # the login page tells the browser to drop the session cookie
    while any(c["name"] == "linli_session" for c in visit.context.cookies()) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert not any(c["name"] == "linli_session" for c in visit.context.cookies())
    page.reload()
    visit.idle()
    page.get_by_role("button", name="登录", exact=True).wait_for(timeout=30000)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0


def test_admin_creates_a_secretary_who_sets_a_password_and_sees_their_compound(visit):
    journey = Journey(visit, "admin-creates-secretary")
    page = visit.page
    visit.login("e2e-admin")
    journey.step("admin-login")

    visit.goto("/admin_users")
    page.get_by_role("heading", name="用户管理").wait_for()
    _create_secretary(page)
    journey.step("form-filled")
    page.get_by_role("button", name="创建账号").click()
    visit.idle()
    notice = page.get_by_text(OTP)
    notice.wait_for(timeout=30000)
    one_time = OTP.search(notice.inner_text()).group(1)
    journey.step("one-time-password-shown")

    _log_out(visit)
    journey.step("logged-out")

    visit.login(NEW_USER, one_time)
    page.get_by_text("首次登录或密码已重置，请先设置新密码。").wait_for(timeout=30000)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # nothing else until the password is set
    journey.step("must-change-password")

    page.get_by_label("当前密码").fill(one_time)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    journey.step("new-password-typed")
    page.get_by_role("button", name="保存新密码").click()
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.wait_for(timeout=60000)  # the whole navigation appears once the new password is saved
    visit.idle()
    assert page.get_by_text("首次登录或密码已重置，请先设置新密码。").count() == 0
    journey.step("password-set")

    # saving the first password leads straight on to the secretary's own month
    page.get_by_role("heading", name="本月上报 · 乙小区").wait_for(timeout=60000)
    assert "/account" not in page.url
    visit.idle()
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text(f"当前用户：{NEW_USER}（小区书记）").is_visible()
    assert sidebar.get_by_role("combobox", name="镇", exact=True).count() == 0  # a secretary has no town picker
    assert visit.exceptions() == 0
    journey.step("own-compound")
