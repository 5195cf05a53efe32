"""The title slide built alone (汇报模式 shows it at once) is the deck's own first slide."""

from __future__ import annotations

import pytest

from services.access import SYSTEM, Principal
from services.deck import build_deck, build_title
from services.domain import Scope
from tests import fixture_county as fx
from tests.deck.conftest import GENERATED, PERIOD

SECRETARY = Principal(4, "s", "secretary", town_code=fx.HONGCHUAN, compound_id=1)


@pytest.mark.parametrize(
    ("who", "scope"),
    [(SYSTEM, Scope()), (SYSTEM, Scope(town_code=fx.HONGCHUAN)), (SECRETARY, Scope())],
)
@pytest.mark.parametrize("compare", ["previous", "year"])
def test_the_title_slide_alone_is_the_decks_first_slide(county_db, who, scope, compare):
    _, engine = county_db
    name, title = build_title(engine, who, scope, PERIOD, compare, now=GENERATED)
    whole = build_deck(engine, who, scope, PERIOD, compare, now=GENERATED)
    assert title == whole.slides[0] and name == whole.scope_label
    assert len(title.lines) >= 6
