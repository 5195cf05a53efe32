"""Cached reads. Keys include the database URL and its data version, so an import (in this
or any other process) makes the next rerun read fresh figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services import boundaries, metrics
from services.auth import Principal, read_metric
from services.domain import Period
from services.metrics import Scope
from ui.context import engine, settings

CACHE = {"ttl": 600, "max_entries": 256, "show_spinner": False}


RUN_KEY = "_run_facts"


def start_run() -> None:
    """Called once per rerun by the router: the data version (and deadline) every cached read of
    this run keys on, so a page with twenty figures asks the database for them once, not twenty times."""
    from ui.context import read_deadline_day

    st.session_state[RUN_KEY] = (metrics.data_version(engine()), read_deadline_day())


def data_version() -> str:
    facts = st.session_state.get(RUN_KEY)
    return facts[0] if facts else metrics.data_version(engine())


@st.cache_data(**CACHE)
def _data_months(url: str, version: str) -> tuple[str, str] | None:
    return metrics.data_months(engine())


def cached_data_months() -> tuple[str, str] | None:
    return _data_months(settings().database_url, data_version())


@st.cache_data(**CACHE)
def _towns(url: str, version: str) -> pd.DataFrame:
    return metrics.towns(engine())


def cached_towns() -> pd.DataFrame:
    return _towns(settings().database_url, data_version())


@st.cache_data(ttl=600, max_entries=4, show_spinner=False)
def _boundaries(url: str, version: str) -> dict | None:
    loaded = boundaries.load(engine())
    return None if loaded is None else loaded.geojson()


def map_boundaries() -> dict | None:
    """The administrator's boundary outlines as GeoJSON, or None."""
    version = boundaries.version(engine())
    return None if version is None else _boundaries(settings().database_url, version)


@st.cache_data(**CACHE)
def _compound_names(url: str, version: str) -> dict[int, str]:
    return metrics.compound_names(engine())


def cached_compound_names() -> dict[int, str]:
    return _compound_names(settings().database_url, data_version())


@st.cache_data(**CACHE)
def _compound_choices(url: str, version: str) -> dict[int, str]:
    return metrics.compound_choices(engine(), metrics.COUNTY)


def cached_compound_choices() -> dict[int, str]:
    return _compound_choices(settings().database_url, data_version())


@st.cache_data(**CACHE)
def _registry_row(url: str, version: str, compound_id: int) -> dict:
    return metrics.compound_record(engine(), compound_id)


def cached_registry_row(compound_id: int) -> dict:
    return _registry_row(settings().database_url, data_version(), compound_id)


@st.cache_data(**CACHE)
def _metric(name: str, url: str, version: str, principal: Principal, scope: tuple, period: tuple, kwargs: tuple):
    return read_metric(engine(), principal, name, Scope(*scope), Period(*period), **dict(kwargs))


NEEDS_DEADLINE = {"headline", "by_compound", "by_town", "reporting_calendar", "missing_with_contacts", "peer_position"}


def metric(name: str, scope: Scope, period: Period, **kwargs):
    """``services.metrics.<name>`` for the logged-in principal (scope enforced in services), cached.

    The principal is part of the cache key, so one user's figures are never served to another.
    Figures that depend on the reporting deadline get the effective one."""
    from ui.context import current_principal, deadline_day

    if name in NEEDS_DEADLINE:
        kwargs.setdefault("deadline_day", deadline_day())
    return _metric(
        name, settings().database_url, data_version(), current_principal(),
        (scope.town_code, scope.compound_id), (period.start, period.end), tuple(sorted(kwargs.items())),
    )  # fmt: skip
