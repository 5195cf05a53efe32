"""Backup and restore of the whole database while the app keeps running.

SQLite is copied with the online backup API inside one read transaction (WAL lets writers go
on, the copy is one consistent snapshot); PostgreSQL with ``pg_dump --format=custom`` from an
exported snapshot, so the row counts in the manifest come from the very same snapshot. Each
backup ``OUT`` gets a manifest ``OUT.manifest.json`` (dialect, Alembic revision, row counts,
sha256) that ``restore`` checks before it touches anything and verifies afterwards.
Cross-database migration (SQLite ↔ PostgreSQL) is deliberately out of scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import URL, make_url

__all__ = ["BackupError", "BackupInfo", "RestoreInfo", "backup", "manifest_path", "restore"]

log = logging.getLogger(__name__)

FORMAT = "linli-backup/1"
REFERENCE_TABLES = frozenset({"alembic_version", "towns"})  # init-db fills these; they are not "data"
PG_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message is for the operator."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    manifest: Path
    dialect: str
    revision: str
    row_counts: dict[str, int]
    sha256: str
    size_bytes: int
    seconds: float

    def describe(self) -> str:
        rows = sum(n for name, n in self.row_counts.items() if name != "alembic_version")
        return (
            f"已备份（{self.dialect}，结构版本 {self.revision}）：{len(self.row_counts)} 张表共 {rows} 行，"
            f"{self.size_bytes / 1e6:.1f} MB，用时 {self.seconds:.1f} 秒 → {self.path}（清单 {self.manifest.name}）"
        )


@dataclass(frozen=True)
class RestoreInfo:
    path: Path
    target: str  # the URL with its password masked
    dialect: str
    revision: str
    row_counts: dict[str, int]
    needs_migration: bool
    seconds: float

    def describe(self) -> str:
        rows = sum(n for name, n in self.row_counts.items() if name != "alembic_version")
        text_ = f"已恢复到 {self.target}：{len(self.row_counts)} 张表共 {rows} 行，行数与备份清单一致"
        text_ += f"，用时 {self.seconds:.1f} 秒。"
        if self.needs_migration:
            text_ += "备份的数据库结构早于本程序，请接着运行 python -m services init-db 升级结构。"
        return text_


def manifest_path(path: Path | str) -> Path:
    """Where the manifest of backup ``path`` lives: next to it, same name plus ``.manifest.json``."""
    path = Path(path)
    return path.with_name(path.name + ".manifest.json")


def masked(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _url_of(engine_or_url: Engine | str | URL) -> URL:
    if isinstance(engine_or_url, Engine):
        return engine_or_url.url
    return make_url(engine_or_url)


def _dialect(url: URL) -> str:
    name = url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库类型：{name}（只支持 SQLite 和 PostgreSQL）")
    return name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_replace(tmp: Path, final: Path) -> None:
    """Make ``tmp`` durable, then move it into place in one step (readers see old or new, never half)."""
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def _counts_sqlite(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    ]
    quoted = {n: '"' + n.replace('"', '""') + '"' for n in names}
    return {n: conn.execute(f"SELECT count(*) FROM {q}").fetchone()[0] for n, q in quoted.items()}


def _counts(conn: Connection) -> dict[str, int]:
    names = inspect(conn).get_table_names()
    return {n: conn.execute(select(func.count()).select_from(table(n))).scalar_one() for n in names}


def _revision(read_one, counts: dict[str, int]) -> str:
    """The Alembic revision recorded in the database (refused when there is no schema to back up)."""
    row = read_one("SELECT version_num FROM alembic_version") if counts.get("alembic_version") else None
    if row is None:
        raise BackupError("数据库还没有结构（未运行 python -m services init-db），没有可备份的内容")
    return row[0]


def _inventory(conn: Connection | sqlite3.Connection) -> tuple[str, dict[str, int]]:
    """The Alembic revision and every table's row count, read through one connection (one snapshot)."""
    if isinstance(conn, sqlite3.Connection):
        counts = _counts_sqlite(conn)
        return _revision(lambda sql: conn.execute(sql).fetchone(), counts), dict(sorted(counts.items()))
    counts = _counts(conn)
    return _revision(lambda sql: conn.execute(text(sql)).first(), counts), dict(sorted(counts.items()))


