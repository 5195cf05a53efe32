"""Rules and warnings more than one ledger uses, written once: a done thing needs its date and
dates run forward; a number moved a lot since last month; a date differs from what was reported."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from services.ledgers.base import Finding, Ledger

JUMP_RATIO = 3
BACKWARDS_HINT = "日期不能倒退，请核对"


def known(failed: set[str], *names: str) -> bool:
    """True when none of ``names`` had its cell rejected (so an empty value really is empty)."""
    return all(n not in failed for n in names)


def done_and_dates(
    ledger: Ledger,
    v: dict,
    failed: set[str],
    *,
    dates: tuple[str, ...],
    status: str,
    done: str,
    status_hint: str,
    status_code: str,
    undated_code: str | None = None,
) -> Iterator[Finding]:
    """Dates run forward (each against the nearest earlier one filled in that it precedes); the last date
    and status ``done`` go together, except that without ``undated_code`` ``done`` may stand undated."""
    for i, later in enumerate(dates[1:], start=1):
        for earlier in reversed(dates[:i]):
            if v.get(later) and v.get(earlier) and v[later] < v[earlier]:
                message = f"{ledger.column(later).header}早于{ledger.column(earlier).header}（{v[earlier]}）"
                yield later, message, BACKWARDS_HINT, "rule.dates_backwards"
                break
    day, state = dates[-1], v.get(status)
    if undated_code and state == done and v.get(day) is None and known(failed, day):
        day_header, status_header = ledger.column(day).header, ledger.column(status).header
        yield day, f"{status_header}是“{done}”，但{day_header}为空", f"请填写{day_header}，或修改状态", undated_code
    if v.get(day) is not None and state is not None and state != done:
        day_header, status_header = ledger.column(day).header, ledger.column(status).header
        yield status, f"填了{day_header}，但{status_header}是“{state}”", status_hint, status_code


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
