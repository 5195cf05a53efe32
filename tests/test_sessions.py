"""Server-side sessions: one-time handoff, hashed tokens, revocation and lifetimes."""

import datetime as dt

from sqlalchemy import select

from services import accounts, sessions
from services.access import SYSTEM
from services.models import WebSession

T0 = dt.datetime(2026, 3, 1, 9, 0)


def _user(engine, name="qian", must_change=False):
    accounts.create_user(
        engine,
        SYSTEM,
        username=name,
        display_name=name,
        role="county",
        password="long password 1",
        must_change=must_change,
    )
    return accounts.authenticate(engine, name, "long password 1").principal


def test_handoff_is_one_time_and_short_lived(engine):
    user = _user(engine)
    session_id, code = sessions.open_session(engine, user.user_id, now=T0)
    token = sessions.redeem_handoff(engine, code, now=T0 + dt.timedelta(seconds=5))
    assert token and sessions.session_for_token(engine, token) == session_id
    assert sessions.redeem_handoff(engine, code, now=T0 + dt.timedelta(seconds=6)) is None  # used
    _, late = sessions.open_session(engine, user.user_id, now=T0)
    assert sessions.redeem_handoff(engine, late, now=T0 + sessions.HANDOFF_LIFETIME + dt.timedelta(seconds=1)) is None
    with engine.connect() as conn:
        stored = conn.execute(select(WebSession.token_hash, WebSession.handoff_hash)).all()
    assert all(token not in (t or "") and code not in (h or "") for t, h in stored)  # only digests stored


def test_resolve_applies_idle_timeout_lifetime_logout_and_disabling(engine):
    user = _user(engine)
    session_id, _ = sessions.open_session(engine, user.user_id, now=T0)
    active = sessions.resolve(engine, session_id, now=T0 + dt.timedelta(minutes=10))
    assert active.principal.username == "qian" and not active.must_change_password
    assert sessions.resolve(engine, session_id, now=T0 + dt.timedelta(minutes=20)) is not None
    # idle: 31 minutes after the last touch at +20 min
    assert sessions.resolve(engine, session_id, now=T0 + dt.timedelta(minutes=51)) is None
    fresh, _ = sessions.open_session(engine, user.user_id, now=T0)
    sessions.close(engine, fresh)
    assert sessions.resolve(engine, fresh, now=T0 + dt.timedelta(minutes=1)) is None
    other, _ = sessions.open_session(engine, user.user_id, now=T0)
    accounts.set_disabled(engine, SYSTEM, "qian", True)
    assert sessions.resolve(engine, other, now=T0 + dt.timedelta(minutes=1)) is None


def test_session_carries_the_forced_password_change(engine):
    user = _user(engine, "feng", must_change=True)
    session_id, _ = sessions.open_session(engine, user.user_id, now=T0)
    assert sessions.resolve(engine, session_id, now=T0).must_change_password


def test_password_reset_ends_open_sessions(engine):
    user = _user(engine, "zheng")
    session_id, code = sessions.open_session(engine, user.user_id, now=T0)
    token = sessions.redeem_handoff(engine, code, now=T0)
    accounts.reset_password(engine, SYSTEM, "zheng")
    assert sessions.session_for_token(engine, token) is None
    assert sessions.resolve(engine, session_id, now=T0) is None


def test_only_strings_are_tokens(engine):
    assert sessions.session_for_token(engine, None) is None
    assert sessions.session_for_token(engine, object()) is None
    assert sessions.session_for_token(engine, "not-a-token") is None


def test_cookie_routes_refuse_cross_site_and_plain_requests(engine, monkeypatch):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from ui.http import ROUTES

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    user = _user(engine, "chen")
    client = TestClient(Starlette(routes=ROUTES), base_url="http://127.0.0.1:8501")
    _, code = sessions.open_session(engine, user.user_id)
    assert client.get(f"/auth/handoff?code={code}").status_code == 405  # GET is not accepted
    assert client.post(f"/auth/handoff?code={code}").status_code == 403  # no custom header
    evil = {"X-Linli-Auth": "1", "Origin": "http://evil.example"}
    assert client.post(f"/auth/handoff?code={code}", headers=evil).status_code == 403
    ok = client.post(f"/auth/handoff?code={code}", headers={"X-Linli-Auth": "1"})
    assert ok.status_code == 204
    cookie = ok.headers["set-cookie"]
    assert "linli_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.post(f"/auth/handoff?code={code}", headers={"X-Linli-Auth": "1"}).status_code == 403  # one-time
    out = client.post("/auth/logout", headers={"X-Linli-Auth": "1"})
    assert out.status_code == 204 and 'linli_session=""' in out.headers["set-cookie"]
