"""Notes on views (批注): an official writes down why a figure moved, for one view, scope and period.

A note belongs to a page id of ``services.access.PAGES``, a scope (the county, a town or a compound)
and a period. Whoever may read that scope reads it under the view, newest first, with author and
time; notes are plain text (pages render them as text, never markup). ``@username`` names an
account that may see the scope: the note goes to that person's inbox until they mark it read.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from sqlalchemy import Engine, insert, select, update

from services import audit
from services.access import PAGES, ClampedScope, PermissionDenied, Principal, clamp, scoped_read
from services.db import write_transaction
from services.domain import Period, Scope
from services.models import Compound, Mention, User, ViewNote, utcnow
from services.month_reports import TransitionRefused
from services.pii import find_pii

WRITERS = frozenset({"admin", "county", "town"})
VIEW_IDS = frozenset(page.id for page in PAGES)
MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9][A-Za-z0-9._-]{0,59})")
MAX_NOTE = 1000

NOTE_COLUMNS = ["id", "view_id", "town_code", "compound_id", "period_start", "period_end", "body"]
NOTE_COLUMNS += ["author", "author_name", "created_at", "mentions"]


class NoteRefused(TransitionRefused):
    """The note cannot be written; the message (Chinese) says why."""


def _body(text: str | None) -> str:
    body = (text or "").strip()
    if len(body) < 2:
        raise NoteRefused("请填写批注内容（至少两个字）。")
    if len(body) > MAX_NOTE:
        raise NoteRefused(f"批注请控制在 {MAX_NOTE} 字以内。")
    if find_pii(body):
        raise NoteRefused("批注中不要写身份证号或手机号，请删去后再保存。")
    return body


def mentioned_names(body: str) -> list[str]:
    """The ``@username`` names in a note, in order, each once (a trailing full stop is not part of it)."""
    names = [name.rstrip(".") for name in MENTION.findall(body)]
    return list(dict.fromkeys(name for name in names if name))


def _principal(row) -> Principal:
    return Principal(row.id, row.username, row.role, row.town_code, row.compound_id)


def may_see(principal: Principal, scope: Scope) -> bool:
    """Whether ``principal``'s reads of ``scope`` are exactly that scope (nothing clamped away)."""
    try:
        return clamp(principal, scope) == scope
    except PermissionDenied:
        return False


