"""One compound's ledgers, built from its own generator in a fixed order of draws.

The order is part of the output: reporting times, then the activity and case habits, the
seasonal events, each month's activities and cases, facility projects, votes, disclosures
and last the submissions that count them. Reordering any step changes the demo county.
"""

from __future__ import annotations

import datetime as dt

from services.demo.ledgers.activities import ActivityLedger
from services.demo.ledgers.book import LEDGER_MODELS, LEDGER_TABLES, CompoundBook
from services.demo.ledgers.cases import CaseLedger
from services.demo.ledgers.disclosures import add_disclosures
from services.demo.ledgers.facilities import add_facilities
from services.demo.ledgers.submissions import add_submissions, submission_times
from services.demo.ledgers.votes import add_votes
from services.demo.registry import Plan

__all__ = ["LEDGER_MODELS", "LEDGER_TABLES", "CompoundBook", "build_ledgers"]


def build_ledgers(plan: Plan, *, seed: int, start: str, end: str, today: dt.date) -> CompoundBook:
    """The submissions and ledger rows of one compound from ``start`` to ``end`` (without ids)."""
    book = CompoundBook(plan, seed=seed, start=start, end=end)
    times = submission_times(book, today)
    if not times:
        return book
    book.open(times)
    activities = ActivityLedger(book)
    cases = CaseLedger(book)
    seasonal = activities.seasonal_events()
    for month in book.months:
        activities.add_month(month, seasonal.get(month, []))
        cases.add_month(month)
    add_facilities(book)
    add_votes(book)
    add_disclosures(book)
    add_submissions(book, times)
    return book
