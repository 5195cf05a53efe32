"""组织覆盖: share of compounds with each governance body, the branch founding curve, and the
compounds still missing each body (by town, then by compound)."""

import streamlit as st

from services.charts import coverage as charts
from services.themes import coverage
from services.themes.coverage import BODIES
from ui.context import lang, tr
from ui.data import read
from ui.drill import dated_names, drill_table
from ui.filters import current_filters
from ui.kpis import Figure, kpi_row, number
from ui.layout import formulas, page_header, stop_without_compounds
from ui.notes import notes_panel
from ui.tables import table

filters = current_filters()
period, scope = filters.period, filters.scope
page_header("cov.title", filters, with_period=False, page=tr("page.coverage"))
day, previous, year_ago = (p.last_day.isoformat() for p in (period, period.previous(), period.year_before()))
st.caption(tr("cov.as_of", day=day, previous=previous, year_ago=year_ago))

now = read(coverage.shares, scope, period)
stop_without_compounds(filters, now["compounds"])

st.subheader(tr("cov.shares"))
for row in (BODIES[:3], BODIES[3:]):
    kpi_row(coverage.shares, scope, period, [Figure(f"cov.{body}", f"share_with_{body}", "rate") for body in row])
counts = "、".join(tr("cov.count_item", body=tr(f"cov.body.{b}"), n=number(now[f"with_{b}"])) for b in BODIES)
st.caption(tr("cov.counts", compounds=number(now["compounds"]), counts=counts))

st.subheader(tr("cov.curve"))
curve = read(coverage.founding_curve, scope, period)
if int(curve["branches"].iloc[-1]) == 0:
    st.info(tr("cov.no_branches"))
else:
    st.altair_chart(charts.founding_curve(curve, now["compounds"], lang()), width="stretch")
    st.caption(tr("cov.curve_caption"))

st.header(tr("cov.missing"))
drill_table(
    filters,
    lambda: read(coverage.missing_by_town, scope, period),
    lambda: read(coverage.presence_by_compound, scope, period),
    town_columns=["town", "compounds", "households", *(f"missing_{b}" for b in (*BODIES, "any"))],
    compound_columns=["code", "name", "households", *(f"has_{b}" for b in BODIES)],
    key="cov_areas",
    names=dated_names("coverage", period),
    prefix="cov",
    labels={f"has_{b}": f"cov.body.{b}" for b in BODIES},
)

st.subheader(tr("cov.missing_list"))
body = st.selectbox(
    tr("cov.pick_body"), BODIES, format_func=lambda b: tr(f"cov.body.{b}"), key="cov_body", placeholder=tr("ui.choose")
)
missing = read(coverage.missing_compounds, scope, period, body=body)
if missing.empty:
    st.success(tr("cov.missing_none", body=tr(f"cov.body.{body}")))
else:
    table(
        missing, ["town", "code", "name", "households"], name=f"coverage_missing_{body}_{period.end}", key="cov_missing"
    )

formulas([*(f"formula.cov.{b}" for b in BODIES), "formula.cov.curve", "formula.cov.missing", "formula.change_points"])
notes_panel("coverage", filters)
