"""The global filters (period, town) kept in the URL, and the drill-down moves between county,
town and compound that change them."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from services.access import Principal, clamp
from services.domain import Period, Scope, add_months, last_closed_month, last_complete_month
from services.formatting import md_escape
from ui.context import deadline_day, tr
from ui.data import cached_compound_names, cached_data_months, cached_towns

FILTERS_KEY = "_filters"
DENIED_KEY = "_filters_denied"  # a link asked for a town this user may not see


@dataclass(frozen=True)
class Filters:
    period: Period
    scope: Scope
    town_name: str | None

    @property
    def scope_label(self) -> str:
        """The scope's name, escaped for markdown (titles and captions render markdown)."""
        return md_escape(self.town_name) if self.town_name else tr("app.county")


def _valid_month(value: str | None, months: list[str]) -> str | None:
    return value if value in months else None


def render_filters(principal: Principal) -> Filters:
    """Sidebar filters (period, town) seeded from and written back to ``st.query_params``.

    Town and secretary accounts get their own town or compound; the selector is not offered."""
    span = cached_data_months()
    latest_data = span[1] if span else last_complete_month()
    # offer every month up to the last complete one (officials chase reports not yet arrived);
    # start on the latest month with data whose deadline has passed, so first figures are complete
    last = max(latest_data, last_complete_month())
    default_month = min(latest_data, last_closed_month(deadline_day()))
    first = span[0] if span else add_months(last, -11)
    months = Period(first, last).months[::-1]
    towns = cached_towns()
    town_names = {row.code: row.name for row in towns.itertuples()} if not towns.empty else {}
    if principal.role in ("town", "secretary"):
        town_names = {code: name for code, name in town_names.items() if code == principal.town_code}

    qp = st.query_params
    if "flt_to" not in st.session_state:
        st.session_state.flt_to = _valid_month(qp.get("to"), months) or default_month
        st.session_state.flt_from = _valid_month(qp.get("from"), months) or st.session_state.flt_to
        town = qp.get("town")
        st.session_state.flt_town = town if town in town_names else ""
        if town and town not in town_names and principal.role in ("town", "secretary"):
            st.session_state[DENIED_KEY] = True

    if "_pending_town" in st.session_state:
        pending = st.session_state.pop("_pending_town")
        st.session_state.flt_town = pending if pending in town_names else ""
    with st.sidebar:
        st.subheader(tr("filter.heading"))
        st.selectbox(tr("filter.from"), months, key="flt_from", placeholder=tr("ui.choose"))
        st.selectbox(tr("filter.to"), months, key="flt_to", placeholder=tr("ui.choose"))
        if principal.role in ("admin", "county"):
            st.selectbox(
                tr("filter.town"),
                ["", *town_names],
                key="flt_town",
                format_func=lambda code: town_names.get(code, tr("filter.all_towns")),
                placeholder=tr("ui.choose"),
            )
        else:
            st.session_state.flt_town = principal.town_code or ""
    start, end = st.session_state.flt_from, st.session_state.flt_to
    if start > end:
        st.sidebar.caption(tr("filter.period_invalid"))
        start = end
    town_code = st.session_state.flt_town or None
    qp.update({"from": start, "to": end})
    if town_code:
        qp["town"] = town_code
    elif "town" in qp:
        del qp["town"]
    scope = clamp(principal, Scope(town_code=town_code))
    label = town_names.get(town_code or "")
    if principal.role == "secretary":
        label = compound_name(principal.compound_id)
    return Filters(Period(start, end), scope, label)


def show_denied_link() -> None:
    """Say so when a link asked for a town the user may not see (the filters show their own)."""
    if st.session_state.pop(DENIED_KEY, False):
        st.warning(tr("filter.town_denied"))


def open_compound(compound_id: int) -> None:
    """Drill down to a compound's profile, keeping the period and town in the link (the page
    switch re-reads the filters from it, so whatever the link leaves out is lost)."""
    filters = st.session_state.get(FILTERS_KEY)
    params = {"compound": str(int(compound_id))}
    if filters is not None:
        params.update({"from": filters.period.start, "to": filters.period.end})
        if filters.scope.town_code:
            params["town"] = filters.scope.town_code
    st.switch_page("pages/profile.py", query_params=params)


def set_town(town_code: str | None) -> None:
    """Drill down to a town (or back to the county) and rerun.

    The town selector is already drawn in this run, so its state may not change now: the new
    value waits in ``_pending_town`` and is applied before the selector is drawn again."""
    st.session_state["_pending_town"] = town_code or ""
    st.rerun()


def current_filters() -> Filters:
    """The filters the router computed for this run (pages always run through dashboard.py)."""
    return st.session_state[FILTERS_KEY]


def compound_name(compound_id: int | None) -> str | None:
    return cached_compound_names().get(compound_id)
