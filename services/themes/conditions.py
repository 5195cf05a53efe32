"""The states of cases and votes that several views count by (one rule each, as SQL conditions):
a case open on a day, a satisfied resident, a vote passed but not carried out, and when that is
flagged. Views import these instead of importing each other (the words they rest on, such as
which residents count as satisfied, are ``services.domain``'s, shared with the rollup)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select

from services import domain
from services.models import CaseRecord, VoteRecord

SATISFIED = domain.SATISFIED


def case_open_at(day: dt.date):
    """Received by ``day``, not transferred and not closed by then."""
    r = CaseRecord
    return and_(
        r.is_current.is_(True),
        r.received_date <= day,
        r.status != "已转办",
        or_(r.closed_date.is_(None), r.closed_date > day),
    )


def cases_open_at(day: dt.date, name: str = "open_cases"):
    """The cases open on ``day`` (``case_open_at``) as a materialised CTE (compound_id, kind,
    received_date), for counts grouped by compound: grouped straight from the ledger, SQLite
    walked every case ever reported in compound order instead of reading the few open ones
    through ``ix_case_records_open`` (prefecture: 0.46 s → 0.10 s; PostgreSQL 0.12 s → 0.07 s)."""
    r = CaseRecord
    return select(r.compound_id, r.kind, r.received_date).where(case_open_at(day)).cte(name).prefix_with("MATERIALIZED")


def vote_pending_at(day: dt.date):
    """Passed under the local rule by ``day`` and not carried out by then."""
    v = VoteRecord
    carried_out = and_(v.implementation == "已落实", or_(v.implemented_date.is_(None), v.implemented_date <= day))
    not_carried_out = ~func.coalesce(carried_out, False)
    return and_(v.is_current.is_(True), v.passes_local.is_(True), v.vote_date <= day, not_carried_out)


def vote_flagged_at(day: dt.date, alert_days: int):
    """Pending on ``day`` and held at least ``alert_days`` days before it (the 民主议事 page's and the alert's rule)."""
    return and_(vote_pending_at(day), VoteRecord.vote_date <= day - dt.timedelta(days=alert_days))
