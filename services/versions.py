"""Data versions per town: the cache key part that says "the figures of this scope are still
current".

Database triggers (migration 0006) move a town's version whenever data behind its figures
changes: a submission (every import and zero report), a compound's registry row, a month's
report state or correction request, a supervision order, a note or a mention. The row ``'*'``
moves with what every town depends on: settings, month locks, archived decks.

- A town's (or one of its compounds') figures are current while ``town version`` and ``'*'``
  stay put, so an import in one town leaves every other town's cached figures in place.
- A county figure composes its towns: its token is the sum of every row's version, which grows
  whenever any row moves (versions only ever grow).
- A figure that compares its scope with the county (a percentile, a rank) is keyed like a county
  figure: ``services.access.comparison_scope`` records that it widened the read.

Reading the versions costs one query over as many rows as there are towns (a province's few
hundred), once per page run.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, Engine, case, func, select, update

from services.models import DataVersion

EVERY_TOWN = "*"


def current(engine: Engine) -> dict[str, int]:
    """{town_code: version}, with ``'*'`` for what every town depends on."""
    with engine.connect() as conn:
        return dict(conn.execute(select(DataVersion.town_code, DataVersion.version)).all())


def county_token(versions: Mapping[str, int]) -> str:
    """Moves when anything anywhere moves."""
    return f"c{sum(versions.values())}.{len(versions)}"


def town_token(versions: Mapping[str, int], town_code: str) -> str:
    """Moves when the town's data or what every town depends on moves."""
    return f"t{versions.get(town_code, 0)}.{versions.get(EVERY_TOWN, 0)}"


def token(versions: Mapping[str, int], town_code: str | None) -> str:
    """The token of a scope: its town's, or the county's when the scope is the county (or a
    compound whose town the caller does not know)."""
    return county_token(versions) if town_code is None else town_token(versions, town_code)


def move_all(conn: Connection) -> None:
    """Move every row (after a rebuild of the rollup, which the triggers do not watch)."""
    dialect = conn.dialect.name
    now = (
        func.cast((func.julianday("now") - 2440587.5) * 86400000000, DataVersion.version.type)
        if dialect == "sqlite"
        else func.cast(func.extract("epoch", func.clock_timestamp()) * 1000000, DataVersion.version.type)
    )
    bumped = DataVersion.version + 1
    conn.execute(update(DataVersion).values(version=case((bumped > now, bumped), else_=now)))
