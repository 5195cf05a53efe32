"""诉求与纠纷: the closed loop, response and closure rates, days to reply and to close, the open
backlog by age, categories, satisfaction, trend, and disputes per 100 households by area."""

import pandas as pd
import streamlit as st

from services import formatting
from services.charts import cases as charts
from services.charts.overview import town_bar_chart
from services.themes import cases, coverage
from ui.context import lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.themes_a import area_table, chart_period, formulas, page_header, stop_without_compounds, table
from ui.widgets import kpi, number

filters = current_filters()
period, scope = filters.period, filters.scope
previous = period.previous()
page_header("page.cases", filters, previous=previous)
stop_without_compounds(filters, read(coverage.shares, scope, period)["compounds"])

now = read(cases.loop, scope, period)
before = read(cases.loop, scope, previous)
ago = read(cases.loop, scope, period.year_before())


def days(value) -> str:
    return formatting.days(value, lang())


st.subheader(tr("case.loop"))
cols = st.columns(4)
kpi(cols[0], "cases_received", number(now["cases_received"]), current=now["cases_received"],
    previous=before["cases_received"], year_ago=ago["cases_received"], inverse=True)  # fmt: skip
kpi(cols[1], "case.response_rate", formatting.percent(now["response_rate"]), current=now["response_rate"],
    previous=before["response_rate"], year_ago=ago["response_rate"], rate=True)  # fmt: skip
kpi(cols[2], "closure_rate", formatting.percent(now["closure_rate"]), current=now["closure_rate"],
    previous=before["closure_rate"], year_ago=ago["closure_rate"], rate=True)  # fmt: skip
kpi(cols[3], "case.open_at_end", number(now["cases_open_at_end"]), current=now["cases_open_at_end"],
    previous=before["cases_open_at_end"], year_ago=ago["cases_open_at_end"], inverse=True)  # fmt: skip
STAGES = {"received": "cases_received", "responded": "cases_responded", "resolved": "cases_resolved",
          "transferred": "cases_transferred", "in_progress": "cases_in_progress"}  # fmt: skip
stages = pd.DataFrame({"stage": list(STAGES), "cases": [now[v] for v in STAGES.values()]})
st.altair_chart(charts.case_loop(stages, lang()), width="stretch")

st.subheader(tr("case.timing"))
cols = st.columns(5)
TIMING = (("case.median_reply", "median_days_to_first_response", "case.reply_days"),
          ("case.p90_reply", "p90_days_to_first_response", "case.p90_reply"),
          ("case.median_close", "median_days_to_close", "case.close_days"),
          ("case.p90_close", "p90_days_to_close", "case.p90_close"))  # fmt: skip
for col, (key, field, help_key) in zip(cols, TIMING, strict=False):
    kpi(
        col,
        key,
        days(now[field]),
        current=now[field],
        previous=before[field],
        year_ago=ago[field],
        help_key=help_key,
        inverse=True,
    )
field = "satisfaction_rate"
kpi(cols[4], "case.satisfaction_rate", formatting.percent(now[field]),
    current=now[field], previous=before[field], year_ago=ago[field], rate=True)  # fmt: skip

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
        table(shown, ["bucket", "demands", "disputes", "cases"], name=f"case_backlog_{period.end}", key="case_backlog")

if now["cases_received"]:
    left, right = st.columns(2)
    with left:
        st.subheader(tr("case.categories"))
        cats = read(cases.categories, scope, period)
        st.altair_chart(charts.categories(cats, lang()), width="stretch")
        CATEGORY_COLUMNS = ["category", "cases_received", "demands_received", "disputes_received", "cases_resolved",
                            "closure_rate"]  # fmt: skip
        table(cats, CATEGORY_COLUMNS, name=f"case_categories_{period.start}_{period.end}", key="case_categories")
    with right:
        st.subheader(tr("case.satisfaction"))
        levels = read(cases.satisfaction, scope, period)
        st.altair_chart(charts.satisfaction(levels, lang()), width="stretch")
        table(levels, ["satisfaction", "cases", "share"], name=f"case_satisfaction_{period.start}_{period.end}",
              key="case_satisfaction")  # fmt: skip

st.subheader(tr("case.trend"))
st.caption(tr("cov.chart_window", end=period.end))
st.altair_chart(charts.case_trend(read(cases.trend, scope, chart_period(period)), lang()), width="stretch")

COLUMNS = ["cases_received", "demands_received", "disputes_received", "disputes_per_100_households",
           "demands_per_100_households", "cases_responded", "response_rate", "cases_resolved", "closure_rate",
           "cases_transferred", "median_days_to_close", "cases_open_at_end"]  # fmt: skip
areas = area_table(filters, towns=cases.by_town, compounds=cases.by_compound, town_columns=COLUMNS,
                   compound_columns=COLUMNS, key="case_areas", name="cases")  # fmt: skip
if scope.town_code is None and scope.compound_id is None and not areas.empty:
    st.subheader(tr("case.disputes_chart"))
    st.altair_chart(town_bar_chart(areas, "disputes_per_100_households", lang()), width="stretch")

formulas(["formula.cases_received", "formula.case.responded", "formula.case.response_rate", "formula.closure_rate",
          "formula.case.transferred", "formula.case.open_at_end", "formula.case.reply_days", "formula.case.p90_reply",
          "formula.case.close_days", "formula.case.p90_close", "formula.case.satisfaction_rate",
          "formula.case.categories", "formula.case.disputes_per_100", "formula.case.trend", "formula.change",
          "formula.change_points"])  # fmt: skip
