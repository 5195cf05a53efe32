"""The month's report: its state per compound, the county's month locks and correction requests.

    未上报 ──import──▶ 填报中 ──提交本月 / 零报告──▶ 已上报 ──审核通过──▶ 已审核 ──锁定──▶ 已锁定
                         ▲                          │
                         └──── 已退回 (reason) ◀────┘

- Ledgers land one by one while the month is 填报中 (or 已退回, which the secretary works on the
  same way). A ledger imported into an 已上报 month puts it back to 填报中: it must be submitted
  again, so an official never approves figures that changed under them.
- 已审核 and locked months refuse imports; a correction request (申请更正) approved by the town or
  the county reopens that one compound-month (``reopened``), and approving it again closes it.
  A month changed after an approval is flagged (``changed_after_approval``) until approved again.
- A month locks for the whole county by hand (county or admin) or when ``lock_due`` runs (the
  archive timer) a set number of days after the deadline. Unlocking by hand is recorded and
  stops the automatic lock for that month.

Every transition locks the compound's row (as the import does), re-reads the state and checks it,
so of two people acting on one month exactly one wins and the other gets a message saying what
happened; each transition is written to the audit log with who, when and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, String, and_, false, func, insert, literal, select, type_coerce, update
from sqlalchemy.orm import aliased

from services import audit
from services.access import ClampedScope, PermissionDenied, Principal, scoped_read
from services.db import write_transaction
from services.domain import Period, add_months, report_deadline
from services.models import (
    Compound,
    CorrectionRequest,
    MonthLock,
    MonthReport,
    Submission,
    Town,
    User,
    table_of,
    utcnow,
)
from services.pii import find_pii

STATE_LABELS = {"drafting": "填报中", "submitted": "已上报", "approved": "已审核", "returned": "已退回"}
NOT_STARTED = "未上报"
LOCKED = "已锁定"
REVIEWERS = frozenset({"admin", "county", "town"})
LOCKERS = frozenset({"admin", "county"})


class TransitionRefused(Exception):
    """The month cannot make this step now; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class MonthStatus:
    """One compound-month as the lifecycle sees it."""

    compound_id: int
    month: str
    state: str | None  # None: nothing received yet (未上报)
    month_locked: bool  # the county locked the month
    reopened: bool = False
    changed_after_approval: bool = False
    return_reason: str | None = None
    first_submitted_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    reviewed_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None
    revision: int = 0
    pending_correction: str | None = None  # the reason of an open correction request

    @property
    def locked(self) -> bool:
        """Closed to imports by the county's lock (a reopened compound-month is not)."""
        return self.month_locked and not self.reopened

    @property
    def key(self) -> str:
        """``locked``, ``not_started`` or the state: the text key of what a user sees."""
        return "locked" if self.locked else self.state or "not_started"

    @property
    def label(self) -> str:
        if self.locked:
            return LOCKED
        return STATE_LABELS[self.state] if self.state else NOT_STARTED

    @property
    def can_import(self) -> bool:
        return not self.locked and self.state != "approved"

    @property
    def can_submit(self) -> bool:
        return not self.locked and self.state in ("drafting", "returned")

    @property
    def can_request_correction(self) -> bool:
        return self.pending_correction is None and (self.locked or self.state == "approved")


def _reason(text: str | None, what: str) -> str:
    reason = (text or "").strip()
    if len(reason) < 2:
        raise TransitionRefused(f"请填写{what}（至少两个字），让对方知道原因。")
    if len(reason) > 500:
        raise TransitionRefused(f"{what}请控制在 500 字以内。")
    if find_pii(reason):
        raise TransitionRefused(f"{what}中不要写身份证号或手机号，请删去后再提交。")
    return reason


def _compound(conn: Connection, compound_id: int, *, lock: bool) -> tuple[str, str]:
    """(code, town_code) of the compound, its row locked for the transaction when ``lock``."""
    stmt = select(Compound.code, Compound.town_code).where(Compound.id == compound_id)
    if lock:
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    if row is None:
        raise TransitionRefused("没有这个小区，请刷新页面后重试。")
    return row[0], row[1]


def _require_reviewer(principal: Principal, town_code: str) -> None:
    if principal.role not in REVIEWERS:
        raise PermissionDenied("只有镇（街道）、县级账号或管理员可以审核月报。")
    if principal.role == "town" and principal.town_code != town_code:
        raise PermissionDenied("镇级账号只能审核本镇小区的月报。")


