"""物业与包保: property companies across their compounds, compounds without one and who looks after
them, and the liaison units (包保单位); county → town drill-down."""

import streamlit as st

from services.charts import property as charts
from services.themes import property as property_theme
from ui.context import lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.themes_b import Figure, back_to_county, formulas, headers, kpi_row, period_caption, shown, table, town_drill

filters = current_filters()
period, scope = filters.period, filters.scope
st.title(tr("prop.title", scope=filters.scope_label))
period_caption(period)

view = read(property_theme.overview, scope, period)  # one pass over the compounds for every table
now, before = view["summary"], read(property_theme.summary, scope, period.previous())
ago = read(property_theme.summary, scope, period.year_before())
if now["compounds"] == 0:
    st.info(tr("prop.no_compounds"))
    st.stop()

# the registry as it is now: no change on the previous period to show
for column, key in zip(st.columns(4), ("companies", "compounds_without_company", "liaison_units",
                                       "compounds_without_either"), strict=True):  # fmt: skip
    column.metric(tr(f"kpi.prop.{key}"), shown(now[key], "count"), help=tr(f"formula.prop.{key}"), border=True)
kpi_row(now, before, [Figure("prop.demands", "property_demands_per_100_households", "per100", inverse=True),
                      Figure("prop.disputes", "property_disputes_per_100_households", "per100", inverse=True),
                      Figure("prop.closure", "property_closure_rate", "rate"),
                      Figure("prop.satisfaction", "satisfaction_share", "rate")], ago)  # fmt: skip
st.caption(tr("prop.counts", demands=now["property_demands"], disputes=now["property_disputes"],
              households=f"{now['households']:,}"))  # fmt: skip

RATES = headers(
    "prop",
    "property_demands",
    "property_disputes",
    "property_demands_per_100_households",
    "property_disputes_per_100_households",
    "property_closure_rate",
    "satisfaction_share",
    "open_cases",
)
FORMATS = {"percent": ["property_closure_rate", "satisfaction_share"],
           "decimals": ["property_demands_per_100_households", "property_disputes_per_100_households"]}  # fmt: skip

st.subheader(tr("prop.companies", n=now["companies"]))
companies = view["companies"]
if companies.empty:
    st.info(tr("prop.companies_none"))
else:
    st.altair_chart(charts.company_bars(companies, lang()), width="stretch")
    table(companies, {**headers("prop", "property_company", "compounds", "households"), **RATES,
                      **headers("prop", "towns")},
          name="property_companies", key="prop_companies", **FORMATS)  # fmt: skip

st.subheader(tr("prop.unmanaged", n=now["compounds_without_company"]))
unmanaged = view["unmanaged"]
if unmanaged.empty:
    st.success(tr("prop.unmanaged_none"))
else:
    unmanaged["liaison_unit"] = unmanaged["liaison_unit"].fillna(tr("prop.no_liaison_unit"))
    table(unmanaged, headers("prop", "town", "code", "name", "households", "branch_founded", "liaison_unit",
                             "liaison_activities", "cases_received", "open_cases", name="col.compound"),
          name="compounds_without_company", key="prop_unmanaged", compound_rows=True)  # fmt: skip

st.subheader(tr("prop.liaison", n=now["liaison_units"]))
units = view["liaison_units"]
if units.empty:
    st.info(tr("prop.liaison_none"))
else:
    table(units, headers("prop", "liaison_unit", "compounds", "households", "compounds_without_company",
                         "liaison_activities", "liaison_participants", "cases_received", "open_cases"),
          name="liaison_units", key="prop_units")  # fmt: skip

if scope.town_code is None and scope.compound_id is None:
    st.subheader(tr("prop.towns"))
    town_drill(view["by_town"],
               {**headers("prop", "town", "compounds", "households", "compounds_without_company",
                          "compounds_without_either"), **RATES},
               name="property_by_town", key="prop_towns", caption_key="prop.drill", **FORMATS)  # fmt: skip
else:
    st.subheader(tr("prop.compound" if scope.compound_id else "prop.compounds", scope=filters.scope_label))
    back_to_county("prop_back")
    table(view["by_compound"],
          {**headers("prop", "code", "name", "households", "property_company", "liaison_unit", name="col.compound"),
           **RATES, **headers("prop", "liaison_activities")},
          name="property_by_compound", key="prop_compounds", compound_rows=True, **FORMATS)  # fmt: skip

formulas(["formula.prop.companies", "formula.prop.compounds_without_company", "formula.prop.compounds_without_either",
          "formula.prop.demands", "formula.prop.disputes", "formula.prop.closure", "formula.prop.satisfaction",
          "formula.prop.liaison_activities", "formula.prop.open_cases", "formula.change",
          "formula.change_points"])  # fmt: skip
