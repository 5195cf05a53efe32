"""设施改造: completed work in physical units, investment by funding source, projects in progress
and overdue, before/after per compound; county → town drill-down."""

import streamlit as st

from services.charts import facilities as charts
from services.i18n import ZH
from services.themes import facilities
from services.themes.facilities import OVERDUE_DAYS, quantity_text
from ui.context import lang, tr
from ui.data import read
from ui.drill import compound_table, drill_table
from ui.filters import current_filters
from ui.kpis import Figure, kpi_row
from ui.layout import formulas, page_header, stop_without_compounds
from ui.notes import notes_panel
from ui.tables import table

FIGURES = [
    Figure("fac.projects_completed", "facility_projects_completed"),
    Figure("fac.investment", "facility_investment_yuan", "yuan", help_key="facility_investment_yuan"),
    Figure("fac.in_progress", "projects_in_progress"),
    Figure("fac.overdue", "projects_overdue", inverse=True),
]
QUANTITY = {"quantity_text": "fac.col.quantity"}

filters = current_filters()
period, scope = filters.period, filters.scope
page_header("fac.title", filters)

now = read(facilities.summary, scope, period)
stop_without_compounds(filters, now["compounds"], message="fac.no_compounds")
kpi_row(facilities.summary, scope, period, FIGURES)
st.caption(tr("fac.overdue_rule", days=OVERDUE_DAYS))


def unit_label(unit: str) -> str:
    """A facility unit in the interface language (units outside the vocabulary stay as typed)."""
    key = f"fac.unit.{unit}"
    return tr(key) if key in ZH else unit


def with_quantity_text(frame):
    """The physical quantity as people say it: '1,211 米'."""
    units = frame["unit"].map(unit_label)
    texts = zip(frame["quantity"], frame["unit"], units, strict=True)
    return frame.assign(quantity_text=[quantity_text(q, u, lang(), label) for q, u, label in texts])


st.subheader(tr("fac.quantities"))
categories = read(facilities.by_category, scope, period)
if categories.empty:
    st.info(tr("fac.empty", period=period.label()))
else:
    categories = with_quantity_text(categories)
    st.altair_chart(charts.category_bars(categories, lang()), width="stretch")
    table(
        categories,
        ["category", "quantity_text", "projects", "investment_yuan"],
        name="facilities_by_category",
        key="fac_categories",
        prefix="fac",
        labels=QUANTITY,
    )

    st.subheader(tr("fac.funding"))
    funding = read(facilities.by_funding, scope, period)
    st.altair_chart(charts.funding_bars(funding, lang()), width="stretch")
    table(
        funding,
        ["funding_source", "projects", "investment_yuan", "share"],
        name="facilities_by_funding",
        key="fac_funding",
        prefix="fac",
    )

st.subheader(tr("fac.in_progress", n=now["projects_in_progress"], overdue=now["projects_overdue"]))
running = read(facilities.in_progress, scope, period)
if running.empty:
    st.info(tr("fac.none_in_progress", day=str(period.last_day)))
else:
    compound_table(
        with_quantity_text(running),
        [
            "town",
            "code",
            "compound",
            "project",
            "category",
            "quantity_text",
            "investment_yuan",
            "started_date",
            "days_in_progress",
            "overdue",
        ],
        name="facilities_in_progress",
        key="fac_running",
        prefix="fac",
        labels=QUANTITY,
    )

AREA = [
    "households",
    "projects_before",
    "investment_before",
    "projects_during",
    "investment_during",
    "projects_in_progress",
    "projects_overdue",
]
drill_table(
    filters,
    lambda: read(facilities.by_town, scope, period),
    lambda: read(facilities.by_compound, scope, period),
    town_columns=["town", "compounds", "compounds_improved", *AREA],
    compound_columns=["code", "name", *AREA, "categories_before", "categories_during"],
    key="fac",
    names=("facilities_by_town", "facilities_by_compound"),
    prefix="fac",
    labels={
        "projects_in_progress": "fac.col.in_progress",
        "projects_overdue": "fac.col.overdue_count",
        "compounds_improved": "fac.col.improved",
    },
    headings=("fac.towns", "fac.compounds", "fac.compound"),
    captions=("fac.drill", "overview.compounds_caption"),
)

formulas(
    [
        "formula.fac.projects_completed",
        "formula.fac.quantity",
        "formula.facility_investment_yuan",
        "formula.fac.funding",
        "formula.fac.in_progress",
        "formula.fac.overdue",
        "fac.overdue_rule",
        "formula.fac.before_after",
        "formula.change",
    ],
    days=OVERDUE_DAYS,
)
notes_panel("facilities", filters)
