"""What the pages read about supervision orders: the list, one order with its history and files,
a stored file, and which alerts already have an open order. Each read is ``@scoped_read``: a
secretary reads their compound's orders, a town official their town's, the county all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from services.access import ClampedScope, PermissionDenied, scoped_read
from services.domain import Period
from services.models import Compound, OrderAttachment, OrderEvent, SupervisionOrder, Town, User
from services.supervision.orders import (
    BEIJING,
    SOURCE_LABELS,
    STATE_LABELS,
    Order,
    _load,
    beijing_date,
    beijing_today,
)

ACTION_LABELS = {
    "issue": "交办",
    "sign": "签收",
    "answer": "反馈",
    "accept": "办结",
    "return": "退回重办",
    "extension_request": "申请延期",
    "extension_granted": "同意延期",
    "extension_refused": "不同意延期",
    "remind": "催办",
}

ORDER_COLUMNS = [
    "id",
    "compound_id",
    "code",
    "name",
    "town_code",
    "town",
    "source_kind",
    "source",
    "source_ref",
    "requirement",
    "priority",
    "state",
    "label",
    "issued_at",
    "issuer",
    "issuer_role",
    "original_deadline",
    "deadline",
    "extended",
    "signed_at",
    "answered_at",
    "closed_at",
    "feedback",
    "return_reason",
    "returned_times",
    "reminders",
    "extension_pending",
    "extension_date",
    "extension_reason",
    "overdue",
    "closed_on_time",
    "days_to_sign",
    "days_to_close",
    "revision",
]


_ORDER_FIELDS = list(Order.__dataclass_fields__)


def _issued_between(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The stored (UTC) bounds of the Beijing days of ``period``."""
    start = dt.datetime.combine(period.first_day, dt.time()) - BEIJING
    end = dt.datetime.combine(period.last_day + dt.timedelta(days=1), dt.time()) - BEIJING
    return start, end


def _in_scope(stmt, scope: ClampedScope):
    if scope.town_code:
        stmt = stmt.where(SupervisionOrder.town_code == scope.town_code)
    if scope.compound_id is not None:
        stmt = stmt.where(SupervisionOrder.compound_id == scope.compound_id)
    return stmt


def _days(later: dt.datetime | None, earlier: dt.datetime) -> int | None:
    return None if later is None else (beijing_date(later) - beijing_date(earlier)).days


