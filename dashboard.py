"""Router: page config, language, navigation built for the session, global filters."""

import streamlit as st

from services.i18n import LANGS
from ui.context import lang, render_filters, tr

st.set_page_config(page_title="邻里 · 支部进小区", page_icon="🏘️", layout="wide")

if "lang" not in st.session_state:
    st.session_state.lang = lang()

pages = {
    tr("section.overview"): [
        st.Page("pages/overview.py", title=tr("page.overview"), icon=":material/dashboard:",
                url_path="overview", default=True),
        st.Page("pages/map.py", title=tr("page.map"), icon=":material/map:", url_path="map"),
    ],
}  # fmt: skip
nav = st.navigation(pages)

with st.sidebar:
    st.caption(tr("app.title"))
st.session_state._filters = render_filters()
with st.sidebar:
    st.divider()
    st.selectbox(tr("app.language"), LANGS, key="lang", format_func={"zh": "简体中文", "en": "English"}.get)

nav.run()
