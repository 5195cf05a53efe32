"""Cached reads for pages. ``read(cases.loop, scope, period)`` leads straight to the formula; the
scope is clamped to what the user may see before the cache is asked, so the figures of one
effective scope are computed once and shared by every user who may see that scope.

Keys include the database URL and the data version of the towns the figures depend on
(``services.versions``): a town's figures stay cached while imports land in other towns, and the
next rerun after an import in the town (in any process) computes them afresh. A read that turned
out to compare its scope with the county (``access.comparison_scope``) is keyed by the county's
version from then on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from services import access, boundaries, inbox, metrics
from services.access import ClampedScope
from services.domain import Scope
from ui.context import current_principal, data_version, deadline_day, engine, scope_version, settings

CACHE = {"ttl": 600, "max_entries": 256, "show_spinner": False}
R = TypeVar("R")
# Reads seen comparing their scope with a wider one, in this process (whose cache it keys).
_COMPARED_WITH_COUNTY: set[str] = set()


@st.cache_data(**CACHE)
def _read(name: str, url: str, version: str, scope: ClampedScope, args: tuple, kwargs: tuple, _function=None):
    return _function(engine(), scope, *args, **dict(kwargs))


def read(function: Callable[..., R], scope: Scope, *args: Any, **kwargs: Any) -> R:
    """``function(engine, scope, *args, **kwargs)`` for the logged-in user, with the scope clamped
    in services and the figures cached. A figure that depends on the reporting deadline (it has a
    ``deadline_day`` parameter) gets the one in force unless the caller names another."""
    if not access.is_scoped_read(function):
        raise access.PermissionDenied(f"未开放的数据接口：{function.__qualname__}")
    if access.takes_deadline(function):
        kwargs.setdefault("deadline_day", deadline_day())
    clamped = access.clamp(current_principal(), scope)
    name = f"{function.__module__}.{function.__qualname__}"
    key = tuple(sorted(kwargs.items()))
    town = None if name in _COMPARED_WITH_COUNTY else clamped.town_code
    with access.noting_comparisons() as compared:
        result = _read(name, settings().database_url, scope_version(town), clamped, args, key, _function=function)
    if town is not None and any(wider.town_code != town for wider in compared):
        _COMPARED_WITH_COUNTY.add(name)
    return result


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
def _registry_row(url: str, version: str, compound_id: int) -> dict:
    return metrics.compound_record(engine(), compound_id)


def cached_registry_row(compound_id: int) -> dict:
    return _registry_row(settings().database_url, data_version(), compound_id)


@st.cache_data(**CACHE)
def _inbox_count(url: str, version: str, principal: access.Principal) -> int:
    return inbox.count(engine(), principal)


def cached_inbox_count() -> int:
    """The open items of the logged-in person (the sidebar's count), once per data version."""
    principal = current_principal()
    return _inbox_count(settings().database_url, scope_version(principal.town_code), principal)
