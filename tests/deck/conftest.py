"""The fixture county's deck, built once per module on SQLite (exports and the CLI read it back)."""

from __future__ import annotations

import datetime as dt

import pytest

from services.access import SYSTEM
from services.db import make_engine
from services.deck import build_deck
from services.domain import Period, Scope
from services.schema import init_db
from tests import fixture_county

PERIOD = Period("2025-01", "2025-02")
GENERATED = dt.datetime(2025, 3, 10, 2, 30, tzinfo=dt.UTC)  # 10:30 in Beijing
TITLES = [
    "洪雅县支部进小区工作汇报",
    "综述",
    "核心指标",
    "组织覆盖",
    "活动与走访",
    "诉求与纠纷闭环",
    "设施改造",
    "民主议事：本地规则与民法典第278条",
    "上报完整性",
    "治理指数：前列与后列",
    "需要研究决定的预警",
    "附表：各镇情况",
]


@pytest.fixture(scope="module")
def county_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "deck.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    init_db(engine)
    fixture_county.load(engine)
    yield url, engine
    engine.dispose()


@pytest.fixture(scope="module")
def county_deck(county_db):
    _, engine = county_db
    return build_deck(engine, SYSTEM, Scope(), PERIOD, "previous", now=GENERATED)
