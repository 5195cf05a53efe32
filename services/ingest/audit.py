"""Audit entries for imports. Details carry counts, hashes and locations — never cell values,
so no resident ID or mobile number can reach the audit trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, insert

from services.access import Principal
from services.db import write_transaction
from services.ingest.problems import Problem
from services.ingest.uploads import Upload
from services.models import AuditEntry
from services.pii import mask_text

MAX_PROBLEMS_IN_AUDIT = 20


def audit(
    conn: Connection, *, principal: Principal, action: str, target: str | None, detail: dict, now: dt.datetime
) -> None:
    conn.execute(
        insert(AuditEntry).values(
            at=now,
            user_id=principal.user_id,
            username=principal.username,
            action=action,
            target=target and mask_text(target),
            detail=detail,
        )
    )


def audit_rejection(
    engine: Engine,
    *,
    principal: Principal,
    uploads: list[Upload],
    target: str | None,
    reason: str,
    problems: list[Problem],
    now: dt.datetime,
) -> None:
    """Record a refused import in its own transaction (the import itself wrote nothing)."""
    detail = {
        "reason": reason,
        "files": [{"name": mask_text(u.name), "sha256": u.sha256, "bytes": len(u.data)} for u in uploads],
        "problem_count": len(problems),
        "problems": [
            {"file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column, "code": p.code}
            for p in problems[:MAX_PROBLEMS_IN_AUDIT]
        ],
    }
    with write_transaction(engine) as conn:
        audit(conn, principal=principal, action="import.rejected", target=target, detail=detail, now=now)
