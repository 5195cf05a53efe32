"""设施改造: completed work in physical units, investment by funding source, projects in progress
and overdue, before/after per compound; county → town drill-down."""

import streamlit as st

from services.charts import facilities as charts
from services.themes import facilities
from services.themes.facilities import OVERDUE_DAYS, quantity_text
from ui.context import lang, tr
from ui.data import read
from ui.filters import current_filters
from ui.themes_b import (
    Figure,
    back_to_county,
    formulas,
    headers,
    kpi_row,
    period_caption,
    table,
    town_drill,
    unit_label,
)

filters = current_filters()
period, scope = filters.period, filters.scope
st.title(tr("fac.title", scope=filters.scope_label))
period_caption(period)

now = read(facilities.summary, scope, period)
before = read(facilities.summary, scope, period.previous())
ago = read(facilities.summary, scope, period.year_before())
if now["compounds"] == 0:
    st.info(tr("fac.no_compounds"))
    st.stop()

kpi_row(now, before, [Figure("fac.projects_completed", "facility_projects_completed"),
                      Figure("fac.investment", "facility_investment_yuan", "yuan", help_key="facility_investment_yuan"),
                      Figure("fac.in_progress", "projects_in_progress"),
                      Figure("fac.overdue", "projects_overdue", inverse=True)], ago)  # fmt: skip
st.caption(tr("fac.overdue_rule", days=OVERDUE_DAYS))


def with_quantity_text(frame):
    """The physical quantity as people say it: '1,211 米'."""
    units = frame["unit"].map(unit_label)
    return frame.assign(quantity_text=[quantity_text(q, u, lang(), label) for q, u, label
                                       in zip(frame["quantity"], frame["unit"], units, strict=True)])  # fmt: skip


st.subheader(tr("fac.quantities"))
categories = read(facilities.by_category, scope, period)
if categories.empty:
    st.info(tr("fac.empty", period=period.label()))
else:
    categories = with_quantity_text(categories)
    st.altair_chart(charts.category_bars(categories, lang()), width="stretch")
    table(categories, headers("fac", "category", "quantity_text", "projects", "investment_yuan",
                              quantity_text="fac.col.quantity"),
          name="facilities_by_category", key="fac_categories", money=["investment_yuan"])  # fmt: skip

    st.subheader(tr("fac.funding"))
    funding = read(facilities.by_funding, scope, period)
    st.altair_chart(charts.funding_bars(funding, lang()), width="stretch")
    table(funding, headers("fac", "funding_source", "projects", "investment_yuan", "share"),
          name="facilities_by_funding", key="fac_funding", money=["investment_yuan"], percent=["share"])  # fmt: skip

st.subheader(tr("fac.in_progress", n=now["projects_in_progress"], overdue=now["projects_overdue"]))
running = read(facilities.in_progress, scope, period)
if running.empty:
    st.info(tr("fac.none_in_progress", day=str(period.last_day)))
else:
    table(with_quantity_text(running),
          headers("fac", "town", "code", "compound", "project", "category", "quantity_text", "investment_yuan",
                  "started_date", "days_in_progress", "overdue", quantity_text="fac.col.quantity"),
          name="facilities_in_progress", key="fac_running", compound_rows=True, money=["investment_yuan"],
          flags=["overdue"])  # fmt: skip

AREA = headers("fac", "households", "projects_before", "investment_before", "projects_during", "investment_during",
               "projects_in_progress", "projects_overdue", projects_in_progress="fac.col.in_progress",
               projects_overdue="fac.col.overdue_count")  # fmt: skip
MONEY = ["investment_before", "investment_during"]
if scope.town_code is None and scope.compound_id is None:
    st.subheader(tr("fac.towns"))
    town_drill(read(facilities.by_town, scope, period),
               {**headers("fac", "town", "compounds", "compounds_improved", compounds_improved="fac.col.improved"),
                **AREA}, name="facilities_by_town", key="fac_towns", caption_key="fac.drill", money=MONEY)  # fmt: skip
else:
    st.subheader(tr("fac.compound" if scope.compound_id else "fac.compounds", scope=filters.scope_label))
    back_to_county("fac_back")
    table(read(facilities.by_compound, scope, period),
          {**headers("fac", "code", "name", name="col.compound"), **AREA,
           **headers("fac", "categories_before", "categories_during")},
          name="facilities_by_compound", key="fac_compounds", compound_rows=True, money=MONEY)  # fmt: skip

formulas(["formula.fac.projects_completed", "formula.fac.quantity", "formula.facility_investment_yuan",
          "formula.fac.funding", "formula.fac.in_progress", "formula.fac.overdue", "fac.overdue_rule",
          "formula.fac.before_after", "formula.change"], days=OVERDUE_DAYS)  # fmt: skip
