"""When a compound reported each month, and the submission rows that carry its ledgers."""

from __future__ import annotations

import datetime as dt
import hashlib

from services.demo.ledgers.book import LEDGER_TABLES, CompoundBook
from services.demo.randomness import Pick
from services.demo.vocabulary import SUBMISSION_DELAY_WEIGHTS
from services.domain import add_months, month_end, month_of, months_between

_PICK_DELAY = Pick(SUBMISSION_DELAY_WEIGHTS)


def submission_times(book: CompoundBook, today: dt.date) -> list[tuple[str, dt.datetime]]:
    """Each reported month with its submission time; none before the branch or on/after ``today``."""
    plan = book.plan
    founded = book.compound["branch_founded"]
    if founded is None:
        return []
    first = max(book.start, month_of(founded))
    last = book.end
    if plan.stop_month:
        last = add_months(plan.stop_month, -1)
    if plan.skip_last:
        last = min(last, add_months(book.end, -1))
    times: list[tuple[str, dt.datetime]] = []
    for month in months_between(first, last):
        at = _submitted_at(book, month)
        if at.date() >= today:  # not in the future: later months are not in yet either
            break
        times.append((month, at))
    return times


def _submitted_at(book: CompoundBook, month: str) -> dt.datetime:
    rng, plan = book.rng, book.plan
    late = 0.55 if plan.laggard else (0.0 if plan.real else 0.05)
    late_days = (6, 20) if plan.laggard else (6, 12)
    delay = rng.randint(*late_days) if rng.random() < late else _PICK_DELAY(rng)
    day = month_end(month) + dt.timedelta(days=delay)
    seconds = int(rng.random() * 15 * 3600)  # 08:00:00 to 22:59:59
    return dt.datetime(day.year, day.month, day.day, 8 + seconds // 3600, seconds // 60 % 60, seconds % 60)


def add_submissions(book: CompoundBook, times: list[tuple[str, dt.datetime]]) -> None:
    """One current submission per reported month: a ledger when it has rows, else a zero report."""
    counts: dict[str, dict[str, int]] = {m: dict.fromkeys(LEDGER_TABLES, 0) for m, _ in times}
    for table, rows in book.rows.items():
        for row in rows:
            counts[row["month"]][table] += 1
    code = book.compound["code"]
    for month, at in times:
        rc = counts[month]
        ledger = any(rc.values())
        digest = hashlib.sha256(f"linli-demo|{book.seed}|{code}|{month}|1|{sorted(rc.items())}".encode())
        book.submissions.append(
            {
                "compound_id": book.compound["id"],
                "month": month,
                "version": 1,
                "kind": "ledger" if ledger else "zero",
                "status": "current",
                "submitted_by": None,
                "submitted_at": at,
                "file_names": f"{month}台账.xlsx" if ledger else None,
                "file_hash": digest.hexdigest() if ledger else None,
                "row_counts": rc if ledger else {},  # keyed by table, as the importer does
            }
        )
