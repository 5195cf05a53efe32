"""Alerts against hand-worked cases on tests/fixture_county.py (both databases)."""

import datetime as dt

import pytest

from services import rollups, settings_store
from services.access import SYSTEM
from services.db import write_transaction
from services.domain import Period
from services.models import CaseRecord
from services.themes.alerts import alert_counts, alerts
from tests import fixture_county as fx
from tests.scoped import scoped


@pytest.fixture
def county(engine):
    fx.load(engine)
    return engine


def _kinds(frame, compound_id):
    return set(frame[frame["compound_id"] == compound_id]["kind"])


def test_not_reporting_follows_the_setting(county):
    # Feb 2025: C (id 3) is missing; A reported, B sent a zero report.
    assert alert_counts(alerts(county, scoped(), Period("2025-02", "2025-02")))["not_reporting"] == 0  # N = 2
    settings_store.set_value(county, SYSTEM, "alert_months_not_reporting", 1)
    frame = alerts(county, scoped(), Period("2025-02", "2025-02"))
    assert list(frame[frame["kind"] == "not_reporting"]["compound_id"]) == [3]


def test_overdue_cases_and_unimplemented_votes_in_march(county):
    frame = alerts(county, scoped(), Period("2025-03", "2025-03"))
    # A-3 received 02-10 and never closed: 03-31 minus 30 days = 03-01 ≥ 02-10 → overdue; C-2 was transferred.
    overdue = frame[frame["kind"] == "case_overdue"]
    assert list(overdue["compound_id"]) == [1] and list(overdue["value"]) == [1]
    # V1 (A, 01-12) and V3 (C, 01-18) pass locally and are not carried out; 03-31 minus 60 days = 01-30.
    assert set(frame[frame["kind"] == "vote_not_implemented"]["compound_id"]) == {1, 3}


def test_idle_branches_and_missing_disclosure(county):
    frame = alerts(county, scoped(), Period("2025-05", "2025-05"))
    # no activity anywhere in Mar–May; every branch was founded before March
    assert set(frame[frame["kind"] == "branch_idle"]["compound_id"]) == {1, 2, 3}
    # A disclosed in January (within the 12 months before) but not in Apr–May
    assert set(frame[frame["kind"] == "disclosure_missing"]["compound_id"]) == {1}
    assert _kinds(alerts(county, scoped(), Period("2025-01", "2025-01")), 1) == set()  # nothing wrong in January


def test_dispute_spike_needs_three_and_a_multiple_of_history(county):
    with write_transaction(county) as conn:  # C: three parking disputes in February, one in January before
        for i, day in enumerate((3, 9, 17), start=1):
            received = dt.date(2025, 2, day)
            conn.execute(
                CaseRecord.__table__.insert().values(
                    submission_id=5,
                    compound_id=3,
                    month="2025-02",
                    is_current=True,
                    case_no=f"S-{i}",
                    kind="纠纷",
                    category="停车",
                    received_date=received,
                    received_month="2025-02",
                    status="处理中",
                )
            )
        rollups.refresh(conn, [3])  # as every import does in its transaction (预警 counts disputes from the rollup)
    spikes = alerts(county, scoped(), Period("2025-02", "2025-02"))
    spike = spikes[spikes["kind"] == "dispute_spike"]
    # 3 ≥ 3 × max(1/12 per month average, 1/12) → spike for C only
    assert list(spike["compound_id"]) == [3] and list(spike["value"]) == [3]
    assert (
        alerts(county, scoped(town_code=fx.HONGCHUAN), Period("2025-02", "2025-02"))
        .query("kind == 'dispute_spike'")
        .empty
    )


def test_the_vote_alert_and_the_votes_page_flag_the_same_votes(county):
    """A vote carried out only after the period's end was still pending at that end: both views say so."""
    from sqlalchemy import update

    from services.models import VoteRecord
    from services.themes import votes

    with write_transaction(county) as conn:  # V1 (A) carried out on 2025-04-10, after March
        conn.execute(
            update(VoteRecord)
            .where(VoteRecord.compound_id == 1, VoteRecord.passes_local.is_(True))
            .values(implementation="已落实", implemented_date=dt.date(2025, 4, 10))
        )
    for month in ("2025-03", "2025-04"):
        period = Period(month, month)
        frame = alerts(county, scoped(), period)
        alerted = dict(
            zip(*frame[frame["kind"] == "vote_not_implemented"][["compound_id", "value"]].T.values, strict=True)
        )
        pending = votes.pending(county, scoped(), period, alert_days=60)
        flagged = pending[pending["flagged"]].groupby("compound_id").size().to_dict()
        assert alerted == flagged, month
    march = alerts(county, scoped(), Period("2025-03", "2025-03"))
    assert 1 in set(march[march["kind"] == "vote_not_implemented"]["compound_id"])  # still pending on 03-31
    april = alerts(county, scoped(), Period("2025-04", "2025-04"))
    assert 1 not in set(april[april["kind"] == "vote_not_implemented"]["compound_id"])  # carried out by 04-30


def test_not_reporting_shows_the_whole_run_not_the_threshold(county):
    """May 2025, N = 2: A last reported February → Mar–May = 3; B's zero report for February counts
    as a report → 3; C last reported January → Feb–May = 4 (the old rule capped every value at N)."""
    frame = alerts(county, scoped(), Period("2025-05", "2025-05"))
    runs = frame[frame["kind"] == "not_reporting"].set_index("compound_id")["value"].to_dict()
    assert runs == {1: 3, 2: 3, 3: 4}
