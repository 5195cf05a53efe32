"""Honest defaults: views open on the last month whose reporting deadline has passed."""

import datetime as dt

import pytest

from services.domain import last_closed_month


@pytest.mark.parametrize(
    ("today", "deadline", "expected"),
    [
        (dt.date(2026, 12, 3), 5, "2026-10"),  # 2026-11 is still being reported until 12-05
        (dt.date(2026, 12, 5), 5, "2026-10"),  # the deadline day itself still counts as open
        (dt.date(2026, 12, 6), 5, "2026-11"),
        (dt.date(2026, 1, 20), 28, "2025-11"),
        (dt.date(2026, 1, 29), 28, "2025-12"),
    ],
)
def test_last_closed_month(today, deadline, expected):
    assert last_closed_month(deadline, today) == expected
