"""Deployment beyond one machine, as far as one machine allows: several app processes over one
PostgreSQL database behind nginx (deploy/nginx/linli.conf), the migration run exactly once,
logins valid through every process, stickiness by routing cookie. See docs/deploy.md.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest

from services import accounts, sessions
from services.access import SYSTEM
from services.db import make_engine, temporary_postgres_database
from services.models import Town, User
from services.schema import init_db, pending_migrations, read_towns
from tests.conftest import PG_ADMIN_URL, _pg_available, require_or_skip

ROOT = Path(__file__).resolve().parents[1]
NGINX_SITE = ROOT / "deploy" / "nginx" / "linli.conf"
SYSTEMD = ROOT / "deploy" / "systemd"
AUTH = {"X-Linli-Auth": "1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, headers: dict | None = None, tls: bool = False):
    """One HTTP request; returns (status, headers as a list of pairs, body)."""
    if tls:
        context = ssl._create_unverified_context()  # the test's own self-signed certificate
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _cookie(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


@pytest.fixture(scope="module")
def shared_pg_url() -> Iterator[str]:
    """One fresh PostgreSQL database for the module's app processes (dropped afterwards)."""
    require_or_skip(_pg_available())
    with temporary_postgres_database(PG_ADMIN_URL, "linli_deploy") as url:
        yield url


def test_concurrent_init_db_migrates_exactly_once(pg_url):
    """Four hosts starting at once all succeed; one of them migrated, the others waited."""
    env = {**os.environ, "DATABASE_URL": pg_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "services", "init-db"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, f"init-db failed:\n{out}\n{err[-2000:]}"
        assert "schema at head" in out
    engine = make_engine(pg_url)
    try:
        assert not pending_migrations(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
            assert conn.execute(select(func.count()).select_from(Town)).scalar_one() == len(read_towns())
    finally:
        engine.dispose()


def test_app_refuses_an_unmigrated_database_instead_of_migrating(tmp_path, monkeypatch):
    """An app process never migrates: on an old schema it tells the administrator to run init-db."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert any("init-db" in e.value for e in at.error), [e.value for e in at.error]
    engine = make_engine(url)
    try:
        assert pending_migrations(engine)
        with engine.connect() as conn:
            tables = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars().all()
        assert "alembic_version" not in tables
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def app_processes(shared_pg_url, tmp_path_factory) -> Iterator[list[int]]:
    """Two `streamlit run asgi.py` processes over one PostgreSQL database; yields their ports."""
    engine = make_engine(shared_pg_url)
    init_db(engine)
    engine.dispose()
    logs = tmp_path_factory.mktemp("deploy-apps")
    env = {**os.environ, "DATABASE_URL": shared_pg_url, "LINLI_MODE": "production"}
    ports, procs = [_free_port(), _free_port()], []
    for port in ports:
        log = open(logs / f"app-{port}.log", "w+")  # noqa: SIM115 - closed below
        cmd = [
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
        ]
        procs.append((subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
    try:
        for port, (_, log) in zip(ports, procs, strict=True):
            _wait_for_health(port, log)
        yield ports
    finally:
        for proc, log in procs:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()


def _wait_for_health(port: int, log, tls: bool = False) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if _request(port, "GET", "/_stcore/health", tls=tls)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    log.seek(0)
    pytest.fail(f"nothing healthy on port {port}:\n" + log.read()[-3000:])


@pytest.fixture(scope="module")
def official(shared_pg_url) -> int:
    """A county official's account in the shared database; returns the user id."""
    engine = make_engine(shared_pg_url)
    try:
        accounts.create_user(
            engine,
            SYSTEM,
            username="deploy-county",
            display_name="县级",
            role="county",
            password="correct horse battery",
            must_change=False,
        )
        with engine.connect() as conn:
            return conn.execute(select(User.id).where(User.username == "deploy-county")).scalar_one()
    finally:
        engine.dispose()


def test_every_process_serves_health(app_processes):
    for port in app_processes:
        status, _, body = _request(port, "GET", "/_stcore/health")
        assert (status, body) == (200, b"ok")


def test_a_login_made_through_one_process_holds_through_the_other(app_processes, shared_pg_url, official):
    """Sessions live in the database: a code redeemed by one process is spent for the other,
    and the cookie either process hands out names the same server-side session."""
    first, second = app_processes
    engine = make_engine(shared_pg_url)
    try:
        session_id, code = sessions.open_session(engine, official)
        status, headers, _ = _request(first, "POST", f"/auth/handoff?code={code}", AUTH)
        assert status == 204
        token = _cookie(headers, sessions.COOKIE_NAME)
        assert token and sessions.session_for_token(engine, token) == session_id
        assert _request(second, "POST", f"/auth/handoff?code={code}", AUTH)[0] == 403

        other_id, other_code = sessions.open_session(engine, official)
        status, headers, _ = _request(second, "POST", f"/auth/handoff?code={other_code}", AUTH)
        assert status == 204
        assert sessions.session_for_token(engine, _cookie(headers, sessions.COOKIE_NAME)) == other_id
        assert sessions.resolve(engine, session_id).principal.username == "deploy-county"

        sessions.close(engine, session_id)  # logging out anywhere ends it everywhere
        assert sessions.session_for_token(engine, token) is None
    finally:
        engine.dispose()


def _nginx_missing() -> str | None:
    for tool, package in (("nginx", "nginx-light"), ("openssl", "openssl")):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} is not installed (apt-get install {package})"
    return None


def _render_site(site: str, ports: list[int], http_port: int, tls_port: int, workdir: Path) -> str:
    """The example config with this test's ports, certificate and log folder substituted; each
    placeholder must be found exactly once, so a drifting example fails here."""
    backends = "".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in ports)
    site, upstreams = re.subn(r"    server 127\.0\.0\.1:85\d\d [^;]*;\n", "", site)
    assert upstreams >= 2, "the example upstream should list several app processes"
    replacements = {
        "    keepalive 32;\n": backends + "    keepalive 32;\n",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{tls_port} ssl;",
        "/etc/nginx/tls/": f"{workdir}/",
        "/var/log/nginx/": f"{workdir}/",
    }
    for placeholder, value in replacements.items():
        assert site.count(placeholder) in (1, 2), placeholder
        site = site.replace(placeholder, value)
    return site


