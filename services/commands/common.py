"""Helpers shared by the subcommands."""

from __future__ import annotations

from sqlalchemy import Engine, select

from services.access import SYSTEM, Principal
from services.config import load_settings
from services.db import make_engine
from services.models import User


def engine_from_settings() -> Engine:
    """The configured database: DATABASE_URL, secrets.toml, or the embedded SQLite file."""
    return make_engine(load_settings().database_url)


def principal_named(engine: Engine, username: str | None) -> Principal | None:
    """The account ``--user`` names (None: no such enabled account); no name: the system."""
    if username is None:
        return SYSTEM
    columns = (User.id, User.username, User.role, User.town_code, User.compound_id, User.disabled)
    with engine.connect() as conn:
        user = conn.execute(select(*columns).where(User.username == username)).first()
    if user is None or user.disabled:
        return None
    return Principal(user.id, user.username, user.role, user.town_code, user.compound_id)
