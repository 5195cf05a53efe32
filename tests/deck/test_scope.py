"""build_deck reads through services.access.clamp: nobody gets a deck beyond their scope."""

from __future__ import annotations

import pytest

from services.access import PermissionDenied, Principal
from services.deck import build_deck
from services.domain import Scope
from tests import fixture_county as fx
from tests.deck.conftest import PERIOD

TOWN = Principal(3, "t", "town", town_code=fx.HONGCHUAN)
SECRETARY = Principal(4, "s", "secretary", town_code=fx.HONGCHUAN, compound_id=1)


def appendix_names(deck) -> set[str]:
    return {row[0] for slide in deck.slides if slide.key == "appendix" for row in slide.table.rows}


def test_a_town_official_asking_for_the_county_gets_the_town(county_db):
    _, engine = county_db
    deck = build_deck(engine, TOWN, Scope(), PERIOD)
    assert deck.title == "洪川镇支部进小区工作汇报" and deck.file_stem == "洪川镇_202501-202502_汇报"
    assert appendix_names(deck) == {"甲小区", "乙小区"}
    assert deck.slides[-1].title == "附表：各小区情况"


def test_a_town_official_may_not_present_another_towns_compound(county_db):
    _, engine = county_db
    with pytest.raises(PermissionDenied):
        build_deck(engine, TOWN, Scope(compound_id=3), PERIOD)
    with pytest.raises(PermissionDenied):
        build_deck(engine, TOWN, Scope(town_code=fx.ZHIGE), PERIOD)
    assert build_deck(engine, TOWN, Scope(compound_id=2), PERIOD).scope_label == "乙小区"


def test_a_secretary_gets_their_compound_only(county_db):
    _, engine = county_db
    deck = build_deck(engine, SECRETARY, Scope(), PERIOD)
    assert deck.scope_label == "甲小区" and appendix_names(deck) == {"甲小区"}
    index = next(s for s in deck.slides if s.key == "index")
    assert index.title == "治理指数：分项得分"
    with pytest.raises(PermissionDenied):
        build_deck(engine, SECRETARY, Scope(compound_id=2), PERIOD)
