"""The inbox per role: what each person has to do, the page and parameters that open it, the count
and the text for a work chat."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from services import inbox, notes, supervision
from services.db import write_transaction
from services.domain import Period, Scope
from services.models import MonthReport
from tests.supervision.conftest import NOW, A, B, C

TODAY = dt.date(2025, 4, 11)
LATER = dt.date(2025, 4, 30)


def build(oc):
    """p: 待签收 (甲); d: 退回重办 with an extension asked (甲); t: town's, answered (乙);
    c: the county's to 丙, overdue since 04-10; k: the county's, answered (乙). Months: 甲 2025-03
    returned, 乙 2025-03 submitted. A note on 甲 mentions sec-a."""
    e, P = oc.engine, oc.principal

    def issue(who, code, requirement, deadline=LATER):
        values = dict(requirement=requirement, deadline=deadline, now=NOW)
        return supervision.issue(e, P(who), compound_id=oc.ids[code], **values).id

    p = issue("town", A, "核实停车位改造投诉")
    d = issue("town", A, "补齐三月财务公开")
    supervision.sign(e, P("sec-a"), d)
    supervision.answer(e, P("sec-a"), d, "已公开")
    supervision.send_back(e, P("town"), d, "缺公示照片")
    supervision.request_extension(e, P("sec-a"), d, "公示栏维修中", dt.date(2025, 5, 10))
    t = issue("town", B, "组织业主议事")
    supervision.sign(e, P("sec-b"), t)
    supervision.answer(e, P("sec-b"), t, "已召开议事会")
    c = issue("county", C, "落实电梯加装表决结果", deadline=dt.date(2025, 4, 10))
    k = issue("county", B, "整改消防通道")
    supervision.sign(e, P("sec-b"), k)
    supervision.answer(e, P("sec-b"), k, "已清理")
    with write_transaction(e) as conn:
        conn.execute(
            insert(MonthReport),
            [
                dict(
                    compound_id=oc.ids[A],
                    month="2025-03",
                    state="returned",
                    return_reason="缺财务公开台账",
                    submitted_at=NOW,
                ),
                dict(compound_id=oc.ids[B], month="2025-03", state="submitted", return_reason=None, submitted_at=NOW),
            ],
        )
    note = notes.write_note(
        e,
        P("town"),
        view_id="cases",
        scope=Scope(compound_id=oc.ids[A]),
        period=Period("2025-03", "2025-03"),
        body="@sec-a 请说明三月纠纷增加的原因",
    )
    return dict(p=p, d=d, t=t, c=c, k=k, note=note)


def test_each_role_gets_its_own_open_items(oc):
    made = build(oc)
    sec_a = inbox.items(oc.engine, oc.principal("sec-a"), today=TODAY)
    assert [(i.kind, i.page, i.params) for i in sec_a] == [
        ("order_sign", "orders", {"order": str(made["p"])}),
        ("order_answer", "orders", {"order": str(made["d"])}),
        ("month_returned", "upload", {"month": "2025-03"}),
        (
            "note_mention",
            "cases",
            {"from": "2025-03", "to": "2025-03", "note": str(made["note"]), "compound": str(oc.ids[A])},
        ),
    ]
    assert "退回重办：缺公示照片" in sec_a[1].title and "缺财务公开台账" in sec_a[2].title
    town = inbox.items(oc.engine, oc.principal("town"), today=TODAY)
    assert [(i.kind, i.params) for i in town] == [
        ("order_accept", {"order": str(made["t"])}),  # the county's order k is the county's to accept
        ("order_extension", {"order": str(made["d"])}),
        ("month_review", {"month": "2025-03"}),
    ]
    assert "2025-05-10" in town[1].title and "公示栏维修中" in town[1].title
    county = inbox.items(oc.engine, oc.principal("county"), today=TODAY)
    assert [(i.kind, i.params) for i in county] == [
        ("orders_overdue", {"town": "511423101", "overdue": "1"}),
        ("order_accept", {"order": str(made["k"])}),
    ]
    assert county[0].title.startswith("止戈镇：逾期督办单 1 件")
    sec_c = inbox.items(oc.engine, oc.principal("sec-c"), today=TODAY)
    assert [i.kind for i in sec_c] == ["order_sign"] and sec_c[0].title.startswith("【已逾期】")
    assert inbox.items(oc.engine, oc.principal("town-zg"), today=TODAY) == []


def test_items_leave_the_inbox_when_done(oc):
    made = build(oc)
    e, P = oc.engine, oc.principal
    assert inbox.count(e, P("sec-a"), today=TODAY) == 4
    supervision.sign(e, P("sec-a"), made["p"])
    notes.mark_read(e, P("sec-a"), made["note"])
    assert [i.kind for i in inbox.items(e, P("sec-a"), today=TODAY)] == [
        "order_answer",
        "order_answer",
        "month_returned",
    ]
    supervision.decide_extension(e, P("town"), made["d"], grant=True)
    supervision.accept(e, P("town"), made["t"])
    assert [i.kind for i in inbox.items(e, P("town"), today=TODAY)] == ["month_review"]


def test_as_text_is_a_numbered_plain_summary(oc):
    build(oc)
    text = inbox.as_text(oc.engine, oc.principal("town"), today=TODAY)
    lines = text.splitlines()
    assert lines[0] == "我的待办（2025-04-11，共 3 项）"
    assert lines[1].startswith("1. 【待验收】请验收反馈 — 乙小区：组织业主议事（期限 2025-04-30）")
    assert lines[3] == "3. 【待审核月报】2025-03 有 1 个小区的月报待审核"
    assert inbox.as_text(oc.engine, oc.principal("town-zg"), today=TODAY) == "我的待办（2025-04-11）：暂无待办事项。"
