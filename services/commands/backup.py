"""backup and restore: a consistent copy of the configured database while the app runs, and back.

Exit codes: 0 done, 1 refused or failed (the reason on stderr; nothing was changed by a refusal),
2 usage errors. URLs are only ever printed with the password masked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.config import load_settings


def cmd_backup(args: argparse.Namespace) -> int:
    from services.backup import BackupError, backup

    try:
        info = backup(load_settings().database_url, Path(args.out))
    except BackupError as refused:
        print(f"已拒绝：{refused}", file=sys.stderr)
        return 1
    print(info.describe())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from services.backup import BackupError, restore

    source = Path(args.backup)
    if not source.is_file():
        print(f"usage error: no such file: {source}", file=sys.stderr)
        return 2
    try:
        info = restore(source, load_settings().database_url, force=args.force)
    except BackupError as refused:
        print(f"已拒绝：{refused}", file=sys.stderr)
        return 1
    print(info.describe())
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "backup",
        help="consistent copy of the configured database while the app runs (SQLite online backup / pg_dump)",
    )
    p.add_argument("out", metavar="OUT", help="backup file to create (its manifest is written to OUT.manifest.json)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup made by `backup` into the configured database")
    p.add_argument("backup", metavar="IN", help="backup file (OUT.manifest.json must sit beside it)")
    p.add_argument("--force", action="store_true", help="overwrite a database that already holds data")
    p.set_defaults(func=cmd_restore)
