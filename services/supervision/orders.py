"""Supervision orders (督办单): from a warning to a finished job.

    待签收 ──签收──▶ 办理中 ──反馈──▶ 已反馈 ──办结──▶ 已办结
                       ▲                 │
                       └── 退回重办 ◀────┘ (reason)

- A town official (their own town's compounds), a county official or an administrator issues an
  order to a compound: its secretary is responsible, its town is copied. The issuer side accepts
  or sends back: an order issued by a town official may be handled by that town, the county or an
  administrator; one issued by the county or an administrator only by the county or an administrator.
- The responsible compound may ask for more time (延期申请, a reason and a later date) while the
  order is open; the issuer side grants it (the deadline moves, ``original_deadline`` stays) or
  refuses it with a reason. One request may be open at a time.
- Overdue: the (granted) deadline has passed and the order is not 已办结. A reminder (催办) from the
  issuer side is an event and adds one to the order's count.

Every step locks the order's row, re-reads it and checks it (``expected_revision`` as the page saw
it), so of two people acting on one order exactly one wins; each step is an ``OrderEvent`` (who,
when, why) and an audit entry. Free text may not contain resident ID or mobile numbers.
Reads for the pages are in ``reads``, the figures county practice reports in ``figures``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, update

from services import audit
from services.access import PermissionDenied, Principal
from services.db import write_transaction
from services.models import Compound, OrderAttachment, OrderEvent, SupervisionOrder, utcnow
from services.month_reports import TransitionRefused
from services.pii import find_pii
from services.supervision import attachments

STATE_LABELS = {"pending": "待签收", "doing": "办理中", "answered": "已反馈", "closed": "已办结"}
SOURCE_LABELS = {
    "alert": "预警",
    "profile": "小区档案",
    "case": "超期诉求纠纷",
    "vote": "表决未落实",
    "report": "未按时上报",
    "scratch": "直接交办",
}
PRIORITIES = ("一般", "紧急")
ISSUERS = frozenset({"admin", "county", "town"})
BEIJING = dt.timedelta(hours=8)  # times are stored in UTC; deadlines are Beijing dates
MAX_TEXT = 2000


class OrderRefused(TransitionRefused):
    """The order cannot make this step now; the message (Chinese) says why and what to do."""


def beijing_date(moment: dt.datetime) -> dt.date:
    """The Beijing calendar day of a stored (UTC) time."""
    return (moment + BEIJING).date()


def beijing_today() -> dt.date:
    return beijing_date(utcnow())


@dataclass(frozen=True)
class Order:
    """One order as the state machine sees it."""

    id: int
    compound_id: int
    town_code: str
    source_kind: str
    source_ref: str | None
    requirement: str
    priority: str
    original_deadline: dt.date
    deadline: dt.date
    state: str
    issued_by: int | None
    issuer_role: str
    issued_at: dt.datetime
    signed_at: dt.datetime | None
    answered_at: dt.datetime | None
    feedback: str | None
    return_reason: str | None
    returned_times: int
    closed_at: dt.datetime | None
    reminders: int
    extension_requested_at: dt.datetime | None
    extension_reason: str | None
    extension_date: dt.date | None
    revision: int

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def extension_pending(self) -> bool:
        return self.extension_requested_at is not None

    def overdue(self, today: dt.date | None = None) -> bool:
        """Past the (granted) deadline and not 已办结."""
        return self.state != "closed" and self.deadline < (today or beijing_today())

    @property
    def closed_on_time(self) -> bool | None:
        """None while open; else whether it closed on or before the (granted) deadline."""
        return None if self.closed_at is None else beijing_date(self.closed_at) <= self.deadline


_FIELDS = [name for name in Order.__dataclass_fields__]


def _load(conn: Connection, order_id: int, *, lock: bool) -> Order:
    stmt = select(*[getattr(SupervisionOrder, name) for name in _FIELDS]).where(SupervisionOrder.id == order_id)
    if lock:
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    if row is None:
        raise OrderRefused("没有这份督办单，请刷新页面后重试。")
    return Order(*row)


def order_state(engine: Engine, order_id: int) -> Order:
    """Where one order stands (callers check the principal may see it; pages use ``order_detail``)."""
    with engine.connect() as conn:
        return _load(conn, order_id, lock=False)


def text_field(text: str | None, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str | None:
    """Trimmed free text: required ones need two characters; none may hold ID or mobile numbers."""
    value = (text or "").strip()
    if not value:
        if required:
            raise OrderRefused(f"请填写{what}（至少两个字）。")
        return None
    if required and len(value) < 2:
        raise OrderRefused(f"请填写{what}（至少两个字）。")
    if len(value) > limit:
        raise OrderRefused(f"{what}请控制在 {limit} 字以内。")
    if find_pii(value):
        raise OrderRefused(f"{what}中不要写身份证号或手机号，请删去后再提交。")
    return value


# ---- who may act ----


def may_issue(principal: Principal, town_code: str) -> bool:
    """Town officials for their own town's compounds, county officials and administrators."""
    if principal.role in ("admin", "county"):
        return True
    return principal.role == "town" and principal.town_code == town_code


