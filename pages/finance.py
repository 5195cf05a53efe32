"""财务公开: which compounds disclosed each month, income and spending trends, months missing and
the disclosure rate; county → town drill-down."""

import streamlit as st

from services.charts import finance as charts
from services.themes import finance
from ui.context import lang, tr
from ui.data import read
from ui.drill import at_county, compound_table, drill_table
from ui.filters import current_filters
from ui.kpis import Figure, kpi_row
from ui.layout import formulas, page_header, stop_without_compounds
from ui.notes import notes_panel
from ui.tables import table

FIGURES = [
    Figure("fin.rate", "disclosure_rate", "rate"),
    Figure("fin.months_missing", "months_missing", inverse=True),
    Figure("fin.income", "disclosed_income_yuan", "yuan"),
    Figure("fin.spending", "disclosed_spending_yuan", "yuan"),
]
MONTHS = ["months_expected", "months_disclosed", "months_missing", "disclosure_rate", "income_yuan", "spending_yuan"]

filters = current_filters()
period, scope = filters.period, filters.scope
page_header("fin.title", filters)

view = read(finance.overview, scope, period)  # one calendar for every table of the page
now = view["summary"]
stop_without_compounds(filters, now["compounds"], message="fin.no_compounds")
kpi_row(finance.summary, scope, period, FIGURES, now=now)
counts = {
    "disclosed": now["months_disclosed"],
    "expected": now["months_expected"],
    "compounds": now["compounds_missing"],
}
st.caption(tr("fin.counts", **counts))

county = at_county(scope)
st.subheader(tr("fin.calendar_towns" if county else "fin.calendar"))
if now["months_expected"] == 0 and now["disclosures"] == 0:
    st.info(tr("fin.nothing_expected", period=period.label()))
elif county:
    st.altair_chart(charts.disclosure_heatmap(view["town_months"], lang()), width="stretch")
else:
    st.altair_chart(charts.disclosure_calendar(view["calendar"], lang()), width="stretch")

st.subheader(tr("fin.trend"))
if now["disclosures"] == 0:
    st.info(tr("fin.empty", period=period.label()))
else:
    trend = view["trend"]
    st.altair_chart(charts.money_trend(trend, lang()), width="stretch")
    columns = ["month", "income_yuan", "spending_yuan", "compounds_disclosed"]
    table(trend, columns, name="disclosure_trend", key="fin_trend", prefix="fin")

compounds = view["by_compound"]
missing = compounds[compounds["months_missing"] > 0].sort_values(["months_missing", "code"], ascending=[False, True])
st.subheader(tr("fin.missing_heading", n=len(missing)))
if missing.empty:
    st.success(tr("fin.missing_none"))
else:
    columns = ["town", "code", "name", *MONTHS, "missing_months", "last_disclosed_month"]
    compound_table(missing, columns, name="disclosure_missing", key="fin_missing", prefix="fin")

drill_table(
    filters,
    lambda: view["by_town"],
    lambda: compounds,
    town_columns=["town", "compounds", "compounds_missing", *MONTHS],
    compound_columns=["code", "name", *MONTHS, "last_disclosed_month"],
    key="fin",
    names=("disclosure_by_town", "disclosure_by_compound"),
    prefix="fin",
    headings=("fin.towns", "fin.compounds", "fin.compound"),
    captions=("fin.drill", "overview.compounds_caption"),
)

formulas(
    [
        "formula.fin.expected",
        "formula.fin.disclosed",
        "formula.fin.rate",
        "formula.fin.months_missing",
        "formula.fin.income",
        "formula.fin.spending",
        "formula.change",
        "formula.change_points",
    ]
)
notes_panel("finance", filters)