def _require_own(principal: Principal, compound_id: int) -> None:
    if principal.role == "admin" or (principal.role == "secretary" and principal.compound_id == compound_id):
        return
    raise PermissionDenied("只有本小区书记（或管理员）可以提交本小区的月报。")


def month_is_locked(conn: Connection, month: str) -> bool:
    return bool(conn.execute(select(MonthLock.locked).where(MonthLock.month == month)).scalar())


def _status(conn: Connection, compound_id: int, month: str) -> MonthStatus:
    r = MonthReport
    row = conn.execute(select(table_of(r)).where(r.compound_id == compound_id, r.month == month)).first()
    pending = conn.execute(
        select(CorrectionRequest.reason)
        .where(
            CorrectionRequest.compound_id == compound_id,
            CorrectionRequest.month == month,
            CorrectionRequest.state == "pending",
        )
        .order_by(CorrectionRequest.id.desc())
    ).scalar()
    locked = month_is_locked(conn, month)
    if row is None:
        return MonthStatus(compound_id, month, None, locked, pending_correction=pending)
    return MonthStatus(
        compound_id,
        month,
        row.state,
        locked,
        row.reopened,
        row.changed_after_approval,
        row.return_reason,
        row.first_submitted_at,
        row.submitted_at,
        row.reviewed_at,
        row.approved_at,
        row.revision,
        pending,
    )


def status_in(conn: Connection, compound_id: int, month: str) -> MonthStatus:
    """``status`` on an open connection (inside the importer's transaction)."""
    return _status(conn, compound_id, month)


def status(engine: Engine, compound_id: int, month: str) -> MonthStatus:
    """Where one compound-month stands (callers check the principal may see the compound)."""
    with engine.connect() as conn:
        return _status(conn, compound_id, month)


@scoped_read
def month_status(engine: Engine, scope: ClampedScope, month: str) -> MonthStatus:
    """The scope's compound's status for ``month`` (a page's read)."""
    if scope.compound_id is None:
        raise TransitionRefused("请选择一个小区。")
    with engine.connect() as conn:
        stmt = select(Compound.town_code).where(Compound.id == scope.compound_id)
        town = conn.execute(stmt).scalar()
        if town is None or (scope.town_code is not None and town != scope.town_code):
            raise PermissionDenied("无权查看该小区。")
        return _status(conn, scope.compound_id, month)


@scoped_read
def month_locked(engine: Engine, scope: ClampedScope, month: str) -> bool:
    """Whether the county locked ``month`` (the same for every scope)."""
    with engine.connect() as conn:
        return month_is_locked(conn, month)


def _changed(state: MonthStatus, expected_revision: int | None) -> None:
    if expected_revision is not None and state.revision != expected_revision:
        raise TransitionRefused(f"{state.month} 的月报刚刚被他人处理过（现为“{state.label}”），请刷新后再看。")


def _write_state(conn: Connection, compound_id: int, month: str, values: dict) -> None:
    """Insert or update the row; ``updated_at`` is the real clock (it moves the data version), the
    transition's own time is in the values it sets."""
    r = MonthReport
    exists = conn.execute(select(r.revision).where(r.compound_id == compound_id, r.month == month)).scalar()
    if exists is None:
        conn.execute(insert(r).values(compound_id=compound_id, month=month, revision=1, updated_at=utcnow(), **values))
    else:
        conn.execute(
            update(r)
            .where(r.compound_id == compound_id, r.month == month)
            .values(revision=exists + 1, updated_at=utcnow(), **values)
        )


def _audit(conn, principal: Principal, action: str, code: str, month: str, now: dt.datetime, **detail) -> None:
    audit.record(
        conn,
        action=action,
        username=principal.username,
        user_id=principal.user_id,
        target=f"{code}/{month}",
        detail={"compound_code": code, "month": month, **detail},
        at=now,
    )


# ---- called by the importer, inside its transaction (the compound's row is already locked) ----


CORRECTION_PATH = "如需更正，请在“数据上报”页点“申请更正”并写明原因，镇（街道）或县里同意后即可重新上报"


def refuse_import_reason(conn: Connection, compound_id: int, month: str) -> str | None:
    """Why ledgers may not be imported into this compound-month now (None: they may); the
    importer shows it with ``CORRECTION_PATH`` as what to do."""
    state = _status(conn, compound_id, month)
    if state.locked:
        return f"{month} 的月报已锁定，不能再导入"
    if state.state == "approved":
        return f"{month} 的月报已审核通过，不能直接修改"
    return None


