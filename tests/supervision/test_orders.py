"""The supervision order's state machine on SQLite and PostgreSQL: every allowed and refused step,
by role and scope; conflicts; overdue with an injected ``today``; reminders; extensions."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from services import supervision
from services.access import PermissionDenied, clamp
from services.domain import Scope
from services.models import AuditEntry, OrderEvent
from services.supervision import OrderRefused
from tests.ingest.helpers import ID_NUMBER, MOBILE
from tests.supervision.conftest import DEADLINE, NOW, A, B, C

LATER = NOW + dt.timedelta(hours=1)


def issue(oc, who="town", code=A, **kw):
    values = dict(requirement="请于期限内完成停车位改造的矛盾调处", deadline=DEADLINE, now=NOW) | kw
    return supervision.issue(oc.engine, oc.principal(who), compound_id=oc.ids[code], **values)


def events(oc, order_id) -> list[tuple[str, str]]:
    with oc.engine.connect() as conn:
        return [
            (action, user)
            for action, user in conn.execute(
                select(OrderEvent.action, OrderEvent.username)
                .where(OrderEvent.order_id == order_id)
                .order_by(OrderEvent.id)
            )
        ]


def audited(oc, order_id) -> list[str]:
    with oc.engine.connect() as conn:
        stmt = select(AuditEntry.action).where(AuditEntry.target == f"order/{order_id}").order_by(AuditEntry.id)
        return list(conn.execute(stmt).scalars())


@pytest.mark.parametrize(
    ("who", "code", "allowed"),
    [
        ("town", A, True),
        ("town", C, False),  # another town's compound
        ("town-zg", C, True),
        ("county", C, True),
        ("admin", B, True),
        ("sec-a", A, False),
    ],
)
def test_who_may_issue(oc, who, code, allowed):
    if not allowed:
        with pytest.raises(PermissionDenied):
            issue(oc, who, code)
        return
    order = issue(oc, who, code, priority="紧急", source_kind="case", source_ref="CASE-2025-007")
    assert (order.state, order.label, order.priority) == ("pending", "待签收", "紧急")
    assert order.town_code == ("511423101" if code == C else "511423112")  # the compound's town, copied
    assert order.original_deadline == order.deadline == DEADLINE
    assert (order.source_kind, order.source_ref, order.issuer_role) == ("case", "CASE-2025-007", oc.principal(who).role)
    assert events(oc, order.id) == [("issue", who)]
    assert audited(oc, order.id) == ["order.issue"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"requirement": " "}, "督办要求"),
        ({"requirement": f"请联系住户 {MOBILE}"}, "手机号"),
        ({"requirement": f"住户身份证 {ID_NUMBER} 的诉求"}, "身份证号"),
        ({"source_ref": f"联系人{MOBILE}"}, "手机号"),
        ({"priority": "特急"}, "紧急程度"),
        ({"source_kind": "rumour"}, "来源"),
        ({"deadline": dt.date(2025, 3, 31)}, "不能早于今天"),
        ({"requirement": "要" * 2001}, "2000"),
    ],
)
def test_issue_refuses_bad_input(oc, change, message):
    with pytest.raises(OrderRefused, match=message):
        issue(oc, **change)


def test_every_step_in_order_and_every_step_refused_out_of_order(oc):
    order = issue(oc)
    e, oid = oc.engine, order.id
    sec_a = oc.principal("sec-a")
    # 待签收: only signing (by the responsible secretary) moves it
    with pytest.raises(OrderRefused, match="请先签收"):
        supervision.answer(e, sec_a, oid, "已完成")
    with pytest.raises(OrderRefused, match="只有已反馈"):
        supervision.accept(e, oc.principal("town"), oid)
    with pytest.raises(OrderRefused, match="只有已反馈"):
        supervision.send_back(e, oc.principal("town"), oid, "材料不全")
    for other in ("sec-b", "sec-c", "town", "county"):
        with pytest.raises(PermissionDenied, match="书记"):
            supervision.sign(e, oc.principal(other), oid)
    order = supervision.sign(e, sec_a, oid, now=LATER)
    assert (order.state, order.signed_at) == ("doing", LATER)
    with pytest.raises(OrderRefused, match="已经签收"):
        supervision.sign(e, sec_a, oid)
    # 办理中: the secretary answers; nobody else may
    with pytest.raises(PermissionDenied):
        supervision.answer(e, oc.principal("town"), oid, "已完成")
    with pytest.raises(OrderRefused, match="办理情况"):
        supervision.answer(e, sec_a, oid, "")
    with pytest.raises(OrderRefused, match="手机号"):
        supervision.answer(e, sec_a, oid, f"已电话联系 {MOBILE}")
    with pytest.raises(OrderRefused, match="只有已反馈"):
        supervision.accept(e, oc.principal("town"), oid)
    order = supervision.answer(e, sec_a, oid, "已召开协调会，施工时间调整到白天")
    assert (order.state, order.feedback) == ("answered", "已召开协调会，施工时间调整到白天")
    with pytest.raises(OrderRefused, match="不能再反馈"):
        supervision.answer(e, sec_a, oid, "再补充一点")
    # 已反馈: the issuer side accepts or sends back; the secretary and other towns may not
    for other in ("sec-a", "sec-b", "town-zg"):
        with pytest.raises(PermissionDenied):
            supervision.accept(e, oc.principal(other), oid)
        with pytest.raises(PermissionDenied):
            supervision.send_back(e, oc.principal(other), oid, "材料不全")
    with pytest.raises(OrderRefused, match="退回理由"):
        supervision.send_back(e, oc.principal("town"), oid, " ")
    order = supervision.send_back(e, oc.principal("town"), oid, "没有附现场照片")
    assert (order.state, order.label, order.return_reason, order.returned_times) == (
        "doing",
        "办理中",
        "没有附现场照片",
        1,
    )
    order = supervision.answer(e, sec_a, oid, "已补现场照片")
    order = supervision.accept(e, oc.principal("town"), oid, now=NOW + dt.timedelta(days=3))
    assert (order.state, order.label, order.closed_on_time) == ("closed", "已办结", True)
    # 已办结: nothing moves any more
    with pytest.raises(OrderRefused):
        supervision.accept(e, oc.principal("town"), oid)
    with pytest.raises(OrderRefused, match="已办结"):
        supervision.remind(e, oc.principal("town"), oid)
    with pytest.raises(OrderRefused, match="不能再申请延期"):
        supervision.request_extension(e, sec_a, oid, "需要更多时间", dt.date(2025, 5, 1))
    assert [action for action, _ in events(oc, oid)] == [
        "issue",
        "sign",
        "answer",
        "return",
        "answer",
        "accept",
    ]
    assert audited(oc, oid) == [
        "order.issue",
        "order.sign",
        "order.answer",
        "order.return",
        "order.answer",
        "order.accept",
    ]


def test_the_issuing_level_or_above_accepts(oc):
    by_county = issue(oc, "county", A)
    by_town = issue(oc, "town", B)
    for order, secretary in ((by_county, "sec-a"), (by_town, "sec-b")):
        supervision.sign(oc.engine, oc.principal(secretary), order.id)
        supervision.answer(oc.engine, oc.principal(secretary), order.id, "已办理完毕")
    with pytest.raises(PermissionDenied, match="县级交办"):
        supervision.accept(oc.engine, oc.principal("town"), by_county.id)
    assert supervision.accept(oc.engine, oc.principal("county"), by_county.id).state == "closed"
    assert supervision.accept(oc.engine, oc.principal("county"), by_town.id).state == "closed"  # the county is above


def test_admin_may_act_for_the_secretary(oc):
    order = issue(oc)
    assert supervision.sign(oc.engine, oc.principal("admin"), order.id).state == "doing"


def test_two_people_acting_on_one_order_cannot_both_win(oc):
    order = issue(oc)
    supervision.sign(oc.engine, oc.principal("sec-a"), order.id)
    seen = supervision.answer(oc.engine, oc.principal("sec-a"), order.id, "已办理").revision
    supervision.accept(oc.engine, oc.principal("town"), order.id, expected_revision=seen)
    with pytest.raises(OrderRefused, match="刚刚被他人处理过（现为“已办结”）"):
        supervision.send_back(oc.engine, oc.principal("county"), order.id, "不满意", expected_revision=seen)


def test_overdue_is_past_the_granted_deadline_and_not_closed(oc):
    open_order = issue(oc, code=A)
    closed = issue(oc, code=B)
    extended = issue(oc, "town-zg", C)
    supervision.sign(oc.engine, oc.principal("sec-b"), closed.id)
    supervision.answer(oc.engine, oc.principal("sec-b"), closed.id, "已办理")
    supervision.accept(oc.engine, oc.principal("town"), closed.id, now=dt.datetime(2025, 4, 12, 2))
    supervision.request_extension(oc.engine, oc.principal("sec-c"), extended.id, "施工队排期", dt.date(2025, 4, 20))
    supervision.decide_extension(oc.engine, oc.principal("town-zg"), extended.id, grant=True)
    county = clamp(oc.principal("county"), Scope())

    def overdue_on(day):
        frame = supervision.orders(oc.engine, county, overdue=True, today=day)
        return sorted(frame["id"])

    assert overdue_on(dt.date(2025, 4, 10)) == []  # the deadline day itself is in time
    assert overdue_on(dt.date(2025, 4, 11)) == [open_order.id]  # closed late but closed; extended to 4-20
    assert overdue_on(dt.date(2025, 4, 21)) == [open_order.id, extended.id]
    late = supervision.order_state(oc.engine, closed.id)
    assert late.closed_on_time is False and not late.overdue(dt.date(2025, 5, 1))


def test_extension_granted_keeps_the_original_deadline_refused_needs_a_reason(oc):
    order = issue(oc)
    e, sec_a, town = oc.engine, oc.principal("sec-a"), oc.principal("town")
    with pytest.raises(OrderRefused, match="没有待答复"):
        supervision.decide_extension(e, town, order.id, grant=True)
    with pytest.raises(OrderRefused, match="应晚于"):
        supervision.request_extension(e, sec_a, order.id, "材料未到", DEADLINE)
    with pytest.raises(PermissionDenied):
        supervision.request_extension(e, oc.principal("sec-b"), order.id, "材料未到", dt.date(2025, 4, 20))
    with pytest.raises(OrderRefused, match="延期理由"):
        supervision.request_extension(e, sec_a, order.id, "", dt.date(2025, 4, 20))
    asked = supervision.request_extension(e, sec_a, order.id, "材料未到", dt.date(2025, 4, 20))
    assert (asked.extension_pending, asked.extension_date, asked.deadline) == (True, dt.date(2025, 4, 20), DEADLINE)
    with pytest.raises(OrderRefused, match="已有一份延期申请"):
        supervision.request_extension(e, sec_a, order.id, "再延一点", dt.date(2025, 4, 25))
    with pytest.raises(PermissionDenied):
        supervision.decide_extension(e, sec_a, order.id, grant=True)
    with pytest.raises(PermissionDenied):
        supervision.decide_extension(e, oc.principal("town-zg"), order.id, grant=True)
    with pytest.raises(OrderRefused, match="不同意延期的理由"):
        supervision.decide_extension(e, town, order.id, grant=False)
    refused = supervision.decide_extension(e, town, order.id, grant=False, note="期限内可以完成")
    assert (refused.extension_pending, refused.deadline) == (False, DEADLINE)
    supervision.request_extension(e, sec_a, order.id, "施工队排期", dt.date(2025, 4, 25))
    granted = supervision.decide_extension(e, town, order.id, grant=True)
    assert (granted.deadline, granted.original_deadline, granted.extension_pending) == (
        dt.date(2025, 4, 25),
        DEADLINE,
        False,
    )
    assert [a for a, _ in events(oc, order.id)] == [
        "issue",
        "extension_request",
        "extension_refused",
        "extension_request",
        "extension_granted",
    ]
    row = supervision.orders(oc.engine, clamp(town, Scope())).iloc[0]
    assert (row["extended"], row["original_deadline"], row["deadline"]) == (True, DEADLINE, dt.date(2025, 4, 25))


def test_reminders_are_logged_and_counted_by_the_issuer_side(oc):
    order = issue(oc)
    with pytest.raises(PermissionDenied):
        supervision.remind(oc.engine, oc.principal("sec-a"), order.id)
    with pytest.raises(PermissionDenied):
        supervision.remind(oc.engine, oc.principal("town-zg"), order.id)
    supervision.remind(oc.engine, oc.principal("town"), order.id, note="请尽快签收")
    assert supervision.remind(oc.engine, oc.principal("county"), order.id).reminders == 2
    assert events(oc, order.id)[1:] == [("remind", "town"), ("remind", "county")]
    assert audited(oc, order.id).count("order.remind") == 2


def test_remind_overdue_reminds_each_overdue_order_in_scope_once_a_day(oc):
    overdue_a = issue(oc, code=A)
    issue(oc, code=B, deadline=dt.date(2025, 4, 30))  # not yet due
    overdue_c = issue(oc, "county", C)
    day = dt.date(2025, 4, 11)
    moment = dt.datetime(2025, 4, 11, 1)
    # the town official reaches only their own town's orders
    assert supervision.remind_overdue(oc.engine, oc.principal("town"), today=day, now=moment) == [overdue_a.id]
    assert supervision.remind_overdue(oc.engine, oc.principal("county"), today=day, now=moment) == [overdue_c.id]
    assert supervision.remind_overdue(oc.engine, oc.principal("county"), today=day, now=moment) == []  # same day
    next_day = supervision.remind_overdue(
        oc.engine, oc.principal("county"), today=day + dt.timedelta(days=1), now=moment + dt.timedelta(days=1)
    )
    assert next_day == [overdue_a.id, overdue_c.id]
    assert supervision.order_state(oc.engine, overdue_a.id).reminders == 2
    with pytest.raises(PermissionDenied):
        supervision.remind_overdue(oc.engine, oc.principal("sec-a"), today=day)


def test_reads_are_scoped(oc):
    a, b, c = issue(oc, code=A), issue(oc, code=B), issue(oc, "county", C)

    def ids(who, scope=None):
        return sorted(supervision.orders(oc.engine, clamp(oc.principal(who), scope or Scope()))["id"])

    assert ids("sec-a") == [a.id]
    assert ids("town") == [a.id, b.id]
    assert ids("town-zg") == [c.id]
    assert ids("county") == ids("admin") == [a.id, b.id, c.id]
    assert ids("county", Scope(town_code="511423101")) == [c.id]
    with pytest.raises(PermissionDenied):
        supervision.order_detail(oc.engine, clamp(oc.principal("sec-b"), Scope()), a.id)
    with pytest.raises(PermissionDenied):
        supervision.order_detail(oc.engine, clamp(oc.principal("town-zg"), Scope()), a.id)
    with pytest.raises(PermissionDenied):
        clamp(oc.principal("town"), Scope(town_code="511423101"))
    detail = supervision.order_detail(oc.engine, clamp(oc.principal("sec-a"), Scope()), a.id)
    assert (detail.name, detail.state_label, list(detail.events["label"])) == ("甲小区", "待签收", ["交办"])
    with pytest.raises(TypeError):
        supervision.orders(oc.engine, Scope())  # an unclamped scope is refused


def test_open_orders_by_source_tells_the_alerts_page_what_is_already_issued(oc):
    first = issue(oc, code=A, source_kind="case", source_ref="C-1")
    issue(oc, code=B, source_kind="vote", source_ref="V-9")
    town = clamp(oc.principal("town"), Scope())
    assert supervision.open_orders_by_source(oc.engine, town, "case") == {(oc.ids[A], "case", "C-1"): first.id}
    supervision.sign(oc.engine, oc.principal("sec-a"), first.id)
    supervision.answer(oc.engine, oc.principal("sec-a"), first.id, "已办理")
    supervision.accept(oc.engine, oc.principal("town"), first.id)
    assert supervision.open_orders_by_source(oc.engine, town, "case") == {}


def test_every_page_read_is_a_scoped_read():
    from services import notes
    from services.access import is_scoped_read

    reads = [supervision.orders, supervision.order_detail, supervision.attachment, supervision.open_orders_by_source]
    reads += [supervision.figures, supervision.figures_by, notes.notes]
    assert all(is_scoped_read(read) for read in reads)


def _race(jobs: dict) -> dict:
    start, outcome = threading.Barrier(len(jobs)), {}

    def act(name, action):
        start.wait()
        try:
            outcome[name] = action()
        except Exception as exc:
            outcome[name] = exc

    threads = [threading.Thread(target=act, args=item) for item in jobs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcome


def test_accepting_and_sending_back_at_once_ends_with_one_of_them(oc):
    order = issue(oc, "town", A)
    supervision.sign(oc.engine, oc.principal("sec-a"), order.id)
    seen = supervision.answer(oc.engine, oc.principal("sec-a"), order.id, "已办理").revision
    outcome = _race(
        {
            "town": lambda: supervision.accept(oc.engine, oc.principal("town"), order.id, expected_revision=seen),
            "county": lambda: supervision.send_back(
                oc.engine, oc.principal("county"), order.id, "照片不清楚", expected_revision=seen
            ),
        }
    )
    losers = [r for r in outcome.values() if isinstance(r, Exception)]
    winners = [r for r in outcome.values() if not isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, outcome
    assert isinstance(losers[0], OrderRefused) and "刚刚被他人处理过" in str(losers[0])
    assert supervision.order_state(oc.engine, order.id).state == winners[0].state
    assert len([a for a in audited(oc, order.id) if a in ("order.accept", "order.return")]) == 1


def test_two_reminders_at_once_are_both_counted(oc):
    order = issue(oc, "town", A)
    town, county = oc.principal("town"), oc.principal("county")
    outcome = _race(
        {
            "town": lambda: supervision.remind(oc.engine, town, order.id),
            "county": lambda: supervision.remind(oc.engine, county, order.id),
        }
    )
    assert not [r for r in outcome.values() if isinstance(r, Exception)], outcome
    assert supervision.order_state(oc.engine, order.id).reminders == 2
