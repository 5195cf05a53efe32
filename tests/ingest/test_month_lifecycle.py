"""The month's report on both databases: 填报中 → 已上报 → 已审核 / 已退回, the county's lock,
correction requests, who may do what, and two people acting on one month at once.

Compound A (洪川镇, 甲小区) reports March 2025; the town account is 洪川镇's; compound C is in
another town. Deadline day 5: March is on time until 2025-04-05 23:59:59."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import update

from services import month_reports, reporting
from services.access import PermissionDenied
from services.db import write_transaction
from services.domain import Period
from services.ingest import ImportRejected, import_month, submit_zero_report
from services.ledgers import ACTIVITIES, CASES
from services.models import Compound
from services.month_reports import TransitionRefused
from tests.ingest.helpers import NOW, ZHIGE, A, B, C, audit_rows, csv_bytes, march_tables, table_checksums
from tests.scoped import scoped

MARCH = "2025-03"
DEADLINE_DAY = 5
AFTER_DEADLINE = dt.datetime(2025, 4, 7, 2, 0)


@pytest.fixture
def county(county):
    """The importer's small county, each compound with a branch (so each is expected to report)."""
    with write_transaction(county.engine) as conn:
        conn.execute(update(Compound).values(branch_founded=dt.date(2020, 1, 1)))
    return county


def _files(ledger):
    return [(f"{ledger.name}.csv", csv_bytes(march_tables()[ledger.name]))]


def _import(county, ledger, *, now=NOW, who=None, **kw):
    return import_month(
        county.engine, principal=who or county.secretary_a, files=_files(ledger), month=MARCH, now=now, **kw
    )


def _state(county):
    return month_reports.status(county.engine, county.ids[A], MARCH)


def _cal(county):
    cal = reporting.calendar(county.engine, scoped(), Period(MARCH, MARCH), deadline_day=DEADLINE_DAY)
    return dict(zip(cal["compound_id"], cal["status"], strict=True)), reporting.totals(cal)


def _submit(county, now=NOW, who=None):
    cid = county.ids[A]
    return month_reports.submit(
        county.engine, who or county.secretary_a, cid, MARCH, deadline_day=DEADLINE_DAY, now=now
    )


def test_ledgers_in_make_the_month_in_progress_and_submitting_judges_on_time_then(county):
    a = county.ids[A]
    assert _state(county).label == "未上报"
    assert _cal(county)[0][a] == "missing"
    result = _import(county, ACTIVITIES)
    assert result.month_state == "填报中" and "提交本月" in result.describe()
    _import(county, CASES, now=NOW + dt.timedelta(days=1))
    assert _state(county).label == "填报中"
    statuses, counts = _cal(county)
    assert statuses[a] == "in_progress" and counts["reports_received"] == 0  # in, but not submitted
    # ledgers were in before the deadline, the month is submitted after it: late
    status = _submit(county, now=AFTER_DEADLINE)
    assert (status.label, status.first_submitted_at) == ("已上报", AFTER_DEADLINE)
    statuses, counts = _cal(county)
    assert statuses[a] == "late" and counts["reports_received"] == 1 and counts["reports_on_time"] == 0
    assert audit_rows(county.engine)[-1].action == "report.submit"
    with pytest.raises(TransitionRefused, match="已经提交过了"):
        _submit(county, now=AFTER_DEADLINE)


def test_who_may_submit_and_review(county):
    a, c = county.ids[A], county.ids[C]
    with pytest.raises(TransitionRefused, match="还没有任何台账"):
        _submit(county)
    _import(county, ACTIVITIES)
    for outsider in (county.secretary_b, county.town, county.county):
        with pytest.raises(PermissionDenied):
            _submit(county, who=outsider)
    with pytest.raises(TransitionRefused, match="只有已上报"):  # not submitted yet
        month_reports.approve(county.engine, county.town, a, MARCH, now=NOW)
    _submit(county)
    with pytest.raises(PermissionDenied):
        month_reports.approve(county.engine, county.secretary_a, a, MARCH, now=NOW)
    # a town account reviews only its own town's compounds
    other_town = county.town.__class__(county.town.user_id, "town-x", "town", ZHIGE, None)
    with pytest.raises(PermissionDenied, match="本镇"):
        month_reports.approve(county.engine, other_town, a, MARCH, now=NOW)
    assert month_reports.approve(county.engine, county.town, a, MARCH, now=NOW).label == "已审核"
    with pytest.raises(TransitionRefused):
        month_reports.approve(county.engine, county.county, c, MARCH, now=NOW)  # C never reported


