"""活动与走访: activities by type and month, participants, volunteer hours, home visits by group,
each also per 100 households; the month-of-year profile; towns and compounds compared."""

import streamlit as st

from services.charts import activities as charts
from services.themes import activities
from services.themes.activities import PER_100, VISIT_GROUPS, season_period
from ui.context import lang, tr
from ui.data import read
from ui.drill import dated_names, drill_table
from ui.filters import current_filters
from ui.kpis import Figure, kpi_row
from ui.layout import chart_period, formulas, page_header, stop_without_compounds
from ui.notes import notes_panel

COUNTS = [
    Figure("activities"),
    Figure("act.participants", "participants"),
    Figure("act.volunteer_hours", "volunteer_hours", "hours"),
    Figure("households_visited"),
]
PER_HOUSEHOLDS = [
    Figure(f"act.{c}_per_100", f"{c}_per_100_households", "per100", help_key="act.per_100") for c in PER_100
]
VISITS = [Figure(f"act.{group}", group, help_key="act.visits") for group in VISIT_GROUPS]

filters = current_filters()
period, scope = filters.period, filters.scope
page_header("cov.title", filters, page=tr("page.activities"))

now = read(activities.summary, scope, period)
stop_without_compounds(filters, now["compounds"])

st.subheader(tr("act.counts"))
kpi_row(activities.summary, scope, period, COUNTS)
st.subheader(tr("act.per_100"))
kpi_row(activities.summary, scope, period, PER_HOUSEHOLDS)
st.subheader(tr("act.visits"))
st.caption(tr("act.visits_caption"))
kpi_row(activities.summary, scope, period, VISITS)

if now["activities"] == 0:
    st.info(tr("act.no_data", period=period.label()))
    st.stop()

st.subheader(tr("act.by_type"))
st.caption(tr("cov.chart_window", end=period.end))
MEASURES = {
    "activities": "act.measure.activities",
    "participants": "act.measure.participants",
    "activities_per_100_households": "act.measure.per_100",
}
measure = st.segmented_control(
    tr("act.measure"), list(MEASURES), default="activities", key="act_measure", format_func=lambda m: tr(MEASURES[m])
)
by_type = read(activities.by_type_month, scope, chart_period(period))
st.altair_chart(charts.activity_types(by_type, measure or "activities", lang()), width="stretch")

st.subheader(tr("act.season"))
SEASON = {
    "activities": "act.measure.activities",
    "households_visited": "kpi.households_visited",
    "participants": "act.measure.participants",
    "volunteer_hours": "act.col.volunteer_hours",
}
season_measure = st.selectbox(
    tr("act.season_measure"),
    list(SEASON),
    format_func=lambda m: tr(SEASON[m]),
    key="act_season_measure",
    placeholder=tr("ui.choose"),
)
season = read(activities.seasonality, scope, period)
st.caption(tr("act.season_caption", period=season_period(period).label()))
st.altair_chart(charts.seasonality(season, season_measure, tr(SEASON[season_measure]), lang()), width="stretch")

COLUMNS = [
    "activities",
    "activities_per_100_households",
    "participants",
    "participants_per_100_households",
    "volunteer_hours",
    "volunteer_hours_per_100_households",
    "households_visited",
    "households_visited_per_100_households",
    *VISIT_GROUPS,
]
drill_table(
    filters,
    lambda: read(activities.by_town, scope, period),
    lambda: read(activities.by_compound, scope, period),
    town_columns=["town", "compounds", "households", *COLUMNS],
    compound_columns=["code", "name", "households", *COLUMNS],
    key="act_areas",
    names=dated_names("activities", period),
    prefix="act",
)

formulas(
    [
        "formula.activities",
        "formula.act.participants",
        "formula.act.volunteer_hours",
        "formula.households_visited",
        "formula.act.visits",
        "formula.act.per_100",
        "formula.act.by_type",
        "formula.act.season",
        "formula.change",
    ]
)
notes_panel("activities", filters)
