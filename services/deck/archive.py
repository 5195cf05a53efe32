"""Official decks of locked months: when a month locks, the county's deck and each town's deck
for that month are built once, as .pptx and .pdf, and kept in ``deck_archives`` as they were.

A locked month's figures no longer change, so the archive is what the review meeting presented;
it is stored once per (period, scope, format) and never rebuilt. Town officials read their own
town's archives and the county's, county officials and administrators read all of them, and
compound secretaries none. The archive timer (``python -m services deck --archive``) catches up
any month whose archive is missing, e.g. after a failure in the app's background build."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Engine, and_, func, insert, select

from services import deck as decks
from services import month_reports, settings_store
from services.access import SYSTEM, PermissionDenied, Principal
from services.db import write_transaction
from services.deck import periods
from services.deck.model import Deck
from services.domain import Period, Scope
from services.i18n import t
from services.models import Compound, DeckArchive, MonthLock, Submission, utcnow

__all__ = [
    "FORMATS",
    "ArchivedDeck",
    "MonthNotLocked",
    "archive_in_background",
    "archive_month",
    "archive_scopes",
    "archived",
    "background_idle",
    "can_read",
    "content",
    "file_name",
    "months_to_archive",
    "set_lock_and_archive",
]

FORMATS = ("pptx", "pdf")
READERS = frozenset({"admin", "county", "town"})
log = logging.getLogger(__name__)

Renderer = Callable[[Deck, str], bytes]


class MonthNotLocked(Exception):
    """Only a locked month has official decks (its figures could still change)."""


@dataclass(frozen=True)
class ArchivedDeck:
    """One stored official deck (without its bytes)."""

    id: int
    period: Period
    town_code: str | None  # None: the county
    fmt: str
    sha256: str
    built_at: dt.datetime  # stored UTC
    size: int


def can_read(principal: Principal) -> bool:
    """Whether the principal reads any official deck (officials do, secretaries do not)."""
    return principal.role in READERS


def _require_reader(principal: Principal, town_code: str | None) -> None:
    """Town officials read their own town's and the county's archives; secretaries none."""
    if principal.role not in READERS:
        raise PermissionDenied("小区书记账号不能查看正式汇报版本。")
    if principal.role == "town" and town_code not in (None, principal.town_code):
        raise PermissionDenied("镇级账号只能查看本镇和全县的正式汇报版本。")


def _scope_condition(town_code: str | None):
    return DeckArchive.town_code.is_(None) if town_code is None else DeckArchive.town_code == town_code


def archived(engine: Engine, principal: Principal, scope: Scope, period: Period) -> list[ArchivedDeck]:
    """The official decks of ``scope`` (the county or one town) for the months inside ``period``,
    oldest first, PPTX before PDF. A compound has none of its own."""
    _require_reader(principal, scope.town_code)
    if scope.compound_id is not None:
        return []
    a = DeckArchive
    stmt = (
        select(a.id, a.period_start, a.period_end, a.town_code, a.fmt, a.sha256, a.built_at, func.length(a.content))
        .where(_scope_condition(scope.town_code), a.period_start >= period.start, a.period_end <= period.end)
        .order_by(a.period_start, a.period_end, a.fmt.desc())
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        ArchivedDeck(row_id, Period(start, end), town, fmt, sha, built, int(size))
        for row_id, start, end, town, fmt, sha, built, size in rows
    ]


def content(engine: Engine, principal: Principal, archive_id: int) -> bytes:
    """The stored bytes of one official deck, if ``principal`` may read its scope."""
    stmt = select(DeckArchive.town_code, DeckArchive.content).where(DeckArchive.id == archive_id)
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        raise LookupError(f"no official deck {archive_id}")
    _require_reader(principal, row.town_code)
    return bytes(row.content)


def file_name(engine: Engine, item: ArchivedDeck, lang: str = "zh") -> str:
    """e.g. 洪川镇_202502_汇报_正式版.pdf"""
    from services.deck.content import scope_label

    name = scope_label(engine, Scope(town_code=item.town_code), lang)
    suffix = f"{t('deck.file_suffix', lang)}_{t('archive.file_suffix', lang)}"
    return f"{periods.safe_name(f'{name}_{periods.code(item.period)}_{suffix}')}.{item.fmt}"


def archive_scopes(engine: Engine) -> list[str | None]:
    """The county (None) and every town with an active compound, in code order."""
    stmt = select(Compound.town_code).where(Compound.active.is_(True)).distinct().order_by(Compound.town_code)
    with engine.connect() as conn:
        return [None, *conn.execute(stmt).scalars()]


def _stored(engine: Engine, month: str) -> set[tuple[str | None, str]]:
    a = DeckArchive
    stmt = select(a.town_code, a.fmt).where(a.period_start == month, a.period_end == month)
    with engine.connect() as conn:
        return {(town, fmt) for town, fmt in conn.execute(stmt)}


def months_to_archive(engine: Engine) -> list[str]:
    """Locked months that miss at least one official deck, newest first. A month in which no
    compound reported anything (the timer also locks those) has nothing to present and is left out."""
    wanted = {(town, fmt) for town in archive_scopes(engine) for fmt in FORMATS}
    reported = select(Submission.month).where(Submission.month == MonthLock.month).exists()
    stmt = select(MonthLock.month).where(MonthLock.locked.is_(True), reported)
    with engine.connect() as conn:
        locked = conn.execute(stmt).scalars().all()
    return sorted((m for m in locked if not wanted <= _stored(engine, m)), reverse=True)


def archive_month(
    engine: Engine,
    month: str,
    *,
    lang: str = "zh",
    now: dt.datetime | None = None,
    render: Renderer | None = None,
) -> list[ArchivedDeck]:
    """Build and store the official decks of a locked month that are not stored yet; returns the
    ones stored now (none when all are there). Refuses a month that is not locked."""
    period = Period(month, month)
    with engine.connect() as conn:
        if month not in month_reports.locked_months(conn, period):
            raise MonthNotLocked(f"{month} 尚未锁定，不能生成正式版本。")
    render = render or decks.render
    deadline = settings_store.deadline_day(engine)
    have = _stored(engine, month)
    stored: list[ArchivedDeck] = []
    for town in archive_scopes(engine):
        missing = [fmt for fmt in FORMATS if (town, fmt) not in have]
        if not missing:
            continue
        built_at = now or utcnow()
        deck = decks.build_deck(
            engine, SYSTEM, Scope(town_code=town), period, "previous", lang=lang, deadline_day=deadline, now=built_at
        )
        files = {fmt: render(deck, fmt) for fmt in missing}
        stored.extend(_store(engine, month, town, files, built_at))
    return stored


def _store(engine: Engine, month: str, town: str | None, files: dict[str, bytes], built_at: dt.datetime):
    """Insert the files not stored meanwhile by another builder. The month's lock row is taken
    first, so builders of one month (the app's thread, the timer, another host) store one at a
    time, and nothing is stored for a month unlocked while its decks were being built."""
    a = DeckArchive
    with write_transaction(engine) as conn:
        locked = conn.execute(select(MonthLock.locked).where(MonthLock.month == month).with_for_update()).scalar()
        if not locked:
            return []
        present = set(
            conn.execute(
                select(a.fmt).where(and_(a.period_start == month, a.period_end == month, _scope_condition(town)))
            ).scalars()
        )
        stored = []
        for fmt, data in files.items():
            if fmt in present:
                continue
            values = dict(
                period_start=month,
                period_end=month,
                town_code=town,
                fmt=fmt,
                content=data,
                sha256=hashlib.sha256(data).hexdigest(),
                built_at=built_at,
            )
            new_id = conn.execute(insert(a).values(**values).returning(a.id)).scalar_one()
            stored.append(
                ArchivedDeck(new_id, Period(month, month), town, fmt, str(values["sha256"]), built_at, len(data))
            )
        return stored


_worker: ThreadPoolExecutor | None = None


def _background() -> ThreadPoolExecutor:
    """One worker per process: archives queue rather than compete for the cores with the pages."""
    global _worker
    if _worker is None:
        _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="linli-archive")
    return _worker


def _archive_logged(engine: Engine, month: str, lang: str) -> list[ArchivedDeck]:
    try:
        stored = archive_month(engine, month, lang=lang)
    except Exception:
        log.exception("official decks of %s were not archived; the archive timer will retry", month)
        raise
    log.info("archived %d official decks of %s", len(stored), month)
    return stored


def archive_in_background(engine: Engine, month: str, *, lang: str = "zh") -> Future[list[ArchivedDeck]]:
    """Archive ``month`` in this process's archive thread; failures are logged (the timer catches up)."""
    return _background().submit(_archive_logged, engine, month, lang)


def background_idle(timeout: float | None = None) -> bool:
    """Wait until every archive queued so far in this process has finished (tests, shutdown)."""
    try:
        _background().submit(lambda: None).result(timeout=timeout)
    except TimeoutError:
        return False
    return True


def set_lock_and_archive(engine: Engine, principal: Principal, month: str, *, locked: bool) -> bool:
    """Lock or unlock a month (``month_reports.set_month_lock``); a month locked now has its
    official decks built in the background. Returns whether the lock changed."""
    changed = month_reports.set_month_lock(engine, principal, month, locked=locked)
    if changed and locked:
        archive_in_background(engine, month)
    return changed
