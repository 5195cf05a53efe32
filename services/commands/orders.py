"""orders: supervision orders (督办单) from the command line, for automation.

    python -m services orders list [--overdue] [--town 洪川镇 | --compound CODE] [--state 办理中] [--json] [--user NAME]
    python -m services orders remind --overdue [--user NAME]     # 催办 every overdue order, once a day
    python -m services orders remind --id 12 [--note "…"] [--user NAME]

Exit codes as elsewhere: 0 done, 1 refused (the Chinese reason on stderr), 2 usage errors.
Without ``--user`` the command acts as the system administrator.
"""

from __future__ import annotations

import argparse
import json
import sys

from services import supervision
from services.access import PermissionDenied, read
from services.commands.common import engine_from_settings, principal_named
from services.commands.report import LookupFailed, resolve_scope

LIST_FIELDS = ["id", "code", "name", "town", "source", "source_ref", "priority", "label", "deadline"]
LIST_FIELDS += ["original_deadline", "overdue", "reminders", "issued_at", "closed_at", "requirement"]
STATE_BY_LABEL = {label: state for state, label in supervision.STATE_LABELS.items()}


def _plain(value):
    if value is None or value != value:  # None or NaN/NaT
        return None
    return value.isoformat() if hasattr(value, "isoformat") else value


def cmd_orders(args: argparse.Namespace) -> int:
    engine = engine_from_settings()
    principal = principal_named(engine, args.user)
    if principal is None:
        print(f"已拒绝：没有名为 {args.user!r} 的可用账号。", file=sys.stderr)
        return 1
    try:
        if args.action == "list":
            return _list(engine, principal, args)
        return _remind(engine, principal, args)
    except (supervision.OrderRefused, PermissionDenied, LookupFailed) as refused:
        print(f"已拒绝：{refused}", file=sys.stderr)
        return 1


def _list(engine, principal, args) -> int:
    state = None
    if args.state:
        state = STATE_BY_LABEL.get(args.state, args.state)
        if state not in supervision.STATE_LABELS:
            print(f"usage error: --state is one of {'、'.join(STATE_BY_LABEL)}", file=sys.stderr)
            return 2
    scope = resolve_scope(engine, args.town, args.compound)
    frame = read(engine, principal, supervision.orders, scope, overdue=args.overdue, state=state)
    rows = [{key: _plain(row[key]) for key in LIST_FIELDS} for row in frame.to_dict("records")]
    if args.json:
        print(json.dumps({"count": len(rows), "orders": rows}, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        late = "  已逾期" if row["overdue"] else ""
        what = f"{row['id']}  {row['town']}  {row['name']}  {row['label']}"
        print(f"{what}  期限 {row['deadline']}{late}  催办 {row['reminders']}")
    print(f"共 {len(rows)} 件")
    return 0


def _remind(engine, principal, args) -> int:
    if args.overdue == (args.id is not None):
        print("usage error: give exactly one of --overdue and --id", file=sys.stderr)
        return 2
    if args.id is not None:
        order = supervision.remind(engine, principal, args.id, note=args.note)
        print(f"已催办督办单 {order.id}（共催办 {order.reminders} 次）。")
        return 0
    reminded = supervision.remind_overdue(engine, principal)
    if reminded:
        print(f"已催办 {len(reminded)} 件逾期督办单：{'、'.join(str(i) for i in reminded)}")
    else:
        print("没有需要催办的逾期督办单（今天已催办过的不再重复）。")
    return 0


def register(sub) -> None:
    p = sub.add_parser("orders", help="supervision orders (督办单): list, remind overdue ones")
    p.add_argument("action", choices=["list", "remind"])
    p.add_argument("--overdue", action="store_true", help="list: only overdue orders; remind: every overdue order")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--town", metavar="NAME_OR_CODE", help="list: one town only")
    where.add_argument("--compound", metavar="CODE", help="list: one compound only")
    p.add_argument("--state", help="list: 待签收 / 办理中 / 已反馈 / 已办结")
    p.add_argument("--id", type=int, help="remind: one order")
    p.add_argument("--note", help="remind --id: a note with the reminder")
    p.add_argument("--user", metavar="NAME", help="act as this account (default: the system administrator)")
    p.add_argument("--json", action="store_true", help="list: print JSON")
    p.set_defaults(func=cmd_orders)
