"""诉求与纠纷: the closed loop, response and closure rates, days to reply and to close, the open
backlog by age, categories, satisfaction, trend, and disputes per 100 households by area."""

import pandas as pd
import streamlit as st

from services.charts import cases as charts
from services.charts.overview import town_bar_chart
from services.themes import cases, coverage
from ui.context import lang, tr
from ui.data import read
from ui.drill import at_county, dated_names, drill_table
from ui.filters import current_filters
from ui.kpis import Figure, kpi_row
from ui.layout import chart_period, formulas, page_header, stop_without_compounds
from ui.notes import notes_panel
from ui.tables import table

LOOP = [
    Figure("cases_received", inverse=True),
    Figure("case.response_rate", "response_rate", "rate"),
    Figure("closure_rate", kind="rate"),
    Figure("case.open_at_end", "cases_open_at_end", inverse=True),
]
TIMING = [
    Figure("case.median_reply", "median_days_to_first_response", "days", inverse=True, help_key="case.reply_days"),
    Figure("case.p90_reply", "p90_days_to_first_response", "days", inverse=True, help_key="case.p90_reply"),
    Figure("case.median_close", "median_days_to_close", "days", inverse=True, help_key="case.close_days"),
    Figure("case.p90_close", "p90_days_to_close", "days", inverse=True, help_key="case.p90_close"),
    Figure("case.satisfaction_rate", "satisfaction_rate", "rate"),
]
STAGES = {
    "received": "cases_received",
    "responded": "cases_responded",
    "resolved": "cases_resolved",
    "transferred": "cases_transferred",
    "in_progress": "cases_in_progress",
}

filters = current_filters()
period, scope = filters.period, filters.scope
page_header("cov.title", filters, page=tr("page.cases"))
stop_without_compounds(filters, read(coverage.shares, scope, period)["compounds"])

st.subheader(tr("case.loop"))
now = kpi_row(cases.loop, scope, period, LOOP)
stages = pd.DataFrame({"stage": list(STAGES), "cases": [now[v] for v in STAGES.values()]})
st.altair_chart(charts.case_loop(stages, lang()), width="stretch")

st.subheader(tr("case.timing"))
kpi_row(cases.loop, scope, period, TIMING)
if now["cases_received"] == 0:
    st.info(tr("case.no_data", period=period.label()))

st.subheader(tr("case.backlog"))
backlog = read(cases.backlog, scope, period)
day = period.last_day.isoformat()
if backlog["cases"].sum() == 0:
    st.success(tr("case.backlog_none", day=day))
else:
    st.caption(tr("case.backlog_caption", day=day))
    left, right = st.columns([3, 2])
    left.altair_chart(charts.backlog(backlog, lang()), width="stretch")
    with right:
        shown = backlog.assign(bucket=[tr(f"case.age.{b}") for b in backlog["bucket"]])
        table(
            shown,
            ["bucket", "demands", "disputes", "cases"],
            name=f"case_backlog_{period.end}",
            key="case_backlog",
            prefix="case",
        )

if now["cases_received"]:
    tag = f"{period.start}_{period.end}"
    left, right = st.columns(2)
    with left:
        st.subheader(tr("case.categories"))
        cats = read(cases.categories, scope, period)
        st.altair_chart(charts.categories(cats, lang()), width="stretch")
        table(
            cats,
            ["category", "cases_received", "demands_received", "disputes_received", "cases_resolved", "closure_rate"],
            name=f"case_categories_{tag}",
            key="case_categories",
            prefix="case",
        )
    with right:
        st.subheader(tr("case.satisfaction"))
        levels = read(cases.satisfaction, scope, period)
        st.altair_chart(charts.satisfaction(levels, lang()), width="stretch")
        table(
            levels,
            ["satisfaction", "cases", "share"],
            name=f"case_satisfaction_{tag}",
            key="case_satisfaction",
            prefix="case",
        )

st.subheader(tr("case.trend"))
st.caption(tr("cov.chart_window", end=period.end))
st.altair_chart(charts.case_trend(read(cases.trend, scope, chart_period(period)), lang()), width="stretch")

COLUMNS = [
    "cases_received",
    "demands_received",
    "disputes_received",
    "disputes_per_100_households",
    "demands_per_100_households",
    "cases_responded",
    "response_rate",
    "cases_resolved",
    "closure_rate",
    "cases_transferred",
    "median_days_to_close",
    "cases_open_at_end",
]
areas = drill_table(
    filters,
    lambda: read(cases.by_town, scope, period),
    lambda: read(cases.by_compound, scope, period),
    town_columns=["town", "compounds", "households", *COLUMNS],
    compound_columns=["code", "name", "households", *COLUMNS],
    key="case_areas",
    names=dated_names("cases", period),
    prefix="case",
)
if at_county(scope) and not areas.empty:
    st.subheader(tr("case.disputes_chart"))
    st.altair_chart(town_bar_chart(areas, "disputes_per_100_households", lang()), width="stretch")

formulas(
    [
        "formula.cases_received",
        "formula.case.responded",
        "formula.case.response_rate",
        "formula.closure_rate",
        "formula.case.transferred",
        "formula.case.open_at_end",
        "formula.case.reply_days",
        "formula.case.p90_reply",
        "formula.case.close_days",
        "formula.case.p90_close",
        "formula.case.satisfaction_rate",
        "formula.case.categories",
        "formula.case.disputes_per_100",
        "formula.case.trend",
        "formula.change",
        "formula.change_points",
    ]
)
notes_panel("cases", filters)
