"""import and template: load ledger files from the command line, write the download templates.

``import`` runs the same pipeline as the 数据上报 page. Exit codes: 0 imported (or a clean dry
run), 1 rejected or refused (one problem per line on stderr), 2 usage errors.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from services import settings_store
from services.access import PermissionDenied
from services.commands.common import engine_from_settings, principal_named

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month(value: str) -> str:
    if not MONTH.match(value):
        raise argparse.ArgumentTypeError(f"month must be YYYY-MM, not {value!r}")
    return value


def _print_refusal(problems, notices=()) -> None:
    for problem in problems:
        print(problem.describe(), file=sys.stderr)
    for notice in notices:
        print("提示：" + notice.describe(), file=sys.stderr)
    print(f"已拒绝：共 {len(problems)} 个问题，未写入任何数据。", file=sys.stderr)


def _print_preview(preview) -> None:
    for notice in preview.notices:
        print("提示：" + notice.describe())
    for warning in preview.warnings:
        print("请核对：" + warning.describe())


def cmd_import(args: argparse.Namespace) -> int:
    from services.ingest import (
        AlreadyReported,
        ImportRejected,
        Limits,
        Preview,
        RegistryPreview,
        import_month,
        import_registry,
        parse_uploads,
        preview_month,
        preview_registry,
    )
    from services.ingest.uploads import as_uploads
    from services.month_reports import TransitionRefused

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"usage error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.batch and args.submit:
        print(
            "usage error: --submit cannot be used with --batch (each compound submits its own month)", file=sys.stderr
        )
        return 2
    if args.batch:
        return _cmd_batch(args)
    engine = engine_from_settings()
    principal = principal_named(engine, args.user)
    if principal is None:
        print(f"已拒绝：没有名为 {args.user!r} 的可用账号。", file=sys.stderr)
        return 1
    uploads = as_uploads(Path(f) for f in args.files)
    limits = Limits.from_settings()
    peek = parse_uploads(uploads, limits)
    registry = peek.registry is not None and not peek.monthly
    preview: RegistryPreview | Preview
    try:
        if registry and args.dry_run:
            preview = preview_registry(engine, principal=principal, files=uploads, limits=limits)
        elif registry:
            preview = import_registry(engine, principal=principal, files=uploads, limits=limits)
        elif args.dry_run:
            preview = preview_month(engine, principal=principal, files=uploads, month=args.month, limits=limits)
        else:
            result = import_month(
                engine,
                principal=principal,
                files=uploads,
                month=args.month,
                replace=args.replace,
                submit=args.submit,
                deadline_day=settings_store.deadline_day(engine),
                limits=limits,
            )
            if result.preview:
                _print_preview(result.preview)
            print(result.describe())
            return 0
    except ImportRejected as rejected:
        _print_refusal(rejected.problems, rejected.notices)
        return 1
    except (AlreadyReported, PermissionDenied, TransitionRefused) as refused:
        print(f"已拒绝：{refused}", file=sys.stderr)
        return 1
    if preview.problems:
        _print_refusal(preview.problems, preview.notices)
        return 1
    if isinstance(preview, RegistryPreview):
        print(("（试运行，未写入）" if args.dry_run else "已导入") + preview.describe())
        return 0
    _print_preview(preview)
    counts = "；".join(
        f"{lp.ledger} {lp.rows} 行（新增{lp.new}、更新{lp.updated}、未变{lp.unchanged}）" for lp in preview.ledgers
    )
    assert preview.compound is not None  # a preview without problems has found its compound
    note = "，该月已有上报，导入时需 --replace" if preview.existing and not preview.same_files_as_existing else ""
    print(f"试运行通过（未写入）：{preview.compound.code} {preview.compound.name} {preview.month}：{counts}{note}")
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    """``import --batch``: a file of many compounds, each compound-month its own submission."""
    from services.ingest import ImportRejected, import_batch, preview_batch
    from services.ingest.uploads import as_uploads

    engine = engine_from_settings()
    principal = principal_named(engine, args.user)
    if principal is None:
        print(f"已拒绝：没有名为 {args.user!r} 的可用账号。", file=sys.stderr)
        return 1
    uploads = as_uploads(Path(f) for f in args.files)
    try:
        if args.dry_run:
            batch = preview_batch(engine, principal=principal, files=uploads, month=args.month)
        else:
            result = import_batch(engine, principal=principal, files=uploads, month=args.month, replace=args.replace)
            for notice in result.notices:
                print("提示：" + notice.describe())
            for r in result.results:
                if r.preview:
                    _print_preview(r.preview)
            print(result.describe())
            return 0
    except ImportRejected as rejected:
        _print_refusal(rejected.problems, rejected.notices)
        return 1
    except PermissionDenied as refused:
        print(f"已拒绝：{refused}", file=sys.stderr)
        return 1
    if batch.problems:
        _print_refusal(batch.problems, batch.notices)
        return 1
    for notice in batch.notices:
        print("提示：" + notice.describe())
    print(f"试运行通过（未写入）：{batch.compounds()} 个小区、{len(batch.months)} 个小区月份")
    replacing = {id(p) for p in batch.to_replace}
    for preview in batch.months:
        _print_preview(preview)
        assert preview.compound is not None  # a checked compound-month has its compound
        counts = "；".join(
            f"{lp.ledger} {lp.rows} 行（新增{lp.new}、更新{lp.updated}、未变{lp.unchanged}）" for lp in preview.ledgers
        )
        note = "，该月已有上报，导入时需 --replace" if id(preview) in replacing else ""
        print(f"  {preview.compound.code} {preview.compound.name} {preview.month}：{counts}{note}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from services.ingest import write_templates

    for path in write_templates(Path(args.out)):
        print(path)
    return 0


def register(sub) -> None:
    p = sub.add_parser("import", help="import monthly ledger files (CSV/XLSX) for one compound-month, or 小区档案")
    p.add_argument("files", nargs="+", metavar="FILE", help="ledger files: CSV (UTF-8/GBK/UTF-16) or .xlsx")
    p.add_argument("--user", metavar="NAME", help="act as this user account (default: the system administrator)")
    p.add_argument("--month", type=_month, metavar="YYYY-MM", help="the month reported (default: implied by the rows)")
    p.add_argument("--dry-run", action="store_true", help="validate and preview only; write nothing")
    p.add_argument(
        "--replace", action="store_true", help="replace the ledgers in the files (others stay; old version kept)"
    )
    p.add_argument("--submit", action="store_true", help="submit the month (提交本月) in the same transaction")
    p.add_argument(
        "--batch",
        action="store_true",
        help="staff: the files hold rows of many compounds (administrators; town officials for their town when "
        "batch_import_for_towns is on); each compound-month lands on its own, all or nothing",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("template", help="write the ledger templates (CSV per ledger and one .xlsx)")
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write into")
    p.set_defaults(func=cmd_template)
