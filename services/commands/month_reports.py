"""report: the month's report from the command line (status, submit, review, locks, corrections).

    python -m services report status --month 2026-11 [--town 洪川镇 | --compound CODE] [--json]
    python -m services report submit --compound CODE --month 2026-11 --user sec-01
    python -m services report approve --compound CODE [--compound CODE …] --month 2026-11 --user town-01
    python -m services report return --compound CODE --month 2026-11 --reason "…" --user town-01
    python -m services report lock --month 2026-10 --user county-01   |   report lock --due
    python -m services report unlock --month 2026-10 --user county-01
    python -m services report request-correction --compound CODE --month 2026-10 --reason "…" --user sec-01
    python -m services report decide-correction --id 7 (--approve | --refuse --note "…") --user town-01

Exit codes as elsewhere: 0 done, 1 refused (the Chinese reason on stderr), 2 usage errors.
Without ``--user`` the command acts as the system administrator.
"""

from __future__ import annotations

import argparse
import json
import sys

from sqlalchemy import Engine, select

from services import month_reports, reporting, settings_store
from services.access import PermissionDenied, read
from services.commands.common import engine_from_settings, principal_named
from services.commands.ingest import _month
from services.commands.report import LookupFailed, resolve_scope
from services.domain import Period
from services.models import Compound


class _Refused(Exception):
    pass


def _compound_id(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        cid = conn.execute(select(Compound.id).where(Compound.code == code.strip())).scalar()
    if cid is None:
        raise _Refused(f"没有编码为 {code} 的小区。")
    return cid


def _status_row(s: month_reports.MonthStatus, code: str) -> dict:
    return {
        "compound": code,
        "month": s.month,
        "state": s.label,
        "return_reason": s.return_reason,
        "changed_after_approval": s.changed_after_approval,
        "pending_correction": s.pending_correction,
    }


def cmd_report(args: argparse.Namespace) -> int:
    engine = engine_from_settings()
    principal = principal_named(engine, args.user)
    if principal is None:
        print(f"已拒绝：没有名为 {args.user!r} 的可用账号。", file=sys.stderr)
        return 1
    deadline = settings_store.deadline_day(engine)
    try:
        if args.action == "status":
            return _status(engine, principal, args, deadline)
        if args.action == "lock" and args.due:
            locked = month_reports.lock_due(
                engine, deadline_day=deadline, lock_after_days=settings_store.lock_after_days(engine)
            )
            print(f"已锁定：{'、'.join(locked)}" if locked else "没有到期需要锁定的月份。")
            return 0
        if args.action in ("lock", "unlock"):
            if not args.month:
                print("usage error: --month is required", file=sys.stderr)
                return 2
            changed = month_reports.set_month_lock(engine, principal, args.month, locked=args.action == "lock")
            word = "锁定" if args.action == "lock" else "解锁"
            print(f"{args.month} 已{word}。" if changed else f"{args.month} 本来就已{word}，没有改动。")
            return 0
        if args.action == "decide-correction":
            if args.approve == args.refuse:
                print("usage error: give exactly one of --approve and --refuse", file=sys.stderr)
                return 2
            s = month_reports.decide_correction(engine, principal, args.id, approve=args.approve, note=args.note)
            print(f"更正申请 {args.id} 已{'同意' if args.approve else '不同意'}：{s.month} 现为“{s.label}”。")
            return 0
        if not args.compound or not args.month:
            print("usage error: --compound and --month are required", file=sys.stderr)
            return 2
        return _act(engine, principal, args, deadline)
    except (month_reports.TransitionRefused, PermissionDenied, _Refused) as refused:
        print(f"已拒绝：{refused}", file=sys.stderr)
        return 1


def _act(engine, principal, args, deadline) -> int:
    ids = [(code, _compound_id(engine, code)) for code in args.compound]
    if args.action == "approve":
        done, refused = month_reports.approve_many(engine, principal, [(cid, args.month, None) for _, cid in ids])
        for s in done:
            print(f"已审核通过：{s.month} 小区 {s.compound_id}（现为“{s.label}”）")
        for message in refused:
            print(f"已拒绝：{message}", file=sys.stderr)
        return 1 if refused else 0
    if len(ids) != 1:
        print("usage error: this action takes one --compound", file=sys.stderr)
        return 2
    code, cid = ids[0]
    if args.action == "submit":
        s = month_reports.submit(engine, principal, cid, args.month, deadline_day=deadline)
        print(f"已提交 {code} {args.month}：现为“{s.label}”，等待镇（街道）审核。")
    elif args.action == "return":
        s = month_reports.return_report(engine, principal, cid, args.month, args.reason or "")
        print(f"已退回 {code} {args.month}：{s.return_reason}")
    elif args.action == "request-correction":
        request = month_reports.request_correction(engine, principal, cid, args.month, args.reason or "")
        print(f"已提交更正申请（编号 {request}），等待镇（街道）或县里审核。")
    return 0


def _status(engine, principal, args, deadline) -> int:
    if not args.month:
        print("usage error: --month is required", file=sys.stderr)
        return 2
    try:
        scope = resolve_scope(engine, args.town, args.compound[0] if args.compound else None)
    except LookupFailed as exc:
        print(f"已拒绝：{exc}", file=sys.stderr)
        return 1
    cal = read(engine, principal, reporting.calendar, scope, Period(args.month, args.month), deadline_day=deadline)
    cal = cal[(cal["status"] != "not_expected") | cal["review"].notna()]
    rows = [
        _status_row(month_reports.status(engine, int(cid), args.month), code)
        for cid, code in zip(cal["compound_id"], cal["code"], strict=True)
    ]
    totals = reporting.totals(cal)
    if args.json:
        print(json.dumps({"month": args.month, "totals": totals, "compounds": rows}, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        extra = f"  退回理由：{row['return_reason']}" if row["return_reason"] and row["state"] == "已退回" else ""
        print(f"{row['compound']}  {row['state']}{extra}")
    print(
        f"应报 {totals['reports_expected']}，已上报 {totals['reports_received']}，"
        f"按时 {totals['reports_on_time']}，已审核 {totals['reports_approved']}"
    )
    return 0


def register(sub) -> None:
    p = sub.add_parser("report", help="the month's report: status, submit, approve, return, lock, corrections")
    p.add_argument(
        "action",
        choices=["status", "submit", "approve", "return", "lock", "unlock", "request-correction", "decide-correction"],
    )
    p.add_argument("--month", type=_month, metavar="YYYY-MM")
    p.add_argument("--compound", action="append", default=[], metavar="CODE", help="repeat to approve several")
    p.add_argument("--town", metavar="NAME_OR_CODE", help="status: one town only")
    p.add_argument("--reason", help="return / request-correction: the reason (required)")
    p.add_argument("--id", type=int, help="decide-correction: the request's number")
    p.add_argument("--approve", action="store_true", help="decide-correction: agree")
    p.add_argument("--refuse", action="store_true", help="decide-correction: refuse (with --note)")
    p.add_argument("--note", help="decide-correction: why it was refused")
    p.add_argument("--due", action="store_true", help="lock: every month whose lock day has passed")
    p.add_argument("--user", metavar="NAME", help="act as this account (default: the system administrator)")
    p.add_argument("--json", action="store_true", help="status: print JSON")
    p.set_defaults(func=cmd_report)