def _backup_sqlite(url: URL, tmp: Path) -> tuple[str, dict[str, int]]:
    source_path = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source_path.is_file():
        raise BackupError(f"找不到 SQLite 数据库文件：{source_path}")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(tmp)
    try:
        source.backup(copy)  # all pages in one step: one read transaction, one snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        check = copy.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise BackupError(f"备份副本完整性检查未通过：{check[:3]}")
        return _inventory(copy)
    finally:
        copy.close()
        source.close()


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None)
    if not found:
        raise BackupError(f"找不到 {name}：请安装与服务器版本相同或更新的 PostgreSQL 客户端工具")
    return found


def _pg_env(url: URL) -> dict[str, str]:
    """libpq settings from the URL, so no credential ever appears on a command line."""
    env = dict(os.environ)
    values: dict[str, object] = {
        "PGHOST": url.host,
        "PGPORT": url.port,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
    }
    values["PGDATABASE"] = url.database
    for key, var in (*PG_ENV.items(), ("host", "PGHOST"), ("port", "PGPORT")):
        if key in url.query:
            values[var] = url.query[key]
    env.update({k: str(v) for k, v in values.items() if v is not None})
    return env


def _run_pg_tool(args: list[str], url: URL, what: str) -> None:
    # The program is a resolved pg_dump/pg_restore and the arguments are ours (no shell, no secrets).
    done = subprocess.run(args, env=_pg_env(url), capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        detail = done.stderr.strip()
        if url.password:
            detail = detail.replace(str(url.password), "***")
        raise BackupError(f"{what}失败（退出码 {done.returncode}）：{detail[-2000:]}")


def _backup_postgresql(engine: Engine, url: URL, tmp: Path) -> tuple[str, dict[str, int]]:
    pg_dump = _tool("pg_dump")
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        revision, counts = _inventory(conn)
        # pg_dump reads the exported snapshot, which stays valid while this transaction is open.
        _run_pg_tool([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={tmp}"], url, "pg_dump ")
    return revision, counts


def backup(engine_or_url: Engine | str | URL, out_path: Path | str) -> BackupInfo:
    """Copy the database consistently (the app may keep writing) to ``out_path`` plus its manifest."""
    started = time.monotonic()
    url, out = _url_of(engine_or_url), Path(out_path)
    dialect = _dialect(url)
    if out.exists() or manifest_path(out).exists():
        raise BackupError(f"{out} 已存在：不会覆盖已有的备份，请换一个文件名")
    if not out.parent.is_dir():
        raise BackupError(f"目录不存在：{out.parent}")
    tmp = _temp_beside(out)
    try:
        if dialect == "sqlite":
            revision, counts = _backup_sqlite(url, tmp)
        else:
            engine = engine_or_url if isinstance(engine_or_url, Engine) else create_engine(url)
            try:
                revision, counts = _backup_postgresql(engine, url, tmp)
            finally:
                if engine is not engine_or_url:
                    engine.dispose()
        sha = _sha256(tmp)
        _fsync_replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    size = out.stat().st_size
    manifest = {
        "format": FORMAT,
        "dialect": dialect,
        "alembic_revision": revision,
        "row_counts": counts,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "file": out.name,
        "sha256": sha,
        "size_bytes": size,
    }
    mtmp = _temp_beside(manifest_path(out))
    mtmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _fsync_replace(mtmp, manifest_path(out))
    log.info("backup of %s to %s: %d tables, sha256 %s", masked(url), out, len(counts), sha[:12])
    seconds = time.monotonic() - started
    return BackupInfo(out, manifest_path(out), dialect, revision, counts, sha, size, seconds)


def read_manifest(in_path: Path) -> dict:
    """The manifest of ``in_path``, after checking that the backup file is exactly the one it describes."""
    mpath = manifest_path(in_path)
    if not in_path.is_file():
        raise BackupError(f"找不到备份文件：{in_path}")
    if not mpath.is_file():
        raise BackupError(f"找不到备份清单 {mpath.name}：没有清单的备份无法核验，不予恢复")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"备份清单 {mpath.name} 无法读取：{exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份清单格式：{manifest.get('format')!r}")
    if _sha256(in_path) != manifest.get("sha256"):
        raise BackupError("备份文件的 sha256 与清单不符：文件已损坏或被改动，不予恢复")
    return manifest


def _code_revisions() -> tuple[str, set[str]]:
    from alembic.script import ScriptDirectory

    from services.schema import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None, "the migrations have no head revision"
    return head, {rev.revision for rev in script.walk_revisions()}


def _check_compatible(manifest: dict, url: URL) -> bool:
    """Refuse what cannot be restored here; True when the restored schema will need init-db."""
    target = _dialect(url)
    if manifest["dialect"] != target:
        raise BackupError(
            f"这是 {manifest['dialect']} 的备份，目标是 {target} 数据库：恢复只在同一种数据库之间进行，"
            "跨数据库迁移（SQLite ↔ PostgreSQL）不在备份恢复的范围内"
        )
    head, known = _code_revisions()
    if manifest["alembic_revision"] not in known:
        raise BackupError(
            f"备份的数据库结构版本 {manifest['alembic_revision']} 比本程序（最新 {head}）更新：请先升级程序再恢复"
        )
    return manifest["alembic_revision"] != head


def _tables_with_data(engine: Engine) -> list[str]:
    """Tables holding rows, apart from what init-db itself writes (an initialised database counts as empty)."""
    with engine.connect() as conn:
        counts = _counts(conn)
    return sorted(name for name, n in counts.items() if n and name not in REFERENCE_TABLES)


def _ensure_pg_database(url: URL) -> None:
    if not url.database:
        raise BackupError(f"恢复目标 {masked(url)} 没有写明数据库名")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}).first()
            if not exists:
                conn.execute(text('CREATE DATABASE "{}"'.format(url.database.replace('"', '""'))))
                log.info("created database %s", url.database)
    finally:
        admin.dispose()


