"""metrics: the headline figures from the same functions the pages use."""

from __future__ import annotations

import argparse
import json
import sys

from sqlalchemy import Engine, or_, select

from services import settings_store
from services.access import SYSTEM, read
from services.commands.common import engine_from_settings
from services.domain import Period, Scope
from services.metrics import HEADLINE_KEYS, headline
from services.models import Compound, Town


class LookupFailed(Exception):
    pass


def resolve_scope(engine: Engine, town: str | None, compound: str | None) -> Scope:
    """Turn --town NAME_OR_CODE / --compound CODE into a Scope (exact match only)."""
    with engine.connect() as conn:
        if compound:
            cid = conn.execute(select(Compound.id).where(Compound.code == compound.strip())).scalar()
            if cid is None:
                raise LookupFailed(f"no compound with code {compound!r}")
            return Scope(compound_id=cid)
        if town:
            code = conn.execute(
                select(Town.code).where(or_(Town.code == town.strip(), Town.name == town.strip()))
            ).scalar()
            if code is None:
                raise LookupFailed(f"no town named or coded {town!r}")
            return Scope(town_code=code)
    return Scope()


def cmd_metrics(args: argparse.Namespace) -> int:
    try:
        period = Period(args.start, args.end)
    except ValueError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2
    engine = engine_from_settings()
    try:
        scope = resolve_scope(engine, args.town, args.compound)
    except LookupFailed as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    figures = read(engine, SYSTEM, headline, scope, period, deadline_day=settings_store.deadline_day(engine))
    if args.json:
        print(json.dumps({k: figures[k] for k in HEADLINE_KEYS}, ensure_ascii=False, indent=2))
    else:
        width = max(len(k) for k in HEADLINE_KEYS)
        for key in HEADLINE_KEYS:
            print(f"{key:<{width}}  {figures[key]}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("metrics", help="headline figures for a period (county, a town or a compound)")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--town", metavar="NAME_OR_CODE")
    where.add_argument("--compound", metavar="CODE")
    p.add_argument("--json", action="store_true", help="print JSON (the keys documented in the README)")
    p.set_defaults(func=cmd_metrics)
