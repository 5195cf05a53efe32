"""全县总览: headline figures with change on the previous period, trend, town ranking."""

import streamlit as st

from services import formatting, metrics
from services.charts.overview import trend_chart
from services.domain import Period, Scope, add_months
from services.metrics import change
from ui.context import current_principal, lang, tr
from ui.data import read
from ui.filters import current_filters, open_compound, set_town
from ui.widgets import kpi, number, peer_table, percent_column, table_columns

FORMULA_KEYS = ("compounds", "with_branch", "activities", "households_visited", "cases_received",
                "cases_resolved", "closure_rate", "facility_investment_yuan", "votes_held", "reporting_rate",
                "activities_per_100_households", "change")  # fmt: skip

filters = current_filters()
period, scope = filters.period, filters.scope
previous = period.previous()

st.title(tr("overview.title", scope=filters.scope_label))
st.caption(tr("overview.period", period=period.label(), previous=previous.label(),
               year_ago=period.year_before().label()))  # fmt: skip

now = read(metrics.headline, scope, period)
before = read(metrics.headline, scope, previous)
ago = read(metrics.headline, scope, period.year_before())
if now["compounds"] == 0:
    st.info(tr("app.empty_db"))
    st.stop()


def headline_kpi(column, key: str, shown: str, **kw) -> None:
    """A headline figure with its change on the previous period and on the same period a year before."""
    kpi(column, key, shown, current=now[key], previous=before[key], year_ago=ago[key], **kw)


st.subheader(tr("overview.coverage"))
cols = st.columns(5)
headline_kpi(cols[0], "compounds", number(now["compounds"]))
for col, key in zip(cols[1:], ("with_branch", "with_property_company", "with_owners_committee",
                               "with_womens_federation"), strict=True):  # fmt: skip
    share = formatting.percent(now[key] / now["compounds"])
    box = col.container(border=True)
    box.metric(tr(f"kpi.{key}"), number(now[key]), delta=tr("kpi.share_of", share=share), delta_color="off",
               delta_arrow="off", help=tr(f"formula.{key}") + "\n\n" + tr("formula.yoy"))  # fmt: skip
    box.caption(tr("kpi.yoy", yoy=formatting.signed_percent(change(now[key], ago[key])) or formatting.NONE))

st.subheader(tr("overview.work"))
cols = st.columns(4)
headline_kpi(cols[0], "activities", number(now["activities"]))
headline_kpi(cols[1], "households_visited", number(now["households_visited"]))
headline_kpi(cols[2], "cases_received", number(now["cases_received"]), inverse=True)
headline_kpi(cols[3], "closure_rate", formatting.percent(now["closure_rate"]), rate=True)
cols = st.columns(4)
headline_kpi(cols[0], "cases_resolved", number(now["cases_resolved"]))
headline_kpi(cols[1], "facility_investment_yuan", formatting.yuan(now["facility_investment_yuan"], lang()))
headline_kpi(cols[2], "votes_held", number(now["votes_held"]))
headline_kpi(cols[3], "reporting_rate", formatting.percent(now["reporting_rate"]), rate=True)

st.subheader(tr("overview.trend"))
trend_period = Period(min(period.start, add_months(period.end, -11)), period.end)
st.altair_chart(trend_chart(read(metrics.monthly_trend, scope, trend_period), lang()), width="stretch")

RATES = {tr("col.closure_rate"): percent_column("col.closure_rate"),
         tr("col.reporting_rate"): percent_column("col.reporting_rate")}  # fmt: skip
COMPOUND_COLUMNS = ["code", "compound", "households", "activities", "activities_per_100_households", "cases_received",
                    "disputes_per_100_households", "closure_rate", "reporting_rate"]  # fmt: skip
principal = current_principal()

if principal.role == "secretary":
    st.subheader(tr("overview.peers"))
    st.caption(tr("overview.peers_caption"))
    st.dataframe(peer_table(read(metrics.peer_position, scope, period)), hide_index=True)
elif scope.town_code is None:
    st.subheader(tr("overview.ranking"))
    ranking = read(metrics.by_town, Scope(), period)
    shown = table_columns(ranking, ["rank", "town", "compounds", "households", "activities",
                                    "activities_per_100_households", "cases_received",
                                    "disputes_per_100_households", "closure_rate", "reporting_rate"])  # fmt: skip
    st.caption(tr("overview.ranking_caption"))
    picked = st.dataframe(shown, hide_index=True, on_select="rerun", selection_mode="single-row", key="town_ranking",
                          column_config=RATES, placeholder="—")  # fmt: skip
    if picked.selection.rows:
        set_town(ranking.iloc[picked.selection.rows[0]]["town_code"])
else:
    st.subheader(tr("overview.compounds", town=filters.scope_label))
    if principal.role in ("admin", "county") and st.button("← " + tr("filter.all_towns")):
        set_town(None)
    compounds = read(metrics.by_compound, scope, period).rename(columns={"name": "compound"})
    compounds = compounds.sort_values("activities_per_100_households", ascending=False)
    st.caption(tr("overview.compounds_caption"))
    picked = st.dataframe(table_columns(compounds, COMPOUND_COLUMNS), hide_index=True, column_config=RATES,
                          placeholder="—", on_select="rerun", selection_mode="single-row",
                          key="compound_table")  # fmt: skip
    if picked.selection.rows:
        open_compound(int(compounds.iloc[picked.selection.rows[0]]["compound_id"]))

with st.expander(tr("overview.formulas")):
    for key in FORMULA_KEYS:
        st.text(tr("formula." + key))
