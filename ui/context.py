"""The per-run context every page stands on: settings, engine, language, and the facts the router
reads once per rerun (principal, data version, reporting deadline). Imports nothing else of ui/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import streamlit as st

from services import settings_store, versions
from services.access import Principal
from services.config import Settings, load_settings
from services.db import engine_for
from services.i18n import DEFAULT_LANG, LANGS, t
from services.schema import pending_migrations

RUN_KEY = "_run"


def settings() -> Settings:
    # Not cached: it is cheap, and the database URL must follow the environment it runs in.
    return load_settings()


def engine():
    return engine_for(settings().database_url)


@st.cache_resource(show_spinner=False)
def _schema_is_current(url: str) -> bool:
    return not pending_migrations(engine_for(url))


def require_current_schema() -> None:
    """Stop with an instruction when the database needs `python -m services init-db`."""
    if not _schema_is_current(settings().database_url):
        st.error(tr("app.schema_outdated"))
        _schema_is_current.clear()
        st.stop()


def lang() -> str:
    value = st.session_state.get("lang") or st.query_params.get("lang") or DEFAULT_LANG
    return value if value in LANGS else DEFAULT_LANG


def tr(key: str, **values: object) -> str:
    return t(key, lang(), **values)


@dataclass(frozen=True)
class Run:
    """What one rerun reads once: who is acting, the data versions per town every cached read keys
    on (a page with twenty figures asks the database for them once, not twenty times) and the
    deadline in force."""

    principal: Principal
    versions: Mapping[str, int]
    deadline_day: int


def start_run(principal: Principal) -> Run:
    """Called once per rerun by the router, after login."""
    run = Run(principal, MappingProxyType(versions.current(engine())), settings_store.deadline_day(engine()))
    st.session_state[RUN_KEY] = run
    return run


def current_run() -> Run:
    """This rerun's facts; a page reached without the router (no login) stops here."""
    run = st.session_state.get(RUN_KEY)
    if run is None:
        st.stop()
    return run


def current_principal() -> Principal:
    return current_run().principal


def deadline_day() -> int:
    return current_run().deadline_day


def data_version() -> str:
    """The county's token: moves when anything anywhere moves (for figures of no one scope)."""
    return versions.county_token(current_run().versions)


def scope_version(town_code: str | None) -> str:
    """The token of one town's figures (the county's when ``town_code`` is None)."""
    return versions.token(current_run().versions, town_code)
