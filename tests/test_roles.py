"""Role × service entry point: what each role may read and change, enforced in services/."""

import pytest

from services import access, metrics
from services.access import PermissionDenied, Principal, clamp, read, require_import
from services.domain import Period, Scope
from tests import fixture_county as fx

ADMIN = Principal(1, "a", "admin")
COUNTY = Principal(2, "c", "county")
TOWN = Principal(3, "t", "town", town_code=fx.HONGCHUAN)
SECRETARY = Principal(4, "s", "secretary", town_code=fx.HONGCHUAN, compound_id=1)
PERIOD = Period("2025-01", "2025-02")

# (principal, requested scope, expected effective scope or PermissionDenied)
READS = [
    (ADMIN, Scope(), Scope()),
    (COUNTY, Scope(), Scope()),
    (COUNTY, Scope(town_code=fx.ZHIGE), Scope(town_code=fx.ZHIGE)),
    (COUNTY, Scope(compound_id=3), Scope(compound_id=3)),
    (TOWN, Scope(), Scope(town_code=fx.HONGCHUAN)),
    (TOWN, Scope(town_code=fx.HONGCHUAN), Scope(town_code=fx.HONGCHUAN)),
    (TOWN, Scope(town_code=fx.ZHIGE), PermissionDenied),
    (TOWN, Scope(compound_id=3), Scope(town_code=fx.HONGCHUAN, compound_id=3)),  # 丙 is not in 洪川镇: empty
    (SECRETARY, Scope(), Scope(town_code=fx.HONGCHUAN, compound_id=1)),
    (SECRETARY, Scope(town_code=fx.HONGCHUAN), Scope(town_code=fx.HONGCHUAN, compound_id=1)),
    (SECRETARY, Scope(compound_id=2), PermissionDenied),
]


@pytest.mark.parametrize(("principal", "requested", "expected"), READS)
def test_clamp(principal, requested, expected):
    if expected is PermissionDenied:
        with pytest.raises(PermissionDenied):
            clamp(principal, requested)
    else:
        assert clamp(principal, requested) == expected


@pytest.fixture
def county(engine):
    fx.load(engine)
    return engine


def test_read_never_returns_more_than_the_scope(county):
    everything = read(county, COUNTY, metrics.headline, Scope(), PERIOD)
    town = read(county, TOWN, metrics.headline, Scope(), PERIOD)  # asked for the county, got the town
    mine = read(county, SECRETARY, metrics.headline, Scope(), PERIOD)
    assert (everything["compounds"], town["compounds"], mine["compounds"]) == (3, 2, 1)
    # a town official asking for a compound of another town gets nothing from it
    assert read(county, TOWN, metrics.headline, Scope(compound_id=3), PERIOD)["compounds"] == 0
    assert set(read(county, TOWN, metrics.by_compound, Scope(), PERIOD)["town_code"]) == {fx.HONGCHUAN}
    with pytest.raises(PermissionDenied):
        read(county, COUNTY, metrics.towns, Scope(), PERIOD)  # not a published metric entry point


IMPORTS = [
    (ADMIN, 1, True),
    (ADMIN, 3, True),
    (SECRETARY, 1, True),
    (SECRETARY, 2, False),
    (SECRETARY, 3, False),
    (COUNTY, 1, False),
    (TOWN, 1, False),
]


@pytest.mark.parametrize(("principal", "compound_id", "allowed"), IMPORTS)
def test_who_may_import_for_which_compound(principal, compound_id, allowed):
    if allowed:
        require_import(principal, compound_id)
    else:
        with pytest.raises(PermissionDenied):
            require_import(principal, compound_id)


PAGES = {  # page id: roles that may open it
    "my_month": {"secretary"},
    "overview": {"admin", "county", "town", "secretary"},
    "map": {"admin", "county", "town", "secretary"},
    "coverage": {"admin", "county", "town", "secretary"},
    "activities": {"admin", "county", "town", "secretary"},
    "cases": {"admin", "county", "town", "secretary"},
    "profile": {"admin", "county", "town", "secretary"},
    "alerts": {"admin", "county", "town", "secretary"},
    "index": {"admin", "county", "town", "secretary"},
    "present": {"admin", "county", "town", "secretary"},
    "facilities": {"admin", "county", "town", "secretary"},
    "votes": {"admin", "county", "town", "secretary"},
    "finance": {"admin", "county", "town", "secretary"},
    "property": {"admin", "county", "town", "secretary"},
    "upload": {"admin", "secretary"},
    "reporting": {"admin", "county", "town", "secretary"},
    "review": {"admin", "county", "town"},
    "inbox": {"admin", "county", "town", "secretary"},
    "orders": {"admin", "county", "town", "secretary"},
    "guide": {"admin", "county", "town", "secretary"},
    "account": {"admin", "county", "town", "secretary"},
    "admin_users": {"admin"},
    "admin_registry": {"admin"},
    "admin_settings": {"admin"},
    "admin_audit": {"admin"},
}


def test_page_access_table_is_the_expected_one():
    """Changing who sees a page must be a deliberate edit of this test as well."""
    assert {page: set(roles) for page, roles in access.PAGE_ACCESS.items()} == PAGES


def test_secretary_peer_position_is_anonymised_and_hand_checked(county):
    """甲 vs 乙 in 洪川镇, Jan–Feb 2025: 甲 3 activities / 200 hh = 1.5 per 100, 乙 0 → rank 1 of 2,
    median 0.75; 甲's one dispute = 0.5 per 100 vs 乙 0 → rank 2 (fewer is better)."""
    peers = read(county, SECRETARY, metrics.peer_position, Scope(), PERIOD).set_index("figure")
    assert set(peers.columns) == {"value", "rank", "compounds", "town_median"}  # no names, no other values
    act = peers.loc["activities_per_100_households"]
    assert (act["value"], act["rank"], act["compounds"], act["town_median"]) == (1.5, 1, 2, 0.75)
    disputes = peers.loc["disputes_per_100_households"]
    assert (disputes["value"], disputes["rank"]) == (0.5, 2)
    closure = peers.loc["closure_rate"]  # 乙 had no cases: only 甲 is ranked
    assert closure["compounds"] == 1 and closure["value"] == pytest.approx(2 / 3)
