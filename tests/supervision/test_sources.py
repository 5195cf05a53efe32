"""Order sources: the reference an issuing page writes is the one the 预警 page looks up, and an
order still open about the same alert of an earlier month covers this month's alert."""

from __future__ import annotations

import pytest

from services import supervision
from services.supervision import OrderSource


def test_each_alert_kind_has_its_source_kind_and_a_reference_with_its_month():
    assert supervision.alert_source("case_overdue", "2025-03") == OrderSource("case", "alert:case_overdue@2025-03")
    assert supervision.alert_source("vote_not_implemented", "2025-03").kind == "vote"
    assert supervision.alert_source("not_reporting", "2025-03").kind == "report"
    assert supervision.alert_source("dispute_spike", "2025-03").kind == "alert"
    assert supervision.alert_source("dispute_spike", "2025-03").item == "alert:dispute_spike"
    assert supervision.case_source("C-7") == OrderSource("case", "case:C-7")
    assert supervision.vote_source("V-12").item == "vote:V-12"
    assert supervision.profile_source("2025-03") == OrderSource("profile", "profile@2025-03")


def test_an_unknown_source_kind_is_refused():
    with pytest.raises(ValueError):
        OrderSource("rumour", "x")


def test_the_open_order_of_a_row_is_found_by_its_reference_or_its_item():
    march = supervision.alert_source("case_overdue", "2025-03")
    april = supervision.alert_source("case_overdue", "2025-04")
    spike = supervision.alert_source("dispute_spike", "2025-04")
    open_orders = {
        (1, "case", "alert:case_overdue@2025-03"): 7,
        (1, "case", "alert:case_overdue@2025-04"): 9,
        (1, "case", "case:C-1"): 8,  # one case of the same compound is another item
        (2, "case", "alert:case_overdue@2025-02"): 5,
        (1, "scratch", None): 3,
    }
    assert supervision.open_order_for(open_orders, 1, march) == 7
    assert supervision.open_order_for(open_orders, 1, april) == 9  # its own before the earlier month's
    assert supervision.open_order_for(open_orders, 2, april) == 5  # the earlier month's is still open
    assert supervision.open_order_for(open_orders, 1, spike) is None
    assert supervision.open_order_for(open_orders, 3, march) is None
    assert supervision.open_order_for({}, 1, supervision.case_source("C-1")) is None
