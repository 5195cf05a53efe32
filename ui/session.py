"""Who is logged in to this browser session; login, logout and lifetime checks."""

from __future__ import annotations

import json

import streamlit as st

from services import accounts, sessions
from services.sessions import ActiveSession
from ui.context import engine, settings, tr

SESSION_KEY = "_session_id"
HANDOFF_KEY = "_handoff_code"


def current_session() -> ActiveSession | None:
    """The live server-side session of this browser: from this Streamlit session, or from the
    HttpOnly cookie set at login (so a reload or a shared link keeps the user logged in)."""
    session_id = st.session_state.get(SESSION_KEY)
    if session_id is None:
        session_id = sessions.session_for_token(engine(), st.context.cookies.get(sessions.COOKIE_NAME))
    active = sessions.resolve(engine(), session_id)
    if active is None:
        if session_id is not None:
            st.session_state["_expired"] = True
        st.session_state.pop(SESSION_KEY, None)
        return None
    st.session_state[SESSION_KEY] = active.session_id
    return active


def sign_in(result: accounts.LoginResult) -> None:
    session_id, code = sessions.open_session(engine(), result.principal.user_id)
    st.session_state[SESSION_KEY] = session_id
    st.session_state[HANDOFF_KEY] = code


def _auth_url(path: str) -> str:
    base = "/" + (st.get_option("server.baseUrlPath") or "").strip("/")
    return base.rstrip("/") + path


def _post_in_page(url: str) -> None:
    """A same-origin POST from the page (the HttpOnly cookie travels in its response)."""
    st.html(
        f"<script>fetch({json.dumps(url)}, {{method: 'POST', credentials: 'same-origin', "
        "cache: 'no-store', headers: {'X-Linli-Auth': '1'}});</script>",
        unsafe_allow_javascript=True,
    )


def complete_handoff() -> None:
    """After a login, let the browser exchange its one-time code for the session cookie."""
    code = st.session_state.pop(HANDOFF_KEY, None)
    if code:  # URL-safe base64 made by services.sessions, never user input
        _post_in_page(_auth_url("/auth/handoff?code=" + code))


LOGOUT_COOKIE_KEY = "_clear_login_cookie"
FLASH_KEY = "_flash"
GO_HOME_KEY = "_go_home"


def sign_out() -> None:
    """End the server session now; the login page the rerun shows also clears the browser's cookie
    (posting from this run could be cut off by the rerun before the browser sends it)."""
    sessions.close(engine(), st.session_state.get(SESSION_KEY))
    for key in list(st.session_state):
        if key != "lang":
            del st.session_state[key]
    st.session_state[LOGOUT_COOKIE_KEY] = True


def clear_cookie_after_logout() -> None:
    """On the login page after a logout: let the browser drop the session cookie."""
    if st.session_state.pop(LOGOUT_COOKIE_KEY, False):
        _post_in_page(_auth_url("/auth/logout"))


def show_flash() -> None:
    """A message left by the previous run (e.g. "password changed") that a rerun would have wiped."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.toast(message, icon=":material/check_circle:")


def login_page() -> None:
    st.title(tr("login.title"))
    st.caption(tr("login.subtitle"))
    if st.session_state.pop("_expired", False):
        st.warning(tr("login.expired"))
    with st.form("login", enter_to_submit=True):
        username = st.text_input(tr("login.username"), max_chars=60, autocomplete="username")
        password = st.text_input(tr("login.password"), type="password", max_chars=128, autocomplete="current-password")
        submitted = st.form_submit_button(tr("login.submit"), type="primary")
    if submitted:
        result = accounts.authenticate(engine(), username, password)
        if result.ok:
            sign_in(result)
            st.rerun()
        elif result.status == "locked":
            until = result.locked_until
            shown = (until + accounts.BEIJING_OFFSET).strftime("%H:%M") if until else ""
            st.error(tr("login.locked", until=shown))
        elif result.status == "disabled":
            st.error(tr("login.disabled"))
        else:
            st.error(tr("login.invalid"))
    if settings().oidc:
        single_sign_on()
    if settings().demo_mode and accounts.demo_accounts_exist(engine()):
        st.divider()
        # The heading must not contain 用户名 or 密码: headings are aria-labelled, and people's
        # scripts (and screen readers) find the login fields by those two labels.
        st.subheader(tr("login.demo_heading"))
        st.caption(tr("login.demo_password"))
        st.caption(tr("login.demo_note"))
        st.table(
            {
                tr("login.username"): [a[0] for a in accounts.DEMO_ACCOUNTS],
                tr("login.col_role"): [tr(f"role.{a[2]}") for a in accounts.DEMO_ACCOUNTS],
                tr("login.col_scope"): [a[4] or a[3] or tr("app.county") for a in accounts.DEMO_ACCOUNTS],
            }
        )


def single_sign_on() -> None:
    """Optional OIDC login (st.login) mapped to a local account; local logins keep working offline."""
    st.divider()
    if not st.user.is_logged_in:
        if st.button(tr("login.sso"), icon=":material/badge:"):
            st.login()
        return
    result = accounts.authenticate_sso(engine(), str(st.user.get("sub") or st.user.get("email") or ""))
    if result.ok:
        sign_in(result)
        st.rerun()
    st.error(tr("login.sso_unmapped"))
    if st.button(tr("account.logout")):
        st.logout()


def change_password_page() -> None:
    active = current_session()
    st.title(tr("page.account"))
    if active is None:
        return
    principal = active.principal
    if active.must_change_password:
        st.warning(tr("account.must_change"))
    st.subheader(tr("account.change_heading"))
    st.caption(tr("account.rules"))
    with st.form("change_password", clear_on_submit=True):
        old = st.text_input(tr("account.old_password"), type="password", autocomplete="current-password")
        new = st.text_input(tr("account.new_password"), type="password", autocomplete="new-password")
        again = st.text_input(tr("account.repeat_password"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(tr("account.change_submit"), type="primary")
    if submitted:
        if new != again:
            st.error(tr("account.mismatch"))
            return
        problems = accounts.change_password(engine(), principal, old, new)
        if problems:
            for problem in problems:
                st.error(problem)
            return
        st.session_state[FLASH_KEY] = tr("account.changed")
        if active.must_change_password:  # the first password set: go on to the user's own overview
            st.session_state[GO_HOME_KEY] = True
        st.rerun()
