"""Browser fixtures: the app served by `streamlit run` on a free loopback port, driven by
Playwright in Debian's Chromium. Requests that try to leave 127.0.0.1 are blocked and counted.

Screenshots go to artifacts/screenshots/ (kept by CI as artefacts; see README).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from services import accounts
from services.access import SYSTEM
from services.db import make_engine
from services.schema import init_db
from tests import fixture_county
from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "correct horse battery"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def served_db_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"


@pytest.fixture(scope="session")
def served_app(served_db_url):
    """Base URL of a running dashboard over the fixture county with one account per role."""
    require_or_skip(_browser_missing())
    url = served_db_url
    engine = make_engine(url)
    init_db(engine)
    fixture_county.load(engine)
    for role, town, compound in (
        ("admin", None, None),
        ("county", None, None),
        ("town", "洪川镇", None),
        ("secretary", None, "511423112001"),
    ):
        accounts.create_user(
            engine,
            SYSTEM,
            username=f"e2e-{role}",
            display_name=f"e2e-{role}",
            role=role,
            town=town,
            compound_code=compound,
            password=PASSWORD,
            must_change=False,
        )
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "LINLI_MODE": "demo"}
    log = open(Path(url.split("///", 1)[1]).with_suffix(".log"), "w+")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "asgi.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            log.seek(0)
            pytest.fail("streamlit did not start:\n" + log.read()[-3000:])
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser():
    require_or_skip(_browser_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """One browser context with an offline guard and helpers to wait for Streamlit."""

    def __init__(self, browser, base: str, **context_options):
        self.base = base
        self.external: list[str] = []
        options = {"viewport": {"width": 1440, "height": 900}, "locale": "zh-CN", "accept_downloads": True}
        self.context = browser.new_context(**{**options, **context_options})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route):
        url = route.request.url
        host = re.sub(r"^\w+://([^/:]+).*", r"\1", url)
        if host in ("127.0.0.1", "localhost") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def idle(self, extra_ms: int = 600) -> None:
        """Wait until the script has finished (after a grace period in which a rerun may start)."""
        self.page.wait_for_timeout(300)
        self.page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
        self.page.wait_for_timeout(extra_ms)

    def goto(self, path: str = "/") -> None:
        self.page.goto(self.base + path)
        self.idle()

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.goto("/")
        # the first run after the server starts imports the whole stack: allow it time
        self.page.get_by_label("用户名").wait_for(timeout=90000)
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").click()
        self.page.get_by_role("button", name="登录", exact=True).wait_for(state="detached", timeout=30000)
        self.wait_for_session_cookie()
        self.idle()

    def wait_for_session_cookie(self) -> None:
        """A login ends with a reload through /auth/handoff that sets the HttpOnly cookie."""
        for _ in range(100):
            if any(c["name"] == "linli_session" for c in self.context.cookies()):
                self.page.wait_for_load_state("load")
                return
            self.page.wait_for_timeout(100)
        raise AssertionError("no session cookie after login")

    def shot(self, name: str) -> Path:
        """Screenshot of the whole page: Streamlit scrolls inside its own container, so the
        viewport is stretched to the content's height first (and restored afterwards)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        size = self.page.viewport_size
        height = self.page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section.main, body')]"
            ".map(e => e.scrollHeight))"
        )
        self.page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 8000)})
        self.page.wait_for_timeout(400)
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(size)
        return path

    def exceptions(self) -> int:
        return self.page.locator('[data-testid="stException"]').count()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, served_app):
    v = Visit(browser, served_app)
    yield v
    v.close()
    assert v.external == [], f"requests tried to leave 127.0.0.1: {v.external[:5]}"