@scoped_read
def orders(
    engine: Engine,
    scope: ClampedScope,
    *,
    period: Period | None = None,
    state: str | None = None,
    overdue: bool = False,
    source_kind: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The scope's orders (issued in ``period`` when given), newest first, one row each with its
    state label, whether it is overdue on ``today`` (Beijing) and its days to sign and to close."""
    today = today or beijing_today()
    o = SupervisionOrder
    issuer = aliased(User)
    stmt = (
        select(
            *[getattr(o, field) for field in _ORDER_FIELDS],
            Compound.code,
            Compound.name,
            Town.name.label("town"),
            issuer.display_name.label("issuer"),
        )
        .join(Compound, Compound.id == o.compound_id)
        .join(Town, Town.code == o.town_code)
        .outerjoin(issuer, issuer.id == o.issued_by)
        .order_by(o.issued_at.desc(), o.id.desc())
    )
    stmt = _in_scope(stmt, scope)
    if period is not None:
        start, end = _issued_between(period)
        stmt = stmt.where(o.issued_at >= start, o.issued_at < end)
    if state is not None:
        stmt = stmt.where(o.state == state)
    if source_kind is not None:
        stmt = stmt.where(o.source_kind == source_kind)
    rows = []
    with engine.connect() as conn:
        for found in conn.execute(stmt).all():
            order = Order(*found[: len(_ORDER_FIELDS)])
            row = {field: getattr(order, field) for field in _ORDER_FIELDS if field in ORDER_COLUMNS}
            row.update(
                code=found.code,
                name=found.name,
                town=found.town,
                issuer=found.issuer,
                source=SOURCE_LABELS[order.source_kind],
                label=order.label,
                extended=order.deadline != order.original_deadline,
                extension_pending=order.extension_pending,
                overdue=order.overdue(today),
                closed_on_time=order.closed_on_time,
                days_to_sign=_days(order.signed_at, order.issued_at),
                days_to_close=_days(order.closed_at, order.issued_at),
            )
            rows.append(row)
    frame = pd.DataFrame(rows, columns=ORDER_COLUMNS)
    if overdue:
        frame = frame[frame["overdue"].astype(bool)].reset_index(drop=True)
    return frame


@dataclass(frozen=True)
class OrderDetail:
    """One order with its compound, its history (oldest first) and its files (without content)."""

    order: Order
    code: str
    name: str
    town: str
    issuer: str | None
    events: pd.DataFrame  # at, action, label, username, who, note, detail
    files: pd.DataFrame  # id, event_id, file_name, media_type, size, sha256, uploaded_at

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.order.state]


def _visible(scope: ClampedScope, town_code: str, compound_id: int) -> bool:
    if scope.town_code and scope.town_code != town_code:
        return False
    return scope.compound_id is None or scope.compound_id == compound_id


@scoped_read
def order_detail(engine: Engine, scope: ClampedScope, order_id: int) -> OrderDetail:
    """One order in scope (refused outside it) with every step and the files sent with it."""
    with engine.connect() as conn:
        order = _load(conn, order_id, lock=False)
        if not _visible(scope, order.town_code, order.compound_id):
            raise PermissionDenied("无权查看这份督办单。")
        code, name, town = conn.execute(
            select(Compound.code, Compound.name, Town.name)
            .join(Town, Town.code == Compound.town_code)
            .where(Compound.id == order.compound_id)
        ).one()
        issuer = conn.execute(select(User.display_name).where(User.id == order.issued_by)).scalar()
        e = OrderEvent
        events = pd.DataFrame(
            conn.execute(
                select(e.id, e.at, e.action, e.username, User.display_name.label("who"), e.note, e.detail)
                .outerjoin(User, User.id == e.user_id)
                .where(e.order_id == order_id)
                .order_by(e.id)
            )
            .mappings()
            .all(),
            columns=["id", "at", "action", "username", "who", "note", "detail"],
        )
        events.insert(3, "label", events["action"].map(ACTION_LABELS))
        a = OrderAttachment
        files = pd.DataFrame(
            conn.execute(
                select(a.id, a.event_id, a.file_name, a.media_type, a.size, a.sha256, a.uploaded_at)
                .where(a.order_id == order_id)
                .order_by(a.id)
            )
            .mappings()
            .all(),
            columns=["id", "event_id", "file_name", "media_type", "size", "sha256", "uploaded_at"],
        )
    return OrderDetail(order, code, name, town, issuer, events, files)


@dataclass(frozen=True)
class StoredFile:
    file_name: str
    media_type: str
    content: bytes


@scoped_read
def attachment(engine: Engine, scope: ClampedScope, attachment_id: int) -> StoredFile:
    """A file sent with feedback, for whoever may see the order's compound."""
    a, o = OrderAttachment, SupervisionOrder
    with engine.connect() as conn:
        row = conn.execute(
            select(a.file_name, a.media_type, a.content, o.town_code, o.compound_id)
            .join(o, o.id == a.order_id)
            .where(a.id == attachment_id)
        ).first()
    if row is None or not _visible(scope, row.town_code, row.compound_id):
        raise PermissionDenied("无权查看这个附件（或附件不存在）。")
    return StoredFile(row.file_name, row.media_type, bytes(row.content))


@scoped_read
def open_orders_by_source(engine: Engine, scope: ClampedScope, source_kind: str | None = None) -> dict:
    """{(compound_id, source_kind, source_ref): order id} of the scope's orders not yet 已办结, so
    the 预警 page can show that an alert already has one and nobody issues it twice."""
    o = SupervisionOrder
    stmt = _in_scope(select(o.compound_id, o.source_kind, o.source_ref, o.id).where(o.state != "closed"), scope)
    if source_kind is not None:
        stmt = stmt.where(o.source_kind == source_kind)
    with engine.connect() as conn:
        return {(cid, kind, ref): oid for cid, kind, ref, oid in conn.execute(stmt.order_by(o.id))}
