"""全县总览: headline figures with change on the previous period, trend, town ranking."""

import streamlit as st

from services import metrics
from services.charts.overview import trend_chart
from services.domain import Scope
from ui.context import current_principal, lang, tr
from ui.data import read
from ui.drill import back_to_county
from ui.filters import current_filters, open_compound, set_town
from ui.kpis import Figure, approved_share, kpi_row
from ui.layout import chart_period, formulas, page_header, stop_without_compounds
from ui.notes import notes_panel
from ui.tables import labelled, peer_table, percent_columns

BODIES = ("with_branch", "with_property_company", "with_owners_committee", "with_womens_federation")
WORK = [
    Figure("activities"),
    Figure("households_visited"),
    Figure("cases_received", inverse=True),
    Figure("closure_rate", kind="rate"),
]
RESULTS = [
    Figure("cases_resolved"),
    Figure("facility_investment_yuan", kind="yuan"),
    Figure("votes_held"),
    Figure("reporting_rate", kind="rate"),
]
FORMULA_KEYS = (
    "compounds",
    "with_branch",
    "activities",
    "households_visited",
    "cases_received",
    "cases_resolved",
    "closure_rate",
    "facility_investment_yuan",
    "votes_held",
    "reporting_rate",
    "activities_per_100_households",
    "change",
)

filters = current_filters()
period, scope = filters.period, filters.scope
page_header("overview.title", filters)

stop_without_compounds(filters, read(metrics.headline, scope, period)["compounds"], message="app.empty_db")

st.subheader(tr("overview.coverage"))
kpi_row(metrics.headline, scope, period, [Figure("compounds"), *(Figure(b, share_of="compounds") for b in BODIES)])
st.subheader(tr("overview.work"))
kpi_row(metrics.headline, scope, period, WORK)
figures = kpi_row(metrics.headline, scope, period, RESULTS)
st.caption(approved_share(figures))

st.subheader(tr("overview.trend"))
st.altair_chart(trend_chart(read(metrics.monthly_trend, scope, chart_period(period)), lang()), width="stretch")

RATES = percent_columns("closure_rate", "reporting_rate")
FIGURES = ["activities", "activities_per_100_households", "cases_received", "disputes_per_100_households"]
principal = current_principal()

if principal.role == "secretary":
    st.subheader(tr("overview.peers"))
    st.caption(tr("overview.peers_caption"))
    st.dataframe(peer_table(read(metrics.peer_position, scope, period)), hide_index=True, placeholder="—")
elif scope.town_code is None:
    st.subheader(tr("overview.ranking"))
    ranking = read(metrics.by_town, Scope(), period)
    shown = labelled(ranking, ["rank", "town", "compounds", "households", *FIGURES, "closure_rate", "reporting_rate"])
    st.caption(tr("overview.ranking_caption"))
    options = {"on_select": "rerun", "selection_mode": "single-row", "column_config": RATES, "placeholder": "—"}
    picked = st.dataframe(shown, hide_index=True, key="town_ranking", **options)
    if picked.selection.rows:
        set_town(ranking.iloc[picked.selection.rows[0]]["town_code"])
else:
    st.subheader(tr("overview.compounds", town=filters.scope_label))
    back_to_county("overview_back")
    compounds = read(metrics.by_compound, scope, period).rename(columns={"name": "compound"})
    compounds = compounds.sort_values("activities_per_100_households", ascending=False)
    st.caption(tr("overview.compounds_caption"))
    shown = labelled(compounds, ["code", "compound", "households", *FIGURES, "closure_rate", "reporting_rate"])
    options = {"column_config": RATES, "placeholder": "—", "on_select": "rerun", "selection_mode": "single-row"}
    picked = st.dataframe(shown, hide_index=True, key="compound_table", **options)
    if picked.selection.rows:
        open_compound(int(compounds.iloc[picked.selection.rows[0]]["compound_id"]))

formulas([f"formula.{key}" for key in FORMULA_KEYS])
notes_panel("overview", filters)
