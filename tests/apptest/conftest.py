"""AppTest fixtures: the dashboard run headless against the hand-computed fixture county,
logged in through the real login form as one account per role."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services import accounts
from services.access import SYSTEM
from services.db import make_engine
from services.schema import init_db
from tests import fixture_county

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard.py")
PASSWORD = "correct horse battery"
USERS = {  # role: (username, town, compound code)
    "admin": ("t-admin", None, None),
    "county": ("t-county", None, None),
    "town": ("t-town", "洪川镇", None),
    "secretary": ("t-secretary", None, "511423112001"),
}


@pytest.fixture(scope="session")
def fixture_db_template(tmp_path_factory) -> Path:
    """Built once: the fixture county plus one account per role (Argon2 hashing is slow on purpose)."""
    path = tmp_path_factory.mktemp("apptest-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    fixture_county.load(engine)
    for role, (username, town, compound) in USERS.items():
        accounts.create_user(
            engine,
            SYSTEM,
            username=username,
            display_name=username,
            role=role,
            town=town,
            compound_code=compound,
            password=PASSWORD,
            must_change=False,
        )
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def fixture_db(fixture_db_template, tmp_path, monkeypatch) -> str:
    """A private copy of the template for each test."""
    path = tmp_path / "apptest.db"
    shutil.copyfile(fixture_db_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")  # tests read the real error
    monkeypatch.setenv("LINLI_MODE", "demo")
    return url


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def login(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["用户名"].input(username)
    fields["密码"].input(password)
    next(b for b in at.button if b.label == "登录").click()
    return at.run()


@pytest.fixture
def app(fixture_db) -> AppTest:
    """Logged in as the county official."""
    return login(new_app(), USERS["county"][0])


@pytest.fixture
def app_as(fixture_db):
    def _app(role: str) -> AppTest:
        return login(new_app(), USERS[role][0])

    return _app


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
