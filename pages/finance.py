"""财务公开: which compounds disclosed each month, income and spending trends, months missing and
the disclosure rate; county → town drill-down."""

import streamlit as st

from services.charts import finance as charts
from services.themes import finance
from ui.context import lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.themes_b import Figure, back_to_county, formulas, headers, kpi_row, period_caption, table, town_drill

filters = current_filters()
period, scope = filters.period, filters.scope
st.title(tr("fin.title", scope=filters.scope_label))
period_caption(period)

view = read(finance.overview, scope, period)  # one calendar for every table of the page
now, before = view["summary"], read(finance.summary, scope, period.previous())
ago = read(finance.summary, scope, period.year_before())
if now["compounds"] == 0:
    st.info(tr("fin.no_compounds"))
    st.stop()

kpi_row(now, before, [Figure("fin.rate", "disclosure_rate", "rate"),
                      Figure("fin.months_missing", "months_missing", inverse=True),
                      Figure("fin.income", "disclosed_income_yuan", "yuan"),
                      Figure("fin.spending", "disclosed_spending_yuan", "yuan")], ago)  # fmt: skip
st.caption(tr("fin.counts", disclosed=now["months_disclosed"], expected=now["months_expected"],
              compounds=now["compounds_missing"]))  # fmt: skip

county = scope.town_code is None and scope.compound_id is None
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
    table(trend, headers("fin", "month", "income_yuan", "spending_yuan", "compounds_disclosed"),
          name="disclosure_trend", key="fin_trend", money=["income_yuan", "spending_yuan"])  # fmt: skip

MONTHS = headers("fin", "months_expected", "months_disclosed", "months_missing", "disclosure_rate", "income_yuan",
                 "spending_yuan")  # fmt: skip
FORMATS = {"percent": ["disclosure_rate"], "money": ["income_yuan", "spending_yuan"]}
compounds = view["by_compound"]
missing = compounds[compounds["months_missing"] > 0].sort_values(["months_missing", "code"], ascending=[False, True])
st.subheader(tr("fin.missing_heading", n=len(missing)))
if missing.empty:
    st.success(tr("fin.missing_none"))
else:
    table(missing, {**headers("fin", "town", "code", "name", name="col.compound"), **MONTHS,
                    **headers("fin", "missing_months", "last_disclosed_month")},
          name="disclosure_missing", key="fin_missing", compound_rows=True, **FORMATS)  # fmt: skip

if county:
    st.subheader(tr("fin.towns"))
    town_drill(view["by_town"],
               {**headers("fin", "town", "compounds", "compounds_missing"), **MONTHS}, name="disclosure_by_town",
               key="fin_towns", caption_key="fin.drill", **FORMATS)  # fmt: skip
else:
    st.subheader(tr("fin.compound" if scope.compound_id else "fin.compounds", scope=filters.scope_label))
    back_to_county("fin_back")
    table(compounds, {**headers("fin", "code", "name", name="col.compound"), **MONTHS,
                      **headers("fin", "last_disclosed_month")},
          name="disclosure_by_compound", key="fin_compounds", compound_rows=True, **FORMATS)  # fmt: skip

formulas(["formula.fin.expected", "formula.fin.disclosed", "formula.fin.rate", "formula.fin.months_missing",
          "formula.fin.income", "formula.fin.spending", "formula.change", "formula.change_points"])  # fmt: skip
