"""`python -m services import|template`: exit 0 imported (or a clean dry run), 1 rejected with one
problem per line naming file, row and column, 2 on usage errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.__main__ import main
from services.db import make_engine
from services.ingest.read import PII_HINT
from services.ledgers import ACTIVITIES, REGISTRY
from services.schema import init_db
from tests.ingest.helpers import (
    MOBILE,
    activity,
    activity2,
    csv_bytes,
    load_county,
    march_tables,
    registry_rows,
    rows_for,
    table_checksums,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_db(sqlite_url, monkeypatch):
    engine = make_engine(sqlite_url)
    init_db(engine)
    load_county(engine)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    yield engine
    engine.dispose()


def _write(tmp_path, tables) -> list[str]:
    paths = []
    for name, table in tables.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(csv_bytes(table, "gbk"))
        paths.append(str(path))
    return paths


def test_dry_run_then_import_then_the_same_again(cli_db, tmp_path, capsys):
    paths = _write(tmp_path, march_tables())
    before = table_checksums(cli_db, skip=())
    assert main(["import", *paths, "--dry-run", "--user", "sec-a"]) == 0
    assert "试运行通过（未写入）：511423112001 甲小区 2025-03" in capsys.readouterr().out
    assert table_checksums(cli_db, skip=()) == before
    assert main(["import", *paths, "--user", "sec-a"]) == 0
    assert "已导入 511423112001 甲小区 2025-03（第1版）：活动台账 2 行" in capsys.readouterr().out
    assert main(["import", *paths, "--user", "sec-a"]) == 0
    assert "没有任何改动" in capsys.readouterr().out
    paths = _write(tmp_path, {**march_tables(), ACTIVITIES.name: rows_for(ACTIVITIES, [activity()])})
    assert main(["import", *paths]) == 1
    assert "如需更正，请选择“替换”" in capsys.readouterr().err
    assert main(["import", *paths, "--replace"]) == 0
    assert "第2版取代第1版" in capsys.readouterr().out


def test_rejection_prints_one_problem_per_line(cli_db, tmp_path, capsys):
    table = rows_for(ACTIVITIES, [activity(参与人数="约30"), activity2(活动日期="2025-02-30", 备注=f"电话{MOBILE}")])
    path = tmp_path / "活动.csv"
    path.write_bytes(csv_bytes(table, "gbk"))
    assert main(["import", str(path), "--month", "2025-03"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:3] == [
        "活动.csv 第2行「参与人数」：不能填约数（值：约30） → 请填写确切的数字，如 30",
        "活动.csv 第3行「活动日期」：日期不存在（值：2025-02-30） → 请检查年月日（如 2 月没有 30 日）",
        "活动.csv 第3行「备注」：发现手机号码（值：138****5678） → " + PII_HINT,
    ]
    assert err[-1] == "已拒绝：共 3 个问题，未写入任何数据。"
    assert MOBILE not in "\n".join(err)


def test_users_and_their_compounds(cli_db, tmp_path, capsys):
    paths = _write(tmp_path, march_tables())
    assert main(["import", *paths, "--user", "nobody"]) == 1
    assert "没有名为 'nobody' 的可用账号" in capsys.readouterr().err
    assert main(["import", *paths, "--user", "sec-b"]) == 1
    assert "「小区编码」：只能上报本小区的台账" in capsys.readouterr().err
    assert main(["import", *paths, "--user", "town"]) == 1
    assert "没有数据录入权限" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["import"], ["import", "x.csv", "--month", "2025-3"], ["import", "x.csv", "--month", "2025-13"], ["template"]],
)
def test_usage_errors_exit_2(cli_db, argv, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2


def test_a_missing_file_is_a_usage_error(cli_db, tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_registry_and_templates(cli_db, tmp_path, capsys):
    path = tmp_path / "小区档案.csv"
    path.write_bytes(csv_bytes(rows_for(REGISTRY, [registry_rows()])))
    assert main(["import", str(path), "--dry-run"]) == 0
    assert "（试运行，未写入）小区档案：新增 1 个" in capsys.readouterr().out
    assert main(["import", str(path)]) == 0
    assert "已导入小区档案：新增 1 个" in capsys.readouterr().out
    assert main(["template", "--out", str(tmp_path / "tpl")]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 7
    assert (tmp_path / "tpl" / "台账模板.xlsx").is_file()


def test_exit_codes_from_a_real_process(cli_db, tmp_path, sqlite_url):
    bad = tmp_path / "坏.csv"
    bad.write_bytes(csv_bytes(rows_for(ACTIVITIES, [activity(参与人数="-1")])))
    env = {**os.environ, "DATABASE_URL": sqlite_url}
    run = subprocess.run(
        [sys.executable, "-m", "services", "import", str(bad)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == "坏.csv 第2行「参与人数」：不能为负数（值：-1） → 请填写 0 或正数"
    run = subprocess.run(
        [sys.executable, "-m", "services", "import", "--month", "March", str(bad)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
