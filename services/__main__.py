"""Command line: `python -m services --help`. Exit codes: 0 done, 1 refused/rejected, 2 usage."""

from __future__ import annotations

import argparse
import importlib
import sys

from services.commands import COMMAND_MODULES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m services",
        description="Linli (邻里) community-governance dashboard: database and data commands.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
