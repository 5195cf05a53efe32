"""The month's report from start to lock, in real Chromium, three people in their own browsers:
the secretary uploads activities, later the cases, submits; the town returns it with a reason;
the secretary reads the reason, replaces only the cases ledger and submits again; the town
approves; the county locks the month; the secretary's next upload is refused with the way to ask
for a correction; the correction is agreed and the upload lands. A screenshot per step."""

import pytest

from services.ledgers import ACTIVITIES, CASES
from tests.e2e.conftest import Visit
from tests.e2e.steps import Journey, choose, see
from tests.ingest.helpers import activity, case, csv_bytes, rows_for

pytestmark = pytest.mark.browser

MONTH = "2025-05"  # a month no other journey touches (they share one served database)
REASON = "诉求纠纷台账缺少首次回应日期，请补充"


def _activities(participants: str = "15") -> bytes:
    row = activity(活动日期="2025-05-06", 活动名称="五月走访慰问", 参与人数=participants)
    return csv_bytes(rows_for(ACTIVITIES, [row]))


def _cases(first_response: str = "") -> bytes:
    row = case(案件编号="E2E-1", 受理日期="2025-05-02", 首次回应日期=first_response, 办结日期="2025-05-10")
    return csv_bytes(rows_for(CASES, [row]))


def _pick(page, label: str, option: str) -> None:
    """Choose by typing, as a person does in a long list (the list may open off-screen at the bottom)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")


def _upload(visit: Visit, name: str, data: bytes, *, replace: bool = False) -> None:
    page = visit.page
    page.get_by_role("tab", name="② 上传文件").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    visit.idle(1500)
    see(page, "检查通过")
    if replace:
        page.get_by_text("我确认").first.click()
        visit.idle()
    page.get_by_role("button", name="确认导入").click()
    visit.idle(1500)
    see(page, "导入成功")


def _open_upload(visit: Visit) -> None:
    visit.goto("/upload")
    _pick(visit.page, "上报月份", MONTH)
    visit.idle()


def _state(visit: Visit, label: str) -> None:
    see(visit.page, f"{MONTH} 月报状态：{label}")


def _review(visit: Visit) -> None:
    visit.goto("/review")
    visit.page.get_by_text("审核月报").first.wait_for()


def _fits_a_phone(browser, served_app, journey: Journey) -> None:
    """The same month on a 390 px phone: its state and the 提交本月 button, no sideways scrolling."""
    phone = Visit(browser, served_app, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone.login("e2e-secretary")
        _open_upload(phone)
        _state(phone, "填报中")
        assert phone.page.get_by_role("button", name="提交本月").is_visible()
        width = phone.page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollWidth")
        assert width <= 390, f"the upload page scrolls sideways on a phone ({width}px)"
        seen, journey.visit = journey.visit, phone
        journey.step("phone-in-progress")
        journey.visit = seen
    finally:
        phone.close()


def test_a_month_from_first_ledger_to_lock_and_correction(browser, served_app):
    secretary, town, county = (Visit(browser, served_app) for _ in range(3))
    journey = Journey(secretary, "month-lifecycle")
    try:
        secretary.login("e2e-secretary")
        _open_upload(secretary)
        _upload(secretary, "五月活动台账.csv", _activities())
        secretary.goto("/upload")  # the page after a reload
        _pick(secretary.page, "上报月份", MONTH)
        secretary.idle()
        _state(secretary, "填报中")
        journey.step("activities-in")
        _fits_a_phone(browser, served_app, journey)

        _upload(secretary, "五月诉求纠纷台账.csv", _cases())
        journey.step("cases-in-later")
        secretary.page.get_by_role("button", name="提交本月").click()
        secretary.idle(1000)
        _state(secretary, "已上报")
        journey.step("submitted")

        town.login("e2e-town")
        _review(town)
        page = town.page
        page.get_by_text("退回一个月报").click()
        choose(page, "退回哪个月报", MONTH)
        page.get_by_label("退回理由（必填，书记会看到）").fill(REASON)
        page.get_by_role("button", name="退回", exact=True).click()
        town.idle(1000)
        see(page, f"已退回 甲小区 {MONTH}")
        journey.visit = town
        journey.step("town-returns")

        journey.visit = secretary
        secretary.goto("/")  # the secretary's first page says it before anything else
        see(secretary.page, REASON)
        journey.step("secretary-sees-reason")
        _open_upload(secretary)
        _state(secretary, "已退回")
        _upload(secretary, "五月诉求纠纷台账-更正.csv", _cases(first_response="2025-05-03"), replace=True)
        see(secretary.page, "其他台账保持不变：活动台账 1 行")
        secretary.page.get_by_role("button", name="提交本月").click()
        secretary.idle(1000)
        _state(secretary, "已上报")
        journey.step("cases-replaced-and-resubmitted")

        _review(town)
        page = town.page
        choose(page, "选择要审核通过的月报", MONTH)
        page.keyboard.press("Escape")
        page.get_by_role("button", name="审核通过所选（1 个）").click()
        town.idle(1000)
        see(page, "已审核通过 1 个月报")
        journey.visit = town
        journey.step("town-approves")

        county.login("e2e-county")
        _review(county)
        _pick(county.page, "月份", MONTH)
        county.idle()
        county.page.get_by_role("button", name="锁定该月").click()
        county.idle(1000)
        see(county.page, f"{MONTH} 已锁定。")
        journey.visit = county
        journey.step("county-locks")

        journey.visit = secretary
        _open_upload(secretary)
        _state(secretary, "已锁定")
        assert secretary.page.get_by_role("tab", name="② 上传文件").count() == 0  # nothing to upload into
        secretary.page.locator('[data-testid="stExpander"] summary').filter(has_text="申请更正").click()
        secretary.page.get_by_label("更正理由（必填：哪本台账、哪里有误）").fill("活动人数少报5人")
        secretary.page.get_by_role("button", name="提交更正申请").click()
        secretary.idle(1000)
        see(secretary.page, "更正申请等待审核：活动人数少报5人")
        journey.step("upload-refused-correction-asked")

        _review(town)
        town.page.get_by_role("button", name="同意更正").click()
        town.idle(1000)
        journey.visit = town
        journey.step("town-agrees-correction")

        journey.visit = secretary
        _open_upload(secretary)
        _state(secretary, "填报中")
        fixed = csv_bytes(
            rows_for(ACTIVITIES, [activity(活动日期="2025-05-06", 活动名称="五月走访慰问", 参与人数="20")])
        )
        _upload(secretary, "五月活动台账-更正.csv", fixed, replace=True)
        see(secretary.page, "本月在审核通过后经更正修改过")
        journey.step("correction-lands")
        for visit in (secretary, town, county):
            assert visit.exceptions() == 0
    finally:
        for visit in (secretary, town, county):
            visit.close()