def ledgers_received(conn: Connection, principal: Principal, compound_id: int, month: str, now: dt.datetime) -> str:
    """Record that ledgers landed: 未上报 → 填报中, 已上报 → 填报中 (to be submitted again); a
    reopened month is flagged as changed after approval. Returns the new state's label."""
    state = _status(conn, compound_id, month)
    values: dict = {}
    if state.state in (None, "submitted"):
        values["state"] = "drafting"
    if state.reopened and state.approved_at is not None:
        values["changed_after_approval"] = True
    if values or state.state is None:
        _write_state(conn, compound_id, month, values)
    if state.state == "submitted":
        code, _ = _compound(conn, compound_id, lock=False)
        _audit(conn, principal, "report.back_to_drafting", code, month, now, reason="提交后又导入了台账")
    return STATE_LABELS[values.get("state", state.state or "drafting")]


def zero_report_submitted(conn: Connection, principal: Principal, compound_id: int, month: str, now: dt.datetime):
    """A zero report is a submission in itself: the month goes straight to 已上报."""
    submit_in(conn, principal, compound_id, month, now, zero=True)


# ---- transitions ----


def submit(
    engine: Engine,
    principal: Principal,
    compound_id: int,
    month: str,
    *,
    deadline_day: int,
    now: dt.datetime | None = None,
) -> MonthStatus:
    """提交本月: 填报中 or 已退回 → 已上报 (on time is judged now, at the first submission)."""
    now = now or utcnow()
    _require_own(principal, compound_id)
    with write_transaction(engine) as conn:
        _compound(conn, compound_id, lock=True)
        submit_in(conn, principal, compound_id, month, now, deadline_day=deadline_day)
        return _status(conn, compound_id, month)


def submit_in(
    conn: Connection,
    principal: Principal,
    compound_id: int,
    month: str,
    now: dt.datetime,
    *,
    zero: bool = False,
    deadline_day: int | None = None,
) -> None:
    """提交本月 inside an open transaction whose caller holds the compound's row lock."""
    code, _ = _compound(conn, compound_id, lock=False)
    state = _status(conn, compound_id, month)
    if not zero:
        if state.locked:
            raise TransitionRefused(f"{month} 的月报已锁定，不能提交。如需更正，请先申请更正。")
        if state.state is None:
            raise TransitionRefused(f"{month} 还没有任何台账。请先上传台账，本月确实没有新增事项时请提交零报告。")
        if state.state == "submitted":
            raise TransitionRefused(f"{month} 的月报已经提交过了，正在等待镇（街道）审核。")
        if state.state == "approved":
            raise TransitionRefused(f"{month} 的月报已审核通过，无需再提交。")
        has_ledgers = conn.execute(
            select(func.count())
            .select_from(Submission)
            .where(Submission.compound_id == compound_id, Submission.month == month, Submission.status == "current")
        ).scalar()
        if not has_ledgers:
            raise TransitionRefused(f"{month} 还没有任何台账，不能提交。")
    first = state.first_submitted_at or now
    _write_state(
        conn,
        compound_id,
        month,
        {"state": "submitted", "submitted_at": now, "submitted_by": principal.user_id, "first_submitted_at": first},
    )
    on_time = None if deadline_day is None else first <= report_deadline(month, deadline_day)
    _audit(
        conn,
        principal,
        "report.submit",
        code,
        month,
        now,
        zero=zero,
        resubmitted=state.first_submitted_at is not None,
        **({} if on_time is None else {"on_time": on_time}),
    )


def _under_review(
    conn: Connection, principal: Principal, compound_id: int, month: str, expected_revision: int | None, verb: str
) -> tuple[str, MonthStatus]:
    """Lock the compound, check the reviewer and that the month (unchanged since it was shown) awaits review."""
    code, town = _compound(conn, compound_id, lock=True)
    _require_reviewer(principal, town)
    state = _status(conn, compound_id, month)
    _changed(state, expected_revision)
    if state.state != "submitted":
        raise TransitionRefused(f"{code} {month} 现为“{state.label}”，只有已上报（待审核）的月报可以{verb}。")
    return code, state


