"""`python -m services` in a subprocess, as county IT staff run it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.db import make_engine
from tests import fixture_county

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "LINLI_MODE": "demo"}
    return subprocess.run(
        [sys.executable, "-m", "services", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_commands(sqlite_url):
    out = run_cli("--help", url=sqlite_url)
    assert out.returncode == 0
    for command in ("init-db", "demo", "metrics"):
        assert command in out.stdout


def test_init_db_then_metrics_json_matches_hand_figures(db_url):
    out = run_cli("init-db", url=db_url)
    assert out.returncode == 0, out.stderr
    assert "12 towns" in out.stdout
    engine = make_engine(db_url)
    fixture_county.load(engine)
    engine.dispose()
    out = run_cli("metrics", "--from", "2025-01", "--to", "2025-02", "--town", "洪川镇", "--json", url=db_url)
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert figures["compounds"] == 2 and figures["activities"] == 3
    assert figures["closure_rate"] == pytest.approx(2 / 3)
    out = run_cli("metrics", "--from", "2025-01", "--to", "2025-02", "--compound", "511423101001", "--json", url=db_url)
    assert json.loads(out.stdout)["votes_passed_local"] == 1


def test_metrics_refuses_unknown_town_and_bad_months(sqlite_url):
    assert run_cli("init-db", url=sqlite_url).returncode == 0
    out = run_cli("metrics", "--from", "2025-01", "--to", "2025-02", "--town", "三宝镇", url=sqlite_url)
    assert out.returncode == 1 and "三宝镇" in out.stderr
    out = run_cli("metrics", "--from", "2025-13", "--to", "2025-02", url=sqlite_url)
    assert out.returncode == 2
    out = run_cli("metrics", "--to", "2025-02", url=sqlite_url)
    assert out.returncode == 2  # argparse: --from is required


def test_users_commands_from_the_shell(sqlite_url):
    from services import accounts

    assert run_cli("init-db", url=sqlite_url).returncode == 0
    out = run_cli("users", "add", "admin.wang", "--role", "admin", "--name", "王管理员", url=sqlite_url)
    assert out.returncode == 0, out.stderr
    otp = out.stdout.strip().rsplit(": ", 1)[1]
    engine = make_engine(sqlite_url)
    result = accounts.authenticate(engine, "admin.wang", otp)
    assert result.ok and result.must_change_password and result.principal.role == "admin"
    assert "admin.wang" in run_cli("users", "list", url=sqlite_url).stdout
    assert run_cli("users", "add", "admin.wang", "--role", "county", url=sqlite_url).returncode == 1  # exists
    assert run_cli("users", "add", "x", "--role", "mayor", url=sqlite_url).returncode == 2  # not a role
    assert run_cli("users", "disable", "admin.wang", url=sqlite_url).returncode == 0
    assert accounts.authenticate(engine, "admin.wang", otp).status == "disabled"
    assert run_cli("users", "enable", "admin.wang", url=sqlite_url).returncode == 0
    reset = run_cli("users", "reset", "admin.wang", url=sqlite_url)
    new_otp = reset.stdout.strip().rsplit(": ", 1)[1]
    assert new_otp != otp and accounts.authenticate(engine, "admin.wang", new_otp).ok
    assert run_cli("users", "link-sso", "admin.wang", "idp|42", url=sqlite_url).returncode == 0
    assert accounts.authenticate_sso(engine, "idp|42").principal.username == "admin.wang"
    assert run_cli("users", "unlock", "nobody", url=sqlite_url).returncode == 1
