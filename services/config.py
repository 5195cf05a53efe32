"""Settings read once from the environment and `.streamlit/secrets.toml`.

Precedence for the database URL: ``DATABASE_URL`` > ``[connections.sql] url`` in
secrets.toml > the embedded SQLite file ``data/linli.db``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from services.domain import DEFAULT_DEADLINE_DAY

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_SQLITE = DATA_DIR / "linli.db"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


def _read_secrets(path: Path) -> dict:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Settings:
    database_url: str
    mode: str = "demo"  # "demo" (embedded, demo accounts allowed) or "production"
    report_deadline_day: int = DEFAULT_DEADLINE_DAY  # a month's ledger is on time until this day of the next month
    max_upload_bytes: int = 10 * 1024 * 1024
    max_rows_per_file: int = 200_000
    extra: dict = field(default_factory=dict)
    oidc: bool = False  # secrets.toml has an [auth] section for st.login

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def demo_mode(self) -> bool:
        return self.mode == "demo"


def load_settings(env: dict | None = None, secrets_path: Path = SECRETS_FILE) -> Settings:
    """Build settings from an environment mapping (default ``os.environ``) and secrets.toml."""
    env = dict(os.environ if env is None else env)
    secrets = _read_secrets(secrets_path)
    url = env.get("DATABASE_URL") or secrets.get("connections", {}).get("sql", {}).get("url")
    if not url:
        url = f"sqlite:///{DEFAULT_SQLITE}"
    if url.startswith("postgres://"):  # the Heroku-style scheme SQLAlchemy 2 no longer accepts
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    mode = env.get("LINLI_MODE") or secrets.get("linli", {}).get("mode") or "demo"
    if mode not in ("demo", "production"):
        raise ValueError(f"LINLI_MODE must be 'demo' or 'production', not {mode!r}")
    deadline = int(
        env.get("LINLI_REPORT_DEADLINE_DAY")
        or secrets.get("linli", {}).get("report_deadline_day", DEFAULT_DEADLINE_DAY)
    )
    if not 1 <= deadline <= 28:
        raise ValueError("report_deadline_day must be between 1 and 28")
    auth = secrets.get("auth", {})
    oidc = bool(auth.get("client_id") or any(isinstance(v, dict) and v.get("client_id") for v in auth.values()))
    return Settings(
        database_url=url, mode=mode, report_deadline_day=deadline, extra=secrets.get("linli", {}), oidc=oidc
    )