def approve(
    engine: Engine,
    principal: Principal,
    compound_id: int,
    month: str,
    *,
    expected_revision: int | None = None,
    now: dt.datetime | None = None,
) -> MonthStatus:
    """审核通过: 已上报 → 已审核 (a reopened month closes again; the changed flag clears)."""
    now = now or utcnow()
    with write_transaction(engine) as conn:
        code, state = _under_review(conn, principal, compound_id, month, expected_revision, "审核通过")
        _write_state(
            conn,
            compound_id,
            month,
            {
                "state": "approved",
                "reviewed_at": now,
                "reviewed_by": principal.user_id,
                "approved_at": now,
                "return_reason": None,
                "reopened": False,
                "changed_after_approval": False,
            },
        )
        _audit(conn, principal, "report.approve", code, month, now, was_changed=state.changed_after_approval)
        return _status(conn, compound_id, month)


def approve_many(
    engine: Engine, principal: Principal, items: list[tuple[int, str, int | None]], *, now: dt.datetime | None = None
) -> tuple[list[MonthStatus], list[str]]:
    """Approve several (compound_id, month, expected_revision): each on its own, so one refusal
    does not hold back the others. Returns (approved, messages of the refused ones)."""
    done, refused = [], []
    for compound_id, month, revision in items:
        try:
            done.append(approve(engine, principal, compound_id, month, expected_revision=revision, now=now))
        except (TransitionRefused, PermissionDenied) as exc:
            refused.append(str(exc))
    return done, refused


def return_report(
    engine: Engine,
    principal: Principal,
    compound_id: int,
    month: str,
    reason: str,
    *,
    expected_revision: int | None = None,
    now: dt.datetime | None = None,
) -> MonthStatus:
    """退回: 已上报 → 已退回, with the reason the secretary will read."""
    now = now or utcnow()
    reason = _reason(reason, "退回理由")
    with write_transaction(engine) as conn:
        code, _ = _under_review(conn, principal, compound_id, month, expected_revision, "退回")
        _write_state(
            conn,
            compound_id,
            month,
            {"state": "returned", "return_reason": reason, "reviewed_at": now, "reviewed_by": principal.user_id},
        )
        _audit(conn, principal, "report.return", code, month, now, reason=reason)
        return _status(conn, compound_id, month)


def set_month_lock(
    engine: Engine, principal: Principal, month: str, *, locked: bool, now: dt.datetime | None = None
) -> bool:
    """Lock (or unlock) a month for the whole county; returns whether anything changed."""
    now = now or utcnow()
    if principal.role not in LOCKERS:
        raise PermissionDenied("只有县级账号或管理员可以锁定或解锁月份。")
    Period(month, month)  # validates the month
    with write_transaction(engine) as conn:
        before = conn.execute(select(MonthLock.locked).where(MonthLock.month == month)).scalar()
        if before is not None and bool(before) == locked:
            return False
        _put_lock(
            conn, month, locked=locked, how="manual", user_id=principal.user_id, now=now, exists=before is not None
        )
        audit.record(
            conn,
            action="report.lock" if locked else "report.unlock",
            username=principal.username,
            user_id=principal.user_id,
            target=month,
            detail={"month": month, "how": "manual"},
            at=now,
        )
        return True


def _put_lock(conn, month: str, *, locked: bool, how: str, user_id: int | None, now: dt.datetime, exists: bool):
    values = {"locked": locked, "how": how, "changed_by": user_id, "changed_at": now}
    if exists:
        conn.execute(update(MonthLock).where(MonthLock.month == month).values(**values))
    else:
        conn.execute(insert(MonthLock).values(month=month, **values))


def lock_date(month: str, *, deadline_day: int, lock_after_days: int) -> dt.date:
    """The day a month locks by itself (the deadline plus ``lock_after_days``)."""
    return report_deadline(month, deadline_day).date() + dt.timedelta(days=lock_after_days)


def lock_due(engine: Engine, *, deadline_day: int, lock_after_days: int, today: dt.date | None = None) -> list[str]:
    """Lock every month whose lock day has passed and that was never locked or unlocked by hand;
    returns the months locked now (the archive timer runs this daily)."""
    today = today or dt.date.today()
    now = utcnow()
    with write_transaction(engine) as conn:
        first = conn.execute(select(func.min(Submission.month))).scalar()
        if first is None:
            return []
        decided = {m for (m,) in conn.execute(select(MonthLock.month))}
        newly = []
        month = first
        while lock_date(month, deadline_day=deadline_day, lock_after_days=lock_after_days) < today:
            if month not in decided:
                _put_lock(conn, month, locked=True, how="auto", user_id=None, now=now, exists=False)
                audit.record(
                    conn, action="report.lock", username="system", target=month, detail={"month": month, "how": "auto"}
                )
                newly.append(month)
            month = add_months(month, 1)
        return newly


