"""组织覆盖: share of compounds with each governance body, the branch founding curve, and the
compounds still missing each body (by town, then by compound)."""

import streamlit as st

from services import formatting
from services.charts import coverage as charts
from services.themes import coverage
from services.themes.coverage import BODIES
from ui.context import lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.themes_a import area_table, formulas, page_header, stop_without_compounds, table
from ui.widgets import kpi, number

filters = current_filters()
period, scope = filters.period, filters.scope
previous = period.previous()
page_header("page.coverage", filters)
st.caption(tr("cov.as_of", day=period.last_day.isoformat(), previous=previous.last_day.isoformat(),
              year_ago=period.year_before().last_day.isoformat()))  # fmt: skip

now = read(coverage.shares, scope, period)
before = read(coverage.shares, scope, previous)
ago = read(coverage.shares, scope, period.year_before())
stop_without_compounds(filters, now["compounds"])

st.subheader(tr("cov.shares"))
for row in (BODIES[:3], BODIES[3:]):
    for col, body in zip(st.columns(3), row, strict=True):
        share = f"share_with_{body}"
        kpi(
            col,
            f"cov.{body}",
            formatting.percent(now[share]),
            current=now[share],
            previous=before[share],
            year_ago=ago[share],
            rate=True,
        )
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
area_table(filters, towns=coverage.missing_by_town, compounds=coverage.presence_by_compound,
           town_columns=[f"missing_{b}" for b in (*BODIES, "any")], compound_columns=[f"has_{b}" for b in BODIES],
           key="cov_areas", name="coverage")  # fmt: skip

st.subheader(tr("cov.missing_list"))
body = st.selectbox(tr("cov.pick_body"), BODIES, format_func=lambda b: tr(f"cov.body.{b}"), key="cov_body")
missing = read(coverage.missing_compounds, scope, period, body=body)
if missing.empty:
    st.success(tr("cov.missing_none", body=tr(f"cov.body.{body}")))
else:
    table(missing, ["town", "code", "name", "households"], name=f"coverage_missing_{body}_{period.end}",
          key="cov_missing")  # fmt: skip

formulas([*(f"formula.cov.{b}" for b in BODIES), "formula.cov.curve", "formula.cov.missing", "formula.change_points"])