def _nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def nginx_conf(app_processes, tmp_path_factory) -> tuple[Path, int]:
    """A main nginx.conf that includes the rendered example site; returns (path, TLS port)."""
    require_or_skip(_nginx_missing())
    workdir = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(workdir / "linli.key"),
            "-out",
            str(workdir / "linli.crt"),
        ],
        check=True,
        capture_output=True,
    )
    tls_port = _free_port()
    site = _render_site(NGINX_SITE.read_text(encoding="utf-8"), app_processes, _free_port(), tls_port, workdir)
    (workdir / "linli.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(
        f"    {kind}_temp_path {workdir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must reach pytest's private tmp
    main = (
        f"{user}worker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log warn;\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{\n{temp}\n    include {workdir}/linli.conf;\n}}\n"
    )
    (workdir / "nginx.conf").write_text(main, encoding="utf-8")
    return workdir / "nginx.conf", tls_port


def _nginx(conf: Path, *args: str, **kwargs):
    cmd = [_nginx_binary(), "-c", str(conf), "-p", str(conf.parent), "-e", str(conf.parent / "error.log"), *args]
    return cmd if kwargs.pop("command_only", False) else subprocess.run(cmd, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def proxy(nginx_conf) -> Iterator[tuple[int, Path]]:
    """nginx in front of both app processes; yields (TLS port, access log)."""
    conf, tls_port = nginx_conf
    assert _nginx(conf, "-t").returncode == 0
    proc = subprocess.Popen(_nginx(conf, "-g", "daemon off;", command_only=True), stderr=subprocess.DEVNULL)
    try:
        with open(conf.parent / "error.log", encoding="utf-8") as log:
            _wait_for_health(tls_port, log, tls=True)
        yield tls_port, conf.parent / "linli.access.log"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_nginx_accepts_the_example_config(nginx_conf):
    conf, _ = nginx_conf
    result = _nginx(conf, "-t")
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_example_upload_limit_matches_streamlit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = re.search(r"client_max_body_size (\d+)m;", NGINX_SITE.read_text(encoding="utf-8"))
    assert limit and int(limit.group(1)) == config["server"]["maxUploadSize"]


def _upstreams_by_route(access_log: Path) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for line in access_log.read_text(encoding="utf-8").splitlines():
        found = re.search(r"upstream=(\S+) route=(\S+)", line)
        if found:
            routes.setdefault(found.group(2), set()).add(found.group(1))
    return routes


def test_a_browser_stays_with_one_process_and_browsers_spread(proxy, app_processes):
    port, access_log = proxy
    status, headers, _ = _request(port, "GET", "/", tls=True)
    route = _cookie(headers, "linli_route")
    assert status == 200 and route
    for _ in range(6):
        status, headers, _ = _request(port, "GET", "/_stcore/health", {"Cookie": f"linli_route={route}"}, tls=True)
        assert status == 200 and _cookie(headers, "linli_route") is None
    others = [f"browser-{i}" for i in range(20)]
    for other in others:
        assert _request(port, "GET", "/_stcore/health", {"Cookie": f"linli_route={other}"}, tls=True)[0] == 200
    routes = _upstreams_by_route(access_log)
    for _ in range(50):  # nginx logs a request just after answering it
        if others[-1] in routes:
            break
        time.sleep(0.1)
        routes = _upstreams_by_route(access_log)
    assert len(routes[route]) == 1, routes[route]
    assert all(len(routes[other]) == 1 for other in others)
    used = set().union(*(routes[other] for other in others))
    assert used == {f"127.0.0.1:{p}" for p in app_processes}


def _raw_tls(port: int, request: bytes) -> bytes:
    context = ssl._create_unverified_context()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, context.wrap_socket(raw) as conn:
        conn.sendall(request)
        return conn.recv(4096)


def test_the_websocket_upgrade_passes_through(proxy):
    port, _ = proxy
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
    )
    reply = _raw_tls(port, request.encode())
    assert reply.startswith(b"HTTP/1.1 101"), reply[:200]


def test_login_routes_pass_through_with_the_port_in_host(proxy, shared_pg_url, official):
    port, _ = proxy
    engine = make_engine(shared_pg_url)
    try:
        session_id, code = sessions.open_session(engine, official)
        origin = {"Origin": f"https://127.0.0.1:{port}"}
        assert _request(port, "POST", f"/auth/handoff?code={code}", origin, tls=True)[0] == 403
        status, headers, _ = _request(port, "POST", f"/auth/handoff?code={code}", {**AUTH, **origin}, tls=True)
        assert status == 204
        assert sessions.session_for_token(engine, _cookie(headers, sessions.COOKIE_NAME)) == session_id
    finally:
        engine.dispose()


def test_oversized_uploads_stop_at_the_proxy(proxy):
    port, _ = proxy
    too_big = 11 * 1024 * 1024
    request = (
        f"PUT /_stcore/upload_file/x/y HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Length: {too_big}\r\nContent-Type: multipart/form-data; boundary=z\r\n\r\n"
    )
    assert _raw_tls(port, request.encode()).startswith(b"HTTP/1.1 413")


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file as {section: {key: [values]}} (keys may repeat; comments dropped)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        else:
            key, value = line.split("=", 1)
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


def _daily_job(name: str, calendar: str = r"daily|\*-\*-\* \d\d:\d\d(:\d\d)?( Asia/Shanghai)?"):
    """deploy/systemd/NAME.timer starts NAME.service once a day (a day missed while the host was off
    runs at boot); the service is a oneshot with the app's user, folder, environment and writable
    paths. Returns the service's command line as parsed by the real command line."""
    from services.__main__ import build_parser

    timer_unit = _unit(SYSTEMD / f"{name}.timer")
    timer = timer_unit["Timer"]
    assert re.fullmatch(calendar, timer["OnCalendar"][0]), timer["OnCalendar"]
    assert timer.get("Unit", [f"{name}.service"]) == [f"{name}.service"]
    assert timer["Persistent"] == ["true"]
    assert timer_unit["Install"]["WantedBy"] == ["timers.target"]

    service = _unit(SYSTEMD / f"{name}.service")["Service"]
    assert service["Type"] == ["oneshot"]
    [command] = service["ExecStart"]
    program, *argv = shlex.split(command)
    assert program == "/srv/linli/.venv/bin/python" and argv[:2] == ["-m", "services"]
    app = _unit(SYSTEMD / "linli@.service")["Service"]
    for key in ("User", "WorkingDirectory", "EnvironmentFile", "ReadWritePaths"):
        assert service[key] == app[key], key
    return build_parser().parse_args(argv[2:])


def test_the_archive_timer_runs_the_archive_command_daily_with_the_apps_environment():
    """deploy/systemd/linli-archive.timer starts linli-archive.service every night, which runs
    `python -m services deck --archive` (parsed by the real command line) as the app runs."""
    from services.commands.deck import cmd_deck

    args = _daily_job("linli-archive")
    assert args.func is cmd_deck and args.archive is True


def test_the_reminder_timer_reminds_overdue_orders_each_morning_with_the_apps_environment():
    """deploy/systemd/linli-orders-remind.timer starts linli-orders-remind.service every morning
    (Beijing time), which runs `python -m services orders remind --overdue` as the administrator."""
    from services.commands.orders import cmd_orders

    args = _daily_job("linli-orders-remind", r"\*-\*-\* 0[7-9]:\d\d(:\d\d)? Asia/Shanghai")
    assert args.func is cmd_orders and args.action == "remind" and args.overdue is True
    assert args.id is None and args.user is None  # every overdue order, as the system administrator