def request_correction(
    engine: Engine, principal: Principal, compound_id: int, month: str, reason: str, *, now: dt.datetime | None = None
) -> int:
    """申请更正 for an approved or locked compound-month; returns the request's id."""
    now = now or utcnow()
    _require_own(principal, compound_id)
    reason = _reason(reason, "更正理由")
    with write_transaction(engine) as conn:
        code, _ = _compound(conn, compound_id, lock=True)
        state = _status(conn, compound_id, month)
        if state.pending_correction is not None:
            raise TransitionRefused(f"{month} 已有一份更正申请在等待审核，请耐心等待或联系镇（街道）。")
        if not (state.locked or state.state == "approved"):
            raise TransitionRefused(f"{month} 的月报现为“{state.label}”，可以直接重新上传，不需要申请更正。")
        request_id = conn.execute(
            insert(CorrectionRequest).values(
                compound_id=compound_id,
                month=month,
                reason=reason,
                state="pending",
                requested_by=principal.user_id,
                requested_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has its key
        _audit(conn, principal, "report.request_correction", code, month, now, reason=reason, request_id=request_id)
        return int(request_id)


def decide_correction(
    engine: Engine,
    principal: Principal,
    request_id: int,
    *,
    approve: bool,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> MonthStatus:
    """Approve (the compound-month reopens: 填报中, imports allowed) or refuse (a note is required)."""
    now = now or utcnow()
    note = _reason(note, "不同意的理由") if not approve else ((note or "").strip() or None)
    with write_transaction(engine) as conn:
        stmt = select(table_of(CorrectionRequest)).where(CorrectionRequest.id == request_id)
        row = conn.execute(stmt).first()
        if row is None:
            raise TransitionRefused("没有这份更正申请，请刷新后重试。")
        code, town = _compound(conn, row.compound_id, lock=True)
        _require_reviewer(principal, town)
        state = conn.execute(select(CorrectionRequest.state).where(CorrectionRequest.id == request_id)).scalar()
        if state != "pending":
            raise TransitionRefused(f"这份更正申请已经处理过了（{'已同意' if state == 'approved' else '未同意'}）。")
        conn.execute(
            update(CorrectionRequest)
            .where(CorrectionRequest.id == request_id)
            .values(
                state="approved" if approve else "refused",
                decided_by=principal.user_id,
                decided_at=now,
                decision_note=note,
            )
        )
        if approve:
            _write_state(conn, row.compound_id, row.month, {"state": "drafting", "reopened": True})
        action = "report.correction_approved" if approve else "report.correction_refused"
        _audit(conn, principal, action, code, row.month, now, request_id=request_id, note=note)
        return _status(conn, row.compound_id, row.month)


# ---- reads for the pages ----

QUEUE_COLUMNS = [
    "compound_id",
    "code",
    "name",
    "town",
    "month",
    "state",
    "submitted_at",
    "first_submitted_at",
    "changed_after_approval",
    "revision",
]


@scoped_read
def review_queue(engine: Engine, scope: ClampedScope, *, months: Period | None = None) -> pd.DataFrame:
    """Submitted months awaiting review in scope, oldest submission first."""
    r = MonthReport
    stmt = (
        select(
            r.compound_id,
            Compound.code,
            Compound.name,
            Town.name.label("town"),
            r.month,
            r.state,
            r.submitted_at,
            r.first_submitted_at,
            r.changed_after_approval,
            r.revision,
        )
        .join(Compound, Compound.id == r.compound_id)
        .join(Town, Town.code == Compound.town_code)
        .where(r.state == "submitted", Compound.active.is_(True))
        .order_by(r.submitted_at, Compound.code)
    )
    stmt = scope_filter(stmt, scope)
    if months is not None:
        stmt = stmt.where(r.month >= months.start, r.month <= months.end)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=QUEUE_COLUMNS)


def scope_filter(stmt, scope):
    """``stmt`` (joined to compounds) restricted to the scope's town or compound."""
    if scope.town_code:
        stmt = stmt.where(Compound.town_code == scope.town_code)
    if scope.compound_id is not None:
        stmt = stmt.where(Compound.id == scope.compound_id)
    return stmt


@scoped_read
def returned_months(engine: Engine, scope: ClampedScope) -> pd.DataFrame:
    """Months of the scope's compounds that were returned and not yet submitted again, with reasons."""
    r = MonthReport
    reviewer = select(User.display_name).where(User.id == r.reviewed_by).scalar_subquery()
    stmt = (
        select(r.compound_id, Compound.name, r.month, r.return_reason, r.reviewed_at, reviewer.label("reviewer"))
        .join(Compound, Compound.id == r.compound_id)
        .where(r.state == "returned")
        .order_by(r.month.desc())
    )
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(scope_filter(stmt, scope)).mappings().all(),
            columns=["compound_id", "name", "month", "return_reason", "reviewed_at", "reviewer"],
        )


CORRECTION_COLUMNS = ["id", "compound_id", "code", "name", "town", "month", "reason", "state", "requested_at"]
CORRECTION_COLUMNS += ["decision_note"]


@scoped_read
def correction_requests(engine: Engine, scope: ClampedScope, *, pending_only: bool = True) -> pd.DataFrame:
    """Correction requests of the scope's compounds (pending ones by default), oldest first."""
    c = CorrectionRequest
    stmt = (
        select(
            *[c.id, c.compound_id, Compound.code, Compound.name, Town.name.label("town")],
            *[c.month, c.reason, c.state, c.requested_at, c.decision_note],
        )
        .join(Compound, Compound.id == c.compound_id)
        .join(Town, Town.code == Compound.town_code)
        .order_by(c.requested_at)
    )
    if pending_only:
        stmt = stmt.where(c.state == "pending")
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(scope_filter(stmt, scope)).mappings().all(),
            columns=CORRECTION_COLUMNS,
        )


