"""上报情况: expected vs received vs on time, by town and month; calendar; who is missing."""

import streamlit as st

from services import reporting
from services.charts import reporting as charts
from services.domain import Period, add_months
from ui.context import deadline_day, lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.kpis import Figure, kpi_row
from ui.layout import formulas
from ui.notes import notes_panel
from ui.tables import labelled, percent_columns

FIGURES = [
    Figure("reports_expected", help_key="reporting_rate"),
    Figure("reporting_rate", kind="rate"),
    Figure("on_time_rate", kind="rate"),
    Figure("approved_rate", kind="rate"),
]

filters = current_filters()
deadline = deadline_day()
st.title(tr("reporting.title", scope=filters.scope_label))
st.caption(tr("reporting.deadline", day=deadline))
period = filters.period if len(filters.period) > 1 else Period(add_months(filters.period.end, -11), filters.period.end)
st.caption(period.label())

cal = read(reporting.calendar, filters.scope, period, deadline_day=deadline)
kpi_row(reporting.summary, filters.scope, period, FIGURES, now=reporting.totals(cal), deadline_day=deadline)

missing = read(reporting.missing_with_contacts, filters.scope, Period(period.end, period.end), deadline_day=deadline)
progress = read(reporting.month_progress, filters.scope, Period(period.end, period.end))
if progress["open"]:  # before the deadline nobody is missing yet: the list is for early reminders
    st.subheader(tr("reporting.not_due", month=period.end))
    st.info(tr("reporting.not_due_help", received=progress["received"], expected=progress["expected"]))
    listing = st.expander(tr("reporting.not_yet", n=len(missing)))
else:
    st.subheader(tr("reporting.missing", month=period.end, n=len(missing)))
    listing = st.container()
if missing.empty:
    listing.success(tr("reporting.missing_none", month=period.end))
else:
    missing = missing.assign(status=missing["status"].map(lambda s: tr(f"reporting.status.{s}")))
    listing.dataframe(
        labelled(missing, ["code", "name", "town", "status", "secretary", "work_phone"]),
        hide_index=True,
        placeholder="—",
    )
    with listing.expander(tr("reporting.copy")):
        st.code(
            "\n".join(
                f"{r.town}\t{r.code}\t{r.name}\t{r.status}\t{r.secretary}\t{r.work_phone}" for r in missing.itertuples()
            ),
            language=None,
        )

st.subheader(tr("reporting.rates"))
rates = reporting.by_town_month(cal)
st.altair_chart(charts.rate_heatmap(rates, lang()), width="stretch")
formulas(["formula.reporting_rate", "formula.on_time_rate"])
columns = ["town", "month", "reports_expected", "reports_received", "reports_on_time", "reporting_rate", "on_time_rate"]
st.dataframe(
    labelled(rates, columns),
    hide_index=True,
    placeholder="—",
    column_config=percent_columns("reporting_rate", "on_time_rate"),
)

st.subheader(tr("reporting.calendar"))
st.altair_chart(charts.reporting_calendar(cal, lang()), width="stretch")
notes_panel("reporting", filters)
