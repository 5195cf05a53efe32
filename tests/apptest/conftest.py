"""AppTest fixtures: the dashboard run headless against the hand-computed fixture county."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services.db import make_engine
from services.schema import init_db
from tests import fixture_county

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard.py")


@pytest.fixture
def fixture_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'apptest.db'}"
    engine = make_engine(url)
    init_db(engine)
    fixture_county.load(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LINLI_MODE", "demo")
    return url


@pytest.fixture
def app(fixture_db) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    return at


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
