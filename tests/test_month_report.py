"""A secretary's month, from the fixture county (hand-checked against tests/fixture_county.py)."""

from services import reporting
from services.domain import Period
from tests import fixture_county as fx
from tests.scoped import scoped


def test_month_report_says_what_is_in_and_whether_it_was_on_time(engine):
    fx.load(engine)
    feb = reporting.month_report(engine, scoped(compound_id=1), Period("2025-02", "2025-02"), deadline_day=5)
    # A's February arrived 2025-03-09, after the 03-05 deadline
    assert (feb["version"], feb["kind"], feb["on_time"]) == (1, "ledger", False)
    jan_c = reporting.month_report(engine, scoped(compound_id=3), Period("2025-01", "2025-01"), deadline_day=5)
    # C's January: version 2 is current; the first arrival (02-04) counts for on time
    assert (jan_c["version"], jan_c["on_time"]) == (2, True)
    missing = reporting.month_report(engine, scoped(compound_id=3), Period("2025-02", "2025-02"), deadline_day=5)
    assert (missing["version"], missing["on_time"], missing["row_counts"]) == (None, None, {})
    assert str(missing["deadline"]) == "2025-03-05 23:59:59"


def test_a_month_is_open_until_its_deadline_has_passed(engine):
    """Feb 2025 is due by 2025-03-05 23:59:59: open on 03-05, closed on 03-06; A reported (late), C not."""
    import datetime as dt

    fx.load(engine)
    feb = Period("2025-02", "2025-02")
    before = reporting.month_progress(engine, scoped(), feb, deadline_day=5, now=dt.datetime(2025, 3, 5, 12))
    assert (before["open"], before["received"], before["expected"]) == (True, 2, 3)  # A and B's zero report
    after = reporting.month_progress(engine, scoped(), feb, deadline_day=5, now=dt.datetime(2025, 3, 6, 0, 0, 1))
    assert after["open"] is False
