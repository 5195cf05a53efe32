"""Router: page config, login gate, navigation built from the user's role, global filters."""

import streamlit as st

from services import accounts
from services.i18n import LANGS
from ui.context import engine, lang, render_filters, require_current_schema, settings, tr
from ui.navigation import navigation_for
from ui.session import change_password_page, complete_handoff, current_session, login_page, sign_out

st.set_page_config(page_title="邻里 · 支部进小区", page_icon="🏘️", layout="wide")

if "lang" not in st.session_state:
    st.session_state.lang = lang()

require_current_schema()
if not settings().demo_mode and accounts.demo_accounts_exist(engine()):
    st.error(tr("production.demo_accounts"))
    st.stop()


def language_switch() -> None:
    st.selectbox(tr("app.language"), LANGS, key="lang", format_func={"zh": "简体中文", "en": "English"}.get)


active = current_session()
if active is None:
    st.session_state.pop("_principal", None)
    with st.sidebar:
        language_switch()
    st.navigation([st.Page(login_page, title=tr("page.login"), icon=":material/login:", url_path="login")]).run()
    st.stop()

complete_handoff()
principal = active.principal
st.session_state._principal = principal
if active.must_change_password:
    st.navigation([st.Page(change_password_page, title=tr("page.account"), url_path="account")]).run()
    st.stop()

nav = st.navigation(navigation_for(principal))
with st.sidebar:
    st.caption(tr("app.title"))
    st.caption(tr("account.user", name=principal.username, role=tr(f"role.{principal.role}")))
st.session_state._filters = render_filters(principal)
with st.sidebar:
    st.divider()
    language_switch()
    if st.button(tr("account.logout"), icon=":material/logout:"):
        sign_out()
        st.rerun()

nav.run()
