"""Server-side login sessions behind an HttpOnly cookie.

Flow: a successful login opens a session and returns a one-time handoff code; the browser
takes it to ``/auth/handoff`` (see ``ui/http.py``), which redeems it for a random token set as
an HttpOnly cookie. Later page loads present the token; each rerun resolves the session id,
so revocation, disabling a user, idle timeout and absolute lifetime apply at once.
Only SHA-256 digests of tokens and codes are stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from services.access import Principal
from services.accounts import ABSOLUTE_LIFETIME, session_expired
from services.db import write_transaction
from services.models import User, WebSession, table_of, utcnow

COOKIE_NAME = "linli_session"
HANDOFF_LIFETIME = dt.timedelta(minutes=2)
TOUCH_EVERY = dt.timedelta(seconds=60)  # write last_seen at most this often


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ActiveSession:
    session_id: str
    principal: Principal
    must_change_password: bool


def open_session(engine: Engine, user_id: int, *, now: dt.datetime | None = None) -> tuple[str, str]:
    """Start a session for ``user_id``; returns (session id, one-time handoff code)."""
    now = now or utcnow()
    session_id, code = str(uuid.uuid4()), secrets.token_urlsafe(24)
    with write_transaction(engine) as conn:
        conn.execute(
            table_of(WebSession)
            .insert()
            .values(
                id=session_id,
                user_id=user_id,
                handoff_hash=_digest(code),
                handoff_expires=now + HANDOFF_LIFETIME,
                created_at=now,
                last_seen_at=now,
                revoked=False,
            )
        )
    return session_id, code


def redeem_handoff(engine: Engine, code: str, *, now: dt.datetime | None = None) -> str | None:
    """Exchange a one-time code for the cookie token (None if unknown, used or expired)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(WebSession.id, WebSession.handoff_expires, WebSession.revoked).where(
                WebSession.handoff_hash == _digest(code or "")
            )
        ).one_or_none()
        if row is None or row.revoked or row.handoff_expires is None or row.handoff_expires < now:
            return None
        conn.execute(
            update(WebSession)
            .where(WebSession.id == row.id)
            .values(token_hash=_digest(token), handoff_hash=None, handoff_expires=None)
        )
    return token


def session_for_token(engine: Engine, token: object) -> str | None:
    """The session id behind a cookie token (anything but a non-empty string is no token)."""
    if not isinstance(token, str) or not token:
        return None
    with engine.connect() as conn:
        return conn.execute(
            select(WebSession.id).where(WebSession.token_hash == _digest(token), WebSession.revoked.is_(False))
        ).scalar()


def resolve(engine: Engine, session_id: str | None, *, now: dt.datetime | None = None) -> ActiveSession | None:
    """The live session's principal, or None if revoked, expired, or the user is disabled."""
    if not session_id:
        return None
    now = now or utcnow()
    stmt = (
        select(
            WebSession.created_at,
            WebSession.last_seen_at,
            WebSession.revoked,
            User.id,
            User.username,
            User.role,
            User.town_code,
            User.compound_id,
            User.disabled,
            User.must_change_password,
        )
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.id == session_id)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).one_or_none()
    if row is None or row.revoked or row.disabled or session_expired(row.created_at, row.last_seen_at, now):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with write_transaction(engine) as conn:
            conn.execute(update(WebSession).where(WebSession.id == session_id).values(last_seen_at=now))
    principal = Principal(row.id, row.username, row.role, row.town_code, row.compound_id)
    return ActiveSession(session_id, principal, bool(row.must_change_password))


def close(engine: Engine, session_id: str | None) -> None:
    """Log out: the session and its cookie token stop working everywhere at once."""
    if session_id:
        with write_transaction(engine) as conn:
            conn.execute(
                update(WebSession)
                .where(WebSession.id == session_id)
                .values(revoked=True, token_hash=None, handoff_hash=None)
            )


def cookie_max_age() -> int:
    return int(ABSOLUTE_LIFETIME.total_seconds())
