"""users: add, list, disable, enable, unlock and reset accounts from the shell.

Shell access to the server already implies administration, so these act as the administrator
"cli"; every change is audited like one made on the administration page.
"""

from __future__ import annotations

import argparse
import sys

from services import accounts
from services.access import Principal
from services.commands.common import engine_from_settings
from services.domain import ROLES

CLI_ADMIN = Principal(user_id=None, username="cli", role="admin")


def cmd_users(args: argparse.Namespace) -> int:
    engine = engine_from_settings()
    try:
        if args.action == "list":
            frame = accounts.list_users(engine, CLI_ADMIN)
            print(frame.to_string(index=False) if not frame.empty else "no accounts")
        elif args.action == "add":
            otp = accounts.create_user(
                engine,
                CLI_ADMIN,
                username=args.username,
                display_name=args.name or args.username,
                role=args.role,
                town=args.town,
                compound_code=args.compound,
                work_phone=args.phone,
            )
            print(f"created {args.username.lower()} ({args.role}); one-time password: {otp}")
        elif args.action in ("disable", "enable"):
            accounts.set_disabled(engine, CLI_ADMIN, args.username, args.action == "disable")
            print(f"{args.action}d {args.username}")
        elif args.action == "unlock":
            accounts.unlock(engine, CLI_ADMIN, args.username)
            print(f"unlocked {args.username}")
        elif args.action == "reset":
            print(f"one-time password for {args.username}: {accounts.reset_password(engine, CLI_ADMIN, args.username)}")
        elif args.action == "link-sso":
            accounts.link_sso(engine, CLI_ADMIN, args.username, args.subject)
            print(f"{args.username} linked to single-sign-on subject {args.subject}")
        elif args.action == "remove-demo":
            names = accounts.retire_demo_accounts(engine, CLI_ADMIN)
            print(f"demo accounts retired: {', '.join(names) or 'none'}")
    except ValueError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    return 0


def register(sub) -> None:
    p = sub.add_parser("users", help="manage accounts (add, list, disable, enable, unlock, reset, remove-demo)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list accounts")
    add = actions.add_parser("add", help="create an account and print its one-time password")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", help="display name")
    add.add_argument("--town", help="town name or code (town officials)")
    add.add_argument("--compound", help="compound code (secretaries)")
    add.add_argument("--phone", help="work phone")
    for action, text in (
        ("disable", "disable an account"),
        ("enable", "enable an account"),
        ("unlock", "clear a lockout"),
        ("reset", "issue a new one-time password"),
    ):
        actions.add_parser(action, help=text).add_argument("username")
    link = actions.add_parser("link-sso", help="link an account to a single-sign-on (OIDC) subject")
    link.add_argument("username")
    link.add_argument("subject", help="the identity provider's stable subject (sub) for this person")
    actions.add_parser("remove-demo", help="disable the demo accounts and erase their passwords")
    p.set_defaults(func=cmd_users)
