"""物业与包保: property companies across their compounds, compounds without one and who looks after
them, and the liaison units (包保单位); county → town drill-down."""

import streamlit as st

from services import metrics
from services.charts import property as charts
from services.themes import governance_index as gi
from services.themes import property as property_theme
from ui.context import lang, tr
from ui.data import read
from ui.drill import compound_table, drill_table
from ui.filters import current_filters
from ui.kpis import Figure, formatted, kpi_row, plain_card
from ui.layout import formulas, page_header, stop_without_compounds
from ui.notes import notes_panel
from ui.tables import table

REGISTRY = ["companies", "compounds_without_company", "liaison_units", "compounds_without_either"]
FIGURES = [
    Figure("prop.demands", "property_demands_per_100_households", "per100", inverse=True),
    Figure("prop.disputes", "property_disputes_per_100_households", "per100", inverse=True),
    Figure("prop.closure", "property_closure_rate", "rate"),
    Figure("prop.satisfaction", "satisfaction_share", "rate"),
]
CASES = ["property_demands", "property_disputes", "property_demands_per_100_households"]
RATES = [*CASES, "property_disputes_per_100_households", "property_closure_rate", "satisfaction_share", "open_cases"]
UNITS = ["liaison_unit", "compounds", "households", "compounds_without_company", "liaison_activities"]

filters = current_filters()
period, scope = filters.period, filters.scope
page_header("prop.title", filters)

view = read(property_theme.overview, scope, period)  # one pass over the compounds for every table
now = view["summary"]
stop_without_compounds(filters, now["compounds"], message="prop.no_compounds")

# the registry as it is now: no change on the previous period to show
for column, key in zip(st.columns(4), REGISTRY, strict=True):
    plain_card(column, tr(f"kpi.prop.{key}"), formatted(now[key]), help=tr(f"formula.prop.{key}"))
kpi_row(property_theme.summary, scope, period, FIGURES, now=now)
households = f"{now['households']:,}"
st.caption(tr("prop.counts", demands=now["property_demands"], disputes=now["property_disputes"], households=households))

st.subheader(tr("prop.companies", n=now["companies"]))
companies = view["companies"]
if companies.empty:
    st.info(tr("prop.companies_none"))
else:
    st.altair_chart(charts.company_bars(companies, lang()), width="stretch")
    columns = ["property_company", "compounds", "households", *RATES, "towns"]
    table(companies, columns, name="property_companies", key="prop_companies", prefix="prop")
    by_company = gi.company_compounds(read(gi.compound_index, scope, period), read(metrics.by_compound, scope, period))
    if not by_company.empty:
        st.caption(tr("prop.company_index_help"))
        league = gi.company_index(by_company)
        index_columns = ["property_company", "index_compounds", "index_mean", "index_min", "index_max"]
        picked = st.selectbox(
            tr("prop.company_pick"),
            list(league["property_company"]),
            key="prop_company_index",
            placeholder=tr("ui.choose"),
        )
        table(league, index_columns, name="property_company_index", key="prop_company_league", prefix="prop")
        mine = by_company[by_company["property_company"] == picked]
        compound_table(mine, ["town", "code", "name", "rank", "index"], name=f"index_{picked}", key="prop_company_rows")

st.subheader(tr("prop.unmanaged", n=now["compounds_without_company"]))
unmanaged = view["unmanaged"]
if unmanaged.empty:
    st.success(tr("prop.unmanaged_none"))
else:
    unmanaged["liaison_unit"] = unmanaged["liaison_unit"].fillna(tr("prop.no_liaison_unit"))
    columns = ["town", "code", "name", "households", "branch_founded", "liaison_unit", "liaison_activities"]
    compound_table(
        unmanaged,
        [*columns, "cases_received", "open_cases"],
        name="compounds_without_company",
        key="prop_unmanaged",
        prefix="prop",
    )

st.subheader(tr("prop.liaison", n=now["liaison_units"]))
units = view["liaison_units"]
if units.empty:
    st.info(tr("prop.liaison_none"))
else:
    columns = [*UNITS, "liaison_participants", "cases_received", "open_cases"]
    table(units, columns, name="liaison_units", key="prop_units", prefix="prop")

drill_table(
    filters,
    lambda: view["by_town"],
    lambda: view["by_compound"],
    town_columns=["town", "compounds", "households", "compounds_without_company", "compounds_without_either", *RATES],
    compound_columns=["code", "name", "households", "property_company", "liaison_unit", *RATES, "liaison_activities"],
    key="prop",
    names=("property_by_town", "property_by_compound"),
    prefix="prop",
    headings=("prop.towns", "prop.compounds", "prop.compound"),
    captions=("prop.drill", "overview.compounds_caption"),
)

formulas(
    [
        "formula.prop.companies",
        "formula.prop.compounds_without_company",
        "formula.prop.compounds_without_either",
        "formula.prop.demands",
        "formula.prop.disputes",
        "formula.prop.closure",
        "formula.prop.satisfaction",
        "formula.prop.liaison_activities",
        "formula.prop.open_cases",
        "formula.change",
        "formula.change_points",
    ]
)
notes_panel("property", filters)
