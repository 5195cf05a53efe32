"""Rules and warnings more than one ledger uses, written once: a rejected cell is not an empty one;
a number moved a lot since last month; a date differs from what was reported."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from services.ledgers.base import Ledger

JUMP_RATIO = 3


def known(failed: set[str], *names: str) -> bool:
    """True when none of ``names`` had its cell rejected (so an empty value really is empty)."""
    return all(n not in failed for n in names)


def jump(now: float, before: float, floor: float) -> bool:
    """True when ``now`` is at least ``JUMP_RATIO`` times ``before`` (or the reverse) and differs by ``floor``."""
    if now <= 0 or before <= 0 or abs(now - before) < floor:
        return False
    return now >= before * JUMP_RATIO or now * JUMP_RATIO <= before


def norm(value):
    """A value as compared between months: decimals without trailing zeros."""
    return value.normalize() if isinstance(value, Decimal) else value


def changed_since(ledger: Ledger, field_name: str, data: dict, before: dict | None) -> Iterator[tuple[str, str]]:
    """A warning when an entity's ``field_name`` differs from what was reported for it before."""
    if before and before[field_name] != data[field_name]:
        header = ledger.column(field_name).header
        yield header, f"{header}与之前上报的（{before[field_name]}）不同，请确认"
