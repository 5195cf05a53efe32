"""`python -m services orders list|remind`: the same services, scoped to --user, with exit codes
0 done, 1 refused, 2 usage."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from services import supervision
from services.__main__ import main
from services.db import make_engine
from services.schema import init_db
from tests.supervision.conftest import A, B, C, load_orders_county

TODAY = supervision.beijing_today()
ISSUED = dt.datetime.combine(TODAY - dt.timedelta(days=10), dt.time(2))


@pytest.fixture
def cli(sqlite_url, monkeypatch):
    """甲 overdue since 3 days (town's), 乙 due in 5 days, 丙 overdue since yesterday (county's)."""
    engine = make_engine(sqlite_url)
    init_db(engine)
    oc = load_orders_county(engine)
    made = {}
    for code, who, days in ((A, "town", -3), (B, "town", 5), (C, "county", -1)):
        deadline = TODAY + dt.timedelta(days=days)
        values = dict(requirement=f"{code} 整改", deadline=deadline, now=ISSUED)
        made[code] = supervision.issue(engine, oc.principal(who), compound_id=oc.ids[code], **values).id
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    yield oc, made
    engine.dispose()


def test_list_overdue_as_json_is_scoped_to_the_user(cli, capsys):
    _, made = cli
    assert main(["orders", "list", "--overdue", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["count"] == 2 and sorted(o["id"] for o in listed["orders"]) == sorted([made[A], made[C]])
    assert all(o["overdue"] and o["label"] == "待签收" for o in listed["orders"])
    assert main(["orders", "list", "--user", "town", "--json"]) == 0
    assert sorted(o["id"] for o in json.loads(capsys.readouterr().out)["orders"]) == sorted([made[A], made[B]])
    assert main(["orders", "list", "--town", "止戈镇"]) == 0
    out = capsys.readouterr().out
    assert f"{made[C]}  止戈镇  丙小区  待签收  期限 {(TODAY - dt.timedelta(days=1)).isoformat()}  已逾期" in out
    assert out.rstrip().endswith("共 1 件")
    assert main(["orders", "list", "--state", "已办结", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 0


def test_remind_overdue_logs_one_reminder_per_order_per_day(cli, capsys):
    oc, made = cli
    assert main(["orders", "remind", "--overdue", "--user", "town"]) == 0
    assert f"已催办 1 件逾期督办单：{made[A]}" in capsys.readouterr().out
    assert main(["orders", "remind", "--overdue"]) == 0
    assert f"已催办 1 件逾期督办单：{made[C]}" in capsys.readouterr().out  # 甲 was reminded today already
    assert main(["orders", "remind", "--overdue"]) == 0
    assert "没有需要催办" in capsys.readouterr().out
    assert supervision.order_state(oc.engine, made[A]).reminders == 1
    assert main(["orders", "remind", "--id", str(made[B]), "--note", "请尽快签收"]) == 0
    assert supervision.order_state(oc.engine, made[B]).reminders == 1


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["orders", "remind", "--overdue", "--user", "sec-a"], 1, "只有交办方"),
        (["orders", "list", "--user", "nobody"], 1, "没有名为"),
        (["orders", "list", "--user", "town", "--town", "止戈镇"], 1, "本镇"),
        (["orders", "list", "--town", "火星镇"], 1, "no town"),
        (["orders", "remind"], 2, "exactly one"),
        (["orders", "list", "--state", "飞了"], 2, "--state"),
    ],
)
def test_refusals_and_usage_errors(cli, capsys, argv, code, message):
    assert main(argv) == code
    assert message in capsys.readouterr().err


def test_exit_codes_from_a_real_process(cli, sqlite_url):
    env = {**os.environ, "DATABASE_URL": sqlite_url}
    run = [sys.executable, "-m", "services", "orders"]
    assert subprocess.run([*run, "list", "--json"], env=env, capture_output=True).returncode == 0
    assert (
        subprocess.run([*run, "remind", "--overdue", "--user", "sec-a"], env=env, capture_output=True).returncode == 1
    )
    assert subprocess.run([*run, "frobnicate"], env=env, capture_output=True).returncode == 2