def is_responsible(principal: Principal, order: Order) -> bool:
    """The compound's secretary (administrators may act for them, as with the month's report)."""
    return principal.role == "admin" or (principal.role == "secretary" and principal.compound_id == order.compound_id)


def is_issuer_side(principal: Principal, order: Order) -> bool:
    """Who may accept, send back, decide extensions and remind: the issuing level or above."""
    if principal.role in ("admin", "county"):
        return True
    return order.issuer_role == "town" and principal.role == "town" and principal.town_code == order.town_code


def _require_responsible(principal: Principal, order: Order) -> None:
    if not is_responsible(principal, order):
        raise PermissionDenied("只有被督办小区的书记可以办理这份督办单。")


def _require_issuer_side(principal: Principal, order: Order) -> None:
    if not is_issuer_side(principal, order):
        if order.issuer_role != "town" and principal.role == "town":
            raise PermissionDenied("这份督办单由县级交办，须由县级账号验收和处理。")
        raise PermissionDenied("只有交办方（本镇、县级账号或管理员）可以处理这份督办单。")


def _changed(order: Order, expected_revision: int | None) -> None:
    if expected_revision is not None and order.revision != expected_revision:
        raise OrderRefused(f"督办单 {order.id} 刚刚被他人处理过（现为“{order.label}”），请刷新后再看。")


# ---- writing ----


