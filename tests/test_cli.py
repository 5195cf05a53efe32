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


def test_the_months_lifecycle_from_the_shell(sqlite_url, tmp_path):
    from services.ledgers import ACTIVITIES
    from tests.ingest.helpers import A, csv_bytes, load_county, march_tables

    assert run_cli("init-db", url=sqlite_url).returncode == 0
    engine = make_engine(sqlite_url)
    load_county(engine)
    engine.dispose()
    ledger = tmp_path / f"{ACTIVITIES.name}.csv"
    ledger.write_bytes(csv_bytes(march_tables()[ACTIVITIES.name]))
    month = ("--month", "2025-03")

    out = run_cli("import", str(ledger), *month, "--user", "sec-a", url=sqlite_url)
    assert out.returncode == 0 and "填报中" in out.stdout, out.stderr
    status = json.loads(run_cli("report", "status", *month, "--compound", A, "--json", url=sqlite_url).stdout)
    assert [c["state"] for c in status["compounds"]] == ["填报中"]
    assert run_cli("report", "submit", "--compound", A, *month, "--user", "sec-a", url=sqlite_url).returncode == 0
    out = run_cli("report", "return", "--compound", A, *month, "--user", "town", url=sqlite_url)
    assert out.returncode == 1 and "退回理由" in out.stderr  # a return needs its reason
    out = run_cli("report", "return", "--compound", A, *month, "--reason", "缺签到表", "--user", "town", url=sqlite_url)
    assert out.returncode == 0, out.stderr
    assert run_cli("report", "approve", "--compound", A, *month, "--user", "sec-a", url=sqlite_url).returncode == 1
    assert run_cli("report", "submit", "--compound", A, *month, "--user", "sec-a", url=sqlite_url).returncode == 0
    assert run_cli("report", "approve", "--compound", A, *month, "--user", "town", url=sqlite_url).returncode == 0
    assert run_cli("report", "lock", *month, "--user", "town", url=sqlite_url).returncode == 1
    assert run_cli("report", "lock", *month, "--user", "county", url=sqlite_url).returncode == 0
    out = run_cli("import", str(ledger), *month, "--user", "sec-a", "--replace", url=sqlite_url)
    assert out.returncode == 1 and "已锁定" in out.stderr and "申请更正" in out.stderr
    correction = ("report", "request-correction", "--compound", A, *month, "--reason", "漏报")
    out = run_cli(*correction, "--user", "sec-a", url=sqlite_url)
    assert out.returncode == 0, out.stderr
    request = out.stdout.split("编号 ")[1].split("）")[0]
    assert run_cli("report", "decide-correction", "--id", request, "--user", "town", url=sqlite_url).returncode == 2
    out = run_cli("report", "decide-correction", "--id", request, "--approve", "--user", "town", url=sqlite_url)
    assert out.returncode == 0 and "填报中" in out.stdout, out.stderr
    table = march_tables()[ACTIVITIES.name]
    table[1][table[0].index("参与人数")] = "16"  # the correction: one more participant
    corrected = tmp_path / "更正.csv"
    corrected.write_bytes(csv_bytes(table))
    out = run_cli("import", str(corrected), *month, "--user", "sec-a", "--replace", "--submit", url=sqlite_url)
    assert out.returncode == 0 and "已上报" in out.stdout, out.stderr
    status = json.loads(run_cli("report", "status", *month, "--compound", A, "--json", url=sqlite_url).stdout)
    assert status["compounds"][0]["state"] == "已上报" and status["compounds"][0]["changed_after_approval"] is True