def write_note(
    engine: Engine,
    principal: Principal,
    *,
    view_id: str,
    scope: Scope,
    period: Period,
    body: str,
    now: dt.datetime | None = None,
) -> int:
    """Write a note (officials, for a scope they may read); returns its id. Every ``@username``
    must be an enabled account that may read the scope, else nothing is written."""
    now = now or utcnow()
    if principal.role not in WRITERS:
        raise PermissionDenied("只有镇（街道）、县级账号或管理员可以写批注。")
    if view_id not in VIEW_IDS:
        raise NoteRefused("没有这个页面，不能在此写批注。")
    text = _body(body)
    with write_transaction(engine) as conn:
        town_code = scope.town_code
        if scope.compound_id is not None:
            town_code = conn.execute(select(Compound.town_code).where(Compound.id == scope.compound_id)).scalar()
            if town_code is None or (scope.town_code not in (None, town_code)):
                raise NoteRefused("没有这个小区，请刷新页面后重试。")
        stored_scope = Scope(town_code, scope.compound_id)
        if not may_see(principal, stored_scope):
            raise PermissionDenied("只能对自己有权查看的范围写批注。")
        names = mentioned_names(text)
        users = conn.execute(
            select(User.id, User.username, User.role, User.town_code, User.compound_id).where(
                User.username.in_(names), User.disabled.is_(False)
            )
        ).all()
        blind = [u.username for u in users if not may_see(_principal(u), stored_scope)]
        if blind:
            raise NoteRefused(f"{'、'.join('@' + n for n in blind)} 无权查看这个范围的数据，不能提醒。")
        note_id = conn.execute(
            insert(ViewNote).values(
                view_id=view_id,
                town_code=town_code,
                compound_id=scope.compound_id,
                period_start=period.start,
                period_end=period.end,
                body=text,
                author_id=principal.user_id,
                author=principal.username,
                created_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has its key
        for user in users:
            if user.id != principal.user_id:
                conn.execute(insert(Mention).values(note_id=note_id, user_id=user.id))
        audit.record(
            conn,
            action="note.write",
            username=principal.username,
            user_id=principal.user_id,
            target=f"note/{note_id}",
            detail={
                "view_id": view_id,
                "town_code": town_code,
                "compound_id": scope.compound_id,
                "period": period.label(),
                "mentions": sorted(u.username for u in users if u.id != principal.user_id),
            },
            at=now,
        )
        return int(note_id)


def _scope_filter(stmt, scope: Scope):
    if scope.compound_id is not None:
        return stmt.where(ViewNote.compound_id == scope.compound_id)
    stmt = stmt.where(ViewNote.compound_id.is_(None))
    if scope.town_code:
        return stmt.where(ViewNote.town_code == scope.town_code)
    return stmt.where(ViewNote.town_code.is_(None))


@scoped_read
def notes(engine: Engine, scope: ClampedScope, view_id: str, period: Period) -> pd.DataFrame:
    """The notes on ``view_id`` for exactly this scope whose period overlaps ``period``, newest first,
    with the author's username and name and the usernames mentioned."""
    n = ViewNote
    stmt = (
        select(*[getattr(n, c) for c in NOTE_COLUMNS[:8]], User.display_name.label("author_name"), n.created_at)
        .outerjoin(User, User.id == n.author_id)
        .where(n.view_id == view_id, n.period_start <= period.end, n.period_end >= period.start)
        .order_by(n.created_at.desc(), n.id.desc())
    )
    with engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(_scope_filter(stmt, scope)).mappings()]
        ids = [row["id"] for row in rows]
        mentioned: dict[int, list[str]] = {}
        if ids:
            who = (
                select(Mention.note_id, User.username)
                .join(User, User.id == Mention.user_id)
                .where(Mention.note_id.in_(ids))
                .order_by(User.username)
            )
            for note_id, username in conn.execute(who):
                mentioned.setdefault(note_id, []).append(username)
    for row in rows:
        row["mentions"] = mentioned.get(row["id"], [])
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)


def unread_mentions(engine: Engine, principal: Principal) -> pd.DataFrame:
    """The notes mentioning ``principal`` not yet marked read, newest first (the inbox's source);
    a note whose scope the person may no longer read is left out."""
    n = ViewNote
    stmt = (
        select(
            Mention.id.label("mention_id"),
            *[n.id, n.view_id, n.town_code, n.compound_id, n.period_start, n.period_end, n.body],
            n.author,
            n.created_at,
        )
        .join(n, n.id == Mention.note_id)
        .where(Mention.user_id == principal.user_id, Mention.read_at.is_(None))
        .order_by(n.created_at.desc(), n.id.desc())
    )
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    rows = [r for r in rows if may_see(principal, Scope(r["town_code"], r["compound_id"]))]
    columns = ["mention_id", "id", "view_id", "town_code", "compound_id", "period_start", "period_end", "body"]
    return pd.DataFrame(rows, columns=[*columns, "author", "created_at"])


def mark_read(engine: Engine, principal: Principal, note_id: int, *, now: dt.datetime | None = None) -> bool:
    """Take a note out of ``principal``'s inbox; returns whether it was there."""
    with write_transaction(engine) as conn:
        done = conn.execute(
            update(Mention)
            .where(Mention.note_id == note_id, Mention.user_id == principal.user_id, Mention.read_at.is_(None))
            .values(read_at=now or utcnow())
        )
        return bool(done.rowcount)
