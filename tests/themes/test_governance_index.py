"""The governance index on the fixture county, Jan–Feb 2025, every component worked by hand."""

import datetime as dt

import pytest

from services import index_weights, settings_store, supervision
from services.access import SYSTEM
from services.domain import Period
from services.themes import governance_index as gi
from tests import fixture_county as fx
from tests import fixture_orders as fo
from tests.scoped import scoped

PERIOD = Period("2025-01", "2025-02")


@pytest.fixture
def county(engine):
    fx.load(engine)
    return engine


def test_components_and_index_by_hand(county):
    idx = gi.compound_index(county, scoped(), PERIOD).set_index("name")
    a, b, c = idx.loc["甲小区"], idx.loc["乙小区"], idx.loc["丙小区"]
    # organisation: 甲 all six bodies; 乙 only its branch; 丙 branch, company, volunteers, liaison unit
    assert (a["organisation"], round(b["organisation"], 2), round(c["organisation"], 2)) == (100, 16.67, 66.67)
    # activity per 100 hh: 甲 1.5, 乙 0, 丙 0.33 → percentiles 100, 33.3, 66.7
    assert (a["activity"], round(b["activity"], 1), round(c["activity"], 1)) == (100, 33.3, 66.7)
    # response: 甲 3 cases, 2 answered, 2 closed → (2+2)×50/3; 丙 2 cases, 2 answered, 1 closed → 75; 乙 none
    assert round(a["response"], 2) == 66.67 and c["response"] == 75 and pd_isna(b["response"])
    # democracy: 甲 75% and 80% → 77.5; 丙 90%; 乙 no votes
    assert a["democracy"] == pytest.approx(77.5) and c["democracy"] == pytest.approx(90) and pd_isna(b["democracy"])
    assert (a["facilities"], b["facilities"], c["facilities"]) == (100, 0, 100)
    # timeliness: 甲 Jan on time, Feb late; 乙 Feb on time; 丙 Jan on time, Feb missing
    assert (a["timeliness"], b["timeliness"], c["timeliness"]) == (50, 100, 50)
    assert (a["disclosure"], b["disclosure"], c["disclosure"]) == (50, 0, 0)
    # weights 15/15/20/10/10/15/15; 乙 lacks response and democracy, so its weights sum to 70
    assert a["index"] == pytest.approx(76.1) and b["index"] == pytest.approx(32.1) and c["index"] == pytest.approx(61.5)
    assert list(idx["rank"]) == [1, 2, 3] and list(idx.index) == ["甲小区", "丙小区", "乙小区"]


def test_weights_from_settings_change_the_index(county):
    settings_store.set_value(county, SYSTEM, "index_weights", {"disclosure": 0, "timeliness": 0})
    idx = gi.compound_index(county, scoped(), PERIOD).set_index("name")
    # 甲 without timeliness and disclosure: (1500 + 1500 + 1333.33 + 775 + 1000) / 70 = 87.3
    assert idx.loc["甲小区", "index"] == pytest.approx(87.3)
    with pytest.raises(ValueError):
        settings_store.set_value(county, SYSTEM, "index_weights", {"luck": 50})


def test_labels_are_configurable_not_official():
    weights, labels = gi.configured()
    assert sum(weights.values()) == 100 and set(labels) == set(gi.COMPONENTS)
    text = index_weights.CONFIG.read_text(encoding="utf-8")
    assert "NOT an official definition" in text


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


@pytest.fixture
def with_orders(county):
    """Orders of tests.fixture_orders: 甲 one of two closed on time, 丙 its one order overdue."""
    fo.load(county)
    return county


def test_supervision_component_by_hand_and_weight_zero_keeps_the_index(with_orders):
    idx = gi.compound_index(with_orders, scoped(), PERIOD, today=fo.TODAY).set_index("name")
    assert idx.loc["甲小区", "supervision"] == 50 and idx.loc["丙小区", "supervision"] == 0
    assert pd_isna(idx.loc["乙小区", "supervision"])  # no order: left out
    # the default weight is 0: the same index as without any order (test_components_and_index_by_hand)
    assert list(idx["index"]) == pytest.approx([76.1, 61.5, 32.1])
    by_hand = supervision.figures_by(with_orders, scoped(), "compound", sign_days=2, period=PERIOD, today=fo.TODAY)
    rates = dict(zip(by_hand["compound_id"], by_hand["closed_on_time_rate"], strict=True))
    assert idx.set_index("compound_id")["supervision"].dropna().to_dict() == {c: r * 100 for c, r in rates.items()}


def test_supervision_weight_lowers_a_compound_with_overdue_orders(with_orders):
    before = gi.compound_index(with_orders, scoped(), PERIOD, today=fo.TODAY).set_index("name")["index"]
    settings_store.set_value(with_orders, SYSTEM, "index_weights", {"supervision": 30})
    after = gi.compound_index(with_orders, scoped(), PERIOD, today=fo.TODAY).set_index("name")["index"]
    # weights 100 + 30: 丙 (all components) 6150 / 130 = 47.3; 甲 (7610 + 50 × 30) / 130 = 70.1; 乙 left out
    assert after["丙小区"] == pytest.approx(47.3, abs=0.1) and after["丙小区"] < before["丙小区"]
    assert after["甲小区"] == pytest.approx(70.1, abs=0.1)
    assert after["乙小区"] == before["乙小区"]
    towns = gi.town_index(gi.compound_index(with_orders, scoped(), PERIOD, today=fo.TODAY)).set_index("town")
    assert towns.loc["止戈镇", "supervision"] == 0


def test_an_order_still_inside_its_time_costs_nothing(with_orders):
    settings_store.set_value(with_orders, SYSTEM, "index_weights", {"supervision": 30})
    early = gi.compound_index(with_orders, scoped(), PERIOD, today=dt.date(2025, 2, 15)).set_index("name")
    # on 02-15 丙's order is not due yet: 丙 keeps its index; 甲 has both due (o1 on time, o2 late)
    assert pd_isna(early.loc["丙小区", "supervision"]) and early.loc["丙小区", "index"] == pytest.approx(61.5)
    assert early.loc["甲小区", "supervision"] == 50


def test_administrators_set_the_supervision_weight_through_the_settings(county):
    assert gi.weights(county)["supervision"] == 0
    settings_store.set_value(county, SYSTEM, "index_weights", {**gi.weights(county), "supervision": 20})
    assert gi.weights(county)["supervision"] == 20 and gi.weights(county)["response"] == 20
    with pytest.raises(ValueError):
        settings_store.set_value(county, SYSTEM, "index_weights", {"supervision": 101})
