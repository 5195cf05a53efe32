"""deck: the review-meeting deck (.pptx or .pdf) for the county, a town or a compound.

Shell access to the server already implies administration, so the deck covers whatever scope is
asked for. Exit codes: 0 written, 1 unknown town or compound, 2 usage errors."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from services.commands.common import engine_from_settings
from services.commands.report import LookupFailed, resolve_scope

FORMATS = (".pptx", ".pdf")


def cmd_deck(args: argparse.Namespace) -> int:
    from services import settings_store
    from services.access import SYSTEM
    from services.deck import build_deck, render
    from services.domain import Period

    try:
        period = Period(args.start, args.end)
    except ValueError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        print(f"usage error: --out must end in .pptx or .pdf, not {out.name!r}", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"usage error: no such directory: {out.parent}", file=sys.stderr)
        return 2
    engine = engine_from_settings()
    try:
        scope = resolve_scope(engine, args.town, args.compound)
    except LookupFailed as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    deadline = settings_store.deadline_day(engine)
    deck = build_deck(engine, SYSTEM, scope, period, args.compare, lang=args.lang, deadline_day=deadline)
    out.write_bytes(render(deck, out.suffix.lower().lstrip(".")))
    print(f"{out} ({len(deck.slides)} slides, {time.perf_counter() - started:.1f} s); suggested name: {deck.file_stem}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("deck", help="write the review-meeting deck (.pptx or .pdf) for a period")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--town", metavar="NAME_OR_CODE", help="one town (default: the whole county)")
    where.add_argument("--compound", metavar="CODE", help="one compound")
    p.add_argument(
        "--compare",
        choices=("previous", "year"),
        default="previous",
        help="the previous period or the same period last year (default: %(default)s)",
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the slides (default: %(default)s)")
    p.add_argument(
        "--out", required=True, metavar="FILE.pptx|FILE.pdf", help="the file to write; the suffix picks the format"
    )
    p.set_defaults(func=cmd_deck)
