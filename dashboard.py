"""Router: page config, login gate, navigation built from the user's role, global filters."""

import streamlit as st

from services import accounts
from services.access import home_page
from services.i18n import LANGS
from ui.context import RUN_KEY, engine, lang, require_current_schema, settings, start_run, tr
from ui.filters import FILTERS_KEY, render_filters, show_denied_link
from ui.layout import widget_texts
from ui.navigation import navigation_for
from ui.session import (
    GO_HOME_KEY,
    change_password_page,
    clear_cookie_after_logout,
    complete_handoff,
    current_session,
    login_page,
    show_flash,
    sign_out,
)

st.set_page_config(page_title="邻里 · 支部进小区", page_icon="🏘️", layout="wide")

if "lang" not in st.session_state:
    st.session_state.lang = lang()

widget_texts()
require_current_schema()
if not settings().demo_mode and accounts.demo_accounts_exist(engine()):
    st.error(tr("production.demo_accounts"))
    st.stop()


def language_switch() -> None:
    names = {"zh": "简体中文", "en": "English"}
    st.selectbox(tr("app.language"), LANGS, key="lang", format_func=names.get, placeholder=tr("ui.choose"))


active = current_session()
if active is None:
    st.session_state.pop(RUN_KEY, None)
    clear_cookie_after_logout()
    with st.sidebar:
        language_switch()
    st.navigation([st.Page(login_page, title=tr("page.login"), icon=":material/login:", url_path="login")]).run()
    st.stop()

complete_handoff()
principal = start_run(active.principal).principal
if active.must_change_password:
    st.navigation([st.Page(change_password_page, title=tr("page.account"), url_path="account")]).run()
    st.stop()

nav = st.navigation(navigation_for(principal), expanded=True)
if st.session_state.pop(GO_HOME_KEY, False):
    st.switch_page(home_page(principal).script)
show_flash()
with st.sidebar:
    st.caption(tr("app.title"))
    st.caption(tr("account.user", name=principal.username, role=tr(f"role.{principal.role}")))
st.session_state[FILTERS_KEY] = render_filters(principal)
with st.sidebar:
    st.divider()
    language_switch()
    if st.button(tr("account.logout"), icon=":material/logout:"):
        sign_out()
        st.rerun()

show_denied_link()
nav.run()
