"""A supervision order (督办单) from a warning to a finished job, in real Chromium: the county
official opens 预警 and issues an order from 甲小区's overdue-case row; the secretary, on a 390 px
phone, finds it in 我的待办, signs it and answers with a photo; the county official sends it back
once with a reason, then accepts the second answer; 督办, the compound's profile and the deck's
督办落实 slide show it closed. A screenshot per step."""

import io

import pytest
from PIL import Image
from pptx import Presentation

from services import deck, settings_store, supervision
from services.access import Principal, clamp
from services.db import make_engine
from services.domain import Period, Scope, month_of
from tests.e2e.conftest import Visit
from tests.e2e.steps import Journey, choose, see

pytestmark = pytest.mark.browser

COMPOUND_ID = 1  # 甲小区: case A-3 is past its time limit in 2025-03 (tests/themes work it out by hand)
REASON = "照片看不出车位划线，请补充施工后照片"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 200)).save(out, "JPEG")
    return out.getvalue()


def _in_a_table(page, text: str) -> None:
    """A table cell holding ``text`` (st.dataframe draws on a canvas; its cells are kept for
    screen readers)."""
    page.locator("[role=gridcell]", has_text=text).first.wait_for(state="attached", timeout=20000)


def _answer(visit: Visit, order_id: int, text: str) -> None:
    visit.goto(f"/orders?order={order_id}")
    page = visit.page
    page.get_by_label("办理情况反馈（必填）").fill(text)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [{"name": "车位划线.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    visit.idle(1000)
    page.get_by_role("button", name="提交反馈").click()
    visit.idle(1000)
    see(page, "已完成。")


def _no_sideways_scrolling(page) -> None:
    width, inner = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
    assert width <= inner, f"the page scrolls sideways on a phone ({width} > {inner} px)"


def _texts(slide) -> list[str]:
    """Every text on a slide: its text boxes and its table cells."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return out


def _the_one_order(engine) -> supervision.Order:
    county = clamp(Principal(None, "e2e", "county"), Scope())
    listing = supervision.orders(engine, county)
    mine = listing[(listing["compound_id"] == COMPOUND_ID) & (listing["source_kind"] == "case")]
    assert len(mine) == 1, mine
    return supervision.order_detail(engine, county, int(mine["id"].iloc[0])).order


def test_an_order_from_a_warning_to_closed(browser, served_app, served_db_url):
    engine = make_engine(served_db_url)
    county = Visit(browser, served_app)
    phone = Visit(browser, served_app, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    journey = Journey(county, "supervision-order")
    try:
        county.login("e2e-county")
        county.goto("/alerts?from=2025-03&to=2025-03")
        page = county.page
        see(page, "案件超期未办结")
        choose(page, "要督办的一行", "甲小区 · 案件超期")
        page.get_by_role("button", name="发督办单").click()
        county.idle(1000)
        see(page, "交办")  # 督办 opens with the form filled in from the row
        assert "甲小区" in page.get_by_label("督办要求（做什么、做到什么程度）").input_value()
        journey.step("county-issues-from-alert")
        page.get_by_role("button", name="交办", exact=True).click()
        county.idle(1000)
        order = _the_one_order(engine)
        see(page, f"已交办督办单 {order.id}。")
        assert order.state == "pending" and order.source_ref == "alert:case_overdue@2025-03"
        journey.step("issued")

        county.goto("/alerts?from=2025-03&to=2025-03")  # the row now says it has an order
        choose(page, "要督办的一行", "甲小区 · 案件超期")
        see(page, f"已有未办结的督办单 #{order.id}")
        assert page.get_by_role("button", name="发督办单").count() == 0
        journey.step("alert-knows-its-order")

        journey.visit = phone
        phone.login("e2e-secretary")
        phone.goto("/inbox")
        see(phone.page, "督办")
        see(phone.page, "甲小区")
        _no_sideways_scrolling(phone.page)
        journey.step("secretary-inbox-phone")
        phone.page.locator("[data-testid=stMain]").get_by_role("link", name="督办").first.click()
        phone.idle(1000)
        see(phone.page, f"督办单 {order.id}")
        phone.page.get_by_role("button", name="签收").click()
        phone.idle(1000)
        see(phone.page, "已完成。")
        assert _the_one_order(engine).state == "doing"
        journey.step("secretary-signed")
        _answer(phone, order.id, "已组织物业重新划线，附照片")
        assert _the_one_order(engine).state == "answered"
        _no_sideways_scrolling(phone.page)
        journey.step("secretary-answered-with-photo")

        journey.visit = county
        county.goto(f"/orders?order={order.id}")
        page.get_by_label("退回重办的理由").fill(REASON)
        page.get_by_role("button", name="退回重办").click()
        county.idle(1000)
        see(page, "已完成。")
        assert _the_one_order(engine).state == "doing"
        journey.step("county-sends-back")

        journey.visit = phone
        phone.goto(f"/orders?order={order.id}")
        see(phone.page, "第 1 次退回重办")  # the reason is shown above the feedback box
        see(phone.page, REASON)
        journey.step("secretary-reads-the-reason")
        _answer(phone, order.id, "已补充施工后照片，划线完成")
        journey.step("secretary-answers-again")

        journey.visit = county
        county.goto(f"/orders?order={order.id}")
        page.get_by_role("button", name="验收办结").click()
        county.idle(1000)
        see(page, "已完成。")
        closed = _the_one_order(engine)
        assert closed.state == "closed" and closed.returned_times == 1
        county.goto(f"/orders?order={order.id}")
        see(page, "状态：已办结")
        journey.step("county-accepts-closed")

        county.goto(f"/profile?compound={COMPOUND_ID}")
        see(page, "点击一行在“督办”中打开这份督办单。")
        _in_a_table(page, "已办结")  # the profile's list of orders
        journey.step("profile-shows-closed")
    finally:
        county.close()
        phone.close()

    # the deck of the month the order was issued in: its 督办落实 slide counts it closed
    month = month_of(supervision.beijing_today())
    built = deck.build_deck(engine, Principal(None, "e2e", "county"), Scope(), Period(month, month))
    pptx = Presentation(io.BytesIO(deck.render(built, "pptx")))
    texts = [" ".join(_texts(slide)) for slide in pptx.slides]
    orders_slide = next(text for text in texts if "督办落实" in text)
    county_scope, sign_days = clamp(Principal(None, "e2e", "county"), Scope()), settings_store.order_sign_days(engine)
    figures = supervision.figures(engine, county_scope, sign_days=sign_days, period=Period(month, month))
    assert figures["issued"] == figures["closed"] == figures["closed_on_time"] == 1
    assert "下发督办单（件） 1" in orders_slide and "已办结（件） 1" in orders_slide
    assert "洪川镇" in orders_slide  # the county deck's table is by town
    engine.dispose()
