"""Helpers shared by the subcommands."""

from __future__ import annotations

from sqlalchemy import Engine

from services.config import load_settings
from services.db import make_engine


def engine_from_settings() -> Engine:
    """The configured database: DATABASE_URL, secrets.toml, or the embedded SQLite file."""
    return make_engine(load_settings().database_url)
