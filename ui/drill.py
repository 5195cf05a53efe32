"""Tables that lead somewhere: a view's drill-down (county → towns that filter to the town; town →
compounds that open the profile; the way back to the county) and lists of compounds that open it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from services.domain import Period, Scope
from ui.context import current_principal, tr
from ui.filters import Filters, open_compound, set_town
from ui.tables import table

HEADINGS = ("cov.areas_town", "cov.areas_compound", "cov.areas_this_compound")  # county, town, compound
CAPTIONS = ("cov.drill_town", "cov.drill_compound")  # on town rows, on compound rows


def at_county(scope: Scope) -> bool:
    return scope.town_code is None and scope.compound_id is None


def filter_to_town(row: pd.Series) -> None:
    set_town(row["town_code"])


def open_profile(row: pd.Series) -> None:
    open_compound(int(row["compound_id"]))


def dated_names(name: str, period: Period) -> tuple[str, str]:
    """Download names of a drill-down that carry the period: ``<name>_<start>_<end>_towns`` / ``_compounds``."""
    tag = f"{name}_{period.start}_{period.end}"
    return f"{tag}_towns", f"{tag}_compounds"


def back_to_county(key: str) -> None:
    """In a town or compound scope, officials who may see the county get a way back up."""
    if current_principal().role in ("admin", "county") and st.button("← " + tr("filter.all_towns"), key=key):
        set_town(None)


def compound_table(frame: pd.DataFrame, columns: list[str], **options) -> None:
    """A table of compounds (rows carry ``compound_id``) where a click opens the compound's profile."""
    st.caption(tr("overview.compounds_caption"))
    table(frame, columns, on_row=open_profile, **options)


def drill_table(
    filters: Filters,
    towns: Callable[[], pd.DataFrame],
    compounds: Callable[[], pd.DataFrame],
    *,
    town_columns: list[str],
    compound_columns: list[str],
    key: str,
    names: tuple[str, str],
    headings: tuple[str, str, str] = HEADINGS,
    captions: tuple[str, str] = CAPTIONS,
    **options,
) -> pd.DataFrame:
    """County scope: ``towns()`` rows that filter to their town; otherwise the way back and ``compounds()``
    rows that open the profile (tables ``<key>_towns`` / ``<key>_compounds``). Returns the rows shown."""
    if at_county(filters.scope):
        st.subheader(tr(headings[0]))
        frame = towns()
        st.caption(tr(captions[0]))
        table(frame, town_columns, name=names[0], key=f"{key}_towns", on_row=filter_to_town, **options)
        return frame
    label = filters.scope_label
    st.subheader(tr(headings[1] if filters.scope.compound_id is None else headings[2], town=label, scope=label))
    back_to_county(f"{key}_back")
    frame = compounds()
    st.caption(tr(captions[1]))
    table(frame, compound_columns, name=names[1], key=f"{key}_compounds", on_row=open_profile, **options)
    return frame
