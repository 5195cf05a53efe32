"""Tables that lead somewhere: the drill-down of a view (county → one row per town, a click filters
to that town; town or compound → one row per compound, a click opens its profile; the way back to
the county for those who may see it) and lists of compounds that open their profile."""

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
    """County scope: a heading and the rows of ``towns()``, a click filters to the town. Town or
    compound scope: a heading (given the scope's name), the way back, and the rows of ``compounds()``,
    a click opens the profile. Tables are keyed ``<key>_towns`` / ``<key>_compounds``, downloads
    named by ``names``; ``options`` (``prefix``, ``labels``) go to ``table``. Returns the rows shown."""
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
