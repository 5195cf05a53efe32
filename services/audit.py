"""The append-only audit log: who did what, when, with before/after where it applies.

Callers pass structured details; this module never receives passwords, and ledger values are
masked by the importer before they reach it. The database refuses UPDATE and DELETE.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, Engine, select

from services.access import PermissionDenied, Principal
from services.models import AuditEntry, table_of, utcnow

FORBIDDEN_KEYS = {"password", "new_password", "password_hash", "one_time_password"}


def record(
    conn: Connection,
    *,
    action: str,
    username: str | None,
    user_id: int | None = None,
    target: str | None = None,
    detail: dict | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Append one entry inside the caller's transaction (so it commits or rolls back with it)."""
    if detail and FORBIDDEN_KEYS & set(detail):
        raise ValueError("audit details must not contain passwords")
    conn.execute(
        table_of(AuditEntry)
        .insert()
        .values(at=at or utcnow(), user_id=user_id, username=username, action=action, target=target, detail=detail)
    )


def entries(
    engine: Engine,
    actor: Principal,
    *,
    action: str | None = None,
    username: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 2000,
) -> pd.DataFrame:
    """Newest first, filtered; for the audit viewer and its export (administrators only)."""
    if actor.role != "admin":
        raise PermissionDenied("只有系统管理员可以查看审计日志。")
    a = AuditEntry
    stmt = select(a.id, a.at, a.username, a.action, a.target, a.detail).order_by(a.id.desc()).limit(limit)
    if action:
        stmt = stmt.where(a.action.like(f"{action}%"))
    if username:
        stmt = stmt.where(a.username == username)
    if since:
        stmt = stmt.where(a.at >= since)
    if until:
        stmt = stmt.where(a.at <= until)
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(stmt).mappings().all(), columns=["id", "at", "username", "action", "target", "detail"]
        )