def test_a_returned_month_carries_its_reason_and_comes_back(county):
    a = county.ids[A]
    _import(county, ACTIVITIES)
    _submit(county)
    for empty in ("", "  ", "不"):
        with pytest.raises(TransitionRefused, match="至少两个字"):
            month_reports.return_report(county.engine, county.town, a, MARCH, empty, now=NOW)
    with pytest.raises(TransitionRefused, match="手机号"):
        month_reports.return_report(county.engine, county.town, a, MARCH, "请联系 13812345678", now=NOW)
    status = month_reports.return_report(county.engine, county.town, a, MARCH, "活动人数与签到表不符", now=NOW)
    assert (status.label, status.return_reason) == ("已退回", "活动人数与签到表不符")
    returned = month_reports.returned_months(county.engine, scoped(compound_id=a))
    assert returned[["month", "return_reason"]].values.tolist() == [[MARCH, "活动人数与签到表不符"]]
    assert _cal(county)[0][a] == "on_time"  # returning does not undo the on-time submission
    _import(county, CASES)  # the secretary goes on with the returned month
    assert _state(county).label == "已退回"
    assert _submit(county).label == "已上报"
    assert month_reports.returned_months(county.engine, scoped(compound_id=a)).empty
    detail = [r.detail for r in audit_rows(county.engine) if r.action == "report.return"]
    assert detail == [{"compound_code": A, "month": MARCH, "reason": "活动人数与签到表不符"}]


def test_an_import_after_submitting_sends_the_month_back_to_in_progress(county):
    _import(county, ACTIVITIES)
    _submit(county)
    _import(county, CASES)
    assert _state(county).label == "填报中"
    assert [r.action for r in audit_rows(county.engine)][-1] == "report.back_to_drafting"


def test_approved_and_locked_months_refuse_imports_until_a_correction_is_approved(county):
    engine, a = county.engine, county.ids[A]
    _import(county, ACTIVITIES)
    _submit(county)
    month_reports.approve(engine, county.town, a, MARCH, now=NOW)
    before = table_checksums(engine)
    with pytest.raises(ImportRejected) as refused:
        _import(county, CASES)
    problem = refused.value.problems[0]
    assert problem.code == "month.closed" and "已审核" in problem.message_zh and "申请更正" in problem.hint_zh
    assert table_checksums(engine, skip=("audit_log",)) == before

    with pytest.raises(PermissionDenied):
        month_reports.set_month_lock(engine, county.town, MARCH, locked=True, now=NOW)
    assert month_reports.set_month_lock(engine, county.county, MARCH, locked=True, now=NOW)
    assert _state(county).label == "已锁定"
    with pytest.raises(ImportRejected) as zero:
        submit_zero_report(engine, principal=county.secretary_b, compound_id=county.ids[B], month=MARCH, now=NOW)
    assert "已锁定" in zero.value.problems[0].message_zh and "申请更正" in zero.value.problems[0].hint_zh

    with pytest.raises(TransitionRefused, match="更正理由"):
        month_reports.request_correction(engine, county.secretary_a, a, MARCH, "", now=NOW)
    request = month_reports.request_correction(engine, county.secretary_a, a, MARCH, "漏报一起纠纷", now=NOW)
    with pytest.raises(TransitionRefused, match="已有一份更正申请"):
        month_reports.request_correction(engine, county.secretary_a, a, MARCH, "再次申请", now=NOW)
    pending = month_reports.correction_requests(engine, scoped(town_code=county.town.town_code))
    assert pending[["id", "reason"]].values.tolist() == [[request, "漏报一起纠纷"]]
    with pytest.raises(PermissionDenied):
        month_reports.decide_correction(engine, county.secretary_a, request, approve=True, now=NOW)
    reopened = month_reports.decide_correction(engine, county.town, request, approve=True, now=NOW)
    assert (reopened.label, reopened.reopened) == ("填报中", True)
    with pytest.raises(TransitionRefused, match="已经处理过"):
        month_reports.decide_correction(engine, county.county, request, approve=False, note="不同意", now=NOW)

    _import(county, CASES)  # the correction lands inside the locked month
    assert _state(county).changed_after_approval
    _submit(county)
    queue = month_reports.review_queue(engine, scoped(town_code=county.town.town_code))
    assert queue[["compound_id", "changed_after_approval"]].values.tolist() == [[a, True]]
    approved = month_reports.approve(engine, county.county, a, MARCH, now=NOW)
    assert approved.label == "已锁定" and not approved.changed_after_approval  # locked again
    with pytest.raises(ImportRejected) as again:
        _import(county, ACTIVITIES, replace=True)
    assert "已锁定" in again.value.problems[0].message_zh
    actions = [r.action for r in audit_rows(engine) if r.action.startswith("report.")]
    assert actions == [
        "report.submit",
        "report.approve",
        "report.lock",
        "report.request_correction",
        "report.correction_approved",
        "report.submit",
        "report.approve",
    ]