def _restore_sqlite(in_path: Path, url: URL) -> None:
    target_path = Path(url.database or "")
    if not url.database or url.database == ":memory:":
        raise BackupError("恢复需要一个 SQLite 数据库文件路径")
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{in_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)  # replaces the target's pages under its write lock, WAL or not
        check = target.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise BackupError(f"恢复后的数据库完整性检查未通过：{check[:3]}")
    finally:
        target.close()
        source.close()


def restore(in_path: Path | str, url: str | URL, *, force: bool = False) -> RestoreInfo:
    """Bring backup ``in_path`` back into the database at ``url`` after checking it, then verify row counts.

    Refuses (``BackupError``, nothing changed) a tampered file, another dialect, a schema newer than
    this code, or a target that already holds data unless ``force``.
    """
    started = time.monotonic()
    in_path, url = Path(in_path), make_url(url)
    manifest = read_manifest(in_path)
    needs_migration = _check_compatible(manifest, url)
    if url.get_backend_name() == "postgresql":
        _ensure_pg_database(url)
    engine = create_engine(url)
    try:
        occupied = _tables_with_data(engine)
        if occupied and not force:
            shown = "、".join(occupied[:5]) + ("等" if len(occupied) > 5 else "")
            raise BackupError(f"目标数据库 {masked(url)} 已有数据（{shown}）：确认要覆盖请加 --force")
        engine.dispose()
        if manifest["dialect"] == "sqlite":
            _restore_sqlite(in_path, url)
        else:
            args = ["--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
            _run_pg_tool([_tool("pg_restore"), *args, f"--dbname={url.database}", str(in_path)], url, "pg_restore ")
        with engine.connect() as conn:
            _, counts = _inventory(conn)
    finally:
        engine.dispose()
    expected = manifest["row_counts"]
    wrong = {name: (n, counts.get(name)) for name, n in expected.items() if counts.get(name) != n}
    if wrong:
        raise BackupError(f"恢复后的行数与备份清单不符（表: 清单, 实际）：{wrong}")
    log.info("restored %s into %s (%d tables)", in_path, masked(url), len(expected))
    seconds = time.monotonic() - started
    return RestoreInfo(
        in_path, masked(url), manifest["dialect"], manifest["alembic_revision"], expected, needs_migration, seconds
    )
