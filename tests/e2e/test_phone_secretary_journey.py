"""A new secretary's month on a phone (390 px), in real Chromium: their month's status first, a file
with an error fixed from the message alone without sideways scrolling, then one filed row edited
in the in-page table, and every other ledger's filed rows still there afterwards."""

import pytest

from services import ingest
from services.db import make_engine
from tests.e2e.conftest import Visit
from tests.e2e.steps import Journey

pytestmark = pytest.mark.browser

COMPOUND_ID = 1  # 甲小区, 511423112001, the e2e secretary's compound
NEW_MONTH = "2025-04"  # nothing filed: the file goes in here
FILED_MONTH = "2025-02"  # filed in the fixture county: activities, cases, facilities, disclosure
LONG_NAME = "甲小区-2025年4月-活动台账-第二次修订版-请审核后再导入系统-文件名很长很长.csv"
HEADER = "小区编码,活动日期,活动类型,活动名称,组织方,参与人数\r\n"


def _activities(participants: str) -> bytes:
    return (HEADER + f"511423112001,2025/4/8,志愿服务,四月志愿服务,党支部,{participants}\r\n").encode("gbk")


def _pick(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def _no_sideways_scrolling(page) -> None:
    width, inner = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
    assert width <= inner, f"the page scrolls sideways on a phone ({width} > {inner} px)"


def _after(page, selector: str) -> str:
    return page.evaluate(f"() => getComputedStyle(document.querySelector('{selector}'), '::after').content")


def test_a_secretary_on_a_phone_fixes_a_file_and_edits_one_filed_row_losing_nothing(browser, served_app, served_db_url):
    engine = make_engine(served_db_url)
    before = ingest.filed_rows(engine, COMPOUND_ID, FILED_MONTH)
    assert len(before) >= 2 and before.get("activities")  # more than one ledger filed, activities among them
    phone = Visit(browser, served_app, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    journey = Journey(phone, "secretary-phone")
    page = phone.page
    try:
        phone.login("e2e-secretary")
        page.get_by_role("heading", name="本月上报 · 甲小区").wait_for(timeout=60000)  # their month comes first
        journey.step("my-month")

        phone.goto("/upload")
        _pick(page, "上报月份", NEW_MONTH)
        phone.idle()
        # the uploader speaks Chinese (static CSS over Streamlit's fixed English)
        dropzone = '[data-testid="stFileUploaderDropzone"]'
        assert _after(page, f'{dropzone} > span button [data-testid="stMarkdownContainer"]') == '"选择文件"'
        assert _after(page, '[data-testid="stFileUploaderDropzoneInstructions"] > div') == '"每个文件不超过 10 MB"'
        assert "Upload" not in page.locator(dropzone).inner_text()
        assert "per file" not in page.locator(dropzone).inner_text()
        journey.step("upload-page")

        uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        uploader.set_input_files([{"name": LONG_NAME, "mimeType": "text/csv", "buffer": _activities("约30")}])
        phone.idle(1500)
        hint = page.get_by_text("怎么改：", exact=False).first
        hint.wait_for(timeout=20000)
        box = hint.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # where → what → how, in view
        assert page.get_by_role("button", name="确认导入").count() == 0
        _no_sideways_scrolling(page)
        # the long file name is shown whole, wrapped inside the phone's width
        chip = page.locator('[data-testid="stFileChipName"]').first
        assert _after(page, '[data-testid="stFileChipName"]') == f'"{LONG_NAME}"'
        chip_box = chip.bounding_box()
        assert chip_box is not None and chip_box["x"] + chip_box["width"] <= 390
        journey.step("error-blocks")

        page.get_by_role("button", name=f"Remove {LONG_NAME}").click()  # the message said: 参与人数 is a number
        phone.idle()
        uploader.set_input_files([{"name": LONG_NAME, "mimeType": "text/csv", "buffer": _activities("30")}])
        phone.idle(1500)
        assert page.get_by_text("检查通过").is_visible()
        _no_sideways_scrolling(page)
        journey.step("fixed")
        page.get_by_role("button", name="确认导入").click()
        phone.idle(1500)
        assert page.get_by_text("导入成功").first.is_visible()
        journey.step("imported")

        _pick(page, "上报月份", FILED_MONTH)
        phone.idle()
        page.get_by_role("tab", name="在线填写").click()
        phone.idle()
        assert page.get_by_text(f"表格中是本月已上报的 {len(before['activities'])} 行", exact=False).is_visible()
        grid = page.locator('[data-testid="stTabs"] [data-testid="stDataFrame"]:visible').first  # the editor
        grid.scroll_into_view_if_needed()
        cell = grid.bounding_box()
        assert cell is not None
        # glide data grid: select the first row's 小区编码 cell, move to 活动名称, Enter opens the cell's
        # editor (Chinese text arrives without key presses, so typing alone would not open it)
        page.mouse.click(cell["x"] + 40, cell["y"] + 35 + 17)
        page.wait_for_timeout(500)
        for _ in range(3):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(150)
        page.keyboard.press("Enter")
        editor = page.locator("#portal textarea, [data-testid='stDataFrameCellEditor'] textarea").first
        editor.wait_for(timeout=10000)
        editor.fill("改过的活动名称")
        page.keyboard.press("Enter")
        phone.idle(1000)
        journey.step("row-edited")

        page.get_by_text("检查并预览").click()
        phone.idle(1500)
        # the row's name is part of its key: the old row goes, the edited one comes; only this ledger
        assert page.get_by_text("不受影响的台账（保持不变）", exact=False).is_visible()
        page.get_by_text("我确认替换", exact=False).click()
        phone.idle()
        journey.step("edit-preview")
        page.get_by_role("button", name="确认导入").click()
        phone.idle(1500)
        assert page.get_by_text("导入成功").first.is_visible()
        journey.step("edit-imported")
    finally:
        phone.close()

    after = ingest.filed_rows(engine, COMPOUND_ID, FILED_MONTH)
    engine.dispose()
    assert set(after) == set(before)
    for ledger, rows in before.items():
        assert len(after[ledger]) == len(rows), f"{ledger}: {len(rows)} rows before, {len(after[ledger])} after"
        if ledger != "activities":
            assert after[ledger] == rows, f"{ledger} changed although it was not edited"
    names = [row.get("活动名称") for row in after["activities"]]
    assert "改过的活动名称" in names
    assert phone.external == []
