"""Scopes for tests that call read functions directly: what the system administrator may read of
the county, a town or a compound (read functions take only scopes that went through the clamp)."""

from services.access import SYSTEM, ClampedScope, clamp
from services.domain import Scope


def scoped(town_code: str | None = None, compound_id: int | None = None) -> ClampedScope:
    return clamp(SYSTEM, Scope(town_code=town_code, compound_id=compound_id))
