"""Who is logged in to this browser session; login, logout and lifetime checks."""

from __future__ import annotations

import streamlit as st

from services import accounts
from services.auth import Principal
from services.models import utcnow
from ui.context import engine, settings, tr

KEY = "_auth"


def current_principal() -> Principal | None:
    """The logged-in principal, or None (also after the idle timeout or absolute lifetime)."""
    auth = st.session_state.get(KEY)
    if not auth:
        return None
    now = utcnow()
    if accounts.session_expired(auth["started"], auth["last_seen"], now):
        st.session_state.pop(KEY, None)
        st.session_state["_expired"] = True
        return None
    auth["last_seen"] = now
    return auth["principal"]


def must_change_password() -> bool:
    return bool(st.session_state.get(KEY, {}).get("must_change"))


def sign_in(result: accounts.LoginResult) -> None:
    now = utcnow()
    st.session_state[KEY] = {
        "principal": result.principal, "started": now, "last_seen": now, "must_change": result.must_change_password
    }  # fmt: skip


def sign_out() -> None:
    for key in list(st.session_state):
        if key != "lang":
            del st.session_state[key]


def login_page() -> None:
    st.title(tr("login.title"))
    st.caption(tr("login.subtitle"))
    if st.session_state.pop("_expired", False):
        st.warning(tr("login.expired"))
    with st.form("login", enter_to_submit=True):
        username = st.text_input(tr("login.username"), max_chars=60, autocomplete="username")
        password = st.text_input(tr("login.password"), type="password", max_chars=128,
                                 autocomplete="current-password")  # fmt: skip
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
    if settings().demo_mode and accounts.demo_accounts_exist(engine()):
        st.divider()
        st.subheader(tr("login.demo_heading"))
        st.caption(tr("login.demo_note"))
        st.table(
            {
                tr("login.username"): [a[0] for a in accounts.DEMO_ACCOUNTS],
                tr("login.col_role"): [tr(f"role.{a[2]}") for a in accounts.DEMO_ACCOUNTS],
                tr("login.col_scope"): [a[4] or a[3] or tr("app.county") for a in accounts.DEMO_ACCOUNTS],
            }
        )


def change_password_page() -> None:
    principal = current_principal()
    st.title(tr("page.account"))
    if principal is None:
        return
    if must_change_password():
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
        st.session_state[KEY]["must_change"] = False
        st.success(tr("account.changed"))
        st.rerun()
