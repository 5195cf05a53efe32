"""The compound profile against hand-worked values (甲小区, id 1, in tests/fixture_county.py)."""

import pytest

from services.access import PermissionDenied, Principal, read
from services.domain import Period, Scope
from services.themes import profile
from tests import fixture_county as fx

JAN_FEB = Period("2025-01", "2025-02")
COUNTY = Principal(2, "c", "county")


@pytest.fixture
def county(engine):
    fx.load(engine)
    return engine


def test_timeline_across_all_ledgers(county):
    t = read(county, COUNTY, profile.compound_timeline, Scope(compound_id=1), JAN_FEB, deadline_day=5)
    assert list(t["activities"]) == [2, 1]
    assert list(t["cases_received"]) == [2, 1]  # A-1, A-2 | A-3
    assert list(t["cases_closed"]) == [1, 1]  # A-2 on 01-30 | A-1 on 02-04
    assert list(t["projects_completed"]) == [0, 1]  # the road, completed 02-20
    assert list(t["votes_held"]) == [1, 1]
    assert list(t["disclosed"]) == [True, False]
    assert list(t["status"]) == ["on_time", "late"]  # February arrived on 03-09


def test_card_cases_and_votes(county):
    card = read(county, COUNTY, profile.compound_card, Scope(compound_id=1), Period("2025-01", "2025-01"))
    assert card["name"] == "甲小区" and card["town"] == "洪川镇"
    assert card["bodies"]["owners_committee"] and not card["bodies"]["womens_federation"]  # founded 2025-02-10
    cases = read(county, COUNTY, profile.compound_cases, Scope(compound_id=1), Period("2025-02", "2025-02"))
    assert sorted(cases["case_no"]) == ["A-1", "A-3"]  # A-1 closed in February, A-3 received then; A-2 done in Jan
    votes = read(county, COUNTY, profile.compound_votes, Scope(compound_id=1), JAN_FEB)
    assert list(votes["vote_no"]) == ["V2", "V1"]
    v1 = votes.set_index("vote_no").loc["V1"]
    assert bool(v1["passes_local"]) and not bool(v1["passes_statutory"]) and v1["agreement"] == pytest.approx(0.75)


def test_profile_reads_respect_scope(county):
    town = Principal(3, "t", "town", town_code=fx.HONGCHUAN)
    assert read(county, town, profile.compound_card, Scope(compound_id=3), JAN_FEB) == {}  # 丙 is in 止戈镇
    with pytest.raises(PermissionDenied):
        read(
            county,
            Principal(4, "s", "secretary", fx.HONGCHUAN, 1),
            profile.compound_card,
            Scope(compound_id=2),
            JAN_FEB,
        )
