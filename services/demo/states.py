"""The month's report in the demo county: every state a real county shows on a given day.

On ``today`` (deadlines and lock days at their defaults): months whose lock day has passed are
locked; their reports were approved a few days after submission, except a tenth of the last
closed month still waiting for review. In the month still being reported, most reports are
submitted and waiting, a quarter are in progress (ledgers in, not submitted) and a few were
returned with a reason — 依云观邸 (the demo secretary's compound) among them, so the secretary
sees a return on login. One compound's earlier month was corrected after approval and waits for
review again; another has a correction request pending.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import Engine, func, insert, select, text, update

from services import month_reports
from services.db import write_transaction
from services.domain import DEFAULT_DEADLINE_DAY, DEFAULT_LOCK_AFTER_DAYS, add_months, last_closed_month
from services.models import Compound, CorrectionRequest, MonthReport

RETURN_REASONS = (
    "活动参与人数与签到表不符，请核对后重报",
    "诉求纠纷台账有两件已办结但没有填办结日期",
    "财务公开金额与公示栏照片不一致，请核对",
    "设施改造投资额疑似多填了一个零，请核对",
)
SECRETARY_COMPOUND = "依云观邸"
KINDS = {"approved": "approved", "waiting": "submitted", "drafting": "drafting", "returned": "returned"}


def _days_on(conn, days: int):
    """The month's submission time plus ``days``, in SQL (both databases)."""
    r = MonthReport
    if conn.dialect.name == "sqlite":
        return func.datetime(r.submitted_at, f"+{days} days")
    return r.submitted_at + text(f"interval '{days} days'")


def _set_states(conn, where, **values) -> None:
    """One UPDATE for many compound-months: the data-version trigger runs once, not once a row."""
    conn.execute(update(MonthReport).where(*where).values(**values))


def apply_states(engine: Engine, *, today: dt.date, seed: int) -> dict[str, int]:
    """Turn the generated (all 已上报) months into the mix described above; returns counts per kind."""
    rng = random.Random(seed + 12)  # noqa: S311 - reproducible demo data, not secrets
    closed = last_closed_month(DEFAULT_DEADLINE_DAY, today)
    open_month = add_months(closed, 1)
    locked = month_reports.lock_due(
        engine, deadline_day=DEFAULT_DEADLINE_DAY, lock_after_days=DEFAULT_LOCK_AFTER_DAYS, today=today
    )
    counts = {"locked_months": len(locked), "approved": 0, "waiting": 0, "drafting": 0, "returned": 0}
    r = MonthReport
    with write_transaction(engine) as conn:
        secretary = conn.execute(select(Compound.id).where(Compound.name == SECRETARY_COMPOUND)).scalar()
        stmt = select(r.compound_id, r.month, r.submitted_at).order_by(r.compound_id, r.month)
        rows = [(cid, m, at) for cid, m, at in conn.execute(stmt) if at is not None]  # loaded months: all have it
        approve, drafting, returned = [], [], []
        for cid, month, _submitted in rows:
            if month < closed:
                continue
            if month == closed and rng.random() >= 0.1:
                approve.append(cid)
            elif month == open_month:
                draw = rng.random()
                if cid == secretary or draw < 0.08:
                    returned.append(cid)
                elif draw < 0.33:
                    drafting.append(cid)
        approved = {"state": "approved", "reviewed_at": _days_on(conn, 3), "approved_at": _days_on(conn, 3)}
        _set_states(conn, [r.month < closed, r.submitted_at.is_not(None)], **approved, revision=2)
        _set_states(conn, [r.month == closed, r.compound_id.in_(approve)], **approved, revision=2)
        gone = {"state": "drafting", "first_submitted_at": None, "submitted_at": None}
        _set_states(conn, [r.month == open_month, r.compound_id.in_(drafting)], **gone)
        for n, reason in enumerate(RETURN_REASONS):  # the reasons in turn, one statement each
            ids = returned[n :: len(RETURN_REASONS)]
            back = {"state": "returned", "return_reason": reason, "reviewed_at": _days_on(conn, 1)}
            _set_states(conn, [r.month == open_month, r.compound_id.in_(ids)], **back, revision=2)
        _corrections(conn, [(cid, m) for cid, m, _ in rows if m == add_months(closed, -1)], today, rng)
        final = dict(conn.execute(select(r.state, func.count()).group_by(r.state)).all())
    counts.update({name: final.get(state, 0) for name, state in KINDS.items()})
    return counts


def _corrections(conn, candidates: list[tuple[int, str]], today: dt.date, rng: random.Random) -> None:
    """One approved month reopened by a correction and submitted again; one request pending."""
    if len(candidates) < 2:
        return
    (corrected, month), (pending, pending_month) = rng.sample(candidates, 2)
    at = dt.datetime.combine(today, dt.time(1, 0)) - dt.timedelta(days=2)
    conn.execute(
        insert(CorrectionRequest).values(
            compound_id=corrected,
            month=month,
            reason="漏报一次入户走访，补报走访台账",
            state="approved",
            requested_at=at,
            decided_at=at + dt.timedelta(hours=3),
        )
    )
    conn.execute(
        update(MonthReport)
        .where(MonthReport.compound_id == corrected, MonthReport.month == month)
        .values(state="submitted", reopened=True, changed_after_approval=True, submitted_at=at + dt.timedelta(days=1))
    )
    conn.execute(
        insert(CorrectionRequest).values(
            compound_id=pending,
            month=pending_month,
            reason="财务公开支出少填一笔维修费",
            state="pending",
            requested_at=at,
        )
    )