def test_a_refused_correction_needs_a_reason_and_changes_nothing(county):
    engine, a = county.engine, county.ids[A]
    _import(county, ACTIVITIES)
    _submit(county)
    month_reports.approve(engine, county.town, a, MARCH, now=NOW)
    request = month_reports.request_correction(engine, county.secretary_a, a, MARCH, "想改活动名称", now=NOW)
    with pytest.raises(TransitionRefused, match="不同意的理由"):
        month_reports.decide_correction(engine, county.town, request, approve=False, now=NOW)
    status = month_reports.decide_correction(
        engine, county.town, request, approve=False, note="名称不影响统计", now=NOW
    )
    assert status.label == "已审核" and status.pending_correction is None


def test_months_lock_by_themselves_after_the_lock_day_unless_unlocked_by_hand(county):
    engine = county.engine
    _import(county, ACTIVITIES)
    # March's deadline is 04-05; with 15 days after it the lock day is 04-20
    assert month_reports.lock_date(MARCH, deadline_day=5, lock_after_days=15) == dt.date(2025, 4, 20)
    kw = {"deadline_day": 5, "lock_after_days": 15}
    assert month_reports.lock_due(engine, today=dt.date(2025, 4, 20), **kw) == []
    assert month_reports.lock_due(engine, today=dt.date(2025, 4, 21), **kw) == [MARCH]
    assert month_reports.lock_due(engine, today=dt.date(2025, 4, 22), **kw) == []
    assert month_reports.set_month_lock(engine, county.county, MARCH, locked=False, now=NOW)
    assert month_reports.lock_due(engine, today=dt.date(2025, 6, 1), **kw) == ["2025-04"]
    assert not _state(county).locked  # the unlock by hand holds


def test_the_approved_share_counts_approved_months_of_those_expected(county):
    engine, a, b = county.engine, county.ids[A], county.ids[B]
    _import(county, ACTIVITIES)
    _submit(county)
    submit_zero_report(engine, principal=county.secretary_b, compound_id=b, month=MARCH, now=NOW)
    month_reports.approve(engine, county.town, a, MARCH, now=NOW)
    counts = _cal(county)[1]
    assert (counts["reports_received"], counts["reports_approved"]) == (2, 1)
    assert counts["approved_rate"] == pytest.approx(1 / counts["reports_expected"])


def _at_once(jobs: dict) -> dict:
    """Run the jobs in threads released together; {name: result or the exception it raised}."""
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


def test_two_officials_approving_one_month_end_with_one_approval_and_a_clear_message(county):
    engine, a = county.engine, county.ids[A]
    _import(county, ACTIVITIES)
    revision = _submit(county).revision

    jobs = {
        "town": lambda: month_reports.approve(engine, county.town, a, MARCH, expected_revision=revision, now=NOW),
        "county": lambda: month_reports.return_report(
            engine, county.county, a, MARCH, "请补充签到表", expected_revision=revision, now=NOW
        ),
    }
    outcome = _at_once(jobs)
    losers = [r for r in outcome.values() if isinstance(r, Exception)]
    winners = [r for r in outcome.values() if not isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, outcome
    assert isinstance(losers[0], TransitionRefused) and "刚刚被他人处理过" in str(losers[0])
    assert _state(county).label == winners[0].label
    assert len([r for r in audit_rows(engine) if r.action in ("report.approve", "report.return")]) == 1


def test_approving_while_the_secretary_uploads_ends_in_one_consistent_state(county):
    engine, a = county.engine, county.ids[A]
    _import(county, ACTIVITIES)
    revision = _submit(county).revision

    jobs = {
        "approve": lambda: month_reports.approve(engine, county.town, a, MARCH, expected_revision=revision, now=NOW),
        "upload": lambda: _import(county, CASES),
    }
    outcome = _at_once(jobs)
    state = _state(county)
    if isinstance(outcome["upload"], Exception):  # the approval came first: the upload is refused
        assert isinstance(outcome["upload"], ImportRejected) and "已审核" in str(outcome["upload"].problems[0])
        assert state.label == "已审核" and not isinstance(outcome["approve"], Exception)
    else:  # the upload came first: the month is back in progress and the approval is refused
        assert isinstance(outcome["approve"], TransitionRefused)
        assert state.label == "填报中"
