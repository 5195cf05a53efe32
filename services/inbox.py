"""我的待办: each person's open items, gathered from supervision orders, the month's report and notes.

- secretaries: orders to sign, orders to answer (sent back ones with the reason), returned months,
  notes that mention them;
- town officials: feedback to accept and extension requests on the orders their town issued,
  months waiting for review (one item per month), notes that mention them;
- county officials and administrators: overdue orders by town, feedback to accept and extension
  requests on the orders the county issued, notes that mention them.

Each item names the page that opens it (a page id of ``services.access.PAGES``; ``orders`` is the
督办 page) and the query parameters that select it. No mail and no SMS: this is the channel, and
``as_text`` is the summary a person pastes into a work chat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from services import month_reports, notes, supervision
from services.access import Principal, clamp
from services.domain import Scope

ORDERS_PAGE = "orders"
KIND_LABELS = {  # in this order in the inbox
    "orders_overdue": "逾期督办",
    "order_sign": "待签收",
    "order_answer": "待反馈",
    "month_returned": "月报被退回",
    "order_accept": "待验收",
    "order_extension": "延期申请",
    "month_review": "待审核月报",
    "note_mention": "批注提到我",
}


@dataclass(frozen=True)
class InboxItem:
    kind: str  # a key of KIND_LABELS
    title: str  # plain text; pages show it as text
    page: str  # the page id that opens it
    params: dict[str, str] = field(default_factory=dict)  # the query parameters that select it
    at: dt.datetime | None = None  # when it arrived, where known

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _order_items(engine, principal: Principal, scope, today: dt.date) -> list[InboxItem]:
    frame = supervision.orders(engine, scope, today=today)
    items = []
    for row in frame.itertuples(index=False):
        opens = {"order": str(row.id)}
        what = f"{row.name}：{_short(row.requirement)}（期限 {row.deadline.isoformat()}）"
        late = "【已逾期】" if row.overdue else ""
        if principal.role == "secretary":
            if row.state == "pending":
                items.append(InboxItem("order_sign", f"{late}请签收督办单 — {what}", ORDERS_PAGE, opens, row.issued_at))
            elif row.state == "doing":
                back = f"（退回重办：{_short(row.return_reason, 40)}）" if row.returned_times else ""
                title = f"{late}请反馈办理情况 — {what}{back}"
                items.append(InboxItem("order_answer", title, ORDERS_PAGE, opens, row.signed_at))
            continue
        if not _same_level(principal, row.issuer_role):
            continue
        if row.state == "answered":
            title = f"请验收反馈 — {what}"
            items.append(InboxItem("order_accept", title, ORDERS_PAGE, opens, row.answered_at))
        if row.extension_pending:
            asked = row.extension_date.isoformat()
            title = f"延期申请至 {asked} — {what}：{_short(row.extension_reason, 40)}"
            items.append(InboxItem("order_extension", title, ORDERS_PAGE, opens))
    return items


def _same_level(principal: Principal, issuer_role: str) -> bool:
    """Officials are asked about the orders of their own level (a town's are the town's to accept)."""
    if principal.role == "town":
        return issuer_role == "town"
    return issuer_role in ("county", "admin")


def _overdue_by_town(engine, scope, today: dt.date) -> list[InboxItem]:
    frame = supervision.orders(engine, scope, overdue=True, today=today)
    items = []
    for (town_code, town), group in frame.groupby(["town_code", "town"], sort=True):
        oldest = min(group["deadline"]).isoformat()
        title = f"{town}：逾期督办单 {len(group)} 件（最早期限 {oldest}）"
        items.append(InboxItem("orders_overdue", title, ORDERS_PAGE, {"town": str(town_code), "overdue": "1"}))
    return items


def _month_items(engine, principal: Principal, scope) -> list[InboxItem]:
    if principal.role == "secretary":
        returned = month_reports.returned_months(engine, scope)
        return [
            InboxItem(
                "month_returned",
                f"{row.month} 月报被退回：{_short(row.return_reason or '', 40)}",
                "upload",
                {"month": row.month},
                row.reviewed_at,
            )
            for row in returned.itertuples(index=False)
        ]
    if principal.role != "town":
        return []
    queue = month_reports.review_queue(engine, scope)
    items = []
    for month, group in queue.groupby("month", sort=True):
        title = f"{month} 有 {len(group)} 个小区的月报待审核"
        items.append(InboxItem("month_review", title, "review", {"month": str(month)}, min(group["submitted_at"])))
    return items


def _note_items(engine, principal: Principal) -> list[InboxItem]:
    items = []
    for row in notes.unread_mentions(engine, principal).itertuples(index=False):
        params = {"from": row.period_start, "to": row.period_end, "note": str(row.id)}
        if pd.notna(row.compound_id):
            params["compound"] = str(int(row.compound_id))
        elif pd.notna(row.town_code):
            params["town"] = str(row.town_code)
        title = f"{row.author} 在批注中提到您：{_short(row.body, 40)}"
        items.append(InboxItem("note_mention", title, row.view_id, params, row.created_at))
    return items


def items(engine, principal: Principal, *, today: dt.date | None = None) -> list[InboxItem]:
    """The open items of ``principal``, most pressing kinds first (orders, then months, then notes)."""
    today = today or supervision.beijing_today()
    scope = clamp(principal, Scope())
    found: list[InboxItem] = []
    if principal.role in ("admin", "county"):
        found += _overdue_by_town(engine, scope, today)
    found += _order_items(engine, principal, scope, today)
    found += _month_items(engine, principal, scope)
    found += _note_items(engine, principal)
    rank = {kind: i for i, kind in enumerate(KIND_LABELS)}
    return sorted(found, key=lambda item: rank[item.kind])  # stable: each kind keeps its own order


def count(engine, principal: Principal, *, today: dt.date | None = None) -> int:
    """How many open items (the sidebar's badge)."""
    return len(items(engine, principal, today=today))


def as_text(engine, principal: Principal, *, today: dt.date | None = None) -> str:
    """A ready-to-paste summary of one's open items for a work chat (plain text)."""
    today = today or supervision.beijing_today()
    found = items(engine, principal, today=today)
    if not found:
        return f"我的待办（{today.isoformat()}）：暂无待办事项。"
    lines = [f"我的待办（{today.isoformat()}，共 {len(found)} 项）"]
    lines += [f"{i}. 【{item.label}】{item.title}" for i, item in enumerate(found, start=1)]
    return "\n".join(lines)
