"""汇报模式 opens on a quarter or year with no month still being reported in it."""

from services.deck.periods import default_index


def test_the_deck_opens_on_the_newest_complete_quarter_and_year():
    quarters = ["2026Q4", "2026Q3", "2026Q2"]
    assert default_index("quarter", quarters, "2026-10") == 1  # Q4 still has November and December to come
    assert default_index("quarter", quarters, "2026-12") == 0
    assert default_index("year", ["2026", "2025"], "2026-10") == 1
    assert default_index("quarter", ["2026Q4"], "2026-10") == 0  # nothing complete: the newest there is
