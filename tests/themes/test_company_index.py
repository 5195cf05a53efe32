"""物业与包保's company league links to the governance index of each company's compounds."""

import pytest

from services import metrics
from services.domain import Period
from services.themes import governance_index as gi
from tests import fixture_county as fx
from tests.scoped import scoped

PERIOD = Period("2025-01", "2025-02")


@pytest.fixture
def county(engine):
    fx.load(engine)
    return engine


def test_each_company_is_judged_by_its_own_compounds(county):
    rows = gi.company_compounds(
        gi.compound_index(county, scoped(), PERIOD), metrics.by_compound(county, scoped(), PERIOD)
    )
    scores = gi.compound_index(county, scoped(), PERIOD).set_index("compound_id")["index"]
    registry = metrics.by_compound(county, scoped(), PERIOD).set_index("compound_id")["property_company"]
    assert set(rows["compound_id"]) == set(registry.dropna().index) & set(scores.index) == {1, 3}  # 乙 has none
    for company, group in rows.groupby("property_company"):
        assert set(registry[group["compound_id"]]) == {company}
    league = gi.company_index(rows).set_index("property_company")
    for company, group in rows.groupby("property_company"):
        expected = scores[group["compound_id"]]
        assert league.loc[company, "index_mean"] == pytest.approx(round(expected.mean(), 1))
        assert league.loc[company, "index_compounds"] == len(expected)
