"""Where an order comes from (its ``source_kind`` and ``source_ref``), written the same way by the
page that issues it and by the page that asks whether it already has one.

A reference names the item, not the row: ``alert:case_overdue@2025-03`` (an alert kind as of a
month), ``case:C-0007`` and ``vote:V-12`` (ledger numbers, which stay when a month is re-imported),
``profile@2025-03``. The part before ``@`` is the item: an order still open about the same alert
of an earlier month covers this month's alert too, so nobody issues it twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.supervision.orders import SOURCE_LABELS

# the alert kinds whose own source kind says more than "预警"; every other kind is an "alert"
ALERT_SOURCE_KINDS = {"case_overdue": "case", "vote_not_implemented": "vote", "not_reporting": "report"}
MONTH_MARK = "@"


@dataclass(frozen=True)
class OrderSource:
    """What an order is about: a key of ``SOURCE_LABELS`` and a stable reference to the item."""

    kind: str
    ref: str

    def __post_init__(self) -> None:
        if self.kind not in SOURCE_LABELS:
            raise ValueError(f"unknown source kind {self.kind!r}")

    @property
    def item(self) -> str:
        """The reference without its month: what stays the same while the problem lasts."""
        return self.ref.split(MONTH_MARK, 1)[0]


def alert_source(alert_kind: str, month: str) -> OrderSource:
    """An alert row (one compound, one kind) as of ``month``."""
    return OrderSource(ALERT_SOURCE_KINDS.get(alert_kind, "alert"), f"alert:{alert_kind}{MONTH_MARK}{month}")


def case_source(case_no: str) -> OrderSource:
    """One case of the compound's ledger, by its case number."""
    return OrderSource("case", f"case:{case_no}")


def vote_source(vote_no: str) -> OrderSource:
    """One vote of the compound's ledger, by its vote number."""
    return OrderSource("vote", f"vote:{vote_no}")


def profile_source(month: str) -> OrderSource:
    """The compound's profile as seen for the period ending in ``month``."""
    return OrderSource("profile", f"profile{MONTH_MARK}{month}")


def open_order_for(open_orders: dict, compound_id: int, source: OrderSource) -> int | None:
    """The open order about ``source`` of ``compound_id`` in ``open_orders`` (as read by
    ``open_orders_by_source``): the one with this very reference, else the oldest about the same
    item; None when there is none."""
    exact = open_orders.get((compound_id, source.kind, source.ref))
    if exact is not None:
        return exact
    same_item = [
        order_id
        for (cid, kind, ref), order_id in open_orders.items()
        if cid == compound_id and kind == source.kind and ref and OrderSource(kind, ref).item == source.item
    ]
    return min(same_item, default=None)
