"""活动与走访: activities by type and month, participants, volunteer hours, home visits by group,
each also per 100 households; the month-of-year profile; towns and compounds compared."""

import streamlit as st

from services.charts import activities as charts
from services.themes import activities
from services.themes.activities import VISIT_GROUPS, season_period
from ui.context import lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.themes_a import area_table, chart_period, formulas, page_header, stop_without_compounds
from ui.widgets import kpi, number

filters = current_filters()
period, scope = filters.period, filters.scope
previous = period.previous()
page_header("page.activities", filters, previous=previous)

now = read(activities.summary, scope, period)
before = read(activities.summary, scope, previous)
ago = read(activities.summary, scope, period.year_before())
stop_without_compounds(filters, now["compounds"])


def figure(value, key: str) -> str:
    return f"{float(value):,.1f}" if key == "volunteer_hours" else number(value)


st.subheader(tr("act.counts"))
COUNTS = (("activities", "activities"), ("participants", "act.participants"),
          ("volunteer_hours", "act.volunteer_hours"), ("households_visited", "households_visited"))  # fmt: skip
for col, (field, key) in zip(st.columns(4), COUNTS, strict=True):
    kpi(col, key, figure(now[field], field), current=now[field], previous=before[field], year_ago=ago[field])

st.subheader(tr("act.per_100"))
for col, (field, _) in zip(st.columns(4), COUNTS, strict=True):
    per = f"{field}_per_100_households"
    shown = "—" if now[per] is None else f"{now[per]:,.2f}"
    kpi(
        col,
        f"act.{field}_per_100",
        shown,
        current=now[per],
        previous=before[per],
        year_ago=ago[per],
        help_key="act.per_100",
    )

st.subheader(tr("act.visits"))
st.caption(tr("act.visits_caption"))
for col, group in zip(st.columns(4), VISIT_GROUPS, strict=True):
    kpi(
        col,
        f"act.{group}",
        number(now[group]),
        current=now[group],
        previous=before[group],
        year_ago=ago[group],
        help_key="act.visits",
    )

if now["activities"] == 0:
    st.info(tr("act.no_data", period=period.label()))
    st.stop()

st.subheader(tr("act.by_type"))
window = chart_period(period)
st.caption(tr("cov.chart_window", end=period.end))
MEASURES = {"activities": "act.measure.activities", "participants": "act.measure.participants",
            "activities_per_100_households": "act.measure.per_100"}  # fmt: skip
measure = st.segmented_control(tr("act.measure"), list(MEASURES), default="activities", key="act_measure",
                               format_func=lambda m: tr(MEASURES[m]))  # fmt: skip
by_type = read(activities.by_type_month, scope, window)
st.altair_chart(charts.activity_types(by_type, measure or "activities", lang()), width="stretch")

st.subheader(tr("act.season"))
SEASON = {"activities": "act.measure.activities", "households_visited": "kpi.households_visited",
          "participants": "act.measure.participants", "volunteer_hours": "act.col.volunteer_hours"}  # fmt: skip
season_measure = st.selectbox(tr("act.season_measure"), list(SEASON), format_func=lambda m: tr(SEASON[m]),
                              key="act_season_measure")  # fmt: skip
season = read(activities.seasonality, scope, period)
st.caption(tr("act.season_caption", period=season_period(period).label()))
st.altair_chart(charts.seasonality(season, season_measure, tr(SEASON[season_measure]), lang()), width="stretch")

COLUMNS = ["activities", "activities_per_100_households", "participants", "participants_per_100_households",
           "volunteer_hours", "volunteer_hours_per_100_households", "households_visited",
           "households_visited_per_100_households", *VISIT_GROUPS]  # fmt: skip
area_table(filters, towns=activities.by_town, compounds=activities.by_compound, town_columns=COLUMNS,
           compound_columns=COLUMNS, key="act_areas", name="activities")  # fmt: skip

formulas(["formula.activities", "formula.act.participants", "formula.act.volunteer_hours",
          "formula.households_visited", "formula.act.visits", "formula.act.per_100", "formula.act.by_type",
          "formula.act.season", "formula.change"])  # fmt: skip
