"""Command line: `python -m services --help`."""

from __future__ import annotations

import argparse
import sys

from services.config import load_settings
from services.db import make_engine


def _engine():
    return make_engine(load_settings().database_url)


def cmd_init_db(_args: argparse.Namespace) -> int:
    from services.schema import init_db

    engine = _engine()
    towns = init_db(engine)
    print(f"schema at head; {towns} towns loaded into {engine.url.render_as_string(hide_password=True)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from services import demo
    from services.schema import init_db, is_empty

    engine = _engine()
    init_db(engine)
    if not is_empty(engine):
        if args.if_empty:
            print("database already holds compounds; demo data not added")
            return 0
        print("refused: the database already holds compounds (use an empty database)", file=sys.stderr)
        return 1
    summary = demo.generate(engine, seed=args.seed, compounds=args.compounds, start=args.start, end=args.end)
    print(summary.describe())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m services",
        description="Linli community-governance dashboard: database and data commands.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init-db", help="create or migrate the schema and load the county's towns")
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("demo", help="seed the demo county (deterministic for a given --seed)")
    p.add_argument("--seed", type=int, default=20200325, help="random seed (default: %(default)s)")
    p.add_argument("--compounds", type=int, default=240, help="number of compounds (default: %(default)s)")
    p.add_argument("--start", default="2020-01", metavar="YYYY-MM", help="first month (default: %(default)s)")
    p.add_argument("--end", default=None, metavar="YYYY-MM", help="last month (default: last complete month)")
    p.add_argument("--if-empty", action="store_true", help="do nothing (exit 0) if compounds already exist")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