STATE_COLUMNS = ["compound_id", "month", "review", "first_submitted_at", "changed_after_approval"]


def states_in(conn: Connection, scope, period: Period) -> pd.DataFrame:
    """One row per compound-month with a report (``STATE_COLUMNS``: state, first submission time,
    changed after approval) for the scope's active compounds in the period (the reporting
    calendar's source). A province-year is 300,000 rows: fetched in bulk, the times parsed by
    pandas at once rather than one by one by the driver layer."""
    r = MonthReport
    stmt = (
        select(
            r.compound_id,
            r.month,
            r.state,
            type_coerce(r.first_submitted_at, String),  # SQLite: the stored text; PostgreSQL: a datetime
            r.changed_after_approval,
        )
        .join(Compound, Compound.id == r.compound_id)
        .where(Compound.active.is_(True), r.month >= period.start, r.month <= period.end)
    )
    rows = [tuple(row) for row in conn.execute(scope_filter(stmt, scope))]  # pandas probing Row objects costs more
    frame = pd.DataFrame(rows, columns=STATE_COLUMNS)
    frame["first_submitted_at"] = pd.to_datetime(frame["first_submitted_at"], format="ISO8601")
    frame["changed_after_approval"] = frame["changed_after_approval"].fillna(False).astype(bool)
    return frame


def locked_months(conn: Connection, period: Period) -> set[str]:
    stmt = select(MonthLock.month).where(
        and_(MonthLock.locked.is_(True), MonthLock.month >= period.start, MonthLock.month <= period.end)
    )
    return {m for (m,) in conn.execute(stmt)}


def reopened_in(conn: Connection, period: Period) -> int:
    """How many compound-months of the period a correction has reopened (their figures may change)."""
    r = MonthReport
    stmt = select(func.count()).where(r.reopened.is_(True), r.month >= period.start, r.month <= period.end)
    return int(conn.execute(stmt).scalar() or 0)


def mark_loaded_months_submitted(conn: Connection) -> int:
    """Compound-months written directly (demo generator, test fixtures, the first migration's
    data) become 已上报 at their first submission's time; returns how many rows were added."""
    first = aliased(Submission)
    first_at = (
        select(func.min(first.submitted_at))
        .where(first.compound_id == Submission.compound_id, first.month == Submission.month)
        .scalar_subquery()
    )
    current = select(
        Submission.compound_id,
        Submission.month,
        literal("submitted"),
        first_at,
        Submission.submitted_at,
        Submission.submitted_by,
        false(),
        false(),
        literal(1),
        Submission.submitted_at,
    ).where(
        Submission.status == "current",
        ~select(MonthReport.compound_id)
        .where(MonthReport.compound_id == Submission.compound_id, MonthReport.month == Submission.month)
        .exists(),
    )  # correlated on the (compound, month) index: linear in submissions on both databases
    columns = [
        "compound_id",
        "month",
        "state",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "reopened",
        "changed_after_approval",
        "revision",
        "updated_at",
    ]
    # one statement, so the data-version trigger runs once (not once per row on PostgreSQL)
    return conn.execute(insert(MonthReport).from_select(columns, current)).rowcount