def _event(
    conn: Connection,
    principal: Principal,
    order_id: int,
    action: str,
    now: dt.datetime,
    *,
    note: str | None = None,
    **detail,
) -> int:
    event_id = conn.execute(
        insert(OrderEvent).values(
            order_id=order_id,
            action=action,
            at=now,
            user_id=principal.user_id,
            username=principal.username,
            note=note,
            detail=detail or None,
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has its key
    audit.record(
        conn,
        action=f"order.{action}",
        username=principal.username,
        user_id=principal.user_id,
        target=f"order/{order_id}",
        detail={"order_id": order_id, **({"note": note} if note else {}), **detail},
        at=now,
    )
    return int(event_id)


def _write(conn: Connection, order: Order, values: dict) -> None:
    conn.execute(
        update(SupervisionOrder)
        .where(SupervisionOrder.id == order.id)
        .values(revision=order.revision + 1, updated_at=utcnow(), **values)
    )


def issue(
    engine: Engine,
    principal: Principal,
    *,
    compound_id: int,
    requirement: str,
    deadline: dt.date,
    priority: str = "一般",
    source_kind: str = "scratch",
    source_ref: str | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """交办: a new order (待签收) to ``compound_id``, whose town is copied onto it."""
    now = now or utcnow()
    if principal.role not in ISSUERS:
        raise PermissionDenied("只有镇（街道）、县级账号或管理员可以交办督办单。")
    requirement_text = text_field(requirement, "督办要求")
    reference = text_field(source_ref, "关联事项", required=False, limit=200)
    if priority not in PRIORITIES:
        raise OrderRefused("紧急程度应为“一般”或“紧急”。")
    if source_kind not in SOURCE_LABELS:
        raise OrderRefused("督办来源不明，请从预警、小区档案等页面发起，或选择“直接交办”。")
    if deadline < beijing_date(now):
        raise OrderRefused("办理期限不能早于今天。")
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(Compound.town_code, Compound.active).where(Compound.id == compound_id).with_for_update()
        ).first()
        if row is None or not row.active:
            raise OrderRefused("没有这个小区（或已停用），请刷新页面后重试。")
        if not may_issue(principal, row.town_code):
            raise PermissionDenied("镇级账号只能向本镇的小区交办督办单。")
        order_id = conn.execute(
            insert(SupervisionOrder).values(
                compound_id=compound_id,
                town_code=row.town_code,
                source_kind=source_kind,
                source_ref=reference,
                requirement=requirement_text,
                priority=priority,
                original_deadline=deadline,
                deadline=deadline,
                state="pending",
                issued_by=principal.user_id,
                issuer_role=principal.role,
                issued_at=now,
                returned_times=0,
                reminders=0,
                revision=1,
                updated_at=utcnow(),
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        _event(
            conn,
            principal,
            order_id,
            "issue",
            now,
            note=requirement_text,
            compound_id=compound_id,
            deadline=deadline.isoformat(),
            priority=priority,
            source_kind=source_kind,
            source_ref=reference,
        )
        return _load(conn, order_id, lock=False)


def sign(
    engine: Engine, principal: Principal, order_id: int, *, expected_revision: int | None = None, now=None
) -> Order:
    """签收: 待签收 → 办理中 (the responsible compound's secretary)."""
    now = now or utcnow()
    with write_transaction(engine) as conn:
        order = _load(conn, order_id, lock=True)
        _require_responsible(principal, order)
        _changed(order, expected_revision)
        if order.state != "pending":
            raise OrderRefused(f"督办单 {order_id} 现为“{order.label}”，已经签收过了。")
        _write(conn, order, {"state": "doing", "signed_at": now})
        _event(conn, principal, order_id, "sign", now)
        return _load(conn, order_id, lock=False)


def answer(
    engine: Engine,
    principal: Principal,
    order_id: int,
    feedback: str,
    *,
    files: Sequence[tuple[str, bytes]] = (),
    expected_revision: int | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """反馈: 办理中 → 已反馈, with what was done and optional files (JPEG/PNG/PDF, ≤ 5 MB each)."""
    now = now or utcnow()
    text = text_field(feedback, "办理情况")
    if len(files) > attachments.MAX_FILES:
        raise OrderRefused(f"附件最多 {attachments.MAX_FILES} 个。")
    cleaned = [attachments.clean(name, content) for name, content in files]  # refuses before anything is written
    for item in cleaned:
        if find_pii(item.file_name):
            raise OrderRefused("附件的文件名中不要写身份证号或手机号，请改名后再上传。")
    with write_transaction(engine) as conn:
        order = _load(conn, order_id, lock=True)
        _require_responsible(principal, order)
        _changed(order, expected_revision)
        if order.state == "pending":
            raise OrderRefused(f"督办单 {order_id} 还没有签收，请先签收再反馈办理情况。")
        if order.state != "doing":
            raise OrderRefused(f"督办单 {order_id} 现为“{order.label}”，不能再反馈。")
        _write(conn, order, {"state": "answered", "answered_at": now, "feedback": text})
        event_id = _event(
            conn, principal, order_id, "answer", now, note=text, files=[item.file_name for item in cleaned]
        )
        for item in cleaned:
            conn.execute(
                insert(OrderAttachment).values(
                    order_id=order_id,
                    event_id=event_id,
                    file_name=item.file_name,
                    media_type=item.media_type,
                    size=item.size,
                    sha256=item.sha256,
                    content=item.content,
                    uploaded_by=principal.user_id,
                    uploaded_at=now,
                )
            )
        return _load(conn, order_id, lock=False)


def accept(
    engine: Engine, principal: Principal, order_id: int, *, expected_revision: int | None = None, now=None
) -> Order:
    """办结: 已反馈 → 已办结 (the issuer side accepts the feedback)."""
    now = now or utcnow()
    with write_transaction(engine) as conn:
        order = _load(conn, order_id, lock=True)
        _require_issuer_side(principal, order)
        _changed(order, expected_revision)
        if order.state != "answered":
            raise OrderRefused(f"督办单 {order_id} 现为“{order.label}”，只有已反馈的督办单可以办结。")
        _write(conn, order, {"state": "closed", "closed_at": now})
        on_time = beijing_date(now) <= order.deadline
        _event(conn, principal, order_id, "accept", now, on_time=on_time)
        return _load(conn, order_id, lock=False)


def send_back(
    engine: Engine,
    principal: Principal,
    order_id: int,
    reason: str,
    *,
    expected_revision: int | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """退回重办: 已反馈 → 办理中, with the reason the secretary will read."""
    now = now or utcnow()
    text = text_field(reason, "退回理由")
    with write_transaction(engine) as conn:
        order = _load(conn, order_id, lock=True)
        _require_issuer_side(principal, order)
        _changed(order, expected_revision)
        if order.state != "answered":
            raise OrderRefused(f"督办单 {order_id} 现为“{order.label}”，只有已反馈的督办单可以退回重办。")
        _write(conn, order, {"state": "doing", "return_reason": text, "returned_times": order.returned_times + 1})
        _event(conn, principal, order_id, "return", now, note=text)
        return _load(conn, order_id, lock=False)


def request_extension(
    engine: Engine,
    principal: Principal,
    order_id: int,
    reason: str,
    new_deadline: dt.date,
    *,
    expected_revision: int | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """延期申请: the responsible compound asks for a later deadline, with a reason."""
    now = now or utcnow()
    text = text_field(reason, "延期理由")
    with write_transaction(engine) as conn:
        order = _load(conn, order_id, lock=True)
        _require_responsible(principal, order)
        _changed(order, expected_revision)
        if order.state not in ("pending", "doing"):
            raise OrderRefused(f"督办单 {order_id} 现为“{order.label}”，不能再申请延期。")
        if order.extension_pending:
            raise OrderRefused(f"督办单 {order_id} 已有一份延期申请在等待答复。")
        if new_deadline <= order.deadline:
            raise OrderRefused(f"申请的新期限应晚于现在的期限（{order.deadline.isoformat()}）。")
        _write(
            conn,
            order,
            {"extension_requested_at": now, "extension_reason": text, "extension_date": new_deadline},
        )
        _event(conn, principal, order_id, "extension_request", now, note=text, new_deadline=new_deadline.isoformat())
        return _load(conn, order_id, lock=False)


def decide_extension(
    engine: Engine,
    principal: Principal,
    order_id: int,
    *,
    grant: bool,
    note: str | None = None,
    expected_revision: int | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """Grant (the deadline moves; the original stays on record) or refuse (a reason is required)."""
    now = now or utcnow()
    text = text_field(note, "说明", required=False) if grant else text_field(note, "不同意延期的理由")
    with write_transaction(engine) as conn:
        order = _load(conn, order_id, lock=True)
        _require_issuer_side(principal, order)
        _changed(order, expected_revision)
        if not order.extension_pending or order.extension_date is None:
            raise OrderRefused(f"督办单 {order_id} 没有待答复的延期申请。")
        if order.state == "closed":
            raise OrderRefused(f"督办单 {order_id} 已办结。")
        values: dict = {"extension_requested_at": None, "extension_reason": None, "extension_date": None}
        if grant:
            values["deadline"] = order.extension_date
        _write(conn, order, values)
        _event(
            conn,
            principal,
            order_id,
            "extension_granted" if grant else "extension_refused",
            now,
            note=text,
            asked=order.extension_date.isoformat(),
            deadline_before=order.deadline.isoformat(),
        )
        return _load(conn, order_id, lock=False)


def remind(
    engine: Engine, principal: Principal, order_id: int, *, note: str | None = None, now: dt.datetime | None = None
) -> Order:
    """催办: logged and counted; the issuer side, while the order is not 已办结."""
    now = now or utcnow()
    text = text_field(note, "催办说明", required=False, limit=500)
    with write_transaction(engine) as conn:
        order = _load(conn, order_id, lock=True)
        _require_issuer_side(principal, order)
        _remind_in(conn, principal, order, text, now)
        return _load(conn, order_id, lock=False)


def _remind_in(conn: Connection, principal: Principal, order: Order, note: str | None, now: dt.datetime) -> None:
    if order.state == "closed":
        raise OrderRefused(f"督办单 {order.id} 已办结，无需催办。")
    _write(conn, order, {"reminders": order.reminders + 1})
    _event(conn, principal, order.id, "remind", now, note=note, count=order.reminders + 1)


def remind_overdue(
    engine: Engine,
    principal: Principal,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[int]:
    """催办 every overdue order the principal is on the issuer side of, once a day at most (a
    second run the same day reminds nobody again); returns the orders reminded."""
    now = now or utcnow()
    today = today or beijing_date(now)
    if principal.role not in ISSUERS:
        raise PermissionDenied("只有交办方（镇、县级账号或管理员）可以催办。")
    day_start = dt.datetime.combine(today, dt.time()) - BEIJING
    reminded_today = (
        select(OrderEvent.order_id).where(OrderEvent.action == "remind", OrderEvent.at >= day_start).distinct()
    )
    stmt = select(SupervisionOrder.id).where(
        SupervisionOrder.state != "closed",
        SupervisionOrder.deadline < today,
        SupervisionOrder.id.not_in(reminded_today),
    )
    if principal.role == "town":
        stmt = stmt.where(SupervisionOrder.town_code == principal.town_code)
    done = []
    with write_transaction(engine) as conn:
        for (order_id,) in conn.execute(stmt.order_by(SupervisionOrder.id)).all():
            order = _load(conn, order_id, lock=True)
            if is_issuer_side(principal, order):
                _remind_in(conn, principal, order, "逾期自动催办", now)
                done.append(order_id)
    return done
