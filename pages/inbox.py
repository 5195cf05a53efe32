"""我的待办: every open item of the logged-in person, each opening its page, and the list as text
for a work chat (no mail, no SMS: the inbox is the channel)."""

import streamlit as st

from services import inbox
from services.access import PAGES
from ui.context import current_principal, engine, tr

principal = current_principal()
st.title(tr("inbox.title"))
items = inbox.items(engine(), principal)
SCRIPTS = {page.id: page.script for page in PAGES}
if not items:
    st.info(tr("inbox.none"))
else:
    st.caption(tr("inbox.count", n=len(items)))
    for item in items:
        box = st.container(border=True)
        box.text(f"{tr(f'inbox.kind.{item.kind}')}｜{item.title}")  # user text: shown as text, never as markup
        if item.page in SCRIPTS:
            box.page_link(SCRIPTS[item.page], label=tr(f"page.{item.page}"), query_params=item.params or None)
    with st.expander(tr("inbox.copy")):
        st.code(inbox.as_text(engine(), principal), language=None)
