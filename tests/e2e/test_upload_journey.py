"""A secretary's month, in real Chromium: template from the page, a GBK CSV with an error,
the fix, the preview, the confirmation, the month marked received."""

import csv
import io
from pathlib import Path

import pytest

from tests.e2e.steps import Journey

pytestmark = pytest.mark.browser

MONTH = "2025-03"


def _pick(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def _ledger_csv(template: bytes, participants: str) -> bytes:
    """Fill the downloaded template's header with one activity and save it as Chinese Excel does (GBK)."""
    header = next(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    row = dict.fromkeys(header, "")
    row.update(
        {
            "小区编码": "511423112001",
            "活动日期": "2025/3/8",
            "活动类型": "志愿服务",
            "活动名称": "三月学雷锋志愿服务",
            "组织方": "党支部、志愿服务队",
            "参与人数": participants,
            "志愿者人数": "12",
            "志愿服务时长": "24",
        }
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow([row[h] for h in header])
    return out.getvalue().encode("gbk")


def test_secretary_uploads_fixes_confirms_and_the_month_is_received(visit):
    journey = Journey(visit, "secretary-upload")
    visit.login("e2e-secretary")
    journey.step("login")
    visit.goto("/upload")
    page = visit.page
    _pick(page, "上报月份", MONTH)
    visit.idle()
    assert page.get_by_text("本月还没有收到任何台账").is_visible()

    page.get_by_text("CSV", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV 模板：活动台账").click()
    template = Path(download.value.path()).read_bytes()
    assert template.startswith(b"\xef\xbb\xbf") and "小区编码".encode() in template  # UTF-8 with BOM, header only
    journey.step("template-downloaded")

    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files(
        [{"name": "活动台账.csv", "mimeType": "text/csv", "buffer": _ledger_csv(template, "约30")}]
    )
    visit.idle(1500)
    assert page.get_by_text("发现 1 个问题").is_visible()
    assert page.get_by_role("button", name="确认导入").count() == 0  # nothing can be imported
    journey.step("error-shown")

    page.get_by_role("button", name="Remove 活动台账.csv").click()  # the secretary removes the bad file
    visit.idle()
    uploader.set_input_files([{"name": "活动台账.csv", "mimeType": "text/csv", "buffer": _ledger_csv(template, "30")}])
    visit.idle(1500)
    assert page.get_by_text("检查通过").is_visible()
    journey.step("fixed-preview")
    page.get_by_role("button", name="确认导入").click()
    visit.idle(1500)
    assert page.get_by_text("导入成功").is_visible()
    journey.step("imported")

    visit.goto("/upload")  # a fresh page load: the month now shows as received
    _pick(page, "上报月份", MONTH)
    visit.idle()
    assert page.get_by_text("本月台账已收到：第1版（台账）").is_visible()
    journey.step("month-received")


def test_upload_page_fits_a_phone(browser, served_app):
    from tests.e2e.conftest import Visit

    phone = Visit(browser, served_app, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone.login("e2e-secretary")
        phone.goto("/upload")
        page = phone.page
        width = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        for tab in ("② 上传文件", "在线填写", "本月无新增事项"):
            assert page.get_by_role("tab", name=tab).is_visible()
        assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 1
        phone.shot("upload-phone")
        assert phone.external == []
    finally:
        phone.close()


def test_on_a_phone_each_problem_reads_where_what_and_how_to_fix_without_sideways_scrolling(browser, served_app):
    from tests.e2e.conftest import Visit

    phone = Visit(browser, served_app, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone.login("e2e-secretary")
        phone.goto("/upload")
        page = phone.page
        header = "小区编码,活动日期,活动类型,活动名称,组织方,参与人数\r\n"
        bad = (header + "511423112001,2025/4/8,志愿服务,四月志愿服务,党支部,约30\r\n").encode("gbk")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            [{"name": "活动台账.csv", "mimeType": "text/csv", "buffer": bad}]
        )
        phone.idle(1500)
        hint = page.get_by_text("怎么改：", exact=False).first
        hint.wait_for(timeout=20000)
        box = hint.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.get_by_text("第 2 行", exact=False).first.is_visible()
        width = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        phone.shot("upload-phone-problem")
        assert phone.external == []
    finally:
        phone.close()
