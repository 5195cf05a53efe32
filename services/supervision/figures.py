"""The figures county practice reports about supervision orders, over the orders issued in a scope
(and period), as of ``today`` (Beijing):

- 签收及时率 = orders signed within ``sign_days`` days of issue / orders whose signing can be
  judged (signed, or issued more than ``sign_days`` days ago). Days are Beijing calendar days.
- 按期办结率 = orders 已办结 on or before their (granted) deadline / orders due (closed, or past
  their deadline): an order still inside its time counts in neither.
- 逾期率 = orders overdue now (past the deadline, not 已办结) / orders issued.
- 催办次数 = reminders logged; 办结用时中位数 = median days from issue to 已办结.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from services.access import ClampedScope, scoped_read
from services.domain import Period
from services.supervision.orders import SOURCE_LABELS, beijing_date, beijing_today
from services.supervision.reads import orders

FIGURE_KEYS = [
    "issued",
    "pending",
    "doing",
    "answered",
    "closed",
    "overdue",
    "extended",
    "sign_judged",
    "signed_on_time",
    "sign_on_time_rate",
    "due",
    "closed_on_time",
    "closed_on_time_rate",
    "overdue_rate",
    "reminders",
    "median_days_to_close",
]
GROUPS = {"town": ("town_code", "town"), "compound": ("compound_id", "name"), "source": ("source_kind", "source")}


def _rate(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


def _figures(frame: pd.DataFrame, *, sign_days: int, today: dt.date) -> dict:
    issued = len(frame)
    states = frame["state"].value_counts()
    signed = frame["days_to_sign"].notna()
    window_over = frame["issued_at"].map(lambda at: (today - beijing_date(at)).days > sign_days)
    sign_judged = int((signed | window_over.astype(bool)).sum()) if issued else 0
    signed_on_time = int((frame["days_to_sign"].fillna(sign_days + 1) <= sign_days).sum())
    closed = frame["state"] == "closed"
    due = int((closed | frame["deadline"].map(lambda d: d < today).astype(bool)).sum()) if issued else 0
    closed_on_time = int((frame["closed_on_time"] == True).sum())  # noqa: E712 - None for open orders
    overdue = int(frame["overdue"].astype(bool).sum())
    days_to_close = pd.to_numeric(frame.loc[closed, "days_to_close"])
    return {
        "issued": issued,
        "pending": int(states.get("pending", 0)),
        "doing": int(states.get("doing", 0)),
        "answered": int(states.get("answered", 0)),
        "closed": int(states.get("closed", 0)),
        "overdue": overdue,
        "extended": int(frame["extended"].astype(bool).sum()),
        "sign_judged": sign_judged,
        "signed_on_time": signed_on_time,
        "sign_on_time_rate": _rate(signed_on_time, sign_judged),
        "due": due,
        "closed_on_time": closed_on_time,
        "closed_on_time_rate": _rate(closed_on_time, due),
        "overdue_rate": _rate(overdue, issued),
        "reminders": int(frame["reminders"].sum()),
        "median_days_to_close": None if days_to_close.empty else float(days_to_close.median()),
    }


@scoped_read
def figures(
    engine: Engine,
    scope: ClampedScope,
    *,
    sign_days: int,
    period: Period | None = None,
    today: dt.date | None = None,
) -> dict:
    """The scope's figures (keys ``FIGURE_KEYS``); ``sign_days`` is the setting ``order_sign_days``."""
    today = today or beijing_today()
    return _figures(orders(engine, scope, period=period, today=today), sign_days=sign_days, today=today)


@scoped_read
def figures_by(
    engine: Engine,
    scope: ClampedScope,
    by: str,
    *,
    sign_days: int,
    period: Period | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The figures per town (``by="town"``: town_code, town, …), per compound (``by="compound"``:
    compound_id, name, …) or per source (``by="source"``: source_kind, source, …), one row per group
    that has orders, in the order of the groups."""
    if by not in GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPS)}")
    today = today or beijing_today()
    frame = orders(engine, scope, period=period, today=today)
    keys = list(GROUPS[by])
    rows = []
    for group_key, group in frame.groupby(keys[0], sort=True):
        rows.append(
            {
                keys[0]: group_key,
                keys[1]: group[keys[1]].iloc[0],
                **_figures(group, sign_days=sign_days, today=today),
            }
        )
    result = pd.DataFrame(rows, columns=keys + FIGURE_KEYS)
    if by == "source":
        order = {kind: i for i, kind in enumerate(SOURCE_LABELS)}
        result = result.sort_values("source_kind", key=lambda s: s.map(order)).reset_index(drop=True)
    return result
