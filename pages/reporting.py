"""上报情况: expected vs received vs on time, by town and month; calendar; who is missing."""

import streamlit as st

from services import formatting, reporting
from services.charts import reporting as charts
from services.domain import Period, add_months
from ui.context import deadline_day, lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.widgets import kpi, percent_column, table_columns

filters = current_filters()
deadline = deadline_day()
st.title(tr("reporting.title", scope=filters.scope_label))
st.caption(tr("reporting.deadline", day=deadline))
period = filters.period if len(filters.period) > 1 else Period(add_months(filters.period.end, -11), filters.period.end)
st.caption(period.label())

cal = read(reporting.calendar, filters.scope, period, deadline_day=deadline)
totals = reporting.totals(cal)
before, ago = (reporting.totals(read(reporting.calendar, filters.scope, p, deadline_day=deadline))
               for p in (period.previous(), period.year_before()))  # fmt: skip
cols = st.columns(3)
kpi(cols[0], "reports_expected", f"{totals['reports_expected']:,}", current=totals["reports_expected"],
    previous=before["reports_expected"], year_ago=ago["reports_expected"], help_key="reporting_rate")  # fmt: skip
for col, key in zip(cols[1:], ("reporting_rate", "on_time_rate"), strict=True):
    kpi(col, key, formatting.percent(totals[key]), current=totals[key], previous=before[key], year_ago=ago[key],
        rate=True)  # fmt: skip

missing = read(reporting.missing_with_contacts, filters.scope, Period(period.end, period.end), deadline_day=deadline)
st.subheader(tr("reporting.missing", month=period.end, n=len(missing)))
if missing.empty:
    st.success(tr("reporting.missing_none", month=period.end))
else:
    st.dataframe(table_columns(missing.rename(columns={"name": "compound"}),
                               ["code", "compound", "town", "secretary", "work_phone"]), hide_index=True)  # fmt: skip
    with st.expander(tr("reporting.copy")):
        st.code("\n".join(f"{r.town}\t{r.code}\t{r.name}\t{r.secretary}\t{r.work_phone}" for r in missing.itertuples()),
                language=None)  # fmt: skip

st.subheader(tr("reporting.rates"))
rates = reporting.by_town_month(cal)
st.altair_chart(charts.rate_heatmap(rates, lang()), width="stretch")
with st.expander(tr("overview.formulas")):
    st.text(tr("formula.reporting_rate"))
    st.text(tr("formula.on_time_rate"))
st.dataframe(
    table_columns(rates, ["town", "month", "reports_expected", "reports_received", "reports_on_time",
                          "reporting_rate", "on_time_rate"]),
    hide_index=True,
    column_config={tr("col.reporting_rate"): percent_column("col.reporting_rate"),
                   tr("col.on_time_rate"): percent_column("col.on_time_rate")},
)  # fmt: skip

st.subheader(tr("reporting.calendar"))
st.altair_chart(charts.reporting_calendar(cal, lang()), width="stretch")
