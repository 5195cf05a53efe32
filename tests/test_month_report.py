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
