"""init-db and demo: create or migrate the schema, seed the demo county."""

from __future__ import annotations

import argparse
import sys

from services.commands.common import engine_from_settings


def cmd_init_db(_args: argparse.Namespace) -> int:
    from services.schema import init_db

    engine = engine_from_settings()
    towns = init_db(engine)
    print(f"schema at head; {towns} towns loaded into {engine.url.render_as_string(hide_password=True)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from services import accounts, demo
    from services.config import load_settings
    from services.schema import init_db, is_empty

    if not load_settings().demo_mode:
        print("refused: demo data is only for demo mode (LINLI_MODE=demo)", file=sys.stderr)
        return 1
    engine = engine_from_settings()
    init_db(engine)
    if not is_empty(engine):
        if args.if_empty:
            print("database already holds compounds; demo data not added")
            return 0
        print("refused: the database already holds compounds (use an empty database)", file=sys.stderr)
        return 1
    summary = demo.generate(engine, seed=args.seed, compounds=args.compounds, start=args.start, end=args.end)
    print(summary.describe())
    made = accounts.ensure_demo_accounts(engine)
    print(f"demo accounts (password {accounts.DEMO_PASSWORD}): {', '.join(made) or 'already present'}")
    contacts = accounts.seed_demo_secretary_contacts(engine)
    print(f"secretary contacts for the other demo compounds (no login): {contacts}")
    return 0


def cmd_rollups(args: argparse.Namespace) -> int:
    from services import rollups

    engine = engine_from_settings()
    if args.rebuild:
        rows = rollups.rebuild(engine)
        print(f"rollup rebuilt: {rows} compound-months")
    problems = rollups.differences(engine)
    for line in problems:
        print(f"differs: {line}", file=sys.stderr)
    if problems:
        print("the rollup differs from the ledgers; run `python -m services rollups --rebuild`", file=sys.stderr)
        return 1
    print("rollup matches the ledgers")
    return 0


def register(sub) -> None:
    p = sub.add_parser("init-db", help="create or migrate the schema and load the county's towns")
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("demo", help="seed the demo county (deterministic for a given --seed)")
    p.add_argument("--seed", type=int, default=20200325, help="random seed (default: %(default)s)")
    p.add_argument("--compounds", type=int, default=240, help="number of compounds (default: %(default)s)")
    p.add_argument("--start", default="2020-01", metavar="YYYY-MM", help="first month (default: %(default)s)")
    p.add_argument("--end", default=None, metavar="YYYY-MM", help="last month (default: last complete month)")
    p.add_argument("--if-empty", action="store_true", help="do nothing (exit 0) if compounds already exist")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("rollups", help="check (or --rebuild) the compound × month rollup the views read")
    p.add_argument("--rebuild", action="store_true", help="recompute the whole rollup from the ledgers first")
    p.set_defaults(func=cmd_rollups)
