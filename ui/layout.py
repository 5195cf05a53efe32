"""The frame of a view page: its title and period line, why a scope shows nothing, the months a
monthly chart covers, and the formulas under it."""

from __future__ import annotations

import streamlit as st

from services.domain import Period, add_months
from ui.context import tr
from ui.filters import Filters


def page_header(title_key: str, filters: Filters, *, with_period: bool = True, **values: object) -> None:
    """The title (``title_key`` with the scope and ``values``) and, unless told otherwise, the period
    line naming the periods the changes compare with."""
    st.title(tr(title_key, scope=filters.scope_label, **values))
    if with_period:
        period_caption(filters.period)


def period_caption(period: Period) -> None:
    previous, year_ago = period.previous().label(), period.year_before().label()
    st.caption(tr("overview.period", period=period.label(), previous=previous, year_ago=year_ago))


def stop_without_compounds(filters: Filters, compounds: int, *, message: str | None = None) -> None:
    """Say why there is nothing to show when the scope holds no compound (``message``, or a reason
    for the compound, town or county), and stop."""
    if compounds:
        return
    if message:
        st.info(tr(message))
    elif filters.scope.compound_id is not None:
        st.info(tr("cov.no_compounds_compound"))
    elif filters.scope.town_code:
        st.info(tr("cov.no_compounds_town", town=filters.scope_label))
    else:
        st.info(tr("app.empty_db"))
    st.stop()


def chart_period(period: Period) -> Period:
    """At least the twelve months up to the period's end, for monthly charts."""
    return Period(min(period.start, add_months(period.end, -11)), period.end)


def formulas(keys: list[str], **values: object) -> None:
    """How each figure of the page is computed, in an expander (``values`` fill the texts)."""
    explain([tr(key, **values) for key in keys])


def explain(texts: list[str]) -> None:
    """Texts already put together (a rule with its name) in the formulas' expander."""
    with st.expander(tr("overview.formulas")):
        for text in texts:
            st.text(text)
