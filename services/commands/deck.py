"""deck: the review-meeting deck (.pptx or .pdf) for the county, a town or a compound; or, with
``--archive`` (the daily timer), lock the months that are due and keep the official decks of
every locked month that has none yet.

Shell access to the server already implies administration, so the deck covers whatever scope is
asked for. Exit codes: 0 written, 1 unknown town or compound (or a month not archived), 2 usage
errors."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from services.commands.common import engine_from_settings
from services.commands.report import LookupFailed, resolve_scope

FORMATS = (".pptx", ".pdf")
REQUIRED = {"--from": "start", "--to": "end", "--out": "out"}  # unless --archive
NOT_WITH_ARCHIVE = {**REQUIRED, "--town": "town", "--compound": "compound", "--compare": "compare", "--lang": "lang"}
OMITTED = {"compare": "previous", "lang": "zh"}  # the defaults; the other options default to None


def cmd_deck(args: argparse.Namespace) -> int:
    if args.archive:  # the official decks are always Chinese and compared with the previous month
        given = [flag for flag, dest in NOT_WITH_ARCHIVE.items() if getattr(args, dest) != OMITTED.get(dest)]
        if given:
            args.usage_error(f"--archive takes none of {', '.join(given)}")
        return archive_locked_months()
    missing = [flag for flag, dest in REQUIRED.items() if not getattr(args, dest)]
    if missing:
        args.usage_error(f"the following arguments are required: {', '.join(missing)} (or --archive)")
    return write_deck(args)


def archive_locked_months() -> int:
    """Lock the months that are due (the settings in force), then keep the official decks of
    every locked month that misses any, newest first; each month is stored as it is done."""
    from services import month_reports, settings_store
    from services.db import DatabaseBusy
    from services.deck import archive

    engine = engine_from_settings()
    newly = month_reports.lock_due(
        engine,
        deadline_day=settings_store.deadline_day(engine),
        lock_after_days=settings_store.lock_after_days(engine),
    )
    print(f"已锁定到期月份：{'、'.join(newly)}" if newly else "没有到期需要锁定的月份。")
    months = archive.months_to_archive(engine)
    if not months:
        print("所有已锁定月份都已有正式版本，没有需要生成的。")
        return 0
    failed = []
    for month in months:
        started = time.perf_counter()
        try:
            stored = archive.archive_month(engine, month)
        # e.g. unlocked while being built, or the database busy: report it, go on; the next run retries
        except (archive.MonthNotLocked, DatabaseBusy, SQLAlchemyError) as exc:
            failed.append(month)
            print(f"{month} 的正式版本未能生成：{exc}", file=sys.stderr)
            continue
        towns = {item.town_code for item in stored if item.town_code is not None}
        county = "全县、" if any(item.town_code is None for item in stored) else ""
        took = time.perf_counter() - started
        print(f"{month}：已存档 {len(stored)} 份正式版本（{county}{len(towns)} 个镇，{took:.1f} s）")
    if failed:
        print(f"未完成：{'、'.join(failed)}（下次运行会重试）", file=sys.stderr)
        return 1
    return 0


def write_deck(args: argparse.Namespace) -> int:
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
    p = sub.add_parser(
        "deck",
        help="write the review-meeting deck (.pptx or .pdf) for a period, or --archive the locked months' decks",
    )
    p.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month (required unless --archive)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month (required unless --archive)")
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
        "--out", metavar="FILE.pptx|FILE.pdf", help="the file to write; the suffix picks the format (unless --archive)"
    )
    p.add_argument(
        "--archive",
        action="store_true",
        help="lock the months that are due, then store the official county and town decks of every locked "
        "month that has none yet (the daily timer runs this)",
    )
    p.set_defaults(func=cmd_deck, usage_error=p.error)
