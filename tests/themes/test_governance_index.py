"""The governance index on the fixture county, Jan–Feb 2025, every component worked by hand."""

import pytest

from services import index_weights, settings_store
from services.access import SYSTEM
from services.domain import Period
from services.themes import governance_index as gi
from tests import fixture_county as fx
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
